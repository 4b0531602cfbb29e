"""account sessions: each sign-in, listed and ended on the server side

Revision ID: f3c9d2a7e410
Revises: e18a5f0c3b21
Create Date: 2026-12-05 04:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

import registration.database

# revision identifiers, used by Alembic.
revision = 'f3c9d2a7e410'
down_revision = 'e18a5f0c3b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', registration.database.UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', registration.database.UTCDateTime(), nullable=False),
    sa.Column('user_agent', sa.String(length=300), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_sessions')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_account_sessions_key_hash'))
    )
    with op.batch_alter_table('account_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_sessions_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('account_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_sessions_user_id'))
    op.drop_table('account_sessions')
