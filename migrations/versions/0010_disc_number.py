"""songs: a disc number, so multi-disc albums play disc by disc

Revision ID: 0010_disc_number
Revises: 0009_login_session_expiry
Create Date: 2026-12-06 07:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_disc_number'
down_revision = '0009_login_session_expiry'
branch_labels = None
depends_on = None


def upgrade():
    # Batch mode: SQLite adds a CHECK constraint only by rebuilding the table.
    with op.batch_alter_table('song') as batch:
        batch.add_column(sa.Column('disc_number', sa.Integer(), nullable=True))
        batch.create_check_constraint(
            'ck_song_disc_number_range', 'disc_number IS NULL OR disc_number BETWEEN 1 AND 99'
        )


def downgrade():
    with op.batch_alter_table('song') as batch:
        batch.drop_constraint('ck_song_disc_number_range', type_='check')
        batch.drop_column('disc_number')
