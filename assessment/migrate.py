"""Schema migrations with Alembic, run from code (``port-assess db upgrade``), no alembic.ini."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def revisions() -> list[str]:
    """Every migration revision in the script directory, oldest first (the newest is head)."""
    scripts = ScriptDirectory(str(MIGRATIONS_DIR))
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; safe to run on every start.

    On SQLite, a migration that changes a table beyond adding a column copies it into a new
    table and drops the old one (Alembic's batch mode); with foreign keys enforced, dropping a
    table other rows refer to fails, so an upgrade of a database holding data would stop there.
    Foreign keys are off during the migration (the switch works only outside a transaction)
    and every reference is checked before the migration's transaction commits."""
    config = alembic_config(engine)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, on=False)
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                if sqlite:
                    _check_references(connection)
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    # On the driver's connection, which runs it outside any transaction (db.make_engine).
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _check_references(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the migration left rows referring to missing rows: {broken[:5]}")


def autogenerate(engine: Engine, message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)
