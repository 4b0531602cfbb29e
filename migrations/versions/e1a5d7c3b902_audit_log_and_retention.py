"""audit log (append-only on PostgreSQL) and personal data retention

Revision ID: e1a5d7c3b902
Revises: 7c1f4e2a9d10
Create Date: 2026-12-05 04:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e1a5d7c3b902'
down_revision = '7c1f4e2a9d10'
branch_labels = None
depends_on = None

# The application's role owns the table, so REVOKE cannot stop it: a trigger refuses every
# DELETE, and every UPDATE except the erasure of personal fields by the retention service,
# which sets `registration.audit_erasing` for its transaction and leaves the rest unchanged.
APPEND_ONLY = """
CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('registration.audit_erasing', true) = 'on'
       AND (NEW.id, NEW.at, NEW.actor_kind, NEW.actor_id, NEW.actor, NEW.action,
            NEW.conference_id, NEW.registration_id, NEW.subject_type, NEW.subject_id)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.actor_kind, OLD.actor_id, OLD.actor, OLD.action,
            OLD.conference_id, OLD.registration_id, OLD.subject_type, OLD.subject_id)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
"""


def upgrade():
    op.create_table(
        'audit_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('actor_kind', sa.String(length=20), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor', sa.String(length=300), nullable=False),
        sa.Column('action', sa.String(length=60), nullable=False),
        sa.Column('conference_id', sa.Integer(), nullable=True),
        sa.Column('registration_id', sa.Integer(), nullable=True),
        sa.Column('subject_type', sa.String(length=40), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=True),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('personal_data_erased_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries')),
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(op.f('ix_audit_entries_action'), ['action'], unique=False)
        batch_op.create_index('ix_audit_entries_conference_at', ['conference_id', 'at'], unique=False)
        batch_op.create_index('ix_audit_entries_registration_id', ['registration_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(APPEND_ONLY)

    with op.batch_alter_table('conferences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erase_personal_data_months', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('personal_data_erased_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('personal_data_erased_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('personal_data_erased_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('personal_data_erased_at')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('personal_data_erased_at')
    with op.batch_alter_table('conferences', schema=None) as batch_op:
        batch_op.drop_column('personal_data_erased_at')
        batch_op.drop_column('erase_personal_data_months')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER audit_entries_append_only ON audit_entries')
        op.execute('DROP FUNCTION audit_entries_append_only()')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_registration_id')
        batch_op.drop_index('ix_audit_entries_conference_at')
        batch_op.drop_index(op.f('ix_audit_entries_action'))
    op.drop_table('audit_entries')
