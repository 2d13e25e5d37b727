"""job: background jobs, one per song file (SHA-256) and kind

Revision ID: 0020_jobs
Revises: 0019_change_kind_index
Create Date: 2026-12-06 19:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020_jobs"
down_revision = "0019_change_kind_index"
branch_labels = None
depends_on = None


def upgrade():
    """Add the job table."""
    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("song_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("worker", sa.String(length=200), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["song_id"], ["song.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256", "kind", name="uq_job_sha256_kind"),
    )
    op.create_index("ix_job_song_id", "job", ["song_id"])
    op.create_index("ix_job_state", "job", ["state"])


def downgrade():
    """Drop the job table."""
    op.drop_index("ix_job_state", table_name="job")
    op.drop_index("ix_job_song_id", table_name="job")
    op.drop_table("job")
