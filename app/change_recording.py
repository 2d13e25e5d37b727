"""Records every create, update and delete of an author, album, song, setlist or setlist
entry in the `change` table, in the same transaction as the change (an SQLAlchemy
`after_flush` hook).

A small table of our own rather than SQLAlchemy-Continuum: Continuum versions whole rows
into a shadow table per model and needs its own mapper setup before FAB's; the history
people read here is "who changed which field from what to what", kept readable after the
record or the user is gone, and a file is named by its original name and SHA-256, never
by its stored name. That is one insert per changed record.
"""

from datetime import UTC, datetime

from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session, joinedload

from app import catalog_tallies as tallies
from app.extensions import db
from app.logs import current_request_id
from app.models import Album, Author, Setlist, SetlistEntry, Song
from app.models.changes import ANONYMOUS_REQUEST, COMMAND_LINE, Change
from app.setlists import sizes

#: model -> (kind, fields recorded). "file" stands for the song's audio file.
TRACKED = {
    Author: ("author", ("name", "country", "biography")),
    Album: ("album", ("title", "author", "release_year")),
    Song: (
        "song",
        ("title", "album", "track_number", "disc_number", "rating", "genre", "year", "file"),
    ),
    Setlist: ("setlist", ("name", "description", "visibility")),
    # The label names the setlist; the position lets a move be told (and undone).
    SetlistEntry: ("setlist_entry", ("song", "position", "note")),
}
#: Relations recorded by the related row's name: the foreign key that may be set instead,
#: and the related model.
RELATIONS = {
    "album": ("album_id", Album),
    "author": ("author_id", Author),
    "song": ("song_id", Song),
}


#: How many of its changes a record's page shows (older ones are on "Recent changes").
RECORD_HISTORY_ROWS = 50


def record_history(item) -> list[Change]:
    """A record's changes, newest first."""
    kind = TRACKED[type(item)][0]
    query = (
        select(Change)
        .where(Change.kind == kind, Change.record_id == item.id)
        .order_by(Change.id.desc())
        .limit(RECORD_HISTORY_ROWS)
    )
    return list(db.session.scalars(query))


def register_history() -> None:
    """Listen to every flush of the app's sessions (once per process)."""
    if not event.contains(db.session, "after_flush", record_changes):
        event.listen(db.session, "after_flush", record_changes)
    if not event.contains(db.session, "before_flush", delete_entries_of_deleted_songs):
        event.listen(db.session, "before_flush", delete_entries_of_deleted_songs)
    # After the hook above (listeners run in order): it deletes the entries this one counts.
    if not event.contains(db.session, "before_flush", sizes.keep_totals):
        event.listen(db.session, "before_flush", sizes.keep_totals)
    # The home page's counters: songs read before each flush, counted again after it.
    # And ORM bulk statements, which no flush sees: recounted at their commit.
    for name, hook in (
        ("before_flush", tallies.note_before),
        ("after_flush", tallies.count_after),
        ("do_orm_execute", tallies.note_bulk),
        ("before_commit", tallies.recount_if_stale),
        ("after_rollback", tallies.forget_stale),
    ):
        if not event.contains(db.session, name, hook):
            event.listen(db.session, name, hook)


def delete_entries_of_deleted_songs(session: Session, _flush_context, _instances) -> None:
    """A song deleted through the ORM takes its setlist entries with it through the ORM too,
    so the history records each one ("deleted" from which setlist). The database's ON DELETE
    CASCADE would delete them as well, unseen by this hook (one query per flush that
    deletes songs, whatever their number)."""
    song_ids = {row.id for row in session.deleted if isinstance(row, Song)}
    if not song_ids:
        return
    entries = session.scalars(
        select(SetlistEntry)
        .where(SetlistEntry.song_id.in_(song_ids))
        .options(joinedload(SetlistEntry.setlist))
    )
    for entry in entries:
        session.delete(entry)


def record_changes(session: Session, _flush_context) -> None:
    """Write one `change` row per tracked record this flush created, updated or deleted."""
    rows = []
    for action, instances in (
        ("created", session.new),
        ("updated", session.dirty),
        ("deleted", session.deleted),
    ):
        for instance in instances:
            tracked = TRACKED.get(type(instance))
            if tracked is None:
                continue
            changes = described_changes(session, instance, tracked[1], action)
            if action == "updated" and not changes:
                continue
            rows.append(change_row(instance, tracked[0], action, changes))
    if rows:
        session.connection().execute(insert(Change.__table__), rows)


def change_row(instance, kind: str, action: str, changes: dict) -> dict:
    """The values of one `change` row (the time is the column's default)."""
    user_id, user_name = acting_user()
    return {
        "user_id": user_id,
        "user_name": user_name,
        "kind": kind,
        "record_id": instance.id,
        "record_label": label_of(instance)[:300],
        "action": action,
        "changes": changes,
        "at": datetime.now(UTC),
    }


def acting_user() -> tuple[int | None, str]:
    """(id, name) of the signed-in user making the change; (None, "command line") outside
    any request; (None, "anonymous request <request id>") in a request nobody signed in to."""
    if not has_request_context():
        return None, COMMAND_LINE
    user = g.get("_login_user") or current_user
    if getattr(user, "is_authenticated", False):
        return user.id, user.username
    return None, f"{ANONYMOUS_REQUEST} {current_request_id()}"[:100]


def described_changes(session: Session, instance, fields, action: str) -> dict:
    """{field: [before, after]} of the recorded fields (after only when created, before
    only when deleted), as text a person can read."""
    state = inspect(instance)
    changes = {}
    for field in fields:
        if action != "updated":
            # Nothing to compare with: the value now, without reading attribute history
            # (a thousand entries added at once flush in one go).
            value = current_value(instance, field)
            if value is not None:
                changes[field] = [None, value] if action == "created" else [value, None]
            continue
        before, after = field_history(session, state, instance, field)
        if before != after:
            changes[field] = [before, after]
    return changes


def current_value(instance, field: str):
    """A created or deleted record's field as the history shows it."""
    if field == "file":
        return file_label(instance.original_filename, instance.sha256)
    if field in RELATIONS:
        return label_of(getattr(instance, field))
    return getattr(instance, field)


def field_history(session: Session, state, instance, field: str):
    """(before, after) of one field in this flush (equal when unchanged)."""
    if field == "file":
        return file_history(state, instance)
    if field in RELATIONS:
        return relation_history(session, state, instance, field)
    history = state.attrs[field].history
    now = getattr(instance, field)
    return (history.deleted[0] if history.deleted else now), now


def relation_history(session: Session, state, instance, field: str):
    """A related row's name before and after (set by relation or by foreign key)."""
    history = state.attrs[field].history
    key, model = RELATIONS[field]
    key_history = state.attrs[key].history
    moved = key_history.deleted and key_history.deleted[0] is not None
    if not history.deleted and not moved:
        return None, None  # unchanged: the related row need not be read (a moved entry's)
    now = getattr(instance, field)
    if history.deleted:
        return label_of(history.deleted[0]), label_of(now)
    return label_of(session.get(model, key_history.deleted[0])), label_of(now)


def file_history(state, instance):
    """The audio file before and after, as "original name (SHA-256 …)"."""
    history = state.attrs["audio_file"].history
    now = file_label(instance.original_filename, instance.sha256)
    if not history.deleted or history.deleted[0] is None:
        return now, now
    names = state.attrs["original_filename"].history
    hashes = state.attrs["sha256"].history
    before = file_label(
        names.deleted[0] if names.deleted else instance.original_filename,
        hashes.deleted[0] if hashes.deleted else instance.sha256,
    )
    return before, now


def file_label(original_name: str | None, sha256: str | None) -> str | None:
    """How a file is named in the history (never by its stored name)."""
    if not original_name:
        return None
    return f"{original_name} (SHA-256 {sha256})" if sha256 else original_name


def label_of(row) -> str | None:
    """A row's name as people know it."""
    return None if row is None else str(row)
