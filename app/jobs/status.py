"""What the Jobs page shows: jobs counted by state, the failed ones, the workers' heartbeats."""

from dataclasses import dataclass
from datetime import datetime

from flask import Flask
from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import Session

from app.models.jobs import FAILED, STATES, Job

#: How many failed jobs the page lists (the newest first).
FAILED_SHOWN = 100


@dataclass(frozen=True)
class WorkerBeat:
    """A worker's name and when it last said it was alive."""

    name: str
    seen: datetime


def state_counts(session: Session, cap: int) -> dict[str, int]:
    """How many jobs are in each state (every state named, zero included), each counted up
    to cap + 1: a catalog of a million songs has millions of done jobs, and the page costs
    the same whatever their number (more than cap is "more than cap")."""
    counted = union_all(
        *(
            select(literal(state), func.count()).select_from(
                select(Job.id).where(Job.state == state).limit(cap + 1).subquery()
            )
            for state in STATES
        )
    )
    return dict(session.execute(counted).all())


def failed_jobs(session: Session) -> list[Job]:
    """The failed jobs, the latest failure first."""
    query = select(Job).where(Job.state == FAILED).order_by(Job.finished_at.desc(), Job.id)
    return list(session.scalars(query.limit(FAILED_SHOWN)))


def heartbeats(app: Flask) -> list[WorkerBeat] | None:
    """The workers' last heartbeats, by name; None when jobs run in-process (no workers).
    Raises redis.RedisError when the broker does not answer."""
    url = app.config["CATALOG_JOBS_BROKER_URL"]
    if not url:
        return None
    # Here: Redis and Celery (workers) cost ~0.1 s of every start; only a broker needs them.
    import redis

    from app.jobs.workers import heartbeat_prefix

    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    prefix = heartbeat_prefix(app.config)
    beats = []
    for key in client.scan_iter(match=prefix + "*", count=100):
        seen = client.get(key)
        if seen:
            name = key.decode()[len(prefix) :]
            beats.append(WorkerBeat(name, datetime.fromisoformat(seen.decode())))
    return sorted(beats, key=lambda beat: beat.name)
