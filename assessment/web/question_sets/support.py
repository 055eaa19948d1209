"""Small helpers shared by the editor's views."""

from __future__ import annotations

from flask_babel import gettext as _
from wtforms import SelectChoice

from assessment.questionset import QUESTION_TYPES
from assessment.questionset.crossref import Problem


def condition_choices(
    data: dict, *, before_section: str | None = None, before_question: str | None = None
) -> list[SelectChoice]:
    """The profile questions a condition may name: unscored choice questions asked earlier."""
    choices = [SelectChoice("", _("(always shown)"))]
    for section in data.get("sections") or []:
        if before_section is not None and section.get("id") == before_section:
            break
        for question in section.get("questions") or []:
            if before_question is not None and question.get("id") == before_question:
                return choices
            kind = QUESTION_TYPES.get(question.get("type"))
            if question.get("scored", True) is False and kind and kind.can_drive_conditions:
                ids = ", ".join(c.get("id", "") for c in question.get("choices") or [])
                choices.append(
                    SelectChoice(
                        question["id"], f"{question['id']}: {question.get('text', '')[:70]} ({ids})"
                    )
                )
    return choices


def show_if_data(form) -> dict:
    if not form.show_if_question.data:
        return {}
    ids = [i.strip() for i in (form.show_if_in.data or "").split(",") if i.strip()]
    return {"show_if": {"question": form.show_if_question.data, "in": ids}}


def object_path(path: tuple) -> tuple:
    """The path of the object a problem is about: ``("sections", 2)``, ``("sections", 2,
    "questions", 0)``, ``("threats", 4)``, or ``()`` for the set itself."""
    if len(path) >= 4 and path[0] == "sections" and path[2] == "questions":
        return tuple(path[:4])
    if len(path) >= 2 and isinstance(path[1], int):
        return tuple(path[:2])
    return ()


def problems_by_object(problems: list[Problem]) -> dict[tuple, list[str]]:
    """Problems grouped by the path of the object they are about, for the overview: keyed by
    position, not by a name built from text, so every kind of object finds its own."""
    grouped: dict[tuple, list[str]] = {}
    for found in problems:
        grouped.setdefault(object_path(found.path), []).append(found.detail)
    return grouped
