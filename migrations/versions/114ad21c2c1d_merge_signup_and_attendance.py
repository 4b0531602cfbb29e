"""merge signup and attendance

Revision ID: 114ad21c2c1d
Revises: 4758f7d86942, ba377b79e82a
Create Date: 2026-11-23 19:17:01.110193

"""
from alembic import op
import sqlalchemy as sa

import registration.database


# revision identifiers, used by Alembic.
revision = '114ad21c2c1d'
down_revision = ('4758f7d86942', 'ba377b79e82a')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
