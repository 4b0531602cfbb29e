"""a conference's own visa-letter numbering over its series' scheme

Revision ID: a4b7c1d9e2f3
Revises: 8c2d3e4f5a61
Create Date: 2026-12-05 23:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4b7c1d9e2f3'
down_revision = '8c2d3e4f5a61'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('visa_letter_numbering', schema=None) as batch_op:
        batch_op.alter_column('scheme_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(
            batch_op.f('ck_visa_letter_numbering_series_has_scheme'),
            'series_id IS NULL OR scheme_id IS NOT NULL',
        )


def downgrade():
    op.execute('DELETE FROM visa_letter_numbering WHERE scheme_id IS NULL')
    with op.batch_alter_table('visa_letter_numbering', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('ck_visa_letter_numbering_series_has_scheme'), type_='check'
        )
        batch_op.alter_column('scheme_id', existing_type=sa.Integer(), nullable=False)
