"""What publishing a draft changes for the officers: its questions compared with the set's
previous published version, by the same rule as a version move (``questionset.changes``), so the
administrator sees beforehand exactly what an assessment moved to it will mark "to re-check"."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.models import QuestionSetVersion, VersionStatus
from assessment.questionset import validate_data
from assessment.questionset.changes import SetChanges, compare_sets

from .drafts import data_of
from .records import question_set_of


@dataclass(frozen=True)
class PublishPreview:
    previous: QuestionSetVersion | None  # None: the set's first version
    changes: SetChanges | None


def previous_published(session: Session, draft: QuestionSetVersion) -> QuestionSetVersion | None:
    """The set's latest version before the draft that was published (retired ones included:
    assessments may still use them)."""
    return session.scalar(
        select(QuestionSetVersion)
        .where(
            QuestionSetVersion.set_id == draft.set_id,
            QuestionSetVersion.version < draft.version,
            QuestionSetVersion.status != VersionStatus.DRAFT,
        )
        .order_by(QuestionSetVersion.version.desc())
        .limit(1)
    )


def preview(session: Session, draft: QuestionSetVersion) -> PublishPreview:
    """The change list of a valid draft against the previous published version."""
    previous = previous_published(session, draft)
    if previous is None:
        return PublishPreview(None, None)
    new_set = validate_data(data_of(draft), f"{draft.set_id} draft")
    return PublishPreview(previous, compare_sets(question_set_of(previous), new_set))
