"""audit subjects kept as a message and its values, worded in the reader's language

Revision ID: d4f6a8c0e2b5
Revises: c2e8f4a6b1d3
Create Date: 2026-12-06 07:40:00

As notes (b7d9e1f3a5c8): `subject` holds the message id, `subject_values` the values it is
filled with where it is shown. The column is added without a default and no row is touched
(the table is append-only by trigger): old entries keep `subject_values` NULL and show their
stored text as before.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = 'd4f6a8c0e2b5'
down_revision = 'c2e8f4a6b1d3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'subject_values',
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
                nullable=True,
            )
        )


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_column('subject_values')
