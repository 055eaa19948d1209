"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from assessment.db import Base, make_engine


# Reflection cannot read expression indexes (lower(name)); a test below checks that one.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_the_migrated_schema_matches_the_models(database_url):
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_organisation_names_are_unique_whatever_their_case(database_url):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    engine = make_engine(database_url)
    insert = text(
        "INSERT INTO organisation (name, kind, country, active, require_mfa, created_at) "
        "VALUES (:name, 'terminal', 'NL', true, false, CURRENT_TIMESTAMP)"
    )
    try:
        with engine.connect() as connection:
            connection.execute(insert, {"name": "Case Test Port"})
            with pytest.raises(IntegrityError):
                connection.execute(insert, {"name": "CASE TEST PORT"})
            connection.rollback()
    finally:
        engine.dispose()
