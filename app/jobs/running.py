"""Running one job: claim it, copy the song's file, compute with no transaction open, then
store the result in a short one. Needs an app context (the database and the file store)."""

import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta

# Celery's own class (celery.exceptions re-exports it) without importing Celery at start.
from billiard.exceptions import SoftTimeLimitExceeded
from flask import current_app
from sqlalchemy import and_, or_, select, update

from app.extensions import db
from app.jobs.kinds import KINDS, TRANSIENT, JobKind
from app.media.configured_stores import audio_store
from app.media.file_store import FileStore
from app.media.local_files import local_copy
from app.models import Song
from app.models.jobs import DONE, FAILED, QUEUED, REASON_LENGTH, RUNNING, WAITING, Job, now

log = logging.getLogger(__name__)

#: How long past the hard time limit a running job is taken to be abandoned.
STALE_MARGIN_SECONDS = 10


class Outage(Exception):
    """A job met an outage (store or database down): try it again later."""

    def __init__(self, reason: str, attempts: int | None) -> None:
        super().__init__(reason)
        self.reason = reason
        #: The job's attempts when it was claimed: the retry claims it back by this value.
        self.attempts = attempts


def reason_of(error: BaseException) -> str:
    """One bounded line saying why a job failed."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    line = f"{type(error).__name__}: {text}" if text else type(error).__name__
    return line[:REASON_LENGTH]


def claim(sha256: str, kind: str, worker: str, attempts: int | None = None) -> Job | None:
    """Move the job from queued to running in one UPDATE and return it; None when it is not
    queued (another worker holds it, or it is done). A retry after an outage that kept the
    job running claims it back by its attempts; a job running for longer than a worker may
    (its worker was killed) is taken over."""
    started = now()
    stale = started - timedelta(seconds=stale_after())
    mine = or_(Job.state == QUEUED, and_(Job.state == RUNNING, Job.started_at < stale))
    if attempts is not None:
        mine = or_(mine, and_(Job.state == RUNNING, Job.attempts == attempts))
    claimed = db.session.execute(
        update(Job)
        .where(Job.sha256 == sha256, Job.kind == kind, mine)
        .values(
            state=RUNNING,
            attempts=Job.attempts + 1,
            worker=worker[:200],
            started_at=started,
            finished_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return None
    return db.session.scalars(select(Job).where(Job.sha256 == sha256, Job.kind == kind)).one()


def time_limits(config) -> tuple[int, int]:
    """(soft, hard): seconds after which a job is stopped with a reason, then killed."""
    soft = config["CATALOG_JOBS_TIME_LIMIT"]
    return soft, soft + min(30, soft)


def stale_after() -> int:
    """Seconds after its start when a running job's worker must be gone: past the hard
    limit Celery kills a job, so one still running then was left by a killed worker."""
    return time_limits(current_app.config)[1] + STALE_MARGIN_SECONDS


def finish(job_id: int, state: str, reason: str | None = None, result=None) -> None:
    """Write a job's end (done, failed, waiting) in a short transaction."""
    db.session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(state=state, reason=reason, result=result, finished_at=now())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def run_job(sha256: str, kind_name: str, worker: str, attempts: int | None = None) -> str | None:
    """Run one job if it can be claimed; its final state, or None when it was not ours
    (RUNNING when another worker holds it). Raises Outage when the store or the database is
    down (the caller retries)."""
    try:
        job = claim(sha256, kind_name, worker, attempts)
    except TRANSIENT as error:
        db.session.rollback()
        raise Outage(reason_of(error), attempts) from error
    if job is None:
        held = select(Job.state).where(Job.sha256 == sha256, Job.kind == kind_name)
        state = db.session.scalar(held)
        db.session.rollback()
        return RUNNING if state == RUNNING else None
    job_id, song_id, claimed_attempts = job.id, job.song_id, job.attempts
    kind = KINDS.get(kind_name)
    if kind is None:
        finish(job_id, FAILED, f"no job kind {kind_name!r} in this worker")
        return FAILED
    if not kind.available():
        finish(job_id, WAITING, f"waiting for {kind.needs}")
        return WAITING
    if kind.members is None:
        files = [(None, db.session.scalar(select(Song.audio_file).where(Song.id == song_id)))]
    else:
        files = kind.members(db.session, job)
        if files is None:  # measured for an album that changed since: a newer job has it
            finish(job_id, DONE, "superseded: the album's songs changed")
            return DONE
    # No transaction stays open while the files are copied and decoded.
    db.session.close()
    try:
        with local_copies(audio_store(), files) as copies:
            result = kind.compute(copies if kind.members else copies[0][1])
        store_result(job_id, kind, result)
    except TRANSIENT as error:
        db.session.rollback()
        back_in_queue(job_id, reason_of(error))
        raise Outage(reason_of(error), claimed_attempts) from error
    except SoftTimeLimitExceeded:
        db.session.rollback()
        soft = time_limits(current_app.config)[0]
        finish(job_id, FAILED, f"took longer than {soft} s (CATALOG_JOBS_TIME_LIMIT)")
        return FAILED
    except Exception as error:  # any other failure is the job's, with its reason
        db.session.rollback()
        log.warning("Job %s of %s failed: %s", kind_name, sha256, reason_of(error))
        finish(job_id, FAILED, reason_of(error))
        return FAILED
    return DONE


def store_result(job_id: int, kind: JobKind, result: dict) -> None:
    """The result into the job row (and, by the kind's `save`, the catalog), one commit."""
    job = db.session.get(Job, job_id)
    if job is None:  # the song was deleted while its file was analysed
        db.session.rollback()
        return
    if kind.save is not None:
        kind.save(db.session, job, result)
    job.state, job.result, job.reason, job.finished_at = DONE, result, None, now()
    db.session.commit()


def back_in_queue(job_id: int, reason: str) -> None:
    """After an outage, show the job queued with the reason, if the database answers."""
    try:
        db.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state == RUNNING)
            .values(state=QUEUED, reason=f"retrying: {reason}"[:REASON_LENGTH])
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    except TRANSIENT:
        db.session.rollback()


def give_up(sha256: str, kind_name: str, reason: str) -> None:
    """Fail a job whose outages outlasted its retries (if the database answers now)."""
    try:
        db.session.execute(
            update(Job)
            .where(Job.sha256 == sha256, Job.kind == kind_name, Job.state != DONE)
            .values(state=FAILED, reason=f"gave up: {reason}"[:REASON_LENGTH], finished_at=now())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    except TRANSIENT:
        db.session.rollback()
        log.error("Job %s of %s gave up and could not say so: %s", kind_name, sha256, reason)


@contextmanager
def local_copies(store: FileStore, files: list[tuple[str | None, str]]) -> Iterator[list]:
    """[(title, local path)] of the stored files, fetched one after another and removed
    together afterwards; a member's missing file fails naming its song, not its file."""
    with ExitStack() as stack:
        copies = []
        for title, stored_name in files:
            try:
                copies.append((title, stack.enter_context(local_copy(store, stored_name))))
            except FileNotFoundError:
                if title is None:
                    raise
                raise FileNotFoundError(f"the file of the song “{title}” is missing") from None
        yield copies
