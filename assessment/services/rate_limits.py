"""Rate-limit counters in the app's own database, so that every worker and server sees them.

``ASSESSMENT_RATELIMIT_STORAGE_URI=database://`` (the default) selects this storage for
Flask-Limiter and the guess counters of ``web/common/throttle.py``. Why here:

- ``memory://`` counts in each process: under ``make run``'s two gunicorn workers every limit
  was twice what the README said, and a restarted worker forgot its counts.
- Redis (``redis://host:6379``) remains the choice for a large deployment, but the embedded
  default must need no other service.
- One gunicorn process with threads would share memory, but pages that score an assessment
  are CPU-bound and would then share one interpreter lock; and a restart would still forget.
- The database is already shared by every worker and every server and survives restarts; the
  limited requests are few (a login, a password or code check, asking for a report), each one
  statement here.

Every change is a single atomic statement, so concurrent workers never lose a count and each
learns the count its own hit made: an upsert ``INSERT ... ON CONFLICT (key) DO UPDATE SET count
= count + :amount ... RETURNING count`` (SQLite 3.35+ and PostgreSQL). As in Flask-Limiter's
fixed window in memory and Redis, a counter's window starts at its first hit; the first hit
after the window ends starts the count again.
"""

from __future__ import annotations

import hashlib
import logging
import time

from limits.storage import Storage
from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from assessment import db
from assessment.models import RateLimitCounter

log = logging.getLogger(__name__)

COUNTERS = RateLimitCounter.__table__
KEY_LENGTH = 255
# Expired counters are deleted when a new window starts somewhere (rare: once per key and
# window), so the table holds about as many rows as there are live limits.
INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _stored_key(key: str) -> str:
    """Keys hold e-mail addresses; one longer than the column is stored by its hash."""
    if len(key) <= KEY_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


class DatabaseStorage(Storage):
    """A ``limits`` storage (fixed window) over the ``rate_limit_counter`` table of the app
    serving the request (``db.current_engine``: tests run several apps in one process)."""

    STORAGE_SCHEME = ["database"]

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        key, now = _stored_key(key), time.time()
        with db.current_engine().begin() as connection:
            if amount < 0:  # giving back: within the current window only, never below zero
                return (
                    connection.execute(
                        update(COUNTERS)
                        .where(
                            COUNTERS.c.key == key,
                            COUNTERS.c.expires_at > now,
                            COUNTERS.c.count >= -amount,
                        )
                        .values(count=COUNTERS.c.count + amount)
                        .returning(COUNTERS.c.count)
                    ).scalar()
                    or 0
                )
            expired = COUNTERS.c.expires_at <= now
            insert = INSERTS[connection.dialect.name](COUNTERS).values(
                key=key, count=amount, expires_at=now + expiry
            )
            count = connection.execute(
                insert.on_conflict_do_update(
                    index_elements=[COUNTERS.c.key],
                    set_={
                        "count": case((expired, amount), else_=COUNTERS.c.count + amount),
                        "expires_at": case((expired, now + expiry), else_=COUNTERS.c.expires_at),
                    },
                ).returning(COUNTERS.c.count)
            ).scalar_one()
        if count == amount:
            self._delete_expired(now)
        return count

    def get(self, key: str) -> int:
        with db.current_engine().connect() as connection:
            count = connection.execute(
                select(COUNTERS.c.count).where(
                    COUNTERS.c.key == _stored_key(key), COUNTERS.c.expires_at > time.time()
                )
            ).scalar()
        return count or 0

    def get_expiry(self, key: str) -> float:
        with db.current_engine().connect() as connection:
            expires = connection.execute(
                select(COUNTERS.c.expires_at).where(COUNTERS.c.key == _stored_key(key))
            ).scalar()
        return expires or time.time()

    def check(self) -> bool:
        try:
            with db.current_engine().connect() as connection:
                connection.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with db.current_engine().begin() as connection:
            return connection.execute(delete(COUNTERS)).rowcount

    def clear(self, key: str) -> None:
        with db.current_engine().begin() as connection:
            connection.execute(delete(COUNTERS).where(COUNTERS.c.key == _stored_key(key)))

    @staticmethod
    def _delete_expired(now: float) -> None:
        """Housekeeping, in a transaction of its own: a failure here (two workers deleting
        the same rows at once) costs nothing but a row kept a little longer."""
        try:
            with db.current_engine().begin() as connection:
                connection.execute(delete(COUNTERS).where(COUNTERS.c.expires_at <= now))
        except DBAPIError as exc:
            log.info("expired rate-limit counters not deleted this time: %s", exc)
