"""question-set versions' texts in other languages

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 11:40:00

One row per version and language, unique: the translation file's text (checked complete
against the version when stored), its hash (part of every key a page or report is kept
under), whether it is still machine-drafted, the base text each translated text was last
checked against (an edited base text marks it "to review") and a revision for safe saves.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "question_set_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("source_yaml", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("machine_drafted", sa.Boolean(), nullable=False),
        sa.Column("reviewed", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["question_set_version.id"],
            name=op.f("fk_question_set_translation_version_id_question_set_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_set_translation")),
        sa.UniqueConstraint(
            "version_id",
            "language",
            name=op.f("uq_question_set_translation_version_id"),
        ),
    )


def downgrade() -> None:
    op.drop_table("question_set_translation")
