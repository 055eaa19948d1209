"""Checks that span objects of a question set: duplicate ids, dangling ids, ``show_if`` order.

They run on the raw tree (LineDict/LineList from yaml_io, or plain dicts), defensively, so
that they find problems even where pydantic found some objects malformed. Each problem carries
its path in the tree, so the editor can show it beside the field it concerns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .types import QUESTION_TYPES


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in a question set: where (file, line, and the path in the data, for the
    browser editor) and what (who it is about, and the detail). Two problems are the same when
    their line, who and detail are."""

    line: int
    path: tuple = field(compare=False)
    who: str  # e.g. "question 'q1'", or "" for the set itself
    detail: str  # what is wrong, with the path inside the object: "choices[0].score: ..."
    bare: str = field(default="", compare=False)  # what is wrong alone (beside the field)
    file: str = "<input>"

    @property
    def message(self) -> str:
        return f"{self.who}: {self.detail}" if self.who else self.detail

    @property
    def plain(self) -> str:
        return self.bare or self.detail

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


KINDS = {
    "sections": "section",
    "questions": "question",
    "mitigations": "mitigation",
    "threats": "threat",
    "references": "reference",
    "frameworks": "framework",
}


def dicts(node: Any) -> list[tuple[int, dict]]:
    """The mappings of a list with their indexes; anything else is ignored."""
    if not isinstance(node, list):
        return []
    return [(i, item) for i, item in enumerate(node) if isinstance(item, dict)]


def line_of(node: Any, key: Any = None) -> int:
    if key is not None and isinstance(node, dict) and key in getattr(node, "key_lines", {}):
        return node.key_lines[key]
    if (
        key is not None
        and isinstance(node, list)
        and isinstance(key, int)
        and getattr(node, "item_lines", None)
        and key < len(node.item_lines)
    ):
        return node.item_lines[key]
    return getattr(node, "line", 1) or 1


def _duplicates(
    items: list[tuple[int, dict]], kind: str, path_of: Callable[[int], tuple]
) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, item in items:
        item_id = item.get("id")
        if not isinstance(item_id, str):
            continue
        line = line_of(item)
        if item_id in seen:
            yield Problem(
                line,
                (*path_of(index), "id"),
                "",
                f"duplicate {kind} id '{item_id}' (first at line {seen[item_id]})",
            )
        else:
            seen[item_id] = line


def cross_reference_problems(raw: dict) -> list[Problem]:
    found: list[Problem] = []
    catalogues: dict[str, set[str]] = {}
    for key in ("frameworks", "references", "threats", "mitigations"):
        items = dicts(raw.get(key))
        found.extend(_duplicates(items, KINDS[key], lambda i, key=key: (key, i)))
        catalogues[key] = {i["id"] for _, i in items if isinstance(i.get("id"), str)}
    for index, item in dicts(raw.get("references")):
        ref_id = item.get("id")
        if isinstance(ref_id, str) and "-" in ref_id:
            framework = ref_id.split("-", 1)[0]
            if framework not in catalogues["frameworks"]:
                found.append(
                    Problem(
                        line_of(item, "id"),
                        ("references", index, "id"),
                        f"reference '{ref_id}'",
                        f"framework '{framework}' is not in frameworks",
                    )
                )
    scales = raw.get("scales") if isinstance(raw.get("scales"), dict) else {}
    sections = dicts(raw.get("sections"))
    found.extend(_duplicates(sections, "section", lambda i: ("sections", i)))
    questions = [(si, qi, q) for si, s in sections for qi, q in dicts(s.get("questions"))]
    found.extend(
        _duplicates(
            [(n, q) for n, (_, _, q) in enumerate(questions)],
            "question",
            lambda n: ("sections", questions[n][0], "questions", questions[n][1]),
        )
    )
    all_ids = {q["id"] for _, _, q in questions if isinstance(q.get("id"), str)}
    earlier: dict[str, dict] = {}
    for si, section in sections:
        found.extend(
            _condition_problems(section, ("sections", si), "section", earlier, all_ids, scales)
        )
        for qi, question in dicts(section.get("questions")):
            path = ("sections", si, "questions", qi)
            found.extend(_condition_problems(question, path, "question", earlier, all_ids, scales))
            found.extend(_dangling(question, path, catalogues, scales))
            if isinstance(question.get("id"), str):
                earlier.setdefault(question["id"], question)
    return found


def _dangling(question: dict, path: tuple, catalogues: dict, scales: dict) -> Iterator[Problem]:
    who = f"question '{question.get('id')}'"
    for key in ("mitigations", "threats", "references"):
        ids = question.get(key)
        if not isinstance(ids, list):
            continue
        for index, item_id in enumerate(ids):
            if isinstance(item_id, str) and item_id not in catalogues[key]:
                yield Problem(
                    line_of(ids, index),
                    (*path, key, index),
                    who,
                    f"{KINDS[key]} '{item_id}' is not in {key}",
                )
    scale = question.get("scale")
    if not isinstance(scale, str):
        return
    where = (line_of(question, "scale"), (*path, "scale"), who)
    if scale not in scales:
        yield Problem(*where, f"scale '{scale}' is not in scales")
        return
    scale_scored = any(c.get("score") is not None for _, c in dicts(scales[scale]))
    if question.get("scored", True) is False and scale_scored:
        yield Problem(
            *where,
            f"scale '{scale}' has scores, and an unscored question's choices take none; "
            "use a scale without scores",
        )
    elif question.get("scored", True) is not False and not scale_scored:
        yield Problem(
            *where,
            f"scale '{scale}' has no scores, and a scored question needs them; give the "
            "scale's choices scores or make the question scored: false",
        )


def _choice_ids(question: dict, scales: dict) -> list[str] | None:
    """Ids a show_if may name on this question, or None if its type cannot drive one."""
    kind = QUESTION_TYPES.get(question.get("type"))
    if kind is None or not kind.can_drive_conditions:
        return None
    choices = question.get("choices")
    if choices is None and isinstance(question.get("scale"), str):
        choices = scales.get(question["scale"])
    return [c.get("id") for _, c in dicts(choices)]


def _condition_problems(
    item: dict, path: tuple, kind: str, earlier: dict, all_ids: set[str], scales: dict
) -> Iterator[Problem]:
    condition = item.get("show_if")
    if not isinstance(condition, dict) or not isinstance(condition.get("question"), str):
        return
    target = condition["question"]
    who = f"{kind} '{item.get('id')}'"
    line = line_of(condition, "question")
    here = (*path, "show_if", "question")
    if target not in earlier:
        if target in all_ids:
            yield Problem(
                line,
                here,
                who,
                f"show_if names question '{target}', which is not "
                "asked before it; a condition can only look back at earlier questions",
            )
        else:
            yield Problem(line, here, who, f"show_if names unknown question '{target}'")
        return
    choice_ids = _choice_ids(earlier[target], scales)
    if choice_ids is None:
        yield Problem(
            line, here, who, f"show_if names question '{target}', which is not a choice question"
        )
        return
    if earlier[target].get("scored", True) is not False:
        yield Problem(
            line,
            here,
            who,
            f"show_if names question '{target}', which is scored; a "
            "condition can only name an unscored profile question (scored: false), so "
            "that a better answer never hides or reveals other questions",
        )
        return
    values = condition.get("in")
    for index, value in enumerate(values if isinstance(values, list) else []):
        if value not in choice_ids:
            yield Problem(
                line_of(values, index),
                (*path, "show_if", "in", index),
                who,
                f"show_if: '{value}' is not a choice of question '{target}'",
            )
