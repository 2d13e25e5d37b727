"""setlist, setlist_entry: ordered lists of songs; change.kind wide enough for their kinds

Revision ID: 0012_setlists
Revises: 0011_play_queue
Create Date: 2026-12-06 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_setlists'
down_revision = '0011_play_queue'
branch_labels = None
depends_on = None

SEARCH_KEY = sa.String(length=400).with_variant(
    sa.String(length=400, collation='C'), 'postgresql'
)


def upgrade():
    op.create_table(
        'setlist',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('name_key', SEARCH_KEY, server_default='', nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('visibility', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "visibility IN ('private', 'catalog', 'link')", name='ck_setlist_visibility'
        ),
        sa.ForeignKeyConstraint(['owner_id'], ['ab_user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_setlist_owner_updated', 'setlist', ['owner_id', 'updated_at', 'id'])
    op.create_index(
        'ix_setlist_visibility_updated', 'setlist', ['visibility', 'updated_at', 'id']
    )
    op.create_index('ix_setlist_name_key', 'setlist', ['name_key', 'id'])
    op.create_table(
        'setlist_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('setlist_id', sa.Integer(), nullable=False),
        sa.Column('song_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('note', sa.String(length=100), nullable=True),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('length(note) <= 100', name='ck_setlist_entry_note'),
        sa.ForeignKeyConstraint(['added_by_id'], ['ab_user.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['setlist_id'], ['setlist.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['song_id'], ['song.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(
        'ix_setlist_entry_order', 'setlist_entry', ['setlist_id', 'position', 'id']
    )
    op.create_index(op.f('ix_setlist_entry_song_id'), 'setlist_entry', ['song_id'])
    op.create_index(op.f('ix_setlist_entry_added_by_id'), 'setlist_entry', ['added_by_id'])
    with op.batch_alter_table('change') as batch_op:
        batch_op.alter_column(
            'kind', existing_type=sa.String(length=10), type_=sa.String(length=20),
            existing_nullable=False,
        )


def downgrade():
    # Changes of setlists go with them: their kinds do not fit the narrower column.
    op.execute("DELETE FROM change WHERE kind IN ('setlist', 'setlist_entry')")
    with op.batch_alter_table('change') as batch_op:
        batch_op.alter_column(
            'kind', existing_type=sa.String(length=20), type_=sa.String(length=10),
            existing_nullable=False,
        )
    op.drop_index(op.f('ix_setlist_entry_added_by_id'), table_name='setlist_entry')
    op.drop_index(op.f('ix_setlist_entry_song_id'), table_name='setlist_entry')
    op.drop_index('ix_setlist_entry_order', table_name='setlist_entry')
    op.drop_table('setlist_entry')
    op.drop_index('ix_setlist_name_key', table_name='setlist')
    op.drop_index('ix_setlist_visibility_updated', table_name='setlist')
    op.drop_index('ix_setlist_owner_updated', table_name='setlist')
    op.drop_table('setlist')
