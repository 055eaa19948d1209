"""recovery codes as rows (using one is a single conditional delete); organisation names
unique whatever their case; a revision on drafts for
conditional edits, and at most one draft per set

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 01:00:00
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    codes = op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_recovery_code_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_code")),
        sa.UniqueConstraint("user_id", "code_hash", name=op.f("uq_recovery_code_user_id")),
    )
    with op.batch_alter_table("recovery_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recovery_code_user_id"), ["user_id"], unique=False)

    users = sa.table("user_account", sa.column("id", sa.Integer), sa.column("recovery_codes"))
    rows = []
    for user_id, stored in op.get_bind().execute(sa.select(users.c.id, users.c.recovery_codes)):
        hashes = json.loads(stored) if isinstance(stored, str) else stored or []
        rows += [{"user_id": user_id, "code_hash": h} for h in dict.fromkeys(hashes)]
    if rows:
        op.bulk_insert(codes, rows)

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("recovery_codes")

    op.create_index(
        "uq_organisation_name_lower", "organisation", [sa.text("lower(name)")], unique=True
    )
    with op.batch_alter_table("question_set_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="0", nullable=False))
    op.create_index(
        "uq_question_set_version_one_draft",
        "question_set_version",
        ["set_id"],
        unique=True,
        sqlite_where=sa.text("status = 'draft'"),
        postgresql_where=sa.text("status = 'draft'"),
    )


def downgrade() -> None:
    op.drop_index("uq_question_set_version_one_draft", table_name="question_set_version")
    with op.batch_alter_table("question_set_version", schema=None) as batch_op:
        batch_op.drop_column("revision")
    op.drop_index("uq_organisation_name_lower", table_name="organisation")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("recovery_codes", sa.JSON(), server_default="[]", nullable=False)
        )
    codes = sa.table("recovery_code", sa.column("user_id"), sa.column("code_hash"))
    users = sa.table("user_account", sa.column("id"), sa.column("recovery_codes", sa.JSON))
    bind = op.get_bind()
    grouped: dict[int, list[str]] = {}
    for user_id, code_hash in bind.execute(sa.select(codes.c.user_id, codes.c.code_hash)):
        grouped.setdefault(user_id, []).append(code_hash)
    for user_id, hashes in grouped.items():
        bind.execute(users.update().where(users.c.id == user_id).values(recovery_codes=hashes))
    with op.batch_alter_table("recovery_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recovery_code_user_id"))
    op.drop_table("recovery_code")
