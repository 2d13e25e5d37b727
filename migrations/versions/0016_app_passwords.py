"""app_password: named passwords for music apps, encrypted at rest (filled in by the Subsonic work)

Revision ID: 0016_app_passwords
Revises: 0015_listener_data
Create Date: 2026-12-06 16:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016_app_passwords"
down_revision = "0015_listener_data"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'app_password',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('encrypted', sa.String(length=400), nullable=False),
        sa.Column('password_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_client', sa.String(length=64), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('password_hash'),
    )
    op.create_index(
        'ix_app_password_user', 'app_password', ['user_id', 'revoked_at', 'created_at']
    )


def downgrade():
    op.drop_index('ix_app_password_user', table_name='app_password')
    op.drop_table('app_password')
