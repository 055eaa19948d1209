"""The audit log: who changed what, when. Written in the same transaction as the change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.models import AuditEvent, User


def record(session: Session, actor: User | None, action: str, target: str, **details) -> None:
    """Add an audit event to the session; the caller's commit writes it with the change."""
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

    action: str = ""  # events whose action starts with this
    actor: str = ""  # events whose actor's e-mail contains this
    since: datetime | None = None
    until: datetime | None = None


def _query(where: AuditFilter):
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if where.action:
        query = query.where(AuditEvent.action.startswith(where.action, autoescape=True))
    if where.actor:
        query = query.where(AuditEvent.actor_email.contains(where.actor.lower(), autoescape=True))
    if where.since:
        query = query.where(AuditEvent.at >= where.since)
    if where.until:
        query = query.where(AuditEvent.at < where.until + timedelta(days=1))
    return query


def search(session: Session, where: AuditFilter, limit: int | None = None) -> list[AuditEvent]:
    """The matching events, newest first: one query (actors are stored by e-mail)."""
    query = _query(where)
    return list(session.scalars(query.limit(limit) if limit else query))


def actions(session: Session) -> list[str]:
    """Every action name in the log, for the filter's list."""
    return sorted(session.scalars(select(AuditEvent.action).distinct()))
