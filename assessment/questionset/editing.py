"""Changes to a question set's data, one object at a time, for the browser editor.

Each function returns a ``change(data) -> path`` that edits plain data in place and gives the
path of the object it changed, so that problems can be shown beside its fields. They do not
validate: ``services.drafts.apply_edit`` runs the same validator as the files afterwards.
Ids of existing objects never change: other objects and stored answers refer to them.
"""

from __future__ import annotations

from collections.abc import Callable

Change = Callable[[dict], tuple]


class NotInDraft(LookupError):
    """The object to change is not in the draft (stale link or forged form)."""


def _index(items: list[dict], item_id: str) -> int:
    for index, item in enumerate(items):
        if item.get("id") == item_id:
            return index
    raise NotInDraft(item_id)


def _locate_question(data: dict, question_id: str) -> tuple[int, int]:
    for si, section in enumerate(data.get("sections") or []):
        for qi, question in enumerate(section.get("questions") or []):
            if question.get("id") == question_id:
                return si, qi
    raise NotInDraft(question_id)


def _move(items: list, index: int, offset: int) -> int:
    target = min(max(index + offset, 0), len(items) - 1)
    items.insert(target, items.pop(index))
    return target


def set_metadata(title: str, description: str | None, language: str) -> Change:
    def change(data: dict) -> tuple:
        data["title"], data["language"] = title, language
        if description:
            data["description"] = description
        else:
            data.pop("description", None)
        return ("title",)

    return change


def put_entry(kind: str, entry: dict, existing_id: str | None) -> Change:
    """Add a catalogue entry (mitigation, threat, reference, framework) or replace one."""

    def change(data: dict) -> tuple:
        items = data.setdefault(kind, [])
        if existing_id is None:
            items.append(entry)
            return (kind, len(items) - 1)
        index = _index(items, existing_id)
        items[index] = {**entry, "id": existing_id}
        return (kind, index)

    return change


def remove_entry(kind: str, entry_id: str) -> Change:
    def change(data: dict) -> tuple:
        items = data.get(kind) or []
        items.pop(_index(items, entry_id))
        return ()

    return change


def put_section(section: dict, existing_id: str | None) -> Change:
    """Add a section (no questions yet) or change one's title, description, weight, show_if."""

    def change(data: dict) -> tuple:
        sections = data.setdefault("sections", [])
        if existing_id is None:
            sections.append({**section, "questions": []})
            return ("sections", len(sections) - 1)
        index = _index(sections, existing_id)
        sections[index] = {
            **section,
            "id": existing_id,
            "questions": sections[index].get("questions", []),
        }
        return ("sections", index)

    return change


def move_section(section_id: str, offset: int) -> Change:
    def change(data: dict) -> tuple:
        sections = data.get("sections") or []
        return ("sections", _move(sections, _index(sections, section_id), offset))

    return change


def remove_section(section_id: str) -> Change:
    def change(data: dict) -> tuple:
        sections = data.get("sections") or []
        sections.pop(_index(sections, section_id))
        return ()

    return change


def put_question(section_id: str, question: dict, existing_id: str | None) -> Change:
    """Add a question at the end of a section, or replace one where it stands."""

    def change(data: dict) -> tuple:
        if existing_id is None:
            sections = data.get("sections") or []
            si = _index(sections, section_id)
            questions = sections[si].setdefault("questions", [])
            questions.append(question)
            return ("sections", si, "questions", len(questions) - 1)
        si, qi = _locate_question(data, existing_id)
        data["sections"][si]["questions"][qi] = {**question, "id": existing_id}
        return ("sections", si, "questions", qi)

    return change


def move_question(question_id: str, offset: int) -> Change:
    def change(data: dict) -> tuple:
        si, qi = _locate_question(data, question_id)
        questions = data["sections"][si]["questions"]
        return ("sections", si, "questions", _move(questions, qi, offset))

    return change


def remove_question(question_id: str) -> Change:
    def change(data: dict) -> tuple:
        si, qi = _locate_question(data, question_id)
        data["sections"][si]["questions"].pop(qi)
        return ()

    return change


def find_question(data: dict, question_id: str) -> tuple[dict, dict]:
    """(section, question) of a question id in plain data."""
    si, qi = _locate_question(data, question_id)
    section = data["sections"][si]
    return section, section["questions"][qi]


def find_entry(data: dict, kind: str, entry_id: str) -> dict:
    items = data.get(kind) or []
    return items[_index(items, entry_id)]
