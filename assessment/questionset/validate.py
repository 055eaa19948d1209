"""From YAML text to a QuestionSet, or to every problem in it as ``file:line: message``.

Two passes over one parse: pydantic checks each object's shape and its type's own rules; the
cross-reference pass (``crossref.py``) checks what spans objects (duplicate ids, dangling ids,
``show_if`` order). Both always run, so an administrator fixes a file in one round, not one
error at a time. Each problem also carries its path in the data, for the browser editor.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import ValidationError

from .base import Phrase, about
from .crossref import KINDS, Problem, cross_reference_problems, dicts, line_of
from .document import MAX_QUESTIONS, QuestionSet
from .types import QUESTION_TYPES
from .yaml_io import YamlError, load_yaml


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
        raise QuestionSetInvalid(
            [Problem(exc.line or 1, (), "", exc.message, file=filename)]
        ) from None
    return validate_data(raw, filename)


def find_problems(raw: Any) -> list[Problem]:
    """Every problem of already-parsed data, without raising (the editor shows them)."""
    if not isinstance(raw, dict):
        return [
            Problem(
                1,
                (),
                "",
                Phrase("a question set is a mapping of keys such as id, version and sections"),
            )
        ]
    count = sum(len(s.get("questions") or []) for _, s in dicts(raw.get("sections")))
    if count > MAX_QUESTIONS:
        return [
            Problem(
                line_of(raw, "sections"),
                ("sections",),
                "",
                Phrase(
                    "%(count)s questions; the limit is %(limit)s", count=count, limit=MAX_QUESTIONS
                ),
            )
        ]
    found = _shape_problems(raw)
    found.extend(cross_reference_problems(raw))
    return found


def validate_data(raw: Any, filename: str = "<input>") -> QuestionSet:
    """Validate parsed data (LineDict trees carry lines; plain dicts report line 1)."""
    found = find_problems(raw)
    if found:
        unique = {dataclasses.replace(f, file=filename) for f in found}
        raise QuestionSetInvalid(sorted(unique, key=lambda p: (p.line, p.message)))
    return QuestionSet.model_validate(raw)


def _shape_problems(raw: dict) -> list[Problem]:
    try:
        QuestionSet.model_validate(raw)
    except ValidationError as exc:
        found = []
        for error in exc.errors():
            if _is_echo(error):
                continue
            loc = _without_union_tags(raw, tuple(error["loc"]))
            # "unknown key 'x'" already names the key: locate it, but describe its parent
            named = loc[:-1] if error["type"] in {"missing", "extra_forbidden"} else loc
            who, rest = _who_and_rest(raw, named)
            bare = _message(error)
            detail = about(rest, bare) if rest else bare
            found.append(Problem(_line(raw, loc), loc, who, detail, bare))
        return found
    return []


def _is_echo(error: dict) -> bool:
    """Pydantic also calls a list "too short" when its items failed; those items are reported."""
    value = error.get("input")
    return (
        error["type"] == "too_short"
        and isinstance(value, list | tuple)
        and len(value) >= (error.get("ctx") or {}).get("min_length", 0)
    )


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
        if step is None:
            continue
        node, line = step[0], step[1] or line
    return line


def _who_and_rest(root: Any, loc: tuple) -> tuple[Phrase | str, str]:
    """("question 'q1'", "choices[0].score"): the innermost object with an id, then the rest
    (keys of the file, which no translation changes)."""
    node, who, rest = root, "", []
    for i, part in enumerate(loc):
        parent_key = loc[i - 1] if i else None
        step = _child(node, part)
        if step is None:
            rest.append(str(part))
            continue
        node = step[0]
        if isinstance(part, int):
            if isinstance(node, dict) and isinstance(node.get("id"), str) and parent_key in KINDS:
                who, rest = KINDS[parent_key](node["id"]), []
            else:
                rest.append(f"[{part}]")
        else:
            rest.append(str(part))
    return who, ".".join(rest).replace(".[", "[")


# Pydantic's error types whose words do not depend on the error's details.
SIMPLE = {
    "string_type": Phrase("expected text (put quotes around it if it looks like a number)"),
    "float_type": Phrase("expected a number"),
    "int_type": Phrase("expected a whole number"),
    "bool_type": Phrase("expected true or false"),
    "model_type": Phrase("expected a mapping (key: value)"),
    "dict_type": Phrase("expected a mapping (key: value)"),
    "tuple_type": Phrase("expected a list"),
    "list_type": Phrase("expected a list"),
    "string_too_short": Phrase("must not be empty"),
    "int_from_float": Phrase("expected a whole number"),
    "finite_number": Phrase("expected a number"),
}

# One sentence per bound ("at most", "below", ...), so that each is translated whole.
OUT_OF_RANGE = {
    "less_than_equal": lambda value, bound: Phrase(
        "%(value)s is out of range: must be at most %(bound)s", value=value, bound=bound
    ),
    "less_than": lambda value, bound: Phrase(
        "%(value)s is out of range: must be below %(bound)s", value=value, bound=bound
    ),
    "greater_than_equal": lambda value, bound: Phrase(
        "%(value)s is out of range: must be at least %(bound)s", value=value, bound=bound
    ),
    "greater_than": lambda value, bound: Phrase(
        "%(value)s is out of range: must be above %(bound)s", value=value, bound=bound
    ),
}


def _message(error: dict) -> Phrase | str:
    """What a pydantic error means, in the file's terms. Our own checks (``semantic``, and the
    ValueErrors of document.py) bring their Phrase in the error's context; an error type
    not named here keeps pydantic's English message."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    loc = error["loc"]
    key = loc[-1] if loc else ""
    if kind == "semantic" and isinstance(ctx.get("problem"), Phrase):
        return ctx["problem"]
    reason = getattr(ctx.get("error"), "args", None) or (None,)
    if kind == "value_error" and isinstance(reason[0], Phrase):
        return reason[0]
    if kind == "missing":
        return Phrase("missing required key '%(key)s'", key=key)
    if kind == "extra_forbidden":
        return Phrase("unknown key '%(key)s'", key=key)
    if kind in SIMPLE:
        return SIMPLE[kind]
    if kind == "string_pattern_mismatch":
        if "[A-Z]" in ctx.get("pattern", "")[:6]:
            return Phrase(
                "'%(value)s' is not a reference id such as NIS2-21.2.a or CSF-PR.AA", value=value
            )
        return Phrase(
            "'%(value)s' is not a valid id: use lower-case letters, digits, '-' and '_'",
            value=value,
        )
    if kind == "string_too_long":
        return Phrase(
            "text is %(length)s characters; at most %(max)s",
            length=len(value),
            max=ctx["max_length"],
        )
    if kind == "too_long":
        return Phrase("at most %(max)s items", max=ctx["max_length"])
    if kind == "too_short":
        return Phrase("at least %(min)s item(s) needed", min=ctx["min_length"])
    if kind in OUT_OF_RANGE:
        return OUT_OF_RANGE[kind](repr(value), next(iter(ctx.values())))
    if kind == "literal_error":
        return Phrase(
            "%(value)s is not one of %(expected)s",
            value=repr(value),
            expected=_either(str(ctx.get("expected"))),
        )
    if kind == "union_tag_invalid":
        return Phrase(
            "unknown question type '%(type)s'; known types: %(types)s",
            type=ctx.get("tag"),
            types=", ".join(QUESTION_TYPES),
        )
    if kind == "union_tag_not_found":
        return Phrase(
            "missing required key 'type' (one of %(types)s)", types=", ".join(QUESTION_TYPES)
        )
    message = error["msg"]
    return message.removeprefix("Value error, ")


def _either(expected: str) -> Phrase | str:
    """Pydantic's "'a', 'b' or 'c'" with its "or" translatable (our literals hold no " or ")."""
    some, _or, last = expected.rpartition(" or ")
    if not some:
        return expected
    return Phrase("%(some)s or %(last)s", some=some, last=last)
