"""The database: one engine and session factory per app, kept in ``app.extensions``.

Plain SQLAlchemy 2.0 rather than Flask-SQLAlchemy, so that services, the CLI and tests use the
same ``Session`` API with or without Flask. Models never commit; services own the transactions.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, g
from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

T = TypeVar("T")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# How long a SQLite writer waits for another writer's lock before giving up (seconds).
SQLITE_BUSY_TIMEOUT = 15
IMMEDIATE = "port_assess_immediate"


def make_engine(url: str, *, durable: bool = True) -> Engine:
    """An engine; on SQLite, made to enforce foreign keys as PostgreSQL does, and to take the
    write lock at the start of a write transaction (see ``begin_write``). ``durable=False``
    (tests only) lets SQLite skip waiting for the disk at each commit: transactions, locks and
    constraints behave the same, only a power cut could lose the last ones."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            # The driver's own transaction handling starts transactions late and never as
            # IMMEDIATE; we emit BEGIN ourselves (SQLAlchemy's documented pysqlite recipe).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            if not durable:
                cursor.execute("PRAGMA synchronous=OFF")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            immediate = connection.get_execution_options().get(IMMEDIATE)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


def begin_write(session: Session) -> None:
    """Start the transaction in which a service reads what it decides on and writes.

    On SQLite, BEGIN IMMEDIATE takes the database's write lock before the first read, so a
    second writer waits (up to the busy timeout) instead of reading the same state and both
    writing; a deferred transaction would instead fail with "database is locked" when it tries
    to write after another writer committed. On PostgreSQL (read committed) the services make
    each write conditional (``WHERE revision = :seen``, unique constraints, ``revision =
    revision + 1``), so a write based on an outdated read changes no row and is refused.

    Whatever the request read before is committed first (with ``expire_on_commit=False`` its
    objects stay usable); the service must not trust those objects' values for its decision.
    """
    if session.in_transaction():
        session.commit()
    session.connection(execution_options={IMMEDIATE: True})


def writes(service: Callable[..., T]) -> Callable[..., T]:
    """Mark a service function (``session`` first) as one write transaction: it begins with
    ``begin_write`` and the function commits or rolls back."""

    @functools.wraps(service)
    def wrapper(session: Session, *args, **kwargs) -> T:
        begin_write(session)
        return service(session, *args, **kwargs)

    return wrapper


def flush_unique(session: Session, error: Exception) -> None:
    """Flush; if a unique constraint refuses the rows (another request created the same e-mail,
    name or version number since we checked), roll back and raise ``error`` instead. The check
    before is for a friendly message; this is what makes it true under concurrency."""
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise error from None


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"], durable=app.config["DATABASE_DURABLE"])
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def current_engine() -> Engine:
    """The engine of the app serving this request or command (for code shared by several
    apps in one process, such as the rate-limit storage, which Flask-Limiter keeps once)."""
    return current_app.extensions["db_engine"]


def get_session() -> Session:
    """The request's session, created on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    return g.db_session


# The database is restarting or unreachable (or every connection is busy): a 503, not a 500.
UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)


def rollback_request_session() -> None:
    """Roll back the request's transaction after an error, so the error page (which may read
    the user) does not read from a failed transaction."""
    session = g.get("db_session")
    if session is not None:
        session.rollback()


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
