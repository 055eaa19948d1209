"""Small helpers shared by the editor's views."""

from __future__ import annotations

from wtforms import SelectChoice

from assessment.questionset.crossref import Found


def condition_choices(
    data: dict, *, before_section: str | None = None, before_question: str | None = None
) -> list[SelectChoice]:
    """The profile questions a condition may name: unscored choice questions asked earlier."""
    choices = [SelectChoice("", "(always shown)")]
    for section in data.get("sections") or []:
        if before_section is not None and section.get("id") == before_section:
            break
        for question in section.get("questions") or []:
            if before_question is not None and question.get("id") == before_question:
                return choices
            if question.get("scored", True) is False and question.get("type") in {
                "single_choice",
                "multiple_choice",
            }:
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


def problems_by_object(problems: list[Found]) -> dict[str, list[str]]:
    """Problems grouped by the object they are about ("question 'q1'"), for the overview."""
    grouped: dict[str, list[str]] = {}
    for found in problems:
        grouped.setdefault(found.who or "the set", []).append(found.detail)
    return grouped
