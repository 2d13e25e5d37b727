"""Background jobs: one row per song file (its SHA-256) and kind of work, the job's key.

The row is the job's state for the Jobs page and its lock: a worker runs a job only after
moving it from queued to running in one UPDATE, so two workers never run it twice.
"""

from datetime import UTC, datetime

from flask_appbuilder import Model
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

#: A job's states; "waiting" waits for a program its kind needs (ffmpeg) to be installed;
#: "unsent" could not be handed to the task queue (down): a worker sends it once it is back.
QUEUED, RUNNING, DONE, FAILED, WAITING = "queued", "running", "done", "failed", "waiting"
UNSENT = "unsent"
STATES = (QUEUED, UNSENT, RUNNING, DONE, FAILED, WAITING)
#: The longest failure reason kept (a traceback's last line, not the traceback).
REASON_LENGTH = 500
KIND_LENGTH = 40
WORKER_LENGTH = 200


def now() -> datetime:
    """The current time, with its zone."""
    return datetime.now(UTC)


class Job(Model):
    """One kind of work on one song file, its state and its result."""

    __tablename__ = "job"
    __table_args__ = (UniqueConstraint("sha256", "kind", name="uq_job_sha256_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    song_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("song.id", ondelete="CASCADE"), nullable=False, index=True
    )
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    kind: Mapped[str] = mapped_column(String(KIND_LENGTH), nullable=False)
    # The Jobs page counts by state and lists the failed ones.
    state: Mapped[str] = mapped_column(String(10), nullable=False, default=QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    reason: Mapped[str | None] = mapped_column(String(REASON_LENGTH))
    worker: Mapped[str | None] = mapped_column(String(WORKER_LENGTH))
    result: Mapped[dict | None] = mapped_column(JSON)
    queued_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=now
    )
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"{self.kind} of song {self.song_id} ({self.state})"
