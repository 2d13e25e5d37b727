"""A `flask` command in development (no task queue) finishes the jobs it queued before its
process ends: `flask catalog import` leaves its songs probed, not queued."""

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.support.apps import AUDIO

PROJECT = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).parent / "flask"


def flask(*arguments: str, environment: dict) -> str:
    """Run a `flask` command in the project as development does; its output."""
    done = subprocess.run(
        [str(FLASK), *arguments], cwd=PROJECT, env=environment, capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_an_import_finishes_its_jobs_before_it_exits(tmp_path):
    """Imported songs' probe jobs are done when the command returns (a background thread
    would otherwise die with the process and leave them queued)."""
    database = tmp_path / "setlist.db"
    environment = {
        **os.environ,
        "CATALOG_CONFIG": "development",
        "DATABASE_URL": f"sqlite:///{database}",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "FAB_UPDATE_PERMS": "false",
        "CATALOG_JOBS_BROKER_URL": "",
    }
    environment.pop("CATALOG_JOBS_EAGER", None)
    library = tmp_path / "library"
    library.mkdir()
    for name in ("tone.ogg", "tone.flac"):
        (library / name).write_bytes((AUDIO / name).read_bytes())
    flask("db", "upgrade", environment=environment)
    assert "Imported 2" in flask("catalog", "import", str(library), environment=environment)
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        states = connection.execute(text("SELECT kind, state FROM job ORDER BY kind")).all()
    engine.dispose()
    assert {state for kind, state in states if kind == "probe"} == {"done"}
    assert len([kind for kind, _state in states if kind == "probe"]) == 2
