"""registrations: the language a person reads our mail in

Revision ID: 7d2a9c4e1f35
Revises: 3c1f7e9a4b20
Create Date: 2026-12-05 04:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d2a9c4e1f35'
down_revision = '3c1f7e9a4b20'
branch_labels = None
depends_on = None


def upgrade():
    # Everyone registered so far got English mail.
    with op.batch_alter_table("registrations") as batch_op:
        batch_op.add_column(
            sa.Column("mail_language", sa.String(length=8), server_default="en", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("registrations") as batch_op:
        batch_op.drop_column("mail_language")
