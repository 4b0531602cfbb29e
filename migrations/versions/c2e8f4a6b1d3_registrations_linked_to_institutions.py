"""registrations linked to the institution they name, and the language of the typed name

Revision ID: c2e8f4a6b1d3
Revises: 5e2a9c4b7d18
Create Date: 2026-12-06 04:30:00

Each registration whose typed institution is one of a known institution's names, in any
of its languages (compared without quotes, extra spaces or case), is linked to it; every
typed name gets the language it is written in: Cyrillic is Kazakh with one of Kazakh's own
letters, else Russian (as the institutions' migration guessed), Latin is English, another
script undetermined ('und'). The rules are copied here, not imported, so the migration
keeps doing what it did when the application's code moves on.
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c2e8f4a6b1d3"
down_revision = "5e2a9c4b7d18"
branch_labels = None
depends_on = None

QUOTES = re.compile(
    "[\"'`\u00ab\u00bb\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2039\u203a]"
)
CYRILLIC = re.compile("[\u0400-\u04ff]")
KAZAKH = re.compile("[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")
LATIN = re.compile("[A-Za-z\u00c0-\u024f]")


def normalised(name):
    text = unicodedata.normalize("NFC", name)
    return re.sub(r"\s+", " ", QUOTES.sub("", text)).strip().casefold()


def typed_language(text, preferred):
    if CYRILLIC.search(text):
        return "kk" if KAZAKH.search(text) else "ru"
    if LATIN.search(text):
        return "en"
    return "und" if any(ch.isalpha() for ch in text) else preferred


def upgrade():
    with op.batch_alter_table("registrations") as batch_op:
        batch_op.add_column(sa.Column("institution_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "institution_language", sa.String(length=8), server_default="en", nullable=False
            )
        )
        batch_op.create_index("ix_registrations_institution_id", ["institution_id"])
        batch_op.create_foreign_key(
            "fk_registrations_institution_id_institutions",
            "institutions",
            ["institution_id"],
            ["id"],
            ondelete="SET NULL",
        )
    bind = op.get_bind()
    institutions = sa.table(
        "institutions", sa.column("id"), sa.column("name"), sa.column("translations", sa.JSON)
    )
    known = {}
    for row in bind.execute(sa.select(institutions).order_by(institutions.c.id)):
        names = [row.name] + [t.get("name", "") for t in (row.translations or {}).values()]
        for name in names:
            if name:
                known.setdefault(normalised(name), row.id)
    registrations = sa.table(
        "registrations",
        sa.column("id"),
        sa.column("institution"),
        sa.column("mail_language"),
        sa.column("institution_id"),
        sa.column("institution_language"),
    )
    rows = bind.execute(
        sa.select(registrations.c.id, registrations.c.institution, registrations.c.mail_language)
    ).all()
    for row in rows:
        typed = row.institution or ""
        bind.execute(
            registrations.update()
            .where(registrations.c.id == row.id)
            .values(
                institution_id=known.get(normalised(typed)) if typed.strip() else None,
                institution_language=typed_language(typed, row.mail_language or "en"),
            )
        )


def downgrade():
    with op.batch_alter_table("registrations") as batch_op:
        batch_op.drop_constraint("fk_registrations_institution_id_institutions", type_="foreignkey")
        batch_op.drop_index("ix_registrations_institution_id")
        batch_op.drop_column("institution_language")
        batch_op.drop_column("institution_id")
