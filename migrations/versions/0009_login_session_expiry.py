"""login sessions: index their start, so expired logins are found and purged by range

Revision ID: 0009_login_session_expiry
Revises: 0008_change_history
Create Date: 2026-12-04 10:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009_login_session_expiry'
down_revision = '0008_change_history'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_login_session_created_at', 'login_session', ['created_at'])


def downgrade():
    op.drop_index('ix_login_session_created_at', table_name='login_session')
