"""Background jobs: the task queue's broker, time limits, retries and heartbeats."""

import os

from app.settings.environment import env_bool, env_int


def job_settings(eager: bool = False, defer: bool = False) -> dict[str, object]:
    """Without CATALOG_JOBS_BROKER_URL jobs run inside the app process (development);
    with a Redis URL they go to Celery workers (`celery -A app.worker worker`)."""
    return {
        "CATALOG_JOBS_BROKER_URL": os.environ.get("CATALOG_JOBS_BROKER_URL", ""),
        # The queue's name, also the prefix of the workers' heartbeats: keeps several
        # installs on one Redis apart.
        "CATALOG_JOBS_QUEUE": os.environ.get("CATALOG_JOBS_QUEUE", "setlist"),
        # In-process jobs run right after the commit, in the committing thread (tests), or
        # on a background thread of the process (development: a page never waits for them).
        "CATALOG_JOBS_EAGER": env_bool("CATALOG_JOBS_EAGER", eager),
        # Songs added get their jobs queued but not sent: `flask catalog analyze --missing`
        # sends them later (a big import analysed at night; tests that do not test analysis).
        "CATALOG_JOBS_DEFER": env_bool("CATALOG_JOBS_DEFER", defer),
        # A job past the soft limit is stopped with a reason; past soft + 30 s, killed.
        "CATALOG_JOBS_TIME_LIMIT": env_int("CATALOG_JOBS_TIME_LIMIT", 300),
        # Tries after a store or database outage, waiting 10 s, 20 s, 40 s… (at most 10 min).
        "CATALOG_JOBS_RETRIES": env_int("CATALOG_JOBS_RETRIES", 8),
        "CATALOG_JOBS_RETRY_SECONDS": env_int("CATALOG_JOBS_RETRY_SECONDS", 10),
        "CATALOG_JOBS_HEARTBEAT_SECONDS": env_int("CATALOG_JOBS_HEARTBEAT_SECONDS", 30),
        # The Jobs page counts each state up to this (beyond: "more than 10,000").
        "CATALOG_JOBS_COUNT_CAP": env_int("CATALOG_JOBS_COUNT_CAP", 10_000),
    }
