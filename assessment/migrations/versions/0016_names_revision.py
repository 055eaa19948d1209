"""a names revision on every organisation, raised when anyone's display name changes

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 16:00:00

A section page keeps its questions' HTML per state of the assessment (its revision); the names
of whoever last changed each answer are inside that HTML but change without a save. Every
organisation's ``names_revision`` is raised in the same transaction as a rename, so a page's
key names it and a renamed colleague shows at once, through whichever worker.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (SQLite has it): a batch copy of ``organisation`` would lose its
    # expression index on lower(name).
    op.add_column(
        "organisation",
        sa.Column("names_revision", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_column("organisation", "names_revision")
