"""institution names kept normalised, one row per language, for the typed institution's lookup

Revision ID: d4f1a7c3e925
Revises: d4f6a8c0e2b5
Create Date: 2026-12-06 07:40:00

The lookup of a registrant's typed institution compared it with every institution's names
(issue 11: it loaded the whole directory on each registration); it now reads these rows by
their indexed `normalised` name. They are filled here from every institution's main name and
its names in the other languages, by the application's own `name_rows` (not a copy): the
rows must be the ones the application writes and looks up, or the lookup would miss names.
"""

import sqlalchemy as sa
from alembic import op

from registration.directory.institution_names import name_rows

# revision identifiers, used by Alembic.
revision = "d4f1a7c3e925"
down_revision = "d4f6a8c0e2b5"
branch_labels = None
depends_on = None


def upgrade():
    names = op.create_table(
        "institution_names",
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("main", sa.Boolean(), nullable=False),
        sa.Column("normalised", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name="fk_institution_names_institution_id_institutions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("institution_id", "language", name="pk_institution_names"),
    )
    op.create_index("ix_institution_names_normalised", "institution_names", ["normalised"])
    institutions = sa.table(
        "institutions",
        sa.column("id"),
        sa.column("name"),
        sa.column("language"),
        sa.column("translations", sa.JSON),
    )
    bind = op.get_bind()
    rows = [
        row
        for found in bind.execute(sa.select(institutions).order_by(institutions.c.id))
        for row in name_rows(found.id, found.name, found.language, found.translations)
    ]
    if rows:
        bind.execute(names.insert(), rows)


def downgrade():
    op.drop_index("ix_institution_names_normalised", table_name="institution_names")
    op.drop_table("institution_names")
