"""a language for users, organisations and assessments; a password an administrator set must
be changed at the next login

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 09:00:00

The languages are nullable: empty means "follow" (a user follows the organisation's default,
then the browser; an assessment follows its question set). ``must_change_password`` defaults
to false so that existing accounts are not locked into a change they were never told about.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (SQLite has it): a batch copy of ``organisation`` would lose its
    # expression index on lower(name).
    op.add_column("user_account", sa.Column("language", sa.String(length=10), nullable=True))
    op.add_column(
        "user_account",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("organisation", sa.Column("language", sa.String(length=10), nullable=True))
    op.add_column("assessment", sa.Column("language", sa.String(length=10), nullable=True))


def downgrade() -> None:
    op.drop_column("assessment", "language")
    op.drop_column("organisation", "language")
    op.drop_column("user_account", "must_change_password")
    op.drop_column("user_account", "language")
