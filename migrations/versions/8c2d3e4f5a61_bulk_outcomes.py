"""bulk actions on registrations: one outcome per job and registration

Revision ID: 8c2d3e4f5a61
Revises: 7f3a1c9e5d20
Create Date: 2026-12-05 22:10:00

"""
from alembic import op
import sqlalchemy as sa

import registration.database


# revision identifiers, used by Alembic.
revision = '8c2d3e4f5a61'
down_revision = '7f3a1c9e5d20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bulk_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.String(length=80), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', registration.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_bulk_outcomes_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_bulk_outcomes_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulk_outcomes')),
    sa.UniqueConstraint('job_id', 'registration_id', name=op.f('uq_bulk_outcomes_job_id'))
    )


def downgrade():
    op.drop_table('bulk_outcomes')
