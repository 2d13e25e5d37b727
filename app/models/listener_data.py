"""Each listener's own data: favourites (stars) and ratings per song, album and author, and
plays per song. The catalog's editorial `song.rating` is another thing and stays as it is."""

from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.models.catalog import RATING_MAX, RATING_MIN


def mark_args(table: str, item: str) -> tuple:
    """A mark table's rules and indexes: the primary key (user, item) answers "is this page's
    rows starred or rated by me" in one query; (user, starred_at, item) lists a user's
    favourites newest first from the index; the item's own index serves its cascade."""
    return (
        CheckConstraint(
            f"rating IS NULL OR rating BETWEEN {RATING_MIN} AND {RATING_MAX}",
            name=f"ck_{table}_rating",
        ),
        CheckConstraint("starred_at IS NOT NULL OR rating IS NOT NULL", name=f"ck_{table}_kept"),
        Index(f"ix_{table}_starred", "user_id", "starred_at", item),
        Index(f"ix_{table}_{item}", item),
    )


class Mark:
    """What one user keeps about one catalog row: starred (when), their rating (1-5).

    A row exists only while one of the two is set (app/listening/marks.py deletes it)."""

    @declared_attr
    def user_id(cls) -> Mapped[int]:
        """The listener (their marks go with their account)."""
        return mapped_column(
            Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True
        )

    starred_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rating: Mapped[int | None] = mapped_column(Integer)


class SongMark(Mark, Model):
    """A listener's star and rating on a song."""

    __tablename__ = "song_mark"
    __table_args__ = mark_args("song_mark", "song_id")

    song_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("song.id", ondelete="CASCADE"), primary_key=True
    )

    def __repr__(self) -> str:
        return f"user {self.user_id}'s mark on song {self.song_id}"


class AlbumMark(Mark, Model):
    """A listener's star and rating on an album."""

    __tablename__ = "album_mark"
    __table_args__ = mark_args("album_mark", "album_id")

    album_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("album.id", ondelete="CASCADE"), primary_key=True
    )

    def __repr__(self) -> str:
        return f"user {self.user_id}'s mark on album {self.album_id}"


class AuthorMark(Mark, Model):
    """A listener's star and rating on an author."""

    __tablename__ = "author_mark"
    __table_args__ = mark_args("author_mark", "author_id")

    author_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("author.id", ondelete="CASCADE"), primary_key=True
    )

    def __repr__(self) -> str:
        return f"user {self.user_id}'s mark on author {self.author_id}"


class SongPlay(Model):
    """How often a listener played a song, and when last (one row per user and song)."""

    __tablename__ = "song_play"
    __table_args__ = (
        CheckConstraint("play_count >= 1", name="ck_song_play_count"),
        # A user's recently played and most played, each read from its index a page at a time.
        Index("ix_song_play_recent", "user_id", "last_played_at", "song_id"),
        Index("ix_song_play_most", "user_id", "play_count", "song_id"),
        Index("ix_song_play_song_id", "song_id"),
    )

    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True
    )
    song_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("song.id", ondelete="CASCADE"), primary_key=True
    )
    play_count: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    last_played_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    def __repr__(self) -> str:
        return f"user {self.user_id} played song {self.song_id} {self.play_count} time(s)"
