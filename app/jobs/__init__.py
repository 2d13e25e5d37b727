"""Background jobs on a task queue (Celery with Redis), or inside the app in development.

A song's file gets one job per kind (app/jobs/kinds.py: "probe" now, the analysis kinds
later), queued in the transaction that writes the song and sent after it commits
(app/jobs/queueing.py), run by app/jobs/running.py in a worker or in-process.
"""

from flask import Flask

# Imported to register the "loudness", "album-loudness" and "probe" kinds.
from app.jobs import album_loudness, loudness, probe  # noqa: F401
from app.jobs.album_queueing import register_album_queueing
from app.jobs.queueing import register_queueing


def register_jobs(app: Flask) -> None:
    """Queue jobs after commits; bind a Celery app when CATALOG_JOBS_BROKER_URL is set."""
    register_queueing()
    register_album_queueing()
    if app.config["CATALOG_JOBS_BROKER_URL"]:
        # Here: Celery and Redis cost ~0.1 s of every start; without a broker neither is used.
        from app.jobs.workers import make_celery

        make_celery(app)
