"""bulk outcomes keep a refusal as its message and values, translated where shown

Revision ID: 9d4e5f6a7b82
Revises: 6f8a0b2c3d45
Create Date: 2026-12-06 01:10:00

`reason` holds the refusal's message id (the English sentence, as before); `reason_values`
the values it is filled with, so the bulk page shows it in the page's language.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = '9d4e5f6a7b82'
down_revision = '6f8a0b2c3d45'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bulk_outcomes', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'reason_values',
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
                server_default=sa.text("'{}'"),
                nullable=False,
            )
        )


def downgrade():
    with op.batch_alter_table('bulk_outcomes', schema=None) as batch_op:
        batch_op.drop_column('reason_values')
