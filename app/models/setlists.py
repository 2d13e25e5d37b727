"""Setlists: ordered lists of catalog songs that people build, reorder and share."""

from datetime import UTC, datetime

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.models.catalog import Song, key_column
from app.search.keys import search_key

#: Who sees a setlist: its owner only, everyone who may browse, or holders of a link.
VISIBILITIES = ("private", "catalog", "link")
NAME_LENGTH = 200
NOTE_LENGTH = 100


def utc_now() -> datetime:
    """The time now, in UTC (the columns keep the zone, as the rest of the schema does)."""
    return datetime.now(UTC)


class Setlist(Model):
    """A named, ordered list of songs owned by one user, with its visibility.

    The owner's account going takes their setlists with it (ON DELETE CASCADE): a private
    list nobody can see any more is clutter, and a published one has no one to answer for it.
    """

    __tablename__ = "setlist"
    __table_args__ = (
        CheckConstraint(
            "visibility IN ('private', 'catalog', 'link')", name="ck_setlist_visibility"
        ),
        # "My setlists, most recent first" and the catalog's list read an index in order.
        Index("ix_setlist_owner_updated", "owner_id", "updated_at", "id"),
        Index("ix_setlist_visibility_updated", "visibility", "updated_at", "id"),
        Index("ix_setlist_name_key", "name_key", "id"),
    )
    search_keys = {"name": "name_key"}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), nullable=False)
    name_key: Mapped[str] = key_column()
    description: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False
    )
    visibility: Mapped[str] = mapped_column(String(10), nullable=False, default="private")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utc_now
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utc_now
    )
    # Its size, kept by every change to its entries and to its songs' lengths
    # (app/setlists/sizes.py): lists and pages read them instead of summing the entries.
    entry_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    #: Whole milliseconds, so additions and removals never drift as float sums would.
    playing_ms: Mapped[int] = mapped_column(
        BigInteger, nullable=False, default=0, server_default="0"
    )

    owner: Mapped[User] = relationship(User)
    # The database deletes the entries with their setlist (one statement, however many);
    # entries already loaded go through the ORM.
    entries: Mapped[list["SetlistEntry"]] = relationship(
        back_populates="setlist",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(SetlistEntry.position, SetlistEntry.id)",
    )

    @validates("name")
    def keep_name_key(self, _attribute: str, name: str) -> str:
        """Fold the new name into its search key."""
        self.name_key = search_key(name)
        return name

    @property
    def totals(self) -> tuple[int, float]:
        """(entries, seconds of playing time)."""
        return self.entry_count, self.playing_ms / 1000

    def __repr__(self) -> str:
        return self.name


class SetlistEntry(Model):
    """One song at its place in a setlist; a song may appear more than once.

    Positions are gapped integers ordered with the id as tie-break: a move writes one row
    (a number between its new neighbours), so positions need not be unique.
    """

    __tablename__ = "setlist_entry"
    __table_args__ = (
        Index("ix_setlist_entry_order", "setlist_id", "position", "id"),
        CheckConstraint(f"length(note) <= {NOTE_LENGTH}", name="ck_setlist_entry_note"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    setlist_id: Mapped[int] = mapped_column(
        ForeignKey("setlist.id", ondelete="CASCADE"), nullable=False
    )
    song_id: Mapped[int] = mapped_column(
        ForeignKey("song.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # The sentinel matches the rows RETURNING gives back to the objects inserted, so SQLite
    # too writes a thousand entries in one batched INSERT. Entries inserted in one flush
    # need distinct positions (add_songs' are); SQLAlchemy refuses a batch that repeats one.
    position: Mapped[int] = mapped_column(Integer, nullable=False, insert_sentinel=True)
    #: "segue", "talk-over": a word for whoever plays the set.
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
    added_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL"), index=True
    )
    added_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utc_now
    )

    setlist: Mapped[Setlist] = relationship(back_populates="entries")
    # Joined: every entry shown names its song, album and author (Song joins the rest).
    song: Mapped[Song] = relationship(Song, lazy="joined")

    #: The song's title when it was read without the song (a move does): for the label.
    song_title = None

    def __repr__(self) -> str:
        # Only what is loaded already: a history label must not cost a query per entry.
        song, setlist = self.__dict__.get("song"), self.__dict__.get("setlist")
        song_name = song.title if song is not None else self.song_title or f"song {self.song_id}"
        return f"{song_name} in {setlist.name}" if setlist is not None else song_name
