"""question texts in several languages: a main language and translations for questions

Revision ID: 5e2a9c4b7d18
Revises: b7d9e1f3a5c8
Create Date: 2026-12-06 04:20:00

A question's label, help text and choices stay in their columns as its main-language texts;
that language is its conference's main language, in which the organiser typed them so far.
Answers keep their values (a choice's main-language text), so none changes here.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = '5e2a9c4b7d18'
down_revision = 'b7d9e1f3a5c8'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    with op.batch_alter_table("registration_questions") as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=8), server_default="en", nullable=False)
        )
        batch_op.add_column(
            sa.Column("translations", JSON, server_default=sa.text("'{}'"), nullable=False)
        )
    op.execute(
        "UPDATE registration_questions SET language = ("
        "SELECT conferences.language FROM conferences "
        "WHERE conferences.id = registration_questions.conference_id)"
    )


def downgrade():
    with op.batch_alter_table("registration_questions") as batch_op:
        batch_op.drop_column("translations")
        batch_op.drop_column("language")
