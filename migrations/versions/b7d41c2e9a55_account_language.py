"""account language: the language an account's pages are shown in (null: the browser's)

Revision ID: b7d41c2e9a55
Revises: 7b1e2c9d4a10
Create Date: 2026-12-05 22:25:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7d41c2e9a55'
down_revision = '7b1e2c9d4a10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('language')
