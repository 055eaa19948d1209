"""Alembic environment: the connection or URL comes from ``assessment.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from assessment import models  # noqa: F401 - registers the tables on Base.metadata
from assessment.db import Base

config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
