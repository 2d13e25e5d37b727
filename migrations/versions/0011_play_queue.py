"""play_queue, play_queue_entry: each user's play queue, resumed on any device

Revision ID: 0011_play_queue
Revises: 0010_disc_number
Create Date: 2026-12-06 07:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_play_queue'
down_revision = '0010_disc_number'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'play_queue',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('current_position', sa.Integer(), nullable=False),
        sa.Column('position_ms', sa.Integer(), nullable=False),
        sa.Column('shuffle', sa.Boolean(), nullable=False),
        sa.Column('repeat', sa.String(length=3), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('changed_by', sa.String(length=100), nullable=False),
        sa.CheckConstraint("repeat IN ('off', 'all', 'one')", name='ck_play_queue_repeat'),
        sa.CheckConstraint('current_position >= 0', name='ck_play_queue_current'),
        sa.CheckConstraint('position_ms >= 0', name='ck_play_queue_position_ms'),
        sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id'),
    )
    op.create_table(
        'play_queue_entry',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('song_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['song_id'], ['song.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['play_queue.user_id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'position'),
    )
    op.create_index(
        op.f('ix_play_queue_entry_song_id'), 'play_queue_entry', ['song_id'], unique=False
    )


def downgrade():
    op.drop_index(op.f('ix_play_queue_entry_song_id'), table_name='play_queue_entry')
    op.drop_table('play_queue_entry')
    op.drop_table('play_queue')
