"""outbox: an index for idempotency-key prefix searches

Revision ID: 5d1e7c2a9b40
Revises: 27657cd9af3e
Create Date: 2026-11-23 21:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5d1e7c2a9b40'
down_revision = '27657cd9af3e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_outgoing_mail_idempotency_key_prefix',
        'outgoing_mail',
        ['idempotency_key'],
        postgresql_ops={'idempotency_key': 'varchar_pattern_ops'},
    )


def downgrade():
    op.drop_index('ix_outgoing_mail_idempotency_key_prefix', table_name='outgoing_mail')
