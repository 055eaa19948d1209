"""From YAML text to a QuestionSet, or to every problem in it as ``file:line: message``.

Two passes over one parse: pydantic checks each object's shape and its type's own rules; the
cross-reference pass here checks what spans objects (duplicate ids, dangling ids, ``show_if``
order). Both always run, so an administrator fixes a file in one round, not one error at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from .model import MAX_QUESTIONS, QuestionSet
from .types import QUESTION_TYPES
from .yaml_io import YamlError, load_yaml


@dataclass(frozen=True, order=True)
class Problem:
    line: int
    message: str
    file: str = "<input>"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class QuestionSetInvalid(Exception):
    """Raised with every problem found; nothing has been built or stored."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def load_question_set(data: bytes | str, filename: str = "<input>") -> QuestionSet:
    """Parse and validate a question-set file; raise QuestionSetInvalid listing every problem."""
    try:
        raw = load_yaml(data)
    except YamlError as exc:
        raise QuestionSetInvalid([Problem(exc.line or 1, exc.message, filename)]) from None
    return validate_data(raw, filename)


def validate_data(raw: Any, filename: str = "<input>") -> QuestionSet:
    """Validate already-parsed data (LineDict trees carry lines; plain dicts report line 1)."""
    if not isinstance(raw, dict):
        raise QuestionSetInvalid(
            [
                Problem(
                    1,
                    "a question set is a mapping of keys such as id, version and sections",
                    filename,
                )
            ]
        )
    count = sum(len(s.get("questions") or []) for s in _dicts(raw.get("sections")))
    if count > MAX_QUESTIONS:
        raise QuestionSetInvalid(
            [
                Problem(
                    _line(raw, ("sections",)),
                    f"{count} questions; the limit is {MAX_QUESTIONS}",
                    filename,
                )
            ]
        )
    found: list[tuple[int, str]] = []
    question_set = None
    try:
        question_set = QuestionSet.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            if _is_echo(error):
                continue
            loc = _without_union_tags(raw, tuple(error["loc"]))
            # "unknown key 'x'" already names the key: locate it, but describe its parent
            named = loc[:-1] if error["type"] in {"missing", "extra_forbidden"} else loc
            found.append((_line(raw, loc), f"{_where(raw, named)}{_message(error)}"))
    found.extend(cross_reference_problems(raw))
    if found:
        problems = sorted({Problem(line, message, filename) for line, message in found})
        raise QuestionSetInvalid(problems)
    assert question_set is not None
    return question_set


def _is_echo(error: dict) -> bool:
    """Pydantic also calls a list "too short" when its items failed; those items are reported."""
    value = error.get("input")
    return (
        error["type"] == "too_short"
        and isinstance(value, list | tuple)
        and len(value) >= (error.get("ctx") or {}).get("min_length", 0)
    )


def _dicts(node: Any) -> list[dict]:
    return [item for item in node if isinstance(item, dict)] if isinstance(node, list) else []


def _without_union_tags(root: Any, loc: tuple) -> tuple:
    """Drop pydantic's union tag (the question type) that follows a question's index.

    The tag can equal a key of the question (type ``text`` has a key ``text``), so it must be
    removed by position, not by name.
    """
    cleaned, node = [], root
    for i, part in enumerate(loc):
        after_question = i >= 2 and loc[i - 2] == "questions" and isinstance(loc[i - 1], int)
        if (
            after_question
            and part in QUESTION_TYPES
            and isinstance(node, dict)
            and node.get("type") == part
        ):
            continue
        cleaned.append(part)
        step = _child(node, part)
        node = step[0] if step else None
    return tuple(cleaned)


def _child(node: Any, part: Any) -> tuple[Any, int | None] | None:
    """One step down the raw tree, with the step's line when the tree knows it."""
    if isinstance(node, dict) and not isinstance(part, int) and part in node:
        return node[part], getattr(node, "key_lines", {}).get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        lines = getattr(node, "item_lines", None)
        return node[part], lines[part] if lines else None
    return None


def _line(root: Any, loc: tuple) -> int:
    """The line of the deepest node on ``loc`` that exists in the raw tree."""
    node, line = root, getattr(root, "line", 1) or 1
    for part in loc:
        step = _child(node, part)
        if step is None:  # a pydantic-only step such as a union tag: stay where we are
            continue
        node, line = step[0], step[1] or line
    return line


_KINDS = {
    "sections": "section",
    "questions": "question",
    "mitigations": "mitigation",
    "threats": "threat",
    "references": "reference",
    "frameworks": "framework",
    "choices": "choice",
}


def _where(root: Any, loc: tuple) -> str:
    """A readable place: the innermost object with an id, then the rest of the path."""
    node, label, rest = root, "", []
    for i, part in enumerate(loc):
        parent_key = loc[i - 1] if i else None
        if isinstance(node, dict) and part in node:
            node = node[part]
            rest.append(str(part))
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            if (
                isinstance(node, dict)
                and isinstance(node.get("id"), str)
                and parent_key in _KINDS
                and parent_key != "choices"
            ):
                label, rest = f"{_KINDS[parent_key]} '{node['id']}'", []
            else:
                rest.append(f"[{part}]")
        elif part not in QUESTION_TYPES:
            rest.append(str(part))
    path = ".".join(rest).replace(".[", "[")
    return ": ".join(x for x in (label, path) if x) + (": " if label or path else "")


def _message(error: dict) -> str:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    loc = error["loc"]
    key = loc[-1] if loc else ""
    simple = {
        "string_type": "expected text (put quotes around it if it looks like a number)",
        "float_type": "expected a number",
        "int_type": "expected a whole number",
        "bool_type": "expected true or false",
        "model_type": "expected a mapping (key: value)",
        "dict_type": "expected a mapping (key: value)",
        "tuple_type": "expected a list",
        "list_type": "expected a list",
        "string_too_short": "must not be empty",
        "int_from_float": "expected a whole number",
        "finite_number": "expected a number",
    }
    if kind == "missing":
        return f"missing required key '{key}'"
    if kind == "extra_forbidden":
        return f"unknown key '{key}'"
    if kind in simple:
        return simple[kind]
    if kind == "string_pattern_mismatch":
        if "[A-Z]" in ctx.get("pattern", "")[:6]:
            return f"'{value}' is not a reference id such as NIS2-21.2.a or CSF-PR.AA"
        return f"'{value}' is not a valid id: use lower-case letters, digits, '-' and '_'"
    if kind == "string_too_long":
        return f"text is {len(value)} characters; at most {ctx['max_length']}"
    if kind == "too_long":
        return f"at most {ctx['max_length']} items"
    if kind == "too_short":
        return f"at least {ctx['min_length']} item(s) needed"
    if kind in {"less_than_equal", "less_than", "greater_than_equal", "greater_than"}:
        bound = next(iter(ctx.values()))
        sign = {
            "less_than_equal": "at most",
            "less_than": "below",
            "greater_than_equal": "at least",
            "greater_than": "above",
        }[kind]
        return f"{value!r} is out of range: must be {sign} {bound}"
    if kind == "literal_error":
        return f"{value!r} is not one of {ctx.get('expected')}"
    if kind == "union_tag_invalid":
        return f"unknown question type '{ctx.get('tag')}'; known types: " + ", ".join(
            QUESTION_TYPES
        )
    if kind == "union_tag_not_found":
        return "missing required key 'type' (one of " + ", ".join(QUESTION_TYPES) + ")"
    message = error["msg"]
    return message.removeprefix("Value error, ")


def _ids(items: list[dict], kind: str) -> Iterator[tuple[int, str]]:
    seen: dict[str, int] = {}
    for item in items:
        item_id = item.get("id")
        if not isinstance(item_id, str):
            continue
        line = getattr(item, "line", 1)
        if item_id in seen:
            yield line, f"duplicate {kind} id '{item_id}' (first at line {seen[item_id]})"
        else:
            seen[item_id] = line


def cross_reference_problems(raw: dict) -> list[tuple[int, str]]:
    """Problems that span objects, checked on the raw tree so that they are found even when
    some objects are malformed."""
    problems: list[tuple[int, str]] = []
    catalogues = {}
    for key in ("frameworks", "references", "threats", "mitigations"):
        items = _dicts(raw.get(key))
        problems.extend(_ids(items, _KINDS[key]))
        catalogues[key] = {i["id"] for i in items if isinstance(i.get("id"), str)}
    for item in _dicts(raw.get("references")):
        ref_id = item.get("id")
        if (
            isinstance(ref_id, str)
            and "-" in ref_id
            and ref_id.split("-", 1)[0] not in catalogues["frameworks"]
        ):
            problems.append(
                (
                    _line(item, ("id",)),
                    f"reference '{ref_id}': framework "
                    f"'{ref_id.split('-', 1)[0]}' is not in frameworks",
                )
            )
    scales = raw.get("scales") if isinstance(raw.get("scales"), dict) else {}
    sections = _dicts(raw.get("sections"))
    problems.extend(_ids(sections, "section"))
    all_questions = [q for s in sections for q in _dicts(s.get("questions"))]
    problems.extend(_ids(all_questions, "question"))

    all_ids = {q["id"] for q in all_questions if isinstance(q.get("id"), str)}
    earlier: dict[str, dict] = {}  # questions asked before the current one, by id
    for section in sections:
        problems.extend(_condition_problems(section, earlier, all_ids, scales, "section"))
        for question in _dicts(section.get("questions")):
            problems.extend(_condition_problems(question, earlier, all_ids, scales, "question"))
            problems.extend(_dangling(question, catalogues, scales))
            if isinstance(question.get("id"), str):
                earlier.setdefault(question["id"], question)
    return problems


def _dangling(question: dict, catalogues: dict, scales: dict) -> Iterator[tuple[int, str]]:
    qid = question.get("id")
    for key, catalogue in (
        ("mitigations", "mitigations"),
        ("threats", "threats"),
        ("references", "references"),
    ):
        ids = question.get(key)
        if not isinstance(ids, list):
            continue
        for index, item_id in enumerate(ids):
            if isinstance(item_id, str) and item_id not in catalogues[catalogue]:
                line = _line(question, (key, index))
                yield line, f"question '{qid}': {_KINDS[key]} '{item_id}' is not in {catalogue}"
    scale = question.get("scale")
    if isinstance(scale, str) and scale not in scales:
        yield _line(question, ("scale",)), f"question '{qid}': scale '{scale}' is not in scales"


def _choice_ids(question: dict, scales: dict) -> list[str] | None:
    """Ids a show_if may name on this question, or None if its type cannot drive one."""
    if question.get("type") not in {"single_choice", "multiple_choice"}:
        return None
    choices = question.get("choices")
    if choices is None and isinstance(question.get("scale"), str):
        choices = scales.get(question["scale"])
    return [c.get("id") for c in _dicts(choices)]


def _condition_problems(
    item: dict, earlier: dict, all_ids: set[str], scales: dict, kind: str
) -> Iterator[tuple[int, str]]:
    condition = item.get("show_if")
    if not isinstance(condition, dict) or not isinstance(condition.get("question"), str):
        return
    target = condition["question"]
    label = f"{kind} '{item.get('id')}': show_if"
    line = _line(item, ("show_if", "question"))
    if target not in earlier:
        if target in all_ids:
            yield (
                line,
                (
                    f"{label} names question '{target}', which is not asked before it; a "
                    "condition can only look back at earlier questions"
                ),
            )
        else:
            yield line, f"{label} names unknown question '{target}'"
        return
    choice_ids = _choice_ids(earlier[target], scales)
    if choice_ids is None:
        yield line, f"{label} names question '{target}', which is not a choice question"
        return
    if earlier[target].get("scored", True) is not False:
        yield (
            line,
            (
                f"{label} names question '{target}', which is scored; a condition can "
                "only name an unscored profile question (scored: false), so that a "
                "better answer never hides or reveals other questions"
            ),
        )
        return
    values = condition.get("in")
    for index, value in enumerate(values if isinstance(values, list) else []):
        if value not in choice_ids:
            yield (
                _line(item, ("show_if", "in", index)),
                f"{label}: '{value}' is not a choice of question '{target}'",
            )
