"""Jobs the task queue never received: when its Redis is down as a song is saved, the song
is kept and its jobs are marked "unsent"; each worker's heartbeat sends them again once the
queue answers, so an outage of the broker loses no job and needs nobody to act."""

import logging
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from app.extensions import db
from app.models.jobs import QUEUED, UNSENT, Job, now

if TYPE_CHECKING:  # only a type here: importing Celery costs every start ~50 ms
    from celery import Celery

log = logging.getLogger(__name__)

#: Jobs sent again per heartbeat: a long outage's backlog drains over a few beats.
BATCH = 500
REASON = "not sent: the task queue did not answer; sent again when it does"


def mark_unsent(jobs: list[tuple[str, str]]) -> None:
    """Record that these (sha256, kind) jobs were not sent (after the commit that queued
    them, so in a transaction of their own)."""
    with db.engine.begin() as connection:
        for sha256, kind in jobs:
            connection.execute(
                update(Job)
                .where(Job.sha256 == sha256, Job.kind == kind, Job.state == QUEUED)
                .values(state=UNSENT, reason=REASON)
            )


def resend_unsent(celery: "Celery", task_name: str) -> int:
    """Queue a batch of unsent jobs again and send them; how many were sent. Two workers
    beating at once take different jobs: each takes only the rows it moved itself."""
    oldest = select(Job.id).where(Job.state == UNSENT).order_by(Job.id).limit(BATCH)
    taken = db.session.execute(
        update(Job)
        .where(Job.id.in_(oldest.scalar_subquery()), Job.state == UNSENT)
        .values(state=QUEUED, reason=None, queued_at=now())
        .returning(Job.sha256, Job.kind)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    for number, (sha256, kind) in enumerate(taken):
        try:
            celery.send_task(task_name, args=(sha256, kind))
        except Exception:
            # The queue went away again: the rest wait for the next beat.
            mark_unsent([tuple(job) for job in taken[number:]])
            raise
    if taken:
        log.info("Sent %s job(s) the task queue had missed", len(taken))
    return len(taken)
