"""register of outgoing correspondence

Revision ID: b75aea7c7567
Revises: 0e954eb9dde4
Create Date: 2026-12-05 03:55:21.782619

"""
from alembic import op
import sqlalchemy as sa

import registration.database


# revision identifiers, used by Alembic.
revision = 'b75aea7c7567'
down_revision = '0e954eb9dde4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('numbering_schemes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('prefix', sa.String(length=20), nullable=False),
    sa.Column('prefix_cyrillic', sa.String(length=20), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('next_number', sa.Integer(), nullable=False),
    sa.Column('created_at', registration.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_numbering_schemes_series_id_series'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_numbering_schemes')),
    sa.UniqueConstraint('code', name=op.f('uq_numbering_schemes_code'))
    )
    op.create_table('register_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('issued', 'cancelled', name='entrystatus', native_enum=False, length=32), nullable=False),
    sa.Column('issued_at', registration.database.UTCDateTime(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', registration.database.UTCDateTime(), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_register_entries_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scheme_id'], ['numbering_schemes.id'], name=op.f('fk_register_entries_scheme_id_numbering_schemes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_entries')),
    sa.UniqueConstraint('scheme_id', 'number', name=op.f('uq_register_entries_scheme_id'))
    )


def downgrade():
    op.drop_table('register_entries')
    op.drop_table('numbering_schemes')
