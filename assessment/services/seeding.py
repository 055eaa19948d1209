"""Seeded data for scale tests and demonstrations: organisations, each with an officer and
fully answered assessments of the shipped baseline (``scoring.samples``).

The rows are the ones the services write when an officer starts, answers and completes an
assessment (the answers in their stored form, the standing stored with the assessment, the
audit events), but written in bulk: answering through ``services.answers`` checks and scores
every save and takes about 0.2 s per assessment, an hour for the 5,000 of a scale test. Each
sample is checked against its questions and scored once, here, instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from assessment import db
from assessment.limits import AnswerStatus
from assessment.models import (
    AnswerRecord,
    Assessment,
    AssessmentStatus,
    AuditEvent,
    Organisation,
    QuestionSetVersion,
    User,
    utcnow,
)
from assessment.questionset import QuestionSet
from assessment.scoring import standing as standings
from assessment.scoring.samples import PATTERNS, sample_answers

from .answers import storable
from .records import compute_standing, question_set_of

BASELINE = "port-cyber-baseline"
NAME_PREFIX = "Seeded port"
KINDS = ("port_authority", "terminal", "port_facility", "other")
COUNTRIES = ("NL", "BE", "DE", "FR", "ES", "IT", "PT", "GR", "PL", "SE", "FI", "DK", "IE")
NOT_APPLICABLE_NOTE = "Seeded sample: does not apply here."


class SeedError(ValueError):
    """Nothing was seeded; the message says why."""


@dataclass(frozen=True)
class Seeded:
    organisations: int
    assessments: int
    answers: int
    first_email: str | None


@dataclass(frozen=True)
class _Sample:
    """One pattern's answers as stored rows, and the standing they give."""

    rows: list[dict]
    standing: dict


def baseline_version(session: Session, set_id: str = BASELINE) -> QuestionSetVersion:
    version = session.scalar(
        select(QuestionSetVersion)
        .where(QuestionSetVersion.set_id == set_id, QuestionSetVersion.status == "published")
        .order_by(QuestionSetVersion.version.desc())
        .limit(1)
    )
    if version is None:
        raise SeedError(
            f"no published version of '{set_id}': run `port-assess questionnaire import "
            "--shipped` first"
        )
    return version


def _sample(question_set: QuestionSet, version_id: int, pattern: str) -> _Sample:
    rows = []
    for question_id, answer in sample_answers(question_set, pattern).items():
        value = storable(answer)
        question_set.question(question_id).parse_answer(value)  # stored as a save would
        status = str(answer.status)
        note = NOT_APPLICABLE_NOTE if status == AnswerStatus.NOT_APPLICABLE else ""
        rows.append({"question_id": question_id, "status": status, "value": value, "comment": note})
    records = {
        row["question_id"]: AnswerRecord(
            **row, evidence="", marked_for_review=False, needs_recheck=False, revision=1
        )
        for row in rows
    }
    _result, standing = compute_standing(question_set, records)
    data = standing.to_data() | {
        "format": standings.FORMAT,
        "revision": 1,
        "version_id": version_id,
    }
    return _Sample(rows, data)


def _first_number(session: Session, prefix: str) -> int:
    """Seeded organisations are numbered; a second run goes on after the first."""
    taken = session.scalar(
        select(func.count(Organisation.id)).where(Organisation.name.startswith(prefix + " "))
    )
    return (taken or 0) + 1


def seed(
    session: Session,
    organisations: int,
    assessments: int,
    password_hash: str,
    *,
    prefix: str = NAME_PREFIX,
    progress: Callable[[int], None] | None = None,
) -> Seeded:
    """Add ``organisations`` organisations, each with one officer (``password_hash``) and
    ``assessments`` fully answered assessments a year apart (all completed but the newest),
    one transaction per organisation."""
    if organisations < 0 or assessments < 0:
        raise SeedError("give numbers of at least 0")
    version = baseline_version(session)
    question_set = question_set_of(version)
    samples = [_sample(question_set, version.id, pattern) for pattern in PATTERNS]
    start = _first_number(session, prefix)
    session.commit()
    answers = 0
    first_email = None
    for number in range(start, start + organisations):
        email = _seed_organisation(
            session, number, prefix, assessments, password_hash, version, samples
        )
        first_email = first_email or email
        answers += sum(len(samples[(number + j) % len(samples)].rows) for j in range(assessments))
        if progress:
            progress(number - start + 1)
    return Seeded(organisations, organisations * assessments, answers, first_email)


@db.writes
def _seed_organisation(
    session: Session,
    number: int,
    prefix: str,
    assessments: int,
    password_hash: str,
    version: QuestionSetVersion,
    samples: list[_Sample],
) -> str:
    now = utcnow()
    name = f"{prefix} {number:05d}"
    org = Organisation(
        name=name,
        kind=KINDS[number % len(KINDS)],
        country=COUNTRIES[number % len(COUNTRIES)],
        created_at=now,
    )
    session.add(org)
    db.flush_unique(session, SeedError(f"an organisation called '{name}' exists already"))
    email = f"officer{number:05d}@seeded-port.example"
    officer = User(
        email=email,
        display_name=f"Officer {number:05d}",
        role="officer",
        organisation_id=org.id,
        password_hash=password_hash,
        password_changed_at=now,
    )
    session.add(officer)
    db.flush_unique(session, SeedError(f"an account {email} exists already"))
    events = [
        _event("organisation.create", f"organisation {org.id}", name=name, kind=org.kind),
        _event("user.create", f"user {officer.id}", email=email, role="officer"),
    ]
    for index in range(assessments):
        sample = samples[(number + index) % len(samples)]
        # A year apart, the newest last; organisations a minute apart, so lists interleave.
        started = now - timedelta(days=365 * (assessments - index), minutes=number)
        newest = index == assessments - 1
        assessment = Assessment(
            organisation_id=org.id,
            question_set_version_id=version.id,
            title=f"Annual assessment {started.year}",
            scope="The whole organisation (seeded sample answers)",
            status=AssessmentStatus.IN_PROGRESS if newest else AssessmentStatus.COMPLETED,
            revision=1,
            standing=sample.standing,
            created_by_id=officer.id,
            created_at=started,
            updated_by_id=officer.id,
            updated_at=started + timedelta(days=20),
            completed_by_id=None if newest else officer.id,
            completed_at=None if newest else started + timedelta(days=21),
        )
        session.add(assessment)
        session.flush()
        session.execute(
            insert(AnswerRecord),
            [
                row
                | {
                    "assessment_id": assessment.id,
                    "evidence": "",
                    "marked_for_review": False,
                    "needs_recheck": False,
                    "revision": 1,
                    "updated_by_id": officer.id,
                    "updated_at": started + timedelta(days=20),
                }
                for row in sample.rows
            ],
        )
        target = f"assessment {assessment.id}"
        label = f"{version.set_id} v{version.version}"
        events.append(
            _event("assessment.start", target, at=started, actor=officer, question_set=label)
        )
        if not newest:
            events.append(
                _event("assessment.complete", target, at=assessment.completed_at, actor=officer)
            )
    session.add_all(events)
    session.commit()
    return email


def _event(action: str, target: str, *, at=None, actor: User | None = None, **details):
    return AuditEvent(
        at=at or utcnow(),
        actor_id=actor.id if actor else None,
        actor_email=actor.email if actor else "system",
        action=action,
        target=target,
        details=details,
    )
