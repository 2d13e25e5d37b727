"""The Celery worker's entry point: `celery -A app.worker worker` builds the app (its
configuration from the environment, CATALOG_JOBS_BROKER_URL set) and serves its jobs."""

from celery.signals import worker_process_init

from app import create_app
from app.extensions import db

flask_app = create_app()
if "celery" not in flask_app.extensions:
    raise RuntimeError(
        "Workers need CATALOG_JOBS_BROKER_URL (e.g. redis://127.0.0.1:6379/1); without it "
        "jobs run inside the app (development) and no worker is needed."
    )
celery = flask_app.extensions["celery"]


@worker_process_init.connect
def fresh_connections(**_signal) -> None:
    """A forked pool process must not share its parent's database connections."""
    with flask_app.app_context():
        db.engine.dispose(close=False)
