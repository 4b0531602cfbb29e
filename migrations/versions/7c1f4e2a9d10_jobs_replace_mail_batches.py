"""fan-out jobs replace mail batches

Revision ID: 7c1f4e2a9d10
Revises: b75aea7c7567
Create Date: 2026-12-05 04:05:00

The bulk sends of invitations (mail_batches) become jobs of the kinds
`invitations.invite` / `invitations.remind`; a batch already composed is a finished job,
one not yet composed is queued (the sweeper publishes it).
"""
from alembic import op
import sqlalchemy as sa

import registration.database


revision = '7c1f4e2a9d10'
down_revision = 'b75aea7c7567'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('jobs',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('subject', sa.JSON(), nullable=False),
    sa.Column('state', sa.Enum('queued', 'running', 'done', 'failed', name='jobstate', native_enum=False, length=32), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', registration.database.UTCDateTime(), nullable=False),
    sa.Column('updated_at', registration.database.UTCDateTime(), nullable=False),
    sa.Column('finished_at', registration.database.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_jobs_conference_id_conferences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_state'), ['state'], unique=False)
    op.execute(
        "INSERT INTO jobs (id, conference_id, kind, label, subject, state, total, attempts,"
        " last_error, created_at, updated_at, finished_at)"
        " SELECT id, conference_id,"
        " CASE kind WHEN 'invitations' THEN 'invitations.invite' ELSE 'invitations.remind' END,"
        " label, '{}',"
        " CASE WHEN composed_at IS NULL THEN 'queued' ELSE 'done' END, total, 0, '',"
        " created_at, created_at, composed_at FROM mail_batches"
    )
    with op.batch_alter_table('mail_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_batches_conference_id'))
    op.drop_table('mail_batches')


def downgrade():
    op.create_table('mail_batches',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('created_at', registration.database.UTCDateTime(), nullable=False),
    sa.Column('composed_at', registration.database.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_mail_batches_conference_id_conferences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_batches'))
    )
    with op.batch_alter_table('mail_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_batches_conference_id'), ['conference_id'], unique=False)
    op.execute(
        "INSERT INTO mail_batches (id, conference_id, kind, label, total, created_at, composed_at)"
        " SELECT id, conference_id,"
        " CASE kind WHEN 'invitations.invite' THEN 'invitations' ELSE 'invitation-reminders' END,"
        " label, total, created_at, finished_at"
        " FROM jobs WHERE kind LIKE 'invitations.%'"
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_state'))
        batch_op.drop_index(batch_op.f('ix_jobs_conference_id'))
    op.drop_table('jobs')
