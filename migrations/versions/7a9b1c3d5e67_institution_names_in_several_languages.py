"""institution names in several languages: a main language and translations for institutions

Revision ID: 7a9b1c3d5e67
Revises: 9d4e5f6a7b82
Create Date: 2026-12-06 01:10:00

Today's names stay in `name` as their main-language text. Most were typed in English; on
PostgreSQL a name in Cyrillic is taken for Kazakh when it has one of Kazakh's own letters
(Ә Ғ Қ Ң Ө Ұ Ү Һ І), else for Russian, so its `lang` attribute is right from the start.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '7a9b1c3d5e67'
down_revision = '9d4e5f6a7b82'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    with op.batch_alter_table("institutions") as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=8), server_default="en", nullable=False)
        )
        batch_op.add_column(
            sa.Column("translations", JSON, server_default=sa.text("'{}'"), nullable=False)
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE institutions SET language = CASE "
            "WHEN name ~ '[ӘәҒғҚқҢңӨөҰұҮүҺһІі]' THEN 'kk' ELSE 'ru' END "
            "WHERE name ~ '[А-Яа-яЁё]'"
        )


def downgrade():
    with op.batch_alter_table("institutions") as batch_op:
        batch_op.drop_column("translations")
        batch_op.drop_column("language")
