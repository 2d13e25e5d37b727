"""A worker entry for the tests: the real one (`app/worker.py`) plus a kind that takes its time.

`celery -A tests.jobs.worker_with_test_kinds worker`; SLEEPY_SECONDS says how long "sleepy"
sleeps.
"""

import os
import time

from app.jobs.kinds import JobKind, register_kind
from app.worker import celery, flask_app

__all__ = ["celery", "flask_app"]


def sleepy(path) -> dict:
    """Sleep, then report how long."""
    seconds = float(os.environ.get("SLEEPY_SECONDS", "1"))
    time.sleep(seconds)
    return {"slept": seconds}


register_kind(JobKind("sleepy", sleepy))
