"""Many officers saving at once through the real autosave endpoint, and the check afterwards
that the database holds exactly what the server accepted. Shared by the concurrency tests and
``bench/autosave.py``."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.db import make_engine
from assessment.models import AnswerRecord, Assessment

from .http_client import WebClient


@dataclass(frozen=True)
class Accepted:
    question_id: str
    comment: str
    base: int
    revision: int


@dataclass
class WritersRun:
    accepted: list[Accepted] = field(default_factory=list)
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class Writer:
    email: str
    password: str
    questions: tuple[str, ...]  # this writer's questions, edited in turn


def run_writers(
    base_url: str,
    writers: list[Writer],
    assessment_id: int,
    section_id: str,
    *,
    saves: int | None = None,
    seconds: float | None = None,
) -> WritersRun:
    """Every writer logs in, opens the section, waits for the others, then saves ``saves``
    times (or for ``seconds``); after a refusal it goes on from the revision the server named,
    as the page's script does. Every save carries a comment no other save carries."""
    run = WritersRun()
    lock = threading.Lock()
    ready = threading.Barrier(len(writers) + 1)

    def work(index: int, writer: Writer) -> None:
        client = WebClient(base_url)
        try:
            client.login(writer.email, writer.password)
            known = client.revisions(assessment_id, section_id)
        except Exception as exc:  # noqa: BLE001 - reported, and the barrier must not hang
            with lock:
                run.errors.append(f"writer {index} could not start: {exc}")
            ready.abort()
            return
        try:
            ready.wait()
        except threading.BrokenBarrierError:
            return
        deadline = time.monotonic() + (seconds or 0)
        count = 0
        while (saves is not None and count < saves) or (
            seconds is not None and time.monotonic() < deadline
        ):
            question = writer.questions[count % len(writer.questions)]
            comment = f"writer {index} save {count}"
            started = time.perf_counter()
            saved = client.autosave(
                assessment_id,
                section_id,
                question,
                "yes" if count % 2 else "no",
                comment,
                known.get(question, 0),
            )
            elapsed = time.perf_counter() - started
            count += 1
            with lock:
                run.latencies.append(elapsed)
                if saved.status == 200 and question in saved.body.get("saved", {}):
                    revision = saved.body["saved"][question]["revision"]
                    run.accepted.append(Accepted(question, comment, saved.base, revision))
                    known[question] = revision
                elif saved.status == 409 and question in saved.body.get("conflicts", {}):
                    run.conflicts += 1
                    known[question] = saved.body["conflicts"][question]["revision"]
                else:
                    run.errors.append(f"writer {index}: HTTP {saved.status} {saved.body}")
                    return
        client.close()

    threads = [
        threading.Thread(target=work, args=(i, w), daemon=True) for i, w in enumerate(writers)
    ]
    for thread in threads:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):
        ready.wait(timeout=120)
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=600)
    run.seconds = time.perf_counter() - started
    return run


@dataclass(frozen=True)
class Integrity:
    """What the database says about the accepted saves; all three are 0 when nothing is lost."""

    lost_writes: int  # accepted saves that left no trace in the stored revision
    shared_bases: int  # accepted saves that started from the same revision as another
    counter_drift: int  # accepted saves minus the rise of the assessment's revision
    wrong_last: int  # questions whose stored answer is not the last accepted save

    @property
    def exact(self) -> bool:
        return not (self.lost_writes or self.shared_bases or self.counter_drift or self.wrong_last)


@dataclass(frozen=True)
class Revisions:
    assessment: int
    answers: dict[str, int]


def stored_revisions(database_url: str, assessment_id: int) -> Revisions:
    """The assessment's revision and each stored answer's, as the database holds them."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            answers = {
                r.question_id: r.revision
                for r in session.scalars(
                    select(AnswerRecord).where(AnswerRecord.assessment_id == assessment_id)
                )
            }
            return Revisions(session.get(Assessment, assessment_id).revision, answers)
    finally:
        engine.dispose()


def check_integrity(
    database_url: str, assessment_id: int, run: WritersRun, before: Revisions
) -> Integrity:
    """Compare the accepted saves with the stored rows."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            stored = {
                r.question_id: r
                for r in session.scalars(
                    select(AnswerRecord).where(AnswerRecord.assessment_id == assessment_id)
                )
            }
            revision_after = session.get(Assessment, assessment_id).revision
    finally:
        engine.dispose()
    by_question: dict[str, list[Accepted]] = {}
    for save in run.accepted:
        by_question.setdefault(save.question_id, []).append(save)
    lost = shared = wrong_last = 0
    for question_id, saves in by_question.items():
        record = stored.get(question_id)
        rise = (record.revision if record else 0) - before.answers.get(question_id, 0)
        lost += max(0, len(saves) - rise)
        bases = Counter(s.base for s in saves)
        shared += sum(n for n in bases.values() if n > 1)
        last = max(saves, key=lambda s: s.revision)
        if record is None or record.comment != last.comment or record.revision != last.revision:
            wrong_last += 1
    drift = len(run.accepted) - (revision_after - before.assessment)
    return Integrity(lost, shared, drift, wrong_last)


def simultaneously(*calls):
    """Run each call in its own thread, released together by a barrier; their results in
    order (an exception is returned, not raised, so the caller can assert on it)."""
    results: list = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index: int, call) -> None:
        start.wait(timeout=60)
        try:
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - handed to the caller to assert on
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results
