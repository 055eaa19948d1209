"""Audit events in words, for the log page and its CSV: names instead of ids and codes.

The log stores what happened as data (ids, ISO country codes, field names), which stays true
when an organisation is renamed; the page shows it as a person reads it: "organisation: Port of
Aldport", "country: Netherlands → Belgium", a question's text before and after. Ids are looked
up with one query per kind for the whole page, never one per event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.models import ORGANISATION_KIND_LABELS, Assessment, AuditEvent, Organisation, User

from .organisations import country_name

LABELS = {
    "organisation_id": "organisation",
    "kind": "type",
    "require_mfa": "multi-factor authentication required",
    "display_name": "name",
    "question_set": "question set",
    "based_on": "based on",
    "copied_answers": "answers copied",
    "kept_removed": "answers kept from removed questions",
    "asked_again": "questions asked again",
    "to_recheck": "answers to re-check",
    "by_self": "by the user themselves",
    "left": "recovery codes left",
    "what": "what",
    "file": "file",
}
CHUNK = 1000  # ids per query: well below every database's limit on bound parameters
TARGET = re.compile(r"^(organisation|user|assessment) (\d+)$")


@dataclass(frozen=True)
class AuditLine:
    event: AuditEvent
    target: str
    details: tuple[tuple[str, str], ...]  # (label, text), in the order recorded

    @property
    def details_text(self) -> str:
        return "; ".join(f"{label}: {text}" for label, text in self.details)


class _Names:
    """Names of the organisations, users and assessments that a page of events mentions."""

    def __init__(self, session: Session, events: list[AuditEvent]):
        wanted: dict[str, set[int]] = {"organisation": set(), "user": set(), "assessment": set()}
        for event in events:
            found = TARGET.match(event.target or "")
            if found:
                wanted[found.group(1)].add(int(found.group(2)))
            for key, value in _pairs(event.details):
                if key == "organisation_id":
                    wanted["organisation"].update(v for v in _values(value) if isinstance(v, int))
                elif key == "based_on" and isinstance(value, int):
                    wanted["assessment"].add(value)
        self.organisation = self._lookup(session, Organisation.id, Organisation.name, wanted)
        self.user = self._lookup(session, User.id, User.email, wanted)
        self.assessment = self._lookup(session, Assessment.id, Assessment.title, wanted)

    @staticmethod
    def _lookup(session: Session, id_column, name_column, wanted) -> dict[int, str]:
        ids = sorted(wanted[id_column.class_.__name__.lower()])
        found: dict[int, str] = {}
        # One query per kind even when a page names none: a page's query count never depends
        # on what its rows happen to mention (the CSV of a long log names many, in chunks).
        for start in range(0, max(len(ids), 1), CHUNK):
            chunk = ids[start : start + CHUNK]
            found.update(
                session.execute(select(id_column, name_column).where(id_column.in_(chunk))).all()
            )
        return found


def _values(value: Any) -> list:
    return list(value) if isinstance(value, list) else [value]


def _pairs(details: dict | None) -> list[tuple[str, Any]]:
    """Every (key, value) of the details, with a ``changes`` mapping's keys included."""
    pairs = list((details or {}).items())
    changes = (details or {}).get("changes")
    if isinstance(changes, dict):
        pairs += list(changes.items())
    return pairs


def _text(key: str, value: Any, names: _Names) -> str:
    if value is None or value == "":
        return "(none)"
    if key == "country":
        return country_name(value)
    if key == "kind":
        return ORGANISATION_KIND_LABELS.get(value, value)
    if key == "organisation_id":
        return names.organisation.get(value, f"#{value}") if value else "(none)"
    if key == "based_on":
        title = names.assessment.get(value)
        return f"“{title}”" if title else f"assessment {value}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _details(details: dict | None, names: _Names) -> list[tuple[str, str]]:
    lines = []
    for key, value in (details or {}).items():
        if key == "changes" and isinstance(value, dict):  # {field: [before, after]}
            for field, pair in value.items():
                before, after = pair if isinstance(pair, list) and len(pair) == 2 else ("", pair)
                lines.append(
                    (
                        LABELS.get(field, field.replace("_", " ")),
                        f"{_text(field, before, names)} → {_text(field, after, names)}",
                    )
                )
        elif key == "changes" and isinstance(value, list):  # [[field, before, after], ...]
            for row in value:
                field, before, after = (list(row) + ["", "", ""])[:3]
                lines.append((str(field), f"{before or '(none)'} → {after or '(none)'}"))
        else:
            lines.append((LABELS.get(key, key.replace("_", " ")), _text(key, value, names)))
    return lines


def _target(target: str, names: _Names) -> str:
    found = TARGET.match(target or "")
    if not found:
        return target
    kind, number = found.group(1), int(found.group(2))
    name = getattr(names, kind).get(number)
    if name is None:
        return target
    return f"{kind} {name}" if kind == "user" else f"{kind} “{name}”"


def readable(session: Session, events: list[AuditEvent]) -> list[AuditLine]:
    """The events with their target and details in words (three queries for a page)."""
    names = _Names(session, events)
    return [
        AuditLine(event, _target(event.target, names), tuple(_details(event.details, names)))
        for event in events
    ]
