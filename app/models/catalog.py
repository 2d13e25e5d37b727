"""The music catalog: authors, their albums and the songs on them."""

from datetime import datetime

from flask import url_for
from flask_appbuilder import Model
from flask_appbuilder.models.mixins import FileColumn
from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext
from markupsafe import Markup
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.media.audio import format_duration

RATING_MIN, RATING_MAX = 1, 5


class StoredFileColumn(FileColumn):
    """FAB's FileColumn (a file name as text), safe for SQLAlchemy's statement cache."""

    cache_ok = True


TRACK_MIN, TRACK_MAX = 1, 999


class Author(Model):
    """A performer or composer whose albums the catalog holds."""

    __tablename__ = "author"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(150), unique=True, nullable=False)
    country: Mapped[str | None] = mapped_column(String(100), index=True)
    biography: Mapped[str | None] = mapped_column(Text)

    albums: Mapped[list["Album"]] = relationship(back_populates="author")

    def __repr__(self) -> str:
        return self.name


class Album(Model):
    """A release by one author; its title is unique among that author's albums."""

    __tablename__ = "album"
    __table_args__ = (UniqueConstraint("author_id", "title", name="uq_album_author_title"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    release_year: Mapped[int | None] = mapped_column(Integer, index=True)
    author_id: Mapped[int] = mapped_column(
        ForeignKey("author.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    # Stored name in the covers folder; taken from a song's embedded art when empty.
    cover_file: Mapped[str | None] = mapped_column(String(255))
    cover_mime_type: Mapped[str | None] = mapped_column(String(50))

    # Joined: every album list and select shows its author.
    author: Mapped[Author] = relationship(back_populates="albums", lazy="joined")
    songs: Mapped[list["Song"]] = relationship(back_populates="album")

    def cover(self) -> Markup:
        """A thumbnail of the cover, served by the permission-checked cover endpoint."""
        if not self.cover_file:
            return Markup("")
        url = url_for("AlbumModelView.cover", pk=self.id)
        return Markup('<img src="{}" alt="" class="img-thumbnail" width="96" height="96">').format(
            url
        )

    def playing_time(self) -> str:
        """How many songs and how long they play together, e.g. "12 songs, 41:07"."""
        total = sum(song.duration or 0 for song in self.songs)
        return str(
            lazy_gettext(
                "%(count)d song(s), %(time)s", count=len(self.songs), time=format_duration(total)
            )
        )

    def __repr__(self) -> str:
        # Two authors may both have a "Greatest Hits": selects must tell them apart.
        return f"{self.title} ({self.author.name})" if self.author else self.title


class Song(Model):
    """One track of an album, with its uploaded audio file."""

    __tablename__ = "song"
    __table_args__ = (
        CheckConstraint(
            f"rating IS NULL OR rating BETWEEN {RATING_MIN} AND {RATING_MAX}",
            name="ck_song_rating_range",
        ),
        CheckConstraint(
            f"track_number IS NULL OR track_number BETWEEN {TRACK_MIN} AND {TRACK_MAX}",
            name="ck_song_track_number_range",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    track_number: Mapped[int | None] = mapped_column(Integer)
    rating: Mapped[int | None] = mapped_column(Integer, index=True)
    album_id: Mapped[int] = mapped_column(
        ForeignKey("album.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    # Generated, collision-free name inside UPLOAD_FOLDER; never shown to users.
    audio_file: Mapped[str] = mapped_column(StoredFileColumn(), nullable=False)
    original_filename: Mapped[str] = mapped_column(String(255), nullable=False)
    duration: Mapped[float | None] = mapped_column(Float)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    audio_format: Mapped[str | None] = mapped_column(String(10))
    mime_type: Mapped[str | None] = mapped_column(String(50))
    bitrate: Mapped[int | None] = mapped_column(Integer)
    sample_rate: Mapped[int | None] = mapped_column(Integer)
    channels: Mapped[int | None] = mapped_column(Integer)
    genre: Mapped[str | None] = mapped_column(String(100))
    year: Mapped[int | None] = mapped_column(Integer)
    uploaded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL"), index=True
    )

    album: Mapped[Album] = relationship(back_populates="songs", lazy="joined")
    uploaded_by: Mapped[User | None] = relationship(User)

    def __repr__(self) -> str:
        return self.title

    def author(self) -> Author:
        """The album's author, for song lists."""
        return self.album.author

    def file_name(self) -> str:
        """The name the file had on the uploader's machine."""
        return self.original_filename

    def cover(self) -> Markup:
        """The album's cover thumbnail."""
        return self.album.cover()

    def player(self) -> Markup:
        """An HTML5 player on the permission-checked stream endpoint."""
        url = url_for("SongModelView.stream", pk=self.id)
        return Markup('<audio controls preload="none" src="{}"></audio>').format(url)

    def technical_details(self) -> str:
        """Format, bitrate, sample rate and channels, e.g. "MP3, 128 kbit/s, 44.1 kHz, 2 ch"."""
        parts = [self.audio_format or ""]
        if self.bitrate:
            parts.append(f"{round(self.bitrate / 1000)} kbit/s")
        if self.sample_rate:
            parts.append(f"{self.sample_rate / 1000:g} kHz")
        if self.channels:
            parts.append(f"{self.channels} ch")
        return ", ".join(part for part in parts if part)

    def download(self) -> Markup:
        """A link to the permission-checked download endpoint."""
        url = url_for("SongModelView.download", pk=self.id)
        return Markup('<a href="{}">{}</a>').format(url, lazy_gettext("Download"))
