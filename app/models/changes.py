"""The change history of the catalog: who changed which record, when, and how."""

from datetime import UTC, datetime

from flask_appbuilder import Model
from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

#: Who made a change outside any request (flask catalog import, seed-demo, a script).
COMMAND_LINE = "command line"
#: Who made a change in a request nobody was signed in to (a role that lets anonymous
#: visitors write); followed by the request's id, which the request log has too.
ANONYMOUS_REQUEST = "anonymous request"
#: The kinds of record the catalog itself is made of.
CATALOG_KINDS = ("author", "album", "song")


class Change(Model):
    """One create, update or delete of an author, album, song, setlist or setlist entry.

    Rows name the record and the person as they were then, so the history survives the
    deletion of either.
    """

    __tablename__ = "change"
    __table_args__ = (
        Index("ix_change_record", "kind", "record_id", "id"),
        Index("ix_change_at", "at"),
        # The newest change of a kind, read from an index end: caches of the artist index
        # and of id pages key on the catalog's (setlist edits, far more frequent, stay out).
        Index("ix_change_kind", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=lambda: datetime.now(UTC)
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL"), index=True
    )
    #: The user's name at the time, COMMAND_LINE, or ANONYMOUS_REQUEST and the request id.
    user_name: Mapped[str] = mapped_column(String(100), nullable=False)
    #: "author", "album", "song", "setlist" or "setlist_entry".
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    record_id: Mapped[int] = mapped_column(Integer, nullable=False)
    #: The record's name at the time ("Greatest Hits (Queen)").
    record_label: Mapped[str] = mapped_column(String(300), nullable=False)
    #: "created", "updated" or "deleted".
    action: Mapped[str] = mapped_column(String(10), nullable=False)
    #: {field: [before, after]} as text; a file is its original name and SHA-256.
    changes: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)

    def __repr__(self) -> str:
        return f"{self.action} {self.kind} {self.record_label}"


def latest_changes(kinds: tuple[str, ...] = CATALOG_KINDS) -> tuple:
    """The id of the newest change of each kind, as scalar subqueries: one index end each
    (ix_change_kind), so a cache of what depends on those kinds knows when to forget."""
    return tuple(
        select(func.max(Change.id)).where(Change.kind == kind).scalar_subquery() for kind in kinds
    )
