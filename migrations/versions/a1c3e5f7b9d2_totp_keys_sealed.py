"""two-factor (TOTP) keys sealed at rest (Fernet under TOTP_SECRET_KEYS or SECRET_KEY)

Revision ID: a1c3e5f7b9d2
Revises: 7a9b1c3d5e67
Create Date: 2026-12-06 01:35:00

The column grows to hold a Fernet token; each stored key is sealed with the app's keys
(registration/accounts/totp_keys.py), and opened again on downgrade.
"""
from alembic import op
import sqlalchemy as sa
from flask import current_app

from registration.accounts import totp_keys


revision = 'a1c3e5f7b9d2'
down_revision = '7a9b1c3d5e67'
branch_labels = None
depends_on = None

users = sa.table("users", sa.column("id", sa.Integer), sa.column("totp_secret", sa.String))


def _rewrite(change):
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.is_not(None))
    ).all()
    for row_id, value in rows:
        connection.execute(users.update().where(users.c.id == row_id).values(totp_secret=change(value)))


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', type_=sa.String(400), existing_type=sa.String(64))
    fernet = totp_keys.keys(current_app.config)
    _rewrite(lambda secret: fernet.encrypt(secret.encode()).decode())


def downgrade():
    fernet = totp_keys.keys(current_app.config)
    _rewrite(lambda sealed: fernet.decrypt(sealed.encode()).decode())
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', type_=sa.String(64), existing_type=sa.String(400))
