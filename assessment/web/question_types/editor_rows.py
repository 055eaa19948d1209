"""What the editor's type fields share: numbers typed in text fields, and rows of choices,
levels or thresholds (empty rows are skipped; ``rows`` remembers which form row each data item
came from, so a problem at ``choices[1].score`` lands on the right row)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

EXTRA_ROWS = 3


class BadNumber(ValueError):
    pass


def parse_number(text: str | None, *, whole: bool = False) -> float | int | None:
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise BadNumber(_("Enter a number.")) from None
    if whole:
        if not value.is_integer():
            raise BadNumber(_("Enter a whole number."))
        return int(value)
    return value


def field_number(wt_field, *, whole: bool = False):
    """The number in a form field; a bad one is put beside the field and raised."""
    try:
        return parse_number(wt_field.data, whole=whole)
    except BadNumber as exc:
        wt_field.errors = [*wt_field.errors, str(exc)]
        raise


def read_choices(form, *, flags: bool) -> tuple[list[dict], list[int]]:
    choices, rows = [], []
    for index, entry in enumerate(form.choices.entries):
        row = entry.form
        if not (row.id.data or "").strip():
            continue
        choice: dict[str, Any] = {"id": row.id.data.strip(), "label": (row.label.data or "")}
        if row.description.data:
            choice["description"] = row.description.data
        if flags and row.flag.data:
            choice[row.flag.data] = True
        else:
            score = field_number(row.score)
            if score is not None:
                choice["score"] = score
        choices.append(choice)
        rows.append(index)
    return choices, rows


def read_flags(form) -> dict:
    """Only the flags that are on: off is the default, and files stay tidy."""
    return {name: True for name in ("dont_know", "not_applicable") if form[name].data}


def fill_rows(field_list, items: list[dict], keys: tuple[str, ...]) -> None:
    while len(field_list.entries) < len(items) + EXTRA_ROWS:
        field_list.append_entry()
    for entry, item in zip(field_list.entries, items, strict=False):
        for key in keys:
            value = item.get(key)
            entry.form[key].data = (
                "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
            )


def fill_choices(form, question: dict) -> None:
    choices = question.get("choices") or []
    fill_rows(form.choices, choices, ("id", "label", "description", "score"))
    for entry, choice in zip(form.choices.entries, choices, strict=False):
        entry.form.flag.data = (
            "dont_know"
            if choice.get("dont_know")
            else ("not_applicable" if choice.get("not_applicable") else "")
        )


def fill_flags(form, question: dict) -> None:
    form.dont_know.data = question.get("dont_know", False)
    form.not_applicable.data = question.get("not_applicable", False)
