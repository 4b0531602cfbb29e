"""registration questions, answers and personal files (answers' files, badge photos)

Revision ID: 939c5831c0cd
Revises: 9d2e6b7c4a31
Create Date: 2026-12-05 03:50:29.141601

"""
from alembic import op
import sqlalchemy as sa

import registration.database


# revision identifiers, used by Alembic.
revision = '939c5831c0cd'
down_revision = '9d2e6b7c4a31'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('registration_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('help_text', sa.String(length=500), nullable=False),
    sa.Column('kind', sa.Enum('short_text', 'long_text', 'single_choice', 'multiple_choice', 'date', 'country', 'yes_no', 'file', name='questionkind', native_enum=False, length=32), nullable=False),
    sa.Column('options', sa.Text(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('audience', sa.Enum('all', 'in_person', 'online', name='questionaudience', native_enum=False, length=32), nullable=False),
    sa.Column('stage', sa.Enum('registration', 'follow_up', name='questionstage', native_enum=False, length=32), nullable=False),
    sa.Column('sensitive', sa.Boolean(), nullable=False),
    sa.Column('created_at', registration.database.UTCDateTime(), nullable=False),
    sa.Column('updated_at', registration.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_registration_questions_conference_id_conferences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_questions'))
    )
    with op.batch_alter_table('registration_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_questions_conference_id'), ['conference_id'], unique=False)

    op.create_table('personal_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', registration.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_personal_files_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_files')),
    sa.UniqueConstraint('key', name=op.f('uq_personal_files_key'))
    )
    with op.batch_alter_table('personal_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_files_registration_id'), ['registration_id'], unique=False)

    op.create_table('registration_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', registration.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['personal_files.id'], name=op.f('fk_registration_answers_file_id_personal_files'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['registration_questions.id'], name=op.f('fk_registration_answers_question_id_registration_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_registration_answers_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_answers')),
    sa.UniqueConstraint('registration_id', 'question_id', name=op.f('uq_registration_answers_registration_id'))
    )
    with op.batch_alter_table('registration_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_answers_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_answers_registration_id'), ['registration_id'], unique=False)



def downgrade():
    with op.batch_alter_table('registration_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_answers_registration_id'))
        batch_op.drop_index(batch_op.f('ix_registration_answers_question_id'))

    op.drop_table('registration_answers')
    with op.batch_alter_table('personal_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personal_files_registration_id'))

    op.drop_table('personal_files')
    with op.batch_alter_table('registration_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_questions_conference_id'))

    op.drop_table('registration_questions')
