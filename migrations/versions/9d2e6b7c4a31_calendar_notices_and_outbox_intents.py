"""calendar notices; outbox rows hold intents and threads

Revision ID: 9d2e6b7c4a31
Revises: 0b7e4c1d9a52
Create Date: 2026-12-05 04:40:00

What each participant was last sent about each panel was encoded in the outbox's
idempotency keys and parsed back from them:
  itip:<registration>:panel-<panel>:request:<panel SEQUENCE>:<mode>:s<SEQUENCE sent>
  itip:<registration>:panel-<panel>:cancel:<panel SEQUENCE>:s<SEQUENCE sent>
  itip:<registration>:panel-<panel>:request:<panel SEQUENCE>    (legacy: sent = panel's,
                                                                 either mode)
It becomes the calendar_notices table, filled here from those keys (the last key per
registration and panel, in outbox order), so nobody is invited twice because of the
change. Outbox rows may now hold an intent (composer + ids) instead of a message, and a
thread and sequence that order the messages of one person about one panel.
"""
from alembic import op
import sqlalchemy as sa

import registration.database


revision = '9d2e6b7c4a31'
down_revision = '0b7e4c1d9a52'
branch_labels = None
depends_on = None


def upgrade():
    notices = op.create_table('calendar_notices',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=8), nullable=False),
    sa.Column('panel_sequence', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=True),
    sa.Column('sent_at', registration.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['panel_id'], ['panels.id'], name=op.f('fk_calendar_notices_panel_id_panels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_calendar_notices_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', 'panel_id', name=op.f('pk_calendar_notices'))
    )
    with op.batch_alter_table('calendar_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_notices_panel_id'), ['panel_id'], unique=False)
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('composer', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('intent', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('thread', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=True))
        batch_op.alter_column('message', existing_type=sa.LargeBinary(), nullable=True)
        batch_op.create_index(batch_op.f('ix_outgoing_mail_thread'), ['thread'], unique=False)
    connection = op.get_bind()
    outbox = sa.table(
        'outgoing_mail',
        sa.column('id', sa.Integer()),
        sa.column('idempotency_key', sa.String()),
        sa.column('created_at', registration.database.UTCDateTime()),
    )
    keys = connection.execute(
        sa.select(outbox.c.idempotency_key, outbox.c.created_at)
        .where(outbox.c.idempotency_key.like('itip:%'))
        .order_by(outbox.c.id)
    )
    rows = [_notice(key, created_at) for key, created_at in keys]
    last = {(row['registration_id'], row['panel_id']): row for row in rows}
    registrations = set(connection.execute(sa.text("SELECT id FROM registrations")).scalars())
    panels = set(connection.execute(sa.text("SELECT id FROM panels")).scalars())
    kept = [r for (who, what), r in last.items() if who in registrations and what in panels]
    if kept:
        op.bulk_insert(notices, kept)


def _notice(key, created_at):
    """One outbox key read as the notice it recorded (both key formats)."""
    fields = key.split(':')
    if fields[-1].startswith('s'):
        sent, fields = int(fields[-1][1:]), fields[:-1]
    else:
        sent = int(fields[4])
    method = 'REQUEST' if fields[3] == 'request' else 'CANCEL'
    mode = fields[5] if method == 'REQUEST' and len(fields) > 5 else None
    return {
        'registration_id': int(fields[1]),
        'panel_id': int(fields[2].removeprefix('panel-')),
        'method': method,
        'panel_sequence': int(fields[4]),
        'sequence': sent,
        'mode': mode,
        'sent_at': created_at,
    }


def downgrade():
    # Messages not composed yet cannot be kept by the old schema: they are dropped.
    op.execute("DELETE FROM outgoing_mail WHERE message IS NULL")
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outgoing_mail_thread'))
        batch_op.alter_column('message', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column('sequence')
        batch_op.drop_column('thread')
        batch_op.drop_column('intent')
        batch_op.drop_column('composer')
    with op.batch_alter_table('calendar_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_notices_panel_id'))
    op.drop_table('calendar_notices')
