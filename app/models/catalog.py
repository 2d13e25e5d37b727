"""The music catalog: authors, their albums and the songs on them."""

from datetime import datetime

from flask_appbuilder import Model
from flask_appbuilder.models.mixins import FileColumn
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship, validates

from app.search.keys import KEY_LENGTH, search_key

RATING_MIN, RATING_MAX = 1, 5
UNIQUE_CONTENT_INDEX = "uq_song_sha256_once"
TRACK_MIN, TRACK_MAX = 1, 999
DISC_MIN, DISC_MAX = 1, 99

#: Folded text compares byte by byte: PostgreSQL's "C" collation lets one B-tree index
#: serve ORDER BY and prefix ranges alike (SQLite compares bytes already).
SearchKey = String(KEY_LENGTH).with_variant(String(KEY_LENGTH, collation="C"), "postgresql")


class StoredFileColumn(FileColumn):
    """FAB's FileColumn (a file name as text), safe for SQLAlchemy's statement cache."""

    cache_ok = True


def key_column() -> Mapped[str]:
    """A search key column, kept in step with its text column by a @validates hook."""
    return mapped_column(SearchKey, nullable=False, default="", server_default="")


def trigram_index(table: str, column: str) -> Index:
    """A PostgreSQL pg_trgm index that makes "contains" searches fast (none on SQLite)."""
    return Index(
        f"ix_{table}_{column}_trgm",
        column,
        postgresql_using="gin",
        postgresql_ops={column: "gin_trgm_ops"},
        info={"dialect": "postgresql"},
    ).ddl_if(dialect="postgresql")


def sort_index(table: str, column: str) -> Index:
    """An index for a list sorted by a column, or by a parent's column (a foreign key):
    ties go by id (the pager's order), so the database reads a page from the index
    instead of sorting the table."""
    return Index(f"ix_{table}_{column}", column, "id")


class Titled:
    """A title up to 200 characters, with its search key kept in step."""

    #: Text column -> its search key column (matching and case-insensitive sorting).
    search_keys = {"title": "title_key"}

    title: Mapped[str] = mapped_column(String(200), nullable=False)
    title_key: Mapped[str] = key_column()

    @validates("title")
    def keep_title_key(self, _attribute: str, title: str) -> str:
        """Fold the new title into its search key."""
        self.title_key = search_key(title)
        return title


class Author(Model):
    """A performer or composer whose albums the catalog holds."""

    __tablename__ = "author"
    __table_args__ = (
        Index("ix_author_name_key", "name_key", "id"),
        trigram_index("author", "name_key"),
        sort_index("author", "country"),
    )
    search_keys = {"name": "name_key"}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(150), unique=True, nullable=False)
    name_key: Mapped[str] = key_column()
    country: Mapped[str | None] = mapped_column(String(100))
    biography: Mapped[str | None] = mapped_column(Text)

    albums: Mapped[list["Album"]] = relationship(back_populates="author")

    @validates("name")
    def keep_name_key(self, _attribute: str, name: str) -> str:
        """Fold the new name into its search key."""
        self.name_key = search_key(name)
        return name

    def __repr__(self) -> str:
        return self.name


class Album(Titled, Model):
    """A release by one author; its title is unique among that author's albums."""

    __tablename__ = "album"
    __table_args__ = (
        UniqueConstraint("author_id", "title", name="uq_album_author_title"),
        Index("ix_album_title_key", "title_key", "id"),
        trigram_index("album", "title_key"),
        sort_index("album", "release_year"),
        sort_index("album", "author_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_year: Mapped[int | None] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(
        ForeignKey("author.id", ondelete="RESTRICT"), nullable=False
    )
    # Stored name in the covers folder; taken from a song's embedded art when empty.
    cover_file: Mapped[str | None] = mapped_column(String(255))
    cover_mime_type: Mapped[str | None] = mapped_column(String(50))
    # ReplayGain 2.0 album values over the album's songs played as one, written by the
    # "album loudness" job; all None until it ran, and while no song has a file.
    loudness_lufs: Mapped[float | None] = mapped_column(Float)
    true_peak_db: Mapped[float | None] = mapped_column(Float)
    album_gain_db: Mapped[float | None] = mapped_column(Float)
    #: The true peak as a linear sample value (1.0 = full scale), as ReplayGain stores it.
    album_peak: Mapped[float | None] = mapped_column(Float)
    #: Which files the values describe (a hash of the songs' SHA-256s): a song added,
    #: removed or given another file makes it differ, and the album is measured again.
    loudness_key: Mapped[str | None] = mapped_column(String(64))

    # Joined: every album list and select shows its author.
    author: Mapped[Author] = relationship(back_populates="albums", lazy="joined")
    songs: Mapped[list["Song"]] = relationship(back_populates="album")

    def song_totals(self) -> tuple[int, float]:
        """How many songs the album has and their total playing time, counted by the database."""
        totals = select(func.count(Song.id), func.coalesce(func.sum(Song.duration), 0.0))
        count, seconds = object_session(self).execute(totals.where(Song.album_id == self.id)).one()
        return count, seconds

    def __repr__(self) -> str:
        # Two authors may both have a "Greatest Hits": selects must tell them apart.
        return f"{self.title} ({self.author.name})" if self.author else self.title


class Song(Titled, Model):
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
        CheckConstraint(
            f"disc_number IS NULL OR disc_number BETWEEN {DISC_MIN} AND {DISC_MAX}",
            name="ck_song_disc_number_range",
        ),
        Index("ix_song_title_key", "title_key", "id"),
        trigram_index("song", "title_key"),
        sort_index("song", "track_number"),
        sort_index("song", "duration"),
        sort_index("song", "rating"),
        sort_index("song", "album_id"),
        # A genre's songs in order, and its albums (Subsonic's getSongsByGenre, byGenre).
        sort_index("song", "genre"),
        Index("ix_song_genre_album", "genre", "album_id"),
        # One song per file content, enforced by the database (two uploads of one file at
        # the same moment both pass the form's check); an admin's kept duplicate is exempt.
        Index(
            UNIQUE_CONTENT_INDEX,
            "sha256",
            unique=True,
            sqlite_where=text("kept_duplicate = 0"),
            postgresql_where=text("NOT kept_duplicate"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    track_number: Mapped[int | None] = mapped_column(Integer)
    # Multi-disc releases number their tracks per disc; no disc means a one-disc album.
    disc_number: Mapped[int | None] = mapped_column(Integer)
    rating: Mapped[int | None] = mapped_column(Integer)
    album_id: Mapped[int] = mapped_column(
        ForeignKey("album.id", ondelete="RESTRICT"), nullable=False
    )
    # Generated, collision-free name inside UPLOAD_FOLDER; never shown to users.
    audio_file: Mapped[str] = mapped_column(StoredFileColumn(), nullable=False)
    # Indexed: a playlist import matches its lines by file name (app/setlists/matching.py).
    original_filename: Mapped[str] = mapped_column(String(255), nullable=False, index=True)
    # Its old value is kept when it changes: setlists holding the song move their playing
    # time by the difference (app/setlists/sizes.py).
    duration: Mapped[float | None] = mapped_column(Float, active_history=True)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    #: An admin chose to keep this file although the catalog has it already.
    kept_duplicate: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )
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
    # EBU R128 / ReplayGain 2.0, written by the "loudness" job (app/jobs/loudness.py);
    # all None until it ran, and for a silent file.
    loudness_lufs: Mapped[float | None] = mapped_column(Float)
    loudness_range: Mapped[float | None] = mapped_column(Float)
    true_peak_db: Mapped[float | None] = mapped_column(Float)
    track_gain_db: Mapped[float | None] = mapped_column(Float)
    #: The true peak as a linear sample value (1.0 = full scale), as ReplayGain stores it.
    track_peak: Mapped[float | None] = mapped_column(Float)
    # About 4 KB (app/audio_analysis Waveform.to_bytes): deferred, so lists never read it.
    waveform: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

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
