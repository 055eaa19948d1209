"""Where an organisation stands beside the sector, for its results page
(``templates/assessments/_sector_comparison.html``)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from assessment.models import Assessment
from assessment.scoring import Result
from assessment.services import sector_data
from assessment.services.sector_model import Comparison


def sector_comparison(session: Session, assessment: Assessment, result: Result) -> Comparison:
    """The sector's figures beside this result: only if the organisation shares, and only
    where the privacy rules hold with k organisations besides it."""
    return sector_data.officer_comparison(
        session, assessment, result, current_app.config["SECTOR_MIN_GROUP"]
    )
