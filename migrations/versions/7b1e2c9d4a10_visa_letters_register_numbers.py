"""visa letters numbered from the correspondence register

Revision ID: 7b1e2c9d4a10
Revises: 991b31e15e06
Create Date: 2026-12-05 21:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7b1e2c9d4a10'
down_revision = '991b31e15e06'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('visa_letter_numbering',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=True),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('(conference_id IS NULL) <> (series_id IS NULL)', name=op.f('ck_visa_letter_numbering_one_conference_or_series')),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_visa_letter_numbering_conference_id_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_visa_letter_numbering_series_id_series'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scheme_id'], ['numbering_schemes.id'], name=op.f('fk_visa_letter_numbering_scheme_id_numbering_schemes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visa_letter_numbering')),
    sa.UniqueConstraint('conference_id', name=op.f('uq_visa_letter_numbering_conference_id')),
    sa.UniqueConstraint('series_id', name=op.f('uq_visa_letter_numbering_series_id'))
    )
    with op.batch_alter_table('visa_letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entry_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_visa_letters_entry_id'), ['entry_id'])
        batch_op.create_foreign_key(batch_op.f('fk_visa_letters_entry_id_register_entries'), 'register_entries', ['entry_id'], ['id'])


def downgrade():
    with op.batch_alter_table('visa_letters', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_visa_letters_entry_id_register_entries'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_visa_letters_entry_id'), type_='unique')
        batch_op.drop_column('entry_id')
    op.drop_table('visa_letter_numbering')
