"""texts in several languages: a main language and translations for series, conferences, panels

Revision ID: 3c1f7e9a4b20
Revises: e3f4953f0a20
Create Date: 2026-12-05 04:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '3c1f7e9a4b20'
down_revision = 'e3f4953f0a20'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    # Existing texts were written in English: their main language is "en", no translations.
    for table in ("series", "conferences"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column("language", sa.String(length=8), server_default="en", nullable=False)
            )
            batch_op.add_column(
                sa.Column("translations", JSON, server_default=sa.text("'{}'"), nullable=False)
            )
    with op.batch_alter_table("panels") as batch_op:
        batch_op.add_column(
            sa.Column("translations", JSON, server_default=sa.text("'{}'"), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("panels") as batch_op:
        batch_op.drop_column("translations")
    for table in ("conferences", "series"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("translations")
            batch_op.drop_column("language")
