"""indexes for the lists that grow with the installation: every organisation's assessments by
last change (the administrator's paged list), an organisation's users (the users page's filter
and the organisations page's counts)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 09:00:00

tests/web/test_scale_indexes.py checks with EXPLAIN on PostgreSQL that the pages' queries use
an index on the tables that grow with data.
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index("ix_assessment_updated_at", ["updated_at", "id"], unique=False)
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_user_account_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_organisation_id"))
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_updated_at")
