"""notes verbales

Revision ID: e3f4953f0a20
Revises: e1a5d7c3b902
Create Date: 2026-12-05 04:34:35.373354

"""
from alembic import op
import sqlalchemy as sa

import registration.database


# revision identifiers, used by Alembic.
revision = 'e3f4953f0a20'
down_revision = 'e1a5d7c3b902'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notes_verbales',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=True),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('enclosure_id', sa.Integer(), nullable=True),
    sa.Column('enclosure_pages', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'issued', 'cancelled', name='notestatus', native_enum=False, length=32), nullable=False),
    sa.Column('note_date', sa.Date(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('created_at', registration.database.UTCDateTime(), nullable=False),
    sa.Column('updated_at', registration.database.UTCDateTime(), nullable=False),
    sa.Column('issued_at', registration.database.UTCDateTime(), nullable=True),
    sa.CheckConstraint('(conference_id IS NULL) <> (series_id IS NULL)', name=op.f('ck_notes_verbales_one_conference_or_series')),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_notes_verbales_conference_id_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['corrects_id'], ['notes_verbales.id'], name=op.f('fk_notes_verbales_corrects_id_notes_verbales')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_notes_verbales_document_id_documents')),
    sa.ForeignKeyConstraint(['enclosure_id'], ['documents.id'], name=op.f('fk_notes_verbales_enclosure_id_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['register_entries.id'], name=op.f('fk_notes_verbales_entry_id_register_entries')),
    sa.ForeignKeyConstraint(['scheme_id'], ['numbering_schemes.id'], name=op.f('fk_notes_verbales_scheme_id_numbering_schemes')),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_notes_verbales_series_id_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notes_verbales')),
    sa.UniqueConstraint('document_id', name=op.f('uq_notes_verbales_document_id')),
    sa.UniqueConstraint('entry_id', name=op.f('uq_notes_verbales_entry_id'))
    )
    with op.batch_alter_table('notes_verbales', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notes_verbales_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notes_verbales_series_id'), ['series_id'], unique=False)



def downgrade():
    with op.batch_alter_table('notes_verbales', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notes_verbales_series_id'))
        batch_op.drop_index(batch_op.f('ix_notes_verbales_conference_id'))

    op.drop_table('notes_verbales')
