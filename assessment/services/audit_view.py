"""Audit events in words, for the log page and its CSV: names instead of ids and codes.

The log stores what happened as data (ids, ISO country codes, field names), which stays true
when an organisation is renamed; the page shows it as a person reads it: "organisation: Port of
Aldport", "country: Netherlands → Belgium", a question's text before and after. Ids are looked
up with one query per kind for the whole page, never one per event. The words are the viewer's
language (the page's and the CSV's, as other downloads); what the log stored as text, such as
a draft edit's ``what`` and its field paths, stays as it was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.i18n import LANGUAGES, format_locale
from assessment.models import (
    ORGANISATION_KIND_LABELS,
    Assessment,
    AuditEvent,
    Organisation,
    Role,
    User,
)

from .organisations import country_names_in

# What the page calls each key of an event's details. Lazy: this module is imported before any
# request has chosen a language. A key missing here is shown as stored, "_" read as a space.
LABELS = {
    "organisation_id": _l("organisation"),
    "name": _l("name"),
    "kind": _l("type"),
    "country": _l("country"),
    "language": _l("language"),
    "require_mfa": _l("multi-factor authentication required"),
    "email": _l("e-mail"),
    "display_name": _l("name"),
    "role": _l("role"),
    "must_change_password": _l("must change the password"),
    "by_self": _l("by the user themselves"),
    "left": _l("recovery codes left"),
    "share": _l("shares with the sector"),
    "title": _l("title"),
    "question_set": _l("question set"),
    "based_on": _l("based on"),
    "copied_answers": _l("answers copied"),
    "to": _l("moved to"),
    "carried": _l("answers carried over"),
    "kept_removed": _l("answers kept from removed questions"),
    "asked_again": _l("questions asked again"),
    "to_recheck": _l("answers to re-check"),
    "questions": _l("questions"),
    "texts": _l("texts changed"),
    "confirmed": _l("confirmed: no longer machine-drafted"),
    "machine_drafted": _l("machine-drafted"),
    "what": _l("what"),
    "file": _l("file"),
}
ROLES = {
    Role.ADMIN: _l("Administrator"),
    Role.OFFICER: _l("Officer"),
    Role.ANALYST: _l("Sector analyst"),
}
SYSTEM_ACTOR = "system"  # the actor_email of an event nobody made (audit.record)
CHUNK = 1000  # ids per query: well below every database's limit on bound parameters
TARGET = re.compile(r"^(organisation|user|assessment) (\d+)$")


@dataclass(frozen=True)
class AuditLine:
    event: AuditEvent
    target: str
    details: tuple[tuple[str, str], ...]  # (label, text), in the order recorded

    @property
    def actor(self) -> str:
        """Who did it: their e-mail address, or "system" (as audit.record stores an event
        nobody made) in the viewer's language."""
        if self.event.actor_id is None and self.event.actor_email == SYSTEM_ACTOR:
            return _("system")
        return self.event.actor_email

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


class _Words:
    """Our words in the current language, looked up once for all the events read (a CSV of the
    whole log has thousands), not once per detail."""

    def __init__(self) -> None:
        self.labels = {key: str(label) for key, label in LABELS.items()}
        self.none = _("(none)")
        self.flags = {True: _("yes"), False: _("no")}
        self.roles = {role: str(label) for role, label in ROLES.items()}
        self.kinds = {kind: str(label) for kind, label in ORGANISATION_KIND_LABELS.items()}
        self.countries = country_names_in(format_locale())

    def label(self, key: str) -> str:
        return self.labels.get(key) or key.replace("_", " ")


def _text(key: str, value: Any, names: _Names, words: _Words) -> str:
    if value is None or value == "":
        return words.none
    if key == "country":
        return words.countries.get(value, value)
    if key == "kind":
        return words.kinds.get(value, value)
    if key == "role":
        return words.roles.get(value, value)
    if key == "language" and isinstance(value, str):
        return LANGUAGES.get(value, value)  # each language in its own name, as the menus
    if key == "organisation_id":
        return names.organisation.get(value, f"#{value}") if value else words.none
    if key == "based_on":
        title = names.assessment.get(value)
        return _("“%(label)s”", label=title) if title else _("assessment %(id)s", id=value)
    if isinstance(value, bool):
        return words.flags[value]
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _change(before: str, after: str) -> str:
    return f"{before} → {after}"


# The last row of a long draft edit's changes (services/draft_log.py): how many were left out.
MORE_CHANGES = re.compile(r"^and (\d+) more changes$")


def _field_rows(rows: list, words: _Words) -> list[tuple[str, str]]:
    """A draft edit's ``[[field, before, after], ...]``: the fields are the draft's paths
    ("choice 'yes' label") and the values its texts, so both stay as stored."""
    lines = []
    for row in rows:
        field, before, after = (list(row) + ["", "", ""])[:3]
        more = MORE_CHANGES.match(str(after)) if field == "…" and not before else None
        if more:
            left_out = int(more.group(1))
            text = ngettext("and %(num)d more change", "and %(num)d more changes", left_out)
            lines.append(("…", text))
        else:
            lines.append((str(field), _change(str(before or words.none), str(after or words.none))))
    return lines


def _details(details: dict | None, names: _Names, words: _Words) -> list[tuple[str, str]]:
    lines = []
    for key, value in (details or {}).items():
        if key == "changes" and isinstance(value, dict):  # {field: [before, after]}
            for field, pair in value.items():
                before, after = pair if isinstance(pair, list) and len(pair) == 2 else ("", pair)
                text = _change(
                    _text(field, before, names, words), _text(field, after, names, words)
                )
                lines.append((words.label(field), text))
        elif key == "changes" and isinstance(value, list):  # [[field, before, after], ...]
            lines += _field_rows(value, words)
        else:
            lines.append((words.label(key), _text(key, value, names, words)))
    return lines


# A question set's version, as question_set.import and question_set.translation name it.
VERSION_TARGET = re.compile(r"^(\S+) version (\d+)$")


def _target(target: str, names: _Names) -> str:
    version = VERSION_TARGET.match(target or "")
    if version:
        return _("%(set)s version %(version)s", set=version.group(1), version=version.group(2))
    found = TARGET.match(target or "")
    if not found:
        return target
    kind, number = found.group(1), int(found.group(2))
    name = getattr(names, kind).get(number)
    if name is None:
        return target
    if kind == "user":
        return _("user %(email)s", email=name)
    if kind == "organisation":
        return _("organisation “%(name)s”", name=name)
    return _("assessment “%(title)s”", title=name)


def readable(session: Session, events: list[AuditEvent]) -> list[AuditLine]:
    """The events with their target and details in words of the current language (three
    queries for a page)."""
    names = _Names(session, events)
    words = _Words()
    return [
        AuditLine(event, _target(event.target, names), tuple(_details(event.details, names, words)))
        for event in events
    ]
