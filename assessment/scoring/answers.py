"""Answers files (YAML or JSON): question id -> answer, or {value: ..., comment: ...}.

Nothing is guessed: an unknown question id or a value that does not fit its question is an
error naming the question, and the whole file is refused.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from assessment.limits import MAX_TEXT
from assessment.questionset import Answer, AnswerError, QuestionSet
from assessment.questionset.yaml_io import YamlError, load_yaml


class AnswersInvalid(ValueError):
    """Every problem of an answers file, as "question-id: message" lines."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


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
        value, comment = entry, ""
        if isinstance(entry, Mapping):
            unknown = set(entry) - {"value", "comment"}
            if unknown or "value" not in entry:
                problems.append(
                    f"{question_id}: an answer object has 'value' and optionally 'comment'"
                )
                continue
            value, comment = entry["value"], entry.get("comment") or ""
        if not isinstance(comment, str) or len(comment) > MAX_TEXT:
            problems.append(
                f"{question_id}: the comment must be text of at most {MAX_TEXT} characters"
            )
            continue
        try:
            parsed = question_set.question(question_id).parse_answer(value)
        except AnswerError as exc:
            problems.append(f"{question_id}: {exc}")
            continue
        answers[question_id] = Answer(parsed.value, parsed.status, comment)
    if problems:
        raise AnswersInvalid(problems)
    return answers


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
