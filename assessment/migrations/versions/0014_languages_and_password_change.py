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
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=10), nullable=True))
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=10), nullable=True))
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
        batch_op.drop_column("language")
