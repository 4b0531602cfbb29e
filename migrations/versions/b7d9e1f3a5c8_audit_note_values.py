"""audit notes kept as a message and its values, worded in the reader's language

Revision ID: b7d9e1f3a5c8
Revises: a1c3e5f7b9d2
Create Date: 2026-12-06 04:20:00

As bulk outcomes keep their refusals (9d4e5f6a7b82): `note` holds the message id,
`note_values` the values it is filled with where it is shown. The column is added without
a default and no row is touched (the table is append-only by trigger): old entries keep
`note_values` NULL and show their stored English text as before.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = 'b7d9e1f3a5c8'
down_revision = 'a1c3e5f7b9d2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'note_values',
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
                nullable=True,
            )
        )


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_column('note_values')
