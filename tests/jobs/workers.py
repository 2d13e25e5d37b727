"""Real Celery workers for the tests: `celery -A worker worker` subprocesses on the test's
database, upload folder and a Redis database of their own."""

import os
import subprocess
import sys
import time
from pathlib import Path

import redis
from flask import Flask

from app.jobs.workers import HEARTBEAT_PREFIX

PROJECT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).parent / "celery"
#: The workers' broker: a Redis database no other test uses.
BROKER = "redis://127.0.0.1:6379/14"


def worker_environment(app: Flask) -> dict[str, str]:
    """The environment a worker needs to reach what the app reaches."""
    config = app.config
    return {
        **os.environ,
        "CATALOG_CONFIG": "development",
        "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_FOLDER": config["UPLOAD_FOLDER"],
        "CATALOG_JOBS_BROKER_URL": config["CATALOG_JOBS_BROKER_URL"],
        "CATALOG_JOBS_HEARTBEAT_SECONDS": "1",
        "CATALOG_JOBS_RETRY_SECONDS": "1",
        "FAB_UPDATE_PERMS": "false",
        "PYTHONPATH": str(PROJECT),
    }


def start_worker(app: Flask, name: str, log: Path) -> subprocess.Popen:
    """A worker process (one pool process), returned once its heartbeat shows it ready."""
    command = [str(CELERY), "-A", "worker", "worker", "--concurrency=1", "--loglevel=INFO",
               f"--hostname={name}", "--without-gossip", "--without-mingle"]  # fmt: skip
    with log.open("ab") as output:
        worker = subprocess.Popen(
            command, cwd=PROJECT, env=worker_environment(app), stdout=output, stderr=output
        )
    client = redis.Redis.from_url(BROKER)
    deadline = time.monotonic() + 60
    while not client.exists(HEARTBEAT_PREFIX + name):
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            raise AssertionError(f"worker {name} did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    return worker


def stop_worker(worker: subprocess.Popen) -> None:
    """Stop a worker (warm shutdown), killing it if it takes too long."""
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def wait_for(check, seconds: float = 60, message: str = "") -> None:
    """Poll until check() is true, or fail with the message."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, message or "timed out"
        time.sleep(0.2)
