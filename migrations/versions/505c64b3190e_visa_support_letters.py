"""visa support letters

Revision ID: 505c64b3190e
Revises: 939c5831c0cd
Create Date: 2026-12-05 04:39:58.250234

"""
from alembic import op
import sqlalchemy as sa

import registration.database


# revision identifiers, used by Alembic.
revision = '505c64b3190e'
down_revision = '939c5831c0cd'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('visa_letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('passport_name', sa.String(length=200), nullable=False),
    sa.Column('passport_number', sa.String(length=40), nullable=False),
    sa.Column('nationality', sa.String(length=2), nullable=False),
    sa.Column('arrival', sa.Date(), nullable=False),
    sa.Column('departure', sa.Date(), nullable=False),
    sa.Column('consulate_city', sa.String(length=120), nullable=False),
    sa.Column('status', sa.Enum('requested', 'issued', 'declined', 'revoked', name='letterstatus', native_enum=False, length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('requested_at', registration.database.UTCDateTime(), nullable=False),
    sa.Column('issued_at', registration.database.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', registration.database.UTCDateTime(), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_visa_letters_conference_id_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_visa_letters_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_visa_letters_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visa_letters')),
    sa.UniqueConstraint('code', name=op.f('uq_visa_letters_code')),
    sa.UniqueConstraint('conference_id', 'number', name=op.f('uq_visa_letters_conference_id'))
    )
    with op.batch_alter_table('visa_letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visa_letters_registration_id'), ['registration_id'], unique=False)



def downgrade():
    with op.batch_alter_table('visa_letters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visa_letters_registration_id'))

    op.drop_table('visa_letters')
