"""Start-up stays light: building the app loads none of the heavy libraries that only some
doors need (S3, the task queue, Redis, FFmpeg, PostgreSQL's driver on SQLite, Alembic for
`flask db`); each is
loaded by the door that uses it, on first use.

Every worker, `flask` command and test pays for what `create_app` imports: an import moved
back to the top of a module (boto3 alone is ~0.15 s) fails here, naming the library.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Loaded only by their door: S3 stores, Celery workers and the Jobs page, audio decoding,
#: a PostgreSQL database, migrations.
DOOR_ONLY = (
    "boto3",
    "s3transfer",
    "botocore.client",
    "celery.app",
    "kombu",
    "redis",
    "av",
    "alembic",
    "flask_migrate",
)
BUILD_THEN_USE_DOORS = """
import json, sys
from app import create_app

app = create_app("testing")
loaded = {"after_create_app": sorted(m for m in DOOR_ONLY if m in sys.modules)}
from app.media.s3 import make_client
from app.audio_analysis import available

make_client("http://127.0.0.1:9", "us-east-1", 1)  # a client, no request sent
available()
with app.app_context():
    migrations = app.extensions["migrate"].directory  # what `flask db` and upgrade() read
loaded["migrations"] = migrations
loaded["after_doors"] = sorted(m for m in DOOR_ONLY if m in sys.modules)
loaded["psycopg"] = "psycopg" in sys.modules
print(json.dumps(loaded))
"""
#: Settings that would make create_app use a door on purpose (a broker, S3, Redis counts).
DOOR_SETTINGS = ("CATALOG_JOBS_BROKER_URL", "STORAGE_BACKEND", "RATELIMIT_STORAGE_URI")


def test_create_app_loads_no_door_only_library_until_its_door_is_used():
    """A fresh process builds the testing app (SQLite, local files, no broker) with none of
    the door-only libraries loaded; an S3 client and the FFmpeg check then load theirs."""
    env = {name: value for name, value in os.environ.items() if name not in DOOR_SETTINGS}
    env["DATABASE_URL"] = "sqlite://"
    code = f"DOOR_ONLY = {DOOR_ONLY!r}\n{BUILD_THEN_USE_DOORS}"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded["after_create_app"] == []
    assert not loaded["psycopg"]  # SQLite: PostgreSQL's driver stays out too
    # The doors still work: their libraries come in when first used.
    doors = {"boto3", "s3transfer", "botocore.client", "av", "alembic", "flask_migrate"}
    assert doors <= set(loaded["after_doors"])
    assert loaded["migrations"] == "migrations"
