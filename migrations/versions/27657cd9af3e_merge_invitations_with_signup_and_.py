"""merge invitations with signup and attendance

Revision ID: 27657cd9af3e
Revises: 114ad21c2c1d, 88c0b0aa0d74
Create Date: 2026-11-23 19:40:47.358005

"""
from alembic import op
import sqlalchemy as sa

import registration.database


# revision identifiers, used by Alembic.
revision = '27657cd9af3e'
down_revision = ('114ad21c2c1d', '88c0b0aa0d74')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
