"""The README's curl walkthrough of the API, run as written against a live server."""

import os
import re
import shutil
import subprocess
from pathlib import Path

from tests.support.apps import AUDIO

README = Path(__file__).parents[2] / "README.md"


def walkthrough() -> str:
    """The shell block under the README's api-walkthrough marker."""
    found = re.search(r"<!-- api-walkthrough -->\n```sh\n(.*?)```", README.read_text(), re.S)
    assert found, "README.md lost its API walkthrough"
    return found.group(1)


def test_the_readme_walkthrough_works(app, live_server, users, password, tmp_path, require_part):
    """Login, token, list, upload, a ranged stream and a search, each answering as told."""
    require_part(shutil.which("curl") is not None, "curl is not installed")
    shutil.copy(AUDIO / "morning-light.mp3", tmp_path)
    env = {**os.environ, "BASE": live_server(app).url, "USERNAME": users["Admin"]}
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", walkthrough()],
        cwd=tmp_path,
        env={**env, "PASSWORD": password},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["0", "Morning Light", "206", "Morning Light"]
    sent = (tmp_path / "first-kib.mp3").read_bytes()
    assert sent == (AUDIO / "morning-light.mp3").read_bytes()[:1024]
