"""The sector report: a PDF of one view's figures, made by the report workers like every other
report (``services.reports``), once per state.

The state is the figures themselves (and what is printed around them): when an organisation
starts or stops sharing and a figure changes, the report is a new one. Reports are found by
that state, never by an id in a URL, so a report made before an organisation stopped sharing
can no longer be reached.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy.orm import Session

from assessment import i18n
from assessment.models import QuestionSetVersion, Report, User
from assessment.report.pdf import Attachment

from .reports import _by_key, _Document, _key, _request


def _state(figures_data: dict, classification: str, label: str) -> str:
    about = {k: v for k, v in figures_data["about"].items() if k != "generated_at"}
    shown = json.dumps([figures_data["figures"], about], sort_keys=True, default=str)
    # The report is in the language of whoever asks (its words, dates and numbers): one per
    # language.
    return _key("sector", shown, classification, label, i18n.current_language())


def find_sector_report(
    session: Session, figures_data: dict, classification: str, label: str
) -> Report | None:
    return _by_key(session, _state(figures_data, classification, label))


def request_sector_report(
    session: Session,
    user: User,
    version: QuestionSetVersion,
    figures_data: dict,
    classification: str,
    label: str,
    build_html: Callable[[], str],
    filename: str,
    enqueue: Callable[[int], None],
) -> Report:
    """The report of these figures: the one made (or being made) already, or a new one."""
    key = _state(figures_data, classification, label)

    def build() -> _Document:
        content = json.dumps(figures_data, indent=2, ensure_ascii=False).encode("utf-8")
        attachment = Attachment("result.json", content, "The sector figures as JSON")
        return _Document(key, build_html(), attachment)

    return _request(
        session,
        key,
        build,
        enqueue,
        kind="sector",
        question_set_version_id=version.id,
        requested_by_id=user.id,
        filename=filename,
    )
