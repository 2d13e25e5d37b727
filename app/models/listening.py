"""What each listener is playing: the play queue kept per user, resumed on any device."""

from datetime import UTC, datetime

from flask_appbuilder import Model
from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

#: How a queue repeats: not at all, the whole queue, or the current song.
REPEAT_MODES = ("off", "all", "one")
#: How the web player evens volume: not at all, by each song's gain, by its album's.
EVEN_VOLUME_MODES = ("off", "track", "album")


class PlayQueue(Model):
    """A user's queue as a whole: where they are in it and how it plays (one row per user)."""

    __tablename__ = "play_queue"
    __table_args__ = (
        CheckConstraint("repeat IN ('off', 'all', 'one')", name="ck_play_queue_repeat"),
        CheckConstraint("current_position >= 0", name="ck_play_queue_current"),
        CheckConstraint("position_ms >= 0", name="ck_play_queue_position_ms"),
        CheckConstraint(
            "even_volume IN ('off', 'track', 'album')", name="ck_play_queue_even_volume"
        ),
    )

    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True
    )
    #: The `position` of the entry playing (entries keep theirs when a song is deleted).
    current_position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    #: How far into that song, in milliseconds.
    position_ms: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    shuffle: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    repeat: Mapped[str] = mapped_column(String(3), nullable=False, default="off")
    #: "Even volume": no gain, each song's ReplayGain track gain, or its album's gain.
    even_volume: Mapped[str] = mapped_column(
        String(5), nullable=False, default="off", server_default="off"
    )
    #: "Data saver": the web player streams a smaller transcoded profile, not the file.
    data_saver: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )
    changed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=lambda: datetime.now(UTC)
    )
    #: The client that saved it last ("Setlist web", a Subsonic app's name).
    changed_by: Mapped[str] = mapped_column(String(100), nullable=False, default="")

    def __repr__(self) -> str:
        return f"play queue of user {self.user_id}"


class PlayQueueEntry(Model):
    """One song in a user's queue, at its place; it goes when the song is deleted."""

    __tablename__ = "play_queue_entry"

    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("play_queue.user_id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    song_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("song.id", ondelete="CASCADE"), nullable=False, index=True
    )

    def __repr__(self) -> str:
        return f"song {self.song_id} at {self.position} in user {self.user_id}'s queue"
