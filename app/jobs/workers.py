"""The Celery app bound to a Flask app: every task runs in an app context, acknowledged
only when done (a killed worker's job is delivered again), one at a time per process,
under soft and hard time limits, retried with growing waits after an outage; each worker
writes a heartbeat to Redis that the Jobs page reads, and sends the jobs the queue missed
while it was down."""

import logging
import os
import threading
from datetime import UTC, datetime

import redis
from celery import Celery, Task, bootsteps
from flask import Flask

from app.jobs.queueing import CELERY, TASK_NAME
from app.jobs.resending import resend_unsent
from app.jobs.running import Outage, give_up, reason_of, run_job, stale_after, time_limits
from app.models.jobs import RUNNING

log = logging.getLogger(__name__)

#: The longest wait between two tries after an outage.
MAX_RETRY_SECONDS = 600

#: How long a fork waits for a heartbeat to finish before it goes ahead anyway.
FORK_WAIT_SECONDS = 30


class BeatGuard:
    """Held by the heartbeat while it is inside Redis or the database; a fork waits for it.

    The pool forks its processes from the worker's main process while the heartbeat thread
    runs. A process forked while that thread is inside SQLite or a connection pool keeps
    their locks held by a thread it does not have, and hangs on its first job: the job
    stays queued for ever."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.forking = False

    def before_fork(self) -> None:
        """Wait for the beat in progress (bounded: a frozen database must not stop forks)."""
        self.forking = self.lock.acquire(timeout=FORK_WAIT_SECONDS)
        if not self.forking:
            log.warning("Forking while the heartbeat is still busy after %s s", FORK_WAIT_SECONDS)

    def after_fork(self) -> None:
        """Let the heartbeat go on (in the parent) or free the copied lock (in the child)."""
        if self.forking:
            self.forking = False
            self.lock.release()


BEAT_GUARD = BeatGuard()
os.register_at_fork(
    before=BEAT_GUARD.before_fork,
    after_in_parent=BEAT_GUARD.after_fork,
    after_in_child=BEAT_GUARD.after_fork,
)


def heartbeat_prefix(config) -> str:
    """The start of the Redis keys of the workers' heartbeats (the worker's name follows)."""
    return f"{config['CATALOG_JOBS_QUEUE']}:worker:"


def make_celery(app: Flask) -> Celery:
    """A Celery app for this Flask app (kept in app.extensions["celery"])."""
    config = app.config

    class FlaskTask(Task):
        """A task run inside the Flask app's context (its database session, its store)."""

        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.import_name, task_cls=FlaskTask, set_as_current=False)
    celery.flask_app = app
    soft, hard = time_limits(config)
    celery.conf.update(
        broker_url=config["CATALOG_JOBS_BROKER_URL"],
        broker_connection_retry_on_startup=True,
        task_default_queue=config["CATALOG_JOBS_QUEUE"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_soft_time_limit=soft,
        task_time_limit=hard,
        # The job table holds every result and state.
        task_ignore_result=True,
        # Redis delivers an unacknowledged job again after this long: longer than a job
        # may run or wait for its next try, so a slow job is never run twice.
        broker_transport_options={
            "visibility_timeout": 2 * hard + MAX_RETRY_SECONDS,
            "socket_connect_timeout": 2,
            # A frozen Redis must not hold a saving request: it fails, the job is "unsent".
            "socket_timeout": 10,
        },
        # A Redis that refuses connections fails a send within a second (not after ~2 s
        # of retries per job, which an upload would wait through).
        task_publish_retry_policy={
            "max_retries": 2,
            "interval_start": 0,
            "interval_step": 0.2,
            "interval_max": 0.5,
        },
        worker_hijack_root_logger=False,
    )
    celery.task(bind=True, name=TASK_NAME, max_retries=None)(run_task)
    celery.steps["worker"].add(Heartbeat)
    app.extensions[CELERY] = celery
    return celery


def run_task(task: Task, sha256: str, kind: str, attempts: int | None = None) -> str | None:
    """The Celery task: run the job; after an outage, try again after 10, 20, 40… s."""
    from flask import current_app

    config = current_app.config
    try:
        state = run_job(sha256, kind, task.request.hostname or "celery", attempts)
    except Outage as outage:
        tries = task.request.retries
        if tries >= config["CATALOG_JOBS_RETRIES"]:
            give_up(sha256, kind, outage.reason)
            return None
        wait = min(config["CATALOG_JOBS_RETRY_SECONDS"] * 2**tries, MAX_RETRY_SECONDS)
        log.warning("Job %s of %s: %s; trying again in %s s", kind, sha256, outage.reason, wait)
        raise task.retry(args=(sha256, kind, outage.attempts), countdown=wait) from outage
    if state == RUNNING and (task.request.delivery_info or {}).get("redelivered"):
        # Delivered again because its worker died mid-job (a copy sent twice is dropped):
        # the job is taken over once no live worker can still be running it.
        log.warning("Job %s of %s was left running; taking it over later", kind, sha256)
        raise task.retry(args=(sha256, kind, attempts), countdown=stale_after())
    return state


def resend_missed(celery: Celery, flask_app: Flask) -> None:
    """Send the jobs marked unsent (app/jobs/resending.py); an outage only logs."""
    try:
        with flask_app.app_context():
            resend_unsent(celery, TASK_NAME)
    except Exception as error:
        log.warning("Could not send the unsent jobs: %s", reason_of(error))


class Heartbeat(bootsteps.StartStopStep):
    """A thread of the worker's main process writing its name and the time to Redis."""

    # Started once the pool has forked its processes (see BeatGuard for later forks).
    requires = ("celery.worker.components:Pool",)

    def __init__(self, worker, **_options) -> None:
        self.stopping = threading.Event()
        self.thread = None

    def start(self, worker) -> None:
        """Beat every CATALOG_JOBS_HEARTBEAT_SECONDS until the worker stops."""
        flask_app = worker.app.flask_app
        seconds = flask_app.config["CATALOG_JOBS_HEARTBEAT_SECONDS"]
        client = redis.Redis.from_url(worker.app.conf.broker_url, socket_timeout=5)
        key = heartbeat_prefix(flask_app.config) + worker.hostname

        def beat() -> None:
            while True:
                with BEAT_GUARD.lock:
                    try:
                        # Kept a little over 10 beats: a worker gone that long disappears.
                        client.set(key, datetime.now(UTC).isoformat(), ex=seconds * 10 + 5)
                    except redis.RedisError as error:
                        log.warning("Could not write the heartbeat of %s: %s", key, error)
                    else:
                        # The queue answers: send what it missed while it was down.
                        resend_missed(worker.app, flask_app)
                if self.stopping.wait(seconds):
                    return

        self.thread = threading.Thread(target=beat, name="setlist-heartbeat", daemon=True)
        self.thread.start()

    def stop(self, worker) -> None:
        """Stop beating (the last beat fades out by itself)."""
        self.stopping.set()
