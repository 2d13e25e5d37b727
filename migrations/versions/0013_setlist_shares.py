"""setlist_share: read-only links to a setlist (token hashes only); song.original_filename
indexed for the playlist import's matching by file name

Revision ID: 0013_setlist_shares
Revises: 0012_setlists
Create Date: 2026-12-06 13:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_setlist_shares'
down_revision = '0012_setlists'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'setlist_share',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('setlist_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('token_prefix', sa.String(length=6), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            'allow_download', sa.Boolean(), server_default=sa.false(), nullable=False
        ),
        sa.ForeignKeyConstraint(['created_by_id'], ['ab_user.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['setlist_id'], ['setlist.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index(
        'ix_setlist_share_setlist', 'setlist_share', ['setlist_id', 'revoked_at', 'created_at']
    )
    op.create_index('ix_setlist_share_created', 'setlist_share', ['created_at', 'id'])
    op.create_index(
        op.f('ix_setlist_share_created_by_id'), 'setlist_share', ['created_by_id']
    )
    op.create_index(op.f('ix_song_original_filename'), 'song', ['original_filename'])


def downgrade():
    op.drop_index(op.f('ix_song_original_filename'), table_name='song')
    op.drop_index(op.f('ix_setlist_share_created_by_id'), table_name='setlist_share')
    op.drop_index('ix_setlist_share_created', table_name='setlist_share')
    op.drop_index('ix_setlist_share_setlist', table_name='setlist_share')
    op.drop_table('setlist_share')
