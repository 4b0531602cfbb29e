"""documents and their language versions

Revision ID: 0e954eb9dde4
Revises: 6a3f0e1d2c47
Create Date: 2026-12-05 03:45:05.102404

"""
from alembic import op
import sqlalchemy as sa

import registration.database


# revision identifiers, used by Alembic.
revision = '0e954eb9dde4'
down_revision = '6a3f0e1d2c47'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=True),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('note_verbale', 'summary', 'chairs_statement', 'concept_note', 'programme', 'list_of_participants', name='documentkind', native_enum=False, length=32), nullable=False),
    sa.Column('titles', sa.JSON(), nullable=False),
    sa.Column('visibility', sa.Enum('public', 'participants', 'focal_points', 'internal', name='visibility', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('draft', 'issued', 'withdrawn', name='documentstatus', native_enum=False, length=32), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('issued_at', registration.database.UTCDateTime(), nullable=True),
    sa.Column('created_at', registration.database.UTCDateTime(), nullable=False),
    sa.Column('updated_at', registration.database.UTCDateTime(), nullable=False),
    sa.CheckConstraint('(conference_id IS NULL) <> (series_id IS NULL)', name=op.f('ck_documents_one_conference_or_series')),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_documents_conference_id_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_documents_series_id_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_series_id'), ['series_id'], unique=False)

    op.create_table('document_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('format', sa.Enum('pdf', 'docx', name='fileformat', native_enum=False, length=32), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', registration.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_files_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_files')),
    sa.UniqueConstraint('document_id', 'language', name=op.f('uq_document_files_document_id'))
    )


def downgrade():
    op.drop_table('document_files')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_series_id'))
        batch_op.drop_index(batch_op.f('ix_documents_conference_id'))

    op.drop_table('documents')
