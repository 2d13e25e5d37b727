"""change history: who created, updated or deleted which author, album or song, and how

Revision ID: 0008_change_history
Revises: 0007_sort_indexes
Create Date: 2026-11-22 05:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_change_history'
down_revision = '0007_sort_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('user_name', sa.String(length=100), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('record_label', sa.String(length=300), nullable=False),
        sa.Column('action', sa.String(length=10), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_change_record', 'change', ['kind', 'record_id', 'id'])
    op.create_index('ix_change_at', 'change', ['at'])
    op.create_index('ix_change_user_id', 'change', ['user_id'])


def downgrade():
    op.drop_index('ix_change_user_id', table_name='change')
    op.drop_index('ix_change_at', table_name='change')
    op.drop_index('ix_change_record', table_name='change')
    op.drop_table('change')
