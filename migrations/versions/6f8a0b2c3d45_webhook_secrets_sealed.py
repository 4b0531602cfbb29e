"""webhook signing secrets sealed at rest (Fernet under WEBHOOK_SECRET_KEY or SECRET_KEY)

Revision ID: 6f8a0b2c3d45
Revises: 5e7f9a1b2c34
Create Date: 2026-12-05 23:25:00

The column grows to hold a Fernet token; each stored secret is sealed with the app's key
(registration/webhooks/sealing.py), and unsealed again on downgrade.
"""
from alembic import op
import sqlalchemy as sa
from flask import current_app

from registration.webhooks import sealing


revision = '6f8a0b2c3d45'
down_revision = '5e7f9a1b2c34'
branch_labels = None
depends_on = None

subscriptions = sa.table("webhook_subscriptions", sa.column("id", sa.Integer), sa.column("secret", sa.String))


def _rewrite(change):
    connection = op.get_bind()
    rows = connection.execute(sa.select(subscriptions.c.id, subscriptions.c.secret)).all()
    for row_id, secret in rows:
        connection.execute(
            subscriptions.update().where(subscriptions.c.id == row_id).values(secret=change(secret))
        )


def upgrade():
    with op.batch_alter_table('webhook_subscriptions', schema=None) as batch_op:
        batch_op.alter_column('secret', type_=sa.String(400), existing_type=sa.String(100))
    fernet = sealing.fernet(current_app.config)
    _rewrite(lambda secret: fernet.encrypt(secret.encode()).decode())


def downgrade():
    fernet = sealing.fernet(current_app.config)
    _rewrite(lambda sealed: fernet.decrypt(sealed.encode()).decode())
    with op.batch_alter_table('webhook_subscriptions', schema=None) as batch_op:
        batch_op.alter_column('secret', type_=sa.String(100), existing_type=sa.String(400))
