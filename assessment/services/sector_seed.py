"""A seeded sector, for trying the sector view and its report (``port-assess sector seed``) and
for tests: organisations that share, each with an officer and completed assessments whose
answers are drawn at random (repeatably) around a maturity of its own.

Everything goes through the ordinary services (organisations, users, assessments, answers), so
a seeded sector is what real use would have stored. Never for production databases: the
organisations are named "Seeded port NNN" and their officers cannot log in (random passwords
nobody is told).
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from assessment import db
from assessment.models import Assessment, OrganisationKind, QuestionSetVersion
from assessment.questionset import Answer, QuestionSet
from assessment.scoring import shown_questions

from . import answers as saving
from . import assessments, organisations, sector_data, users
from .records import question_set_of

COUNTRIES = ("NL", "BE", "DE", "FR", "ES", "IT", "PL", "SE")
KINDS = tuple(k.value for k in OrganisationKind)


@dataclass(frozen=True)
class Seeded:
    organisations: list[int]
    assessments: int


def _pick(question, rnd: random.Random, quality: float) -> Answer | None:
    """An answer a port of this ``quality`` (0..1) might give."""
    kind = question.type_name
    if kind == "text":
        return None
    if not question.scored or kind == "number":
        good = rnd.random() < quality
        if kind == "number":
            return question.best_answer() if good else question.worst_answer()
        options = question.condition_ids()
        choice = rnd.choice(options)
        return question.parse_answer([choice] if kind == "multiple_choice" else choice)
    if kind == "multiple_choice":
        ticked = [c.id for c in question.choices if rnd.random() < quality]
        return question.parse_answer(ticked)
    if kind == "maturity":
        level = round(max(0.0, min(1.0, rnd.gauss(quality, 0.25))) * question.top)
        return question.parse_answer(level)
    regular = sorted(
        (c for c in question.options if not (c.dont_know or c.not_applicable)),
        key=lambda c: c.score or 0.0,
    )
    unsure = [c for c in question.options if c.dont_know]
    if unsure and rnd.random() < 0.05:
        return question.parse_answer(unsure[0].id)
    index = round(max(0.0, min(1.0, rnd.gauss(quality, 0.3))) * (len(regular) - 1))
    return question.parse_answer(regular[index].id)


def random_answers(
    question_set: QuestionSet, rnd: random.Random, quality: float
) -> dict[str, Answer]:
    """Answers to every question asked under the answers drawn before it."""
    answers: dict[str, Answer] = {}
    for question in question_set.questions():
        if question.id not in shown_questions(question_set, answers):
            continue
        answer = _pick(question, rnd, quality)
        if answer is not None:
            answers[question.id] = answer
    return answers


def _complete_one(session, officer, version: QuestionSetVersion, title: str, answers) -> int:
    created = assessments.start_assessment(session, officer, title, "", version.id)
    inputs = [
        saving.AnswerInput(qid, saving.storable(a), comment="Seeded.") for qid, a in answers.items()
    ]
    saving.save_answers(session, officer, created, inputs)
    assessments.complete(session, officer, created)
    return created.id


@db.writes
def _backdate(session: Session, assessment_id: int, years: int) -> None:
    """Completed ``years`` earlier (a seeded history for the year-on-year figures)."""
    found = session.get(Assessment, assessment_id)
    session.execute(
        update(Assessment)
        .where(Assessment.id == assessment_id)
        .values(completed_at=found.completed_at - timedelta(days=365 * years))
        .execution_options(synchronize_session=False)
    )
    session.commit()


def seed_sector(
    session: Session,
    version: QuestionSetVersion,
    count: int,
    *,
    years: int = 1,
    seed: int = 1,
    first: int = 1,
    share: bool = True,
    fast_hash: bool = False,
) -> Seeded:
    """``count`` organisations (numbered from ``first``), each sharing (if ``share``) and with
    one completed assessment per year for ``years`` years, the latest this year."""
    rnd = random.Random(seed)  # noqa: S311 - repeatable sample data, not a secret
    question_set = question_set_of(version)
    created, made = [], 0
    for number in range(first, first + count):
        organisation = organisations.create_organisation(
            session,
            None,
            organisations.OrganisationData(
                f"Seeded port {number:03d}", KINDS[number % len(KINDS)], rnd.choice(COUNTRIES)
            ),
        )
        officer = users.create_user(
            session,
            None,
            users.UserData(
                f"officer{number:03d}@seeded-port.invalid",
                "Seeded officer",
                "officer",
                organisation.id,
            ),
            secrets.token_urlsafe(24),
            fast_hash=fast_hash,
        )
        quality = rnd.uniform(0.2, 0.9)
        for back in range(years - 1, -1, -1):
            answers = random_answers(question_set, rnd, min(1.0, quality + 0.1 * (years - back)))
            made_id = _complete_one(session, officer, version, f"Seeded {number:03d}", answers)
            if back:
                _backdate(session, made_id, back)
            made += 1
        if share:
            sector_data.set_sharing(session, None, organisation.id, True)
        created.append(organisation.id)
    return Seeded(created, made)
