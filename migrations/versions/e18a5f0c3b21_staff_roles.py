"""staff roles per conference; the Secretariat-wide organiser flag becomes "administrator"

Revision ID: e18a5f0c3b21
Revises: 505641aaaedf
Create Date: 2026-12-05 04:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

import registration.database

# revision identifiers, used by Alembic.
revision = 'e18a5f0c3b21'
down_revision = '505641aaaedf'
branch_labels = None
depends_on = None

ROLES = ('organiser', 'reviewer', 'check_in', 'observer')


def upgrade():
    # Today's organisers see and change every conference: that is the administrator now.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('is_organizer', new_column_name='is_administrator')

    op.create_table('staff_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum(*ROLES, name='role', native_enum=False, length=32), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', registration.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_staff_roles_conference_id_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_staff_roles_granted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_staff_roles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_roles')),
    sa.UniqueConstraint('user_id', 'conference_id', name=op.f('uq_staff_roles_user_id'))
    )
    with op.batch_alter_table('staff_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_roles_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_roles_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('staff_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_roles_user_id'))
        batch_op.drop_index(batch_op.f('ix_staff_roles_conference_id'))
    op.drop_table('staff_roles')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('is_administrator', new_column_name='is_organizer')
