"""sector view: an organisation's opt-in to share its completed assessments' results

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-03 06:00:00

(0011 is reserved by another change: whichever lands second re-chains its down_revision.)
The analyst role needs no schema change: roles are strings (models.Role).
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("share_with_sector", sa.Boolean(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("share_with_sector")
