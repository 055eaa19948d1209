"""The audit log: who changed what, when. Written in the same transaction as the change."""

from __future__ import annotations

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
