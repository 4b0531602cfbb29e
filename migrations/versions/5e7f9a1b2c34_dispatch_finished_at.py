"""dispatches.finished_at: document.dispatched is announced when a dispatch finishes

Revision ID: 5e7f9a1b2c34
Revises: 4d6e8f0a1b23
Create Date: 2026-12-05 23:20:00

Dispatches made before were announced when they were queued: they count as finished (at
their creation), so none is announced twice.
"""
from alembic import op
import sqlalchemy as sa

import registration.database


revision = '5e7f9a1b2c34'
down_revision = '4d6e8f0a1b23'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('dispatches', sa.Column('finished_at', registration.database.UTCDateTime(), nullable=True))
    op.execute("UPDATE dispatches SET finished_at = created_at")


def downgrade():
    op.drop_column('dispatches', 'finished_at')
