"""registrations: a partial index of place-holding registrations, for seat and quota counts

Revision ID: 6a3f0e1d2c47
Revises: 5d1e7c2a9b40
Create Date: 2026-11-24 00:10:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '6a3f0e1d2c47'
down_revision = '5d1e7c2a9b40'
branch_labels = None
depends_on = None

HOLDS_PLACE = sa.text("status IN ('pending', 'approved')")


def upgrade():
    op.create_index(
        'ix_registrations_places',
        'registrations',
        ['conference_id', 'mode', 'member_id'],
        postgresql_where=HOLDS_PLACE,
        sqlite_where=HOLDS_PLACE,
    )


def downgrade():
    op.drop_index('ix_registrations_places', table_name='registrations')
