"""document titles as stored texts: title in the main language, translations beside it

Revision ID: 4d6e8f0a1b23
Revises: a4b7c1d9e2f3
Create Date: 2026-12-05 23:10:00

The per-language JSON `titles` ({"en": ..., "ru": ...}) becomes what conferences, panels and
series hold (registration/stored_text.py): `title` in the main language (English when the
document has an English title, else its first), `language`, and `translations` for the rest.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = '4d6e8f0a1b23'
down_revision = 'a4b7c1d9e2f3'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
LANGUAGES = ("en", "ru", "kk")
documents = sa.table(
    "documents",
    sa.column("id", sa.Integer),
    sa.column("titles", sa.JSON),
    sa.column("title", sa.String),
    sa.column("language", sa.String),
    sa.column("translations", JSON),
)


def _stored(titles):
    given = {code: text for code, text in (titles or {}).items() if text}
    main = "en" if "en" in given or not given else next(
        code for code in (*LANGUAGES, *given) if code in given
    )
    others = {code: {"title": text} for code, text in given.items() if code != main}
    return given.get(main, ""), main, others


def upgrade():
    with op.batch_alter_table("documents") as batch_op:
        batch_op.add_column(sa.Column("title", sa.String(length=300), server_default="", nullable=False))
        batch_op.add_column(sa.Column("language", sa.String(length=8), server_default="en", nullable=False))
        batch_op.add_column(sa.Column("translations", JSON, server_default=sa.text("'{}'"), nullable=False))
    connection = op.get_bind()
    for row_id, titles in connection.execute(sa.select(documents.c.id, documents.c.titles)).all():
        title, main, others = _stored(titles)
        connection.execute(
            documents.update()
            .where(documents.c.id == row_id)
            .values(title=title[:300], language=main, translations=others)
        )
    with op.batch_alter_table("documents") as batch_op:
        batch_op.drop_column("titles")


def downgrade():
    with op.batch_alter_table("documents") as batch_op:
        batch_op.add_column(sa.Column("titles", sa.JSON(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(documents.c.id, documents.c.title, documents.c.language, documents.c.translations)
    ).all()
    for row_id, title, main, others in rows:
        titles = {code: text["title"] for code, text in (others or {}).items() if text.get("title")}
        if title:
            titles[main] = title
        connection.execute(documents.update().where(documents.c.id == row_id).values(titles=titles))
    with op.batch_alter_table("documents") as batch_op:
        batch_op.alter_column("titles", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("translations")
        batch_op.drop_column("language")
        batch_op.drop_column("title")
