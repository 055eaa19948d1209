"""What a load balancer asks: can this app server work right now?"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def database_answers(session: Session) -> bool:
    """One trivial query; an unreachable database raises (the caller answers 503)."""
    return session.execute(text("SELECT 1")).scalar() == 1
