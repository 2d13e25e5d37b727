"""Queueing jobs: a song's job rows are written in the transaction that writes the song,
and the jobs are sent only after it commits (SQLAlchemy session hooks), so every door
that adds a song (the forms, the multi-upload page, the API, the importer) queues them.

Sent to Celery when CATALOG_JOBS_BROKER_URL is set; otherwise run inside this process,
at once (CATALOG_JOBS_EAGER, tests) or on one background thread (development).
"""

import atexit
import logging
import os
import queue
import socket
import threading

from flask import Flask, current_app
from sqlalchemy import event, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.extensions import db
from app.jobs.kinds import KINDS, song_kinds
from app.jobs.resending import mark_unsent
from app.jobs.running import Outage, give_up, run_job
from app.models import Song
from app.models.jobs import DONE, QUEUED, Job, now

log = logging.getLogger(__name__)

#: session.info's list of (sha256, kind) to send once the transaction commits.
PENDING = "setlist.jobs_to_send"
CELERY = "celery"
THREAD = "setlist.jobs_thread"
TASK_NAME = "setlist.run_job"
STARTING = threading.Lock()


def register_queueing() -> None:
    """Listen to the app's sessions (once per process)."""
    for name, hook in (
        ("after_flush", queue_new_files),
        ("after_commit", send_pending),
        ("after_soft_rollback", forget_pending),
    ):
        if not event.contains(db.session, name, hook):
            event.listen(db.session, name, hook)


def queue_new_files(session: Session, _flush_context) -> None:
    """Songs with a new file (added, or given another file) get a queued job per kind."""
    changed = [
        song
        for song in (*session.new, *session.dirty)
        if isinstance(song, Song) and song.sha256 and has_new_file(session, song)
    ]
    for song in changed:
        # A replaced file's jobs describe a file the song no longer has (album jobs hang
        # on a song too, but are keyed by the album's files: app/jobs/album_queueing.py).
        session.execute(
            Job.__table__.delete().where(
                Job.song_id == song.id, Job.sha256 != song.sha256, Job.kind.in_(song_kinds())
            )
        )
        for kind in song_kinds():
            insert_once(session, song, kind)
        take_known_results(session, song)
    # Deferred: the rows stay queued until `flask catalog analyze --missing` or Retry.
    if changed and not current_app.config["CATALOG_JOBS_DEFER"]:
        pending = session.info.setdefault(PENDING, [])
        pending.extend((song.sha256, kind) for song in changed for kind in song_kinds())


def take_known_results(session: Session, song: Song) -> None:
    """A song's values follow its file at once: those of a file analysed before (a kept
    duplicate, a file put back) are saved onto it; a replaced file's old ones are cleared."""
    found = select(Job.kind, Job.id).where(Job.sha256 == song.sha256, Job.state == DONE)
    # A Result has keys(): dict() would take it for a mapping, so rows first.
    done = dict(session.execute(found).all())
    for name in song_kinds():
        kind = KINDS[name]
        if name in done and kind.save is not None:
            job = session.get(Job, done[name])
            kind.save(session, job, dict(job.result or {}))
        elif song not in session.new and kind.forget is not None:
            kind.forget(session, song.id)


def has_new_file(session: Session, song: Song) -> bool:
    """Whether this flush writes the song's row with a file it did not have before."""
    return song in session.new or bool(inspect(song).attrs.sha256.history.added)


def insert_once(session: Session, song: Song, kind: str) -> None:
    """A queued job row unless the file already has one of this kind (a kept duplicate
    shares its twin's: the key is the file's SHA-256)."""
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[session.get_bind().dialect.name]
    row = {"song_id": song.id, "sha256": song.sha256, "kind": kind}
    session.execute(
        dialect.insert(Job)
        .values(**row, state=QUEUED, attempts=0, queued_at=now())
        .on_conflict_do_nothing(index_elements=["sha256", "kind"])
    )


def requeue(session: Session, jobs: list[Job]) -> None:
    """Queue these jobs again (Retry, `flask catalog analyze`); sent after the caller's
    commit."""
    ids = [job.id for job in jobs]
    session.execute(
        update(Job)
        .where(Job.id.in_(ids))
        .values(state=QUEUED, reason=None, queued_at=now(), finished_at=None)
        .execution_options(synchronize_session=False)
    )
    session.info.setdefault(PENDING, []).extend((job.sha256, job.kind) for job in jobs)


def queue_song(session: Session, song_id: int, kinds: list[str]) -> None:
    """Make (or queue again) a song's jobs of these kinds; sent after the caller's commit."""
    song = session.get(Song, song_id)
    if song is None or not song.sha256:
        return
    for kind in kinds:
        insert_once(session, song, kind)
    jobs = session.scalars(select(Job).where(Job.sha256 == song.sha256, Job.kind.in_(kinds))).all()
    requeue(session, list(jobs))


def forget_pending(session: Session, _previous_transaction) -> None:
    """The transaction was rolled back: its jobs were never written."""
    session.info.pop(PENDING, None)


def send_pending(session: Session) -> None:
    """After the commit: send the jobs it queued."""
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    app = current_app._get_current_object()
    unsent = []
    for sha256, kind in dict.fromkeys(pending):
        try:
            send(app, sha256, kind)
        except Exception:
            log.exception("Could not send job %s of %s", kind, sha256)
            unsent.append((sha256, kind))
    if unsent:
        try:
            mark_unsent(unsent)
        except Exception:
            # The database went too: the jobs stay queued for `flask catalog analyze`.
            log.exception("Could not mark %s job(s) unsent", len(unsent))


def send(app: Flask, sha256: str, kind: str) -> None:
    """Hand one job to the workers, or run it in this process."""
    celery = app.extensions.get(CELERY)
    if celery is not None:
        celery.send_task(TASK_NAME, args=(sha256, kind))
    elif app.config["CATALOG_JOBS_EAGER"]:
        run_in_process(app, sha256, kind)
    else:
        background_queue(app).put((sha256, kind))


def in_process_name() -> str:
    """The worker name of jobs run inside an app process."""
    return f"in-process@{socket.gethostname()}:{os.getpid()}"


def run_in_process(app: Flask, sha256: str, kind: str) -> None:
    """Run a job now, in its own app context (so its own database session). An outage
    leaves it queued, with the reason; Retry or `analyze --missing` sends it again."""
    with app.app_context():
        try:
            run_job(sha256, kind, in_process_name())
        except Outage as outage:
            log.warning("Job %s of %s met an outage: %s", kind, sha256, outage.reason)
        except Exception:
            log.exception("Job %s of %s broke", kind, sha256)
            give_up(sha256, kind, "the job broke (see the log)")


def background_queue(app: Flask) -> queue.Queue:
    """The process's job queue, served by one daemon thread started on first use."""
    with STARTING:
        if THREAD not in app.extensions:
            start_thread(app)
    return app.extensions[THREAD]


def start_thread(app: Flask) -> None:
    """Start the thread that runs the process's queued jobs one at a time."""
    jobs: queue.Queue = queue.Queue()

    def serve() -> None:
        while True:
            sha256, kind = jobs.get()
            try:
                run_in_process(app, sha256, kind)
            finally:
                jobs.task_done()

    threading.Thread(target=serve, name="setlist-jobs", daemon=True).start()
    # A command (`flask catalog import`, `seed-demo`) ends its process right after queueing:
    # it finishes its jobs first rather than leave them queued.
    atexit.register(jobs.join)
    app.extensions[THREAD] = jobs
