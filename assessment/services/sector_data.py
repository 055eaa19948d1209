"""The sector view's data: organisations' opt-in to share, and the contributions of the completed
assessments of those that do. Aggregation and privacy rules are pure (``sector``,
``sector_privacy``); this module only reads and writes.

Contributions are read on every request, so an organisation that stops sharing (or is
deactivated) is gone from the very next figure. What is kept between requests is each
assessment's contribution, under a key of its state (id, creation time, revision, version and
scoring format): a reopened and changed assessment gets a new key, an old entry is only unused.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from assessment import db
from assessment.lru import LRUCache
from assessment.models import (
    AnswerRecord,
    Assessment,
    AssessmentStatus,
    Organisation,
    QuestionSetVersion,
    User,
)
from assessment.scoring import Result, score
from assessment.scoring import standing as standings

from . import audit, sector
from .records import answers_of, question_set_of
from .sector_model import Comparison, Contribution

NOT_SHARING = (
    "Your organisation does not share its results with the sector view, so it is not compared "
    "with the sector either."
)


# Sharing


@db.writes
def set_sharing(session: Session, actor: User | None, organisation_id: int, share: bool) -> bool:
    """Turn sharing on or off; whether it changed. The update is conditional on the stored
    value, so two requests asking the same change record it once, and the audit entry is
    written in the same transaction as the change."""
    changed = session.execute(
        update(Organisation)
        .where(Organisation.id == organisation_id, Organisation.share_with_sector != share)
        .values(share_with_sector=share)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        audit.record(
            session,
            actor,
            "organisation.sector_sharing_on" if share else "organisation.sector_sharing_off",
            f"organisation {organisation_id}",
            share=share,
        )
    session.commit()
    session.get(Organisation, organisation_id, populate_existing=True)  # as stored now
    return bool(changed)


def sharing_of(session: Session, organisation_id: int) -> bool:
    return bool(
        session.scalar(
            select(Organisation.share_with_sector).where(Organisation.id == organisation_id)
        )
    )


# Versions and contributions


def sector_versions(session: Session) -> list[QuestionSetVersion]:
    """Versions an analyst may choose (published or retired; never drafts): the default set
    first, newest version first."""
    versions = session.scalars(
        select(QuestionSetVersion).where(QuestionSetVersion.status.in_(("published", "retired")))
    ).all()
    return sorted(versions, key=lambda v: (v.set_id != "port-cyber-baseline", v.set_id, -v.version))


# Each assessment's contribution, by its state (``_key``).
PROFILES = LRUCache(4096)


def _key(assessment: Assessment) -> tuple:
    version = assessment.question_set_version
    return (
        assessment.id,
        assessment.created_at,
        assessment.revision,
        version.id,
        version.content_hash,
        standings.FORMAT,
    )


def shared_contributions(session: Session, version_id: int) -> list[Contribution]:
    """Every completed assessment of the version whose organisation is active and shares now,
    as contributions (all of them: the aggregation picks the latest per organisation)."""
    rows = session.execute(
        select(Assessment, Organisation.kind, Organisation.country)
        .join(Organisation, Organisation.id == Assessment.organisation_id)
        .where(
            Assessment.question_set_version_id == version_id,
            Assessment.status == AssessmentStatus.COMPLETED,
            Assessment.completed_at.is_not(None),
            Organisation.share_with_sector.is_(True),
            Organisation.active.is_(True),
        )
        .options(joinedload(Assessment.question_set_version))
    ).all()
    missing = [a for a, _kind, _country in rows if PROFILES.get(_key(a)) is None]
    _compute_profiles(session, missing)
    return [
        Contribution(a.organisation_id, kind, country, a.completed_at, PROFILES.get(_key(a)))
        for a, kind, country in rows
        if PROFILES.get(_key(a)) is not None
    ]


def _compute_profiles(session: Session, assessments: list[Assessment]) -> None:
    """Score the assessments not yet in the cache, their answers read in one query."""
    if not assessments:
        return
    by_assessment: dict[int, dict[str, AnswerRecord]] = defaultdict(dict)
    for record in session.scalars(
        select(AnswerRecord).where(AnswerRecord.assessment_id.in_([a.id for a in assessments]))
    ):
        by_assessment[record.assessment_id][record.question_id] = record
    for assessment in assessments:
        question_set = question_set_of(assessment.question_set_version)
        answers = answers_of(question_set, by_assessment[assessment.id])
        result = score(question_set, answers)
        PROFILES.put(_key(assessment), sector.profile_of(question_set, answers, result))


def officer_comparison(
    session: Session, assessment: Assessment, result: Result, min_group: int
) -> Comparison:
    """Where the assessment's organisation stands in the sector: only if it shares."""
    if not sharing_of(session, assessment.organisation_id):
        return Comparison(False, NOT_SHARING, min_group=min_group)
    version = assessment.question_set_version
    return sector.compare_with_sector(
        question_set_of(version),
        shared_contributions(session, version.id),
        assessment.organisation_id,
        result,
        min_group,
    )
