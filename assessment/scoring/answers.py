"""Answers files (YAML or JSON): question id -> answer, or {value, comment, evidence, checked}.

Nothing is guessed: an unknown question id, a value that does not fit its question (text where a
number belongs included), "not applicable" without a reason, or an answer to a question the
file's own profile answers do not ask is an error naming the question, and the whole file is
refused.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from assessment.limits import MAX_EVIDENCE, MAX_TEXT, AnswerStatus
from assessment.questionset import Answer, AnswerError, QuestionSet
from assessment.questionset.yaml_io import YamlError, load_yaml

from .engine import shown_questions


class AnswersInvalid(ValueError):
    """Every problem of an answers file, as "question-id: message" lines."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


ANSWER_KEYS = {"value", "comment", "evidence", "checked"}


UNANSWERED = object()  # a long-form answer without 'value': only a comment or evidence


def parse_answers(question_set: QuestionSet, raw: Any) -> dict[str, Answer]:
    """Normalise a mapping of raw answers against a question set; raise AnswersInvalid."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise AnswersInvalid(["the answers must be a mapping of question id to answer"])
    answers: dict[str, Answer] = {}
    problems: list[str] = []
    for question_id, entry in raw.items():
        if not isinstance(question_id, str) or not question_set.has_question(question_id):
            problems.append(
                f"{question_id}: no such question in {question_set.id} "
                f"version {question_set.version}"
            )
            continue
        try:
            answers[question_id] = _one(question_set, question_id, entry)
        except AnswerError as exc:
            problems.append(f"{question_id}: {exc}")
    shown = shown_questions(question_set, answers)
    for question_id in answers:
        if question_id not in shown:
            condition = _condition_of(question_set, question_id)
            problems.append(
                f"{question_id}: not asked with these answers ({condition}); leave it out"
            )
    if problems:
        raise AnswersInvalid(problems)
    return answers


def _one(question_set: QuestionSet, question_id: str, entry: Any) -> Answer:
    value, notes = entry, {}
    if isinstance(entry, Mapping):
        unknown = set(entry) - ANSWER_KEYS
        if unknown or not entry:
            raise AnswerError(
                "an answer object has 'value' and optionally 'comment', 'evidence', 'checked'"
            )
        value = entry.get("value", UNANSWERED)
        notes = {k: entry[k] for k in ("comment", "evidence", "checked") if entry.get(k)}
    comment = notes.get("comment", "")
    if not isinstance(comment, str) or len(comment) > MAX_TEXT:
        raise AnswerError(f"the comment must be text of at most {MAX_TEXT} characters")
    evidence = notes.get("evidence", "")
    if not isinstance(evidence, str) or len(evidence) > MAX_EVIDENCE:
        raise AnswerError(f"the evidence must be text of at most {MAX_EVIDENCE} characters")
    checked = notes.get("checked")
    if checked is not None:
        checked = _iso_date(checked)
    if value is None:
        raise AnswerError(
            "no answer (null): leave an unanswered question out of the file, or give only "
            "its comment or evidence without 'value'"
        )
    if value is UNANSWERED:
        return Answer(None, AnswerStatus.UNANSWERED, comment, evidence, checked)
    question = question_set.question(question_id)
    if question.type_name == "number" and isinstance(value, str) and value not in SPECIAL:
        raise AnswerError(f"expected a number, not the text {value!r}")
    parsed = question.parse_answer(value)
    if parsed.status is AnswerStatus.NOT_APPLICABLE and not comment.strip():
        raise AnswerError("'not applicable' needs a comment saying why it does not apply")
    return Answer(parsed.value, parsed.status, comment, evidence, checked)


SPECIAL = {AnswerStatus.DONT_KNOW.value, AnswerStatus.NOT_APPLICABLE.value}


def _iso_date(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise AnswerError(f"'checked' must be a date as YYYY-MM-DD, not {value!r}") from None


def _condition_of(question_set: QuestionSet, question_id: str) -> str:
    for item in (question_set.section_of(question_id), question_set.question(question_id)):
        if item.show_if is not None:
            choices = ", ".join(item.show_if.in_)
            return f"asked only when {item.show_if.question} is answered {choices}"
    return "its section is not asked"


def load_answers_file(question_set: QuestionSet, data: bytes, filename: str) -> dict[str, Answer]:
    """Read YAML or JSON (JSON is YAML) with the same safe reader as question sets."""
    stripped = data.lstrip()
    try:
        raw = json.loads(data) if stripped[:1] in (b"{", b"[") else load_yaml(data)
    except (ValueError, YamlError) as exc:
        where = f":{exc.line}" if getattr(exc, "line", None) else ""
        message = getattr(exc, "message", str(exc))
        raise AnswersInvalid([f"{filename}{where}: {message}"]) from None
    return parse_answers(question_set, raw)
