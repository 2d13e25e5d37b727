"""Real Celery workers for the tests: `celery -A app.worker worker` subprocesses on the test's
database, upload folder and a Redis database of their own."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import redis
from flask import Flask

from app.jobs.workers import heartbeat_prefix

PROJECT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).parent / "celery"
#: The workers' broker: a Redis database of the tests (each test has its own queue).
BROKER = "redis://127.0.0.1:6379/14"


def queue_settings() -> dict[str, str]:
    """A broker and a queue of the test's own (tests running at once never share jobs)."""
    return {"CATALOG_JOBS_BROKER_URL": BROKER, "CATALOG_JOBS_QUEUE": f"test-{uuid.uuid4().hex}"}


def worker_environment(app: Flask, **extra: str) -> dict[str, str]:
    """The environment a worker needs to reach what the app reaches (its database, store
    and broker), with extra variables."""
    config = app.config
    store = {
        name: str(config[name] or "")
        for name in ("STORAGE_BACKEND", "S3_BUCKET", "S3_PREFIX", "S3_ENDPOINT_URL")
    }
    return {
        **os.environ,
        "CATALOG_CONFIG": "development",
        "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_FOLDER": config["UPLOAD_FOLDER"],
        "CATALOG_JOBS_BROKER_URL": config["CATALOG_JOBS_BROKER_URL"],
        "CATALOG_JOBS_QUEUE": config["CATALOG_JOBS_QUEUE"],
        "CATALOG_JOBS_HEARTBEAT_SECONDS": "1",
        "CATALOG_JOBS_RETRY_SECONDS": "1",
        "FAB_UPDATE_PERMS": "false",
        "PYTHONPATH": str(PROJECT),
        "S3_CONNECT_TIMEOUT": "2",
        **store,
        **extra,
    }


def start_worker(
    app: Flask, name: str, log: Path, module: str = "app.worker", **extra: str
) -> subprocess.Popen:
    """A worker process (one pool process), returned once its heartbeat shows it ready."""
    command = [str(CELERY), "-A", module, "worker", "--concurrency=1", "--loglevel=INFO",
               f"--hostname={name}", "--without-gossip", "--without-mingle"]  # fmt: skip
    with log.open("ab") as output:
        worker = subprocess.Popen(
            command, cwd=PROJECT, env=worker_environment(app, **extra), stdout=output, stderr=output
        )
    client = redis.Redis.from_url(app.config["CATALOG_JOBS_BROKER_URL"] or BROKER)
    deadline = time.monotonic() + 60
    while not client.exists(heartbeat_prefix(app.config) + name):
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            raise AssertionError(f"worker {name} did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    return worker


def pool_processes(worker: subprocess.Popen) -> list[int]:
    """The process ids of a worker's pool (its children)."""
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text()
    return [int(pid) for pid in children.split()]


def stop_worker(worker: subprocess.Popen) -> None:
    """Stop a worker (warm shutdown), killing it if it takes too long."""
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def wait_for(check, seconds: float = 60, message="") -> None:
    """Poll until check() is true, or fail with the message (a callable: its answer then)."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError((message() if callable(message) else message) or "timed out")
        time.sleep(0.2)
