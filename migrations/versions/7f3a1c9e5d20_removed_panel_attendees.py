"""removed panel attendees: the CANCELs a deleted panel's job owes

Revision ID: 7f3a1c9e5d20
Revises: b7d41c2e9a55
Create Date: 2026-12-05 22:10:00

Removing a panel wrote each attendee's CANCEL inside the request. Now the request copies
who was invited (and the SEQUENCE they last had) into this table in one statement, with one
job; the job's worker queues the CANCELs and deletes the rows as it goes.
"""
from alembic import op
import sqlalchemy as sa


revision = '7f3a1c9e5d20'
down_revision = 'b7d41c2e9a55'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('removed_panel_attendees',
    sa.Column('job_id', sa.String(length=80), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_removed_panel_attendees_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_removed_panel_attendees_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('job_id', 'registration_id', name=op.f('pk_removed_panel_attendees'))
    )


def downgrade():
    op.drop_table('removed_panel_attendees')
