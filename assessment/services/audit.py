"""The audit log: who changed what, when. Written in the same transaction as the change.

The actions the app records are listed once, here, with the words the log page shows for
them. The page's filter is built from this list, not from the log (a ``SELECT DISTINCT`` over
every event reads the whole table, which only grows), so ``record`` refuses an action missing
from it: an event the filter could not offer would be recorded and never found that way.
``tests/web/test_audit_actions.py`` also reads the code for every action it records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.models import AuditEvent, User


@dataclass(frozen=True)
class ActionGroup:
    """Actions about one kind of thing: an ``<optgroup>`` of the filter, whose first choice,
    ``every``, is all of them (filtered by ``prefix``)."""

    prefix: str
    label: LazyString
    every: LazyString
    actions: dict[str, LazyString]  # action: what the page calls it


# In the order of the filter's list. Labels are lazy: this module is imported before any
# request has chosen a language.
ACTION_GROUPS = (
    ActionGroup(
        "organisation.",
        _l("Organisations"),
        _l("Every organisation event"),
        {
            "organisation.create": _l("Organisation created"),
            "organisation.update": _l("Organisation changed"),
            "organisation.activate": _l("Organisation activated"),
            "organisation.deactivate": _l("Organisation deactivated"),
            "organisation.sector_sharing_on": _l("Sector sharing switched on"),
            "organisation.sector_sharing_off": _l("Sector sharing switched off"),
        },
    ),
    ActionGroup(
        "user.",
        _l("Accounts"),
        _l("Every account event"),
        {
            "user.create": _l("Account created"),
            "user.update": _l("Account changed"),
            "user.activate": _l("Account activated"),
            "user.deactivate": _l("Account deactivated"),
            "user.password": _l("Password set"),
            "user.mfa_enable": _l("Multi-factor authentication turned on"),
            "user.mfa_disable": _l("Multi-factor authentication turned off"),
            "user.mfa_reset": _l("Multi-factor authentication reset by an administrator"),
            "user.mfa_recovery_code": _l("Recovery code used"),
            "user.mfa_recovery_codes": _l("New recovery codes made"),
        },
    ),
    ActionGroup(
        "assessment.",
        _l("Assessments"),
        _l("Every assessment event"),
        {
            "assessment.start": _l("Assessment started"),
            "assessment.complete": _l("Assessment completed"),
            "assessment.reopen": _l("Assessment reopened"),
            "assessment.move": _l("Assessment moved to a newer question-set version"),
            "assessment.language": _l("Assessment language changed"),
        },
    ),
    ActionGroup(
        "question_set.",
        _l("Question sets"),
        _l("Every question-set event"),
        {
            "question_set.import": _l("Question set imported"),
            "question_set.translation": _l("Translation stored"),
            "question_set.draft": _l("Draft made"),
            "question_set.edit": _l("Draft edited"),
            "question_set.draft_delete": _l("Draft deleted"),
            "question_set.publish": _l("Version published"),
            "question_set.retire": _l("Version retired"),
            "question_set.reinstate": _l("Version reinstated"),
        },
    ),
)
ACTIONS = {action: label for group in ACTION_GROUPS for action, label in group.actions.items()}


class UnknownAction(ValueError):
    """An action missing from ACTIONS: a programming error, found by the tests."""


def record(session: Session, actor: User | None, action: str, target: str, **details) -> None:
    """Add an audit event to the session; the caller's commit writes it with the change."""
    if action not in ACTIONS:
        raise UnknownAction(f"{action!r} is not in assessment.services.audit.ACTIONS: add it there")
    session.add(
        AuditEvent(
            actor_id=actor.id if actor else None,
            actor_email=actor.email if actor else "system",
            action=action,
            target=target[:200],
            details={k: v for k, v in details.items() if v is not None},
        )
    )


@dataclass(frozen=True)
class AuditFilter:
    """What the log page filters on; empty means no filter. ``until`` is inclusive."""

    # One action of ACTIONS exactly; anything else (a group's prefix, "user.") by its start.
    action: str = ""
    actor: str = ""  # events whose actor's e-mail contains this
    since: datetime | None = None
    until: datetime | None = None
    # Only events older than this one (by id): the log page's "older events" link. A page is
    # then read on the primary key, newest first, and never counts the log, which only grows.
    before: int | None = None


def _query(where: AuditFilter):
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if where.action in ACTIONS:
        # Exactly: "user.mfa_recovery_code" is the start of "user.mfa_recovery_codes" too.
        query = query.where(AuditEvent.action == where.action)
    elif where.action:
        query = query.where(AuditEvent.action.startswith(where.action, autoescape=True))
    if where.actor:
        query = query.where(AuditEvent.actor_email.contains(where.actor.lower(), autoescape=True))
    if where.since:
        query = query.where(AuditEvent.at >= where.since)
    if where.until:
        query = query.where(AuditEvent.at < where.until + timedelta(days=1))
    if where.before is not None:
        query = query.where(AuditEvent.id < where.before)
    return query


def search(session: Session, where: AuditFilter, limit: int | None = None) -> list[AuditEvent]:
    """The matching events, newest first: one query (actors are stored by e-mail)."""
    query = _query(where)
    return list(session.scalars(query.limit(limit) if limit else query))
