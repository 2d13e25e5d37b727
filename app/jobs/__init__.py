"""Background jobs on a task queue (Celery with Redis), or inside the app in development.

A song's file gets one job per kind (app/jobs/kinds.py: "probe" now, the analysis kinds
later), queued in the transaction that writes the song and sent after it commits
(app/jobs/queueing.py), run by app/jobs/running.py in a worker or in-process.
"""

from flask import Flask

from app.jobs import loudness, probe  # noqa: F401 - register the "loudness" and "probe" kinds
from app.jobs.queueing import register_queueing
from app.jobs.workers import make_celery


def register_jobs(app: Flask) -> None:
    """Queue jobs after commits; bind a Celery app when CATALOG_JOBS_BROKER_URL is set."""
    register_queueing()
    if app.config["CATALOG_JOBS_BROKER_URL"]:
        make_celery(app)
