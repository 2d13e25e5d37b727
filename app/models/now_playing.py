"""What each listener's music apps report playing right now (Subsonic's scrobble without
submission), read back by getNowPlaying. One row per user and client: a phone and a
desktop app playing at once are two rows; a new report replaces that client's row."""

from datetime import UTC, datetime

from flask_appbuilder import Model
from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

#: The longest client name kept (as the play queue's changed_by).
CLIENT_LENGTH = 100


class NowPlaying(Model):
    """A song a user's client said it started playing, and when it said so."""

    __tablename__ = "now_playing"
    # getNowPlaying reads the last few minutes' reports from the time's index.
    __table_args__ = (Index("ix_now_playing_reported", "reported_at"),)

    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True
    )
    client: Mapped[str] = mapped_column(String(CLIENT_LENGTH), primary_key=True)
    song_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("song.id", ondelete="CASCADE"), nullable=False, index=True
    )
    reported_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=lambda: datetime.now(UTC)
    )

    def __repr__(self) -> str:
        return f"song {self.song_id} playing for user {self.user_id} on {self.client}"
