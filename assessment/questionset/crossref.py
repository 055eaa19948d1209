"""Checks that span objects of a question set: duplicate ids, dangling ids, ``show_if`` order.

They run on the raw tree (LineDict/LineList from yaml_io, or plain dicts), defensively, so
that they find problems even where pydantic found some objects malformed. Each problem carries
its path in the tree, so the editor can show it beside the field it concerns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .base import Phrase, about
from .types import QUESTION_TYPES


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in a question set: where (file, line, and the path in the data, for the
    browser editor) and what (who it is about, and the detail). Two problems are the same when
    their line, who and detail are.

    The texts are Phrases: English as strings (``str(problem)`` is ``file:line: message``
    for the CLI), translatable by the web layer. Plain strings (a YAML reader's message) are
    shown as they are."""

    line: int
    path: tuple = field(compare=False)
    who: str  # e.g. "question 'q1'", or "" for the set itself
    detail: str  # what is wrong, with the path inside the object: "choices[0].score: ..."
    bare: str = field(default="", compare=False)  # what is wrong alone (beside the field)
    file: str = "<input>"

    @property
    def message(self) -> str:
        return about(self.who, self.detail) if self.who else self.detail

    @property
    def plain(self) -> str:
        return self.bare or self.detail

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


# Who a problem is about, by the key of the list it is in: "question 'q1'".
KINDS: dict[str, Callable[[object], Phrase]] = {
    "sections": lambda item_id: Phrase("section '%(id)s'", id=item_id),
    "questions": lambda item_id: Phrase("question '%(id)s'", id=item_id),
    "mitigations": lambda item_id: Phrase("mitigation '%(id)s'", id=item_id),
    "threats": lambda item_id: Phrase("threat '%(id)s'", id=item_id),
    "references": lambda item_id: Phrase("reference '%(id)s'", id=item_id),
    "frameworks": lambda item_id: Phrase("framework '%(id)s'", id=item_id),
}

# One sentence per kind rather than a noun put into one sentence: the words around the noun
# agree with it in other languages.
DUPLICATES: dict[str, Callable[[object, int], Phrase]] = {
    "sections": lambda item_id, line: Phrase(
        "duplicate section id '%(id)s' (first at line %(line)s)", id=item_id, line=line
    ),
    "questions": lambda item_id, line: Phrase(
        "duplicate question id '%(id)s' (first at line %(line)s)", id=item_id, line=line
    ),
    "mitigations": lambda item_id, line: Phrase(
        "duplicate mitigation id '%(id)s' (first at line %(line)s)", id=item_id, line=line
    ),
    "threats": lambda item_id, line: Phrase(
        "duplicate threat id '%(id)s' (first at line %(line)s)", id=item_id, line=line
    ),
    "references": lambda item_id, line: Phrase(
        "duplicate reference id '%(id)s' (first at line %(line)s)", id=item_id, line=line
    ),
    "frameworks": lambda item_id, line: Phrase(
        "duplicate framework id '%(id)s' (first at line %(line)s)", id=item_id, line=line
    ),
}


def not_in(kind: str, item_id: object) -> Phrase:
    """Says "mitigation 'm1' is not in mitigations"; ``kind`` is the list's key in the file."""
    return Phrase("%(item)s is not in %(list)s", item=KINDS[kind](item_id), list=kind)


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
    """``kind`` is the key of the items' list: "sections"."""
    seen: dict[str, int] = {}
    for index, item in items:
        item_id = item.get("id")
        if not isinstance(item_id, str):
            continue
        line = line_of(item)
        if item_id in seen:
            yield Problem(
                line, (*path_of(index), "id"), "", DUPLICATES[kind](item_id, seen[item_id])
            )
        else:
            seen[item_id] = line


def cross_reference_problems(raw: dict) -> list[Problem]:
    found: list[Problem] = []
    catalogues: dict[str, set[str]] = {}
    for key in ("frameworks", "references", "threats", "mitigations"):
        items = dicts(raw.get(key))
        found.extend(_duplicates(items, key, lambda i, key=key: (key, i)))
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
                        KINDS["references"](ref_id),
                        not_in("frameworks", framework),
                    )
                )
    scales = raw.get("scales") if isinstance(raw.get("scales"), dict) else {}
    sections = dicts(raw.get("sections"))
    found.extend(_duplicates(sections, "sections", lambda i: ("sections", i)))
    questions = [(si, qi, q) for si, s in sections for qi, q in dicts(s.get("questions"))]
    found.extend(
        _duplicates(
            [(n, q) for n, (_, _, q) in enumerate(questions)],
            "questions",
            lambda n: ("sections", questions[n][0], "questions", questions[n][1]),
        )
    )
    all_ids = {q["id"] for _, _, q in questions if isinstance(q.get("id"), str)}
    earlier: dict[str, dict] = {}
    for si, section in sections:
        found.extend(
            _condition_problems(section, ("sections", si), "sections", earlier, all_ids, scales)
        )
        for qi, question in dicts(section.get("questions")):
            path = ("sections", si, "questions", qi)
            found.extend(_condition_problems(question, path, "questions", earlier, all_ids, scales))
            found.extend(_dangling(question, path, catalogues, scales))
            if isinstance(question.get("id"), str):
                earlier.setdefault(question["id"], question)
    return found


def _dangling(question: dict, path: tuple, catalogues: dict, scales: dict) -> Iterator[Problem]:
    who = KINDS["questions"](question.get("id"))
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
                    not_in(key, item_id),
                )
    scale = question.get("scale")
    if not isinstance(scale, str):
        return
    where = (line_of(question, "scale"), (*path, "scale"), who)
    if scale not in scales:
        yield Problem(*where, Phrase("scale '%(scale)s' is not in scales", scale=scale))
        return
    scale_scored = any(c.get("score") is not None for _, c in dicts(scales[scale]))
    if question.get("scored", True) is False and scale_scored:
        yield Problem(
            *where,
            Phrase(
                "scale '%(scale)s' has scores, and an unscored question's choices take none; "
                "use a scale without scores",
                scale=scale,
            ),
        )
    elif question.get("scored", True) is not False and not scale_scored:
        yield Problem(
            *where,
            Phrase(
                "scale '%(scale)s' has no scores, and a scored question needs them; give the "
                "scale's choices scores or make the question scored: false",
                scale=scale,
            ),
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
    """A ``show_if`` of a section or question (``kind``: "sections" or "questions")."""
    condition = item.get("show_if")
    if not isinstance(condition, dict) or not isinstance(condition.get("question"), str):
        return
    target = condition["question"]
    who = KINDS[kind](item.get("id"))
    line = line_of(condition, "question")
    here = (*path, "show_if", "question")
    if target not in earlier:
        if target in all_ids:
            yield Problem(
                line,
                here,
                who,
                Phrase(
                    "show_if names question '%(question)s', which is not asked before it; a "
                    "condition can only look back at earlier questions",
                    question=target,
                ),
            )
        else:
            yield Problem(
                line,
                here,
                who,
                Phrase("show_if names unknown question '%(question)s'", question=target),
            )
        return
    choice_ids = _choice_ids(earlier[target], scales)
    if choice_ids is None:
        yield Problem(
            line,
            here,
            who,
            Phrase(
                "show_if names question '%(question)s', which is not a choice question",
                question=target,
            ),
        )
        return
    if earlier[target].get("scored", True) is not False:
        yield Problem(
            line,
            here,
            who,
            Phrase(
                "show_if names question '%(question)s', which is scored; a condition can only "
                "name an unscored profile question (scored: false), so that a better answer "
                "never hides or reveals other questions",
                question=target,
            ),
        )
        return
    values = condition.get("in")
    for index, value in enumerate(values if isinstance(values, list) else []):
        if value not in choice_ids:
            yield Problem(
                line_of(values, index),
                (*path, "show_if", "in", index),
                who,
                Phrase(
                    "show_if: '%(value)s' is not a choice of question '%(question)s'",
                    value=value,
                    question=target,
                ),
            )
