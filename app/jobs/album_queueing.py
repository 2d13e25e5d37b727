"""Keeping albums' loudness keys current: a commit that adds, removes, moves or replaces a
song file stores the new key of each album it touched and queues that album's job (sent
after the commit, like a song's); `flask catalog analyze` does the same for every album."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import event, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.extensions import db
from app.jobs.album_loudness import CLEARED, KIND, album_columns, album_key
from app.jobs.kinds import KINDS
from app.jobs.queueing import PENDING
from app.jobs.running import stale_after
from app.models.catalog import Album, Song
from app.models.jobs import DONE, QUEUED, RUNNING, Job, now

#: session.info's set of album ids whose songs changed since the last commit.
TOUCHED = "setlist.albums_touched"


def bring_up_to_date(
    session: Session, album_id: int, key: str | None, anchor: int | None, again: bool = False
) -> bool:
    """Store the album's key and make its values follow: cleared without files, copied
    from a done job of that key, else measured by a job (queued again with `again`).
    Whether a job was queued (sent after the caller's commit unless jobs are deferred)."""
    if key is None:
        session.execute(
            update(Album).where(Album.id == album_id).values(loudness_key=None, **CLEARED)
        )
        return False
    session.execute(update(Album).where(Album.id == album_id).values(loudness_key=key))
    found = select(Job.id, Job.state, Job.result).where(Job.sha256 == key, Job.kind == KIND)
    job = session.execute(found).first()
    if job is None:
        dialect = {"postgresql": postgresql, "sqlite": sqlite}[session.get_bind().dialect.name]
        row = {"song_id": anchor, "sha256": key, "kind": KIND, "state": QUEUED, "attempts": 0}
        session.execute(
            dialect.insert(Job)
            .values(**row, queued_at=now())
            .on_conflict_do_nothing(index_elements=["sha256", "kind"])
        )
    elif job.state == DONE and job.result is not None and not again:
        values = album_columns(job.result)
        session.execute(update(Album).where(Album.id == album_id).values(**values))
        return False
    elif again or (job.state == DONE and job.result is None):
        # Superseded once, these songs are back (or asked for again): measure them anew.
        session.execute(
            update(Job)
            .where(Job.id == job.id)
            .values(song_id=anchor, state=QUEUED, reason=None, queued_at=now(), finished_at=None)
            .execution_options(synchronize_session=False)
        )
    else:  # queued, running, failed or waiting: that job has these songs already
        return False
    if not current_app.config.get("CATALOG_JOBS_DEFER", False):
        session.info.setdefault(PENDING, []).append((key, KIND))
    return True


def note_touched_albums(session: Session, _flush_context) -> None:
    """After a flush: remember the albums that gained, lost or changed a song file."""
    if KIND not in KINDS:
        return
    touched = session.info.setdefault(TOUCHED, set())
    for song in (*session.new, *session.deleted, *session.dirty):
        if not isinstance(song, Song):
            continue
        state = inspect(song)
        if song in session.dirty:
            moved = list(state.attrs.album_id.history.deleted) + [
                album.id for album in state.attrs.album.history.deleted if album is not None
            ]
            if not (moved or state.attrs.sha256.history.added):
                continue  # a title or a rating changed: the album's files did not
            touched.update(moved)  # its old album lost a song
        # From the object's dict: a deleted song's attributes cannot be loaded again.
        touched.add(state.dict.get("album_id"))
    touched.discard(None)


def update_touched_albums(session: Session) -> None:
    """Before the commit: the touched albums' keys, their jobs queued where needed."""
    if KIND not in KINDS:
        return
    # Flushed now, not by the commit after this hook: the last changes are noted too.
    session.flush()
    album_ids = sorted(session.info.pop(TOUCHED, set()))
    if not album_ids:
        return
    stored = dict(
        session.execute(select(Album.id, Album.loudness_key).where(Album.id.in_(album_ids))).all()
    )
    hashes, anchors = album_files(session, album_ids)
    for album_id, old_key in stored.items():
        key = album_key(hashes.get(album_id, ()))
        if key != old_key:
            bring_up_to_date(session, album_id, key, anchors.get(album_id))


def forget_touched(session: Session, _previous_transaction) -> None:
    """The transaction was rolled back: its changes never happened."""
    session.info.pop(TOUCHED, None)


def register_album_queueing() -> None:
    """Listen to the app's sessions (once per process)."""
    for name, hook in (
        ("after_flush", note_touched_albums),
        ("before_commit", update_touched_albums),
        ("after_soft_rollback", forget_touched),
    ):
        if not event.contains(db.session, name, hook):
            event.listen(db.session, name, hook)


def album_files(session: Session, album_ids: list[int] | None = None) -> tuple[dict, dict]:
    """({album id: its songs' SHA-256s}, {album id: its first song's id}) for these albums
    (every album's with None: the CLI's scan)."""
    songs = select(Song.album_id, Song.id, Song.sha256).where(Song.sha256.is_not(None))
    if album_ids is not None:
        songs = songs.where(Song.album_id.in_(album_ids))
    hashes: dict[int, list[str]] = {}
    anchors: dict[int, int] = {}
    for album_id, song_id, sha256 in session.execute(songs.order_by(Song.id)):
        hashes.setdefault(album_id, []).append(sha256)
        anchors.setdefault(album_id, song_id)
    return hashes, anchors


def albums_to_analyze(session: Session, everything: bool) -> list[tuple]:
    """(album id, key, first song id, again) of the albums whose values are not current:
    a stale key, or a job neither done nor running; every album with files for
    `everything`. Scans every album: for the CLI."""
    stored = dict(session.execute(select(Album.id, Album.loudness_key)).all())
    hashes, anchors = album_files(session)
    stale = now() - timedelta(seconds=stale_after())
    jobs = select(Job.sha256, Job.state, Job.started_at, Job.result).where(Job.kind == KIND)
    settled = {
        sha256
        for sha256, state, started, result in session.execute(jobs)
        if (state == DONE and result is not None) or (state == RUNNING and started >= stale)
    }
    todo = []
    for album_id, old_key in sorted(stored.items()):
        key = album_key(hashes.get(album_id, ()))
        if key is None:
            if old_key is not None:
                todo.append((album_id, None, None, False))
        elif everything or (key == old_key and key not in settled):
            todo.append((album_id, key, anchors[album_id], True))
        elif key != old_key:
            todo.append((album_id, key, anchors[album_id], False))
    return todo
