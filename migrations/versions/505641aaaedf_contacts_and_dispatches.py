"""contacts and dispatches

Revision ID: 505641aaaedf
Revises: 9c1d5e7f3a21
Create Date: 2026-12-05 05:00:55.674026

"""
from alembic import op
import sqlalchemy as sa

import registration.database


# revision identifiers, used by Alembic.
revision = '505641aaaedf'
down_revision = '9c1d5e7f3a21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('mfa', 'embassy', 'permanent_mission', 'focal_point', name='contactkind', native_enum=False, length=32), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', registration.database.UTCDateTime(), nullable=False),
    sa.Column('updated_at', registration.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_contacts_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    sa.UniqueConstraint('member_id', 'email', name=op.f('uq_contacts_member_id'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_member_id'), ['member_id'], unique=False)

    op.create_table('dispatches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('note_id', sa.Integer(), nullable=False),
    sa.Column('member_ids', sa.JSON(), nullable=True),
    sa.Column('job_id', sa.String(length=80), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', registration.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_dispatches_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['note_id'], ['notes_verbales.id'], name=op.f('fk_dispatches_note_id_notes_verbales')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatches'))
    )
    with op.batch_alter_table('dispatches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispatches_note_id'), ['note_id'], unique=False)

    op.create_table('dispatch_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dispatch_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('resends', sa.Integer(), nullable=False),
    sa.Column('created_at', registration.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_dispatch_deliveries_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dispatch_id'], ['dispatches.id'], name=op.f('fk_dispatch_deliveries_dispatch_id_dispatches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_dispatch_deliveries_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatch_deliveries')),
    sa.UniqueConstraint('dispatch_id', 'email', name=op.f('uq_dispatch_deliveries_dispatch_id'))
    )
    with op.batch_alter_table('dispatch_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispatch_deliveries_outbox_id'), ['outbox_id'], unique=False)



def downgrade():
    with op.batch_alter_table('dispatch_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispatch_deliveries_outbox_id'))

    op.drop_table('dispatch_deliveries')
    with op.batch_alter_table('dispatches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispatches_note_id'))

    op.drop_table('dispatches')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_member_id'))

    op.drop_table('contacts')
