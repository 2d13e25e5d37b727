"""run.py serves the app over HTTP and HTTPS (adhoc or a given certificate)."""

import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).parents[1]


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, deadline: float) -> tuple[str, dict]:
    """GET a page and its headers, retrying while the server starts; certificates unchecked."""
    context = ssl._create_unverified_context()  # noqa: S323 - our own self-signed test server
    while True:
        try:
            with urllib.request.urlopen(url, context=context, timeout=5) as response:  # noqa: S310
                return response.read().decode(), dict(response.headers)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def operator_env(tmp_path) -> dict[str, str]:
    """A development environment on a migrated SQLite database in tmp_path."""
    env = {
        **os.environ,
        "CATALOG_CONFIG": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    }
    subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade"],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return env


@pytest.fixture
def self_signed_pair(tmp_path, require_part) -> list[str]:
    """A throwaway certificate and key made with the README's openssl command."""
    require_part(shutil.which("openssl") is not None, "the openssl command is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return ["--cert", str(cert), "--key", str(key)]


@pytest.mark.parametrize("mode", ["http", "adhoc", "certificate"])
def test_run_py_serves_the_app(operator_env, self_signed_pair, mode):
    """The landing page answers over each transport; the first admin is printed once."""
    port = free_port()
    extra = {"http": [], "adhoc": ["--https", "adhoc"], "certificate": self_signed_pair}[mode]
    scheme = "http" if mode == "http" else "https"
    server = subprocess.Popen(
        [sys.executable, "run.py", "--port", str(port), *extra],
        cwd=PROJECT_ROOT,
        env=operator_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        page, headers = fetch(f"{scheme}://127.0.0.1:{port}/", deadline=time.monotonic() + 60)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Setlist" in page
    assert "Log in" in page
    assert "Username: admin" in output
    assert "Debugger is active" not in output
    # The server names neither itself nor its Python.
    assert "Server" not in headers


def test_run_py_refuses_the_debugger_with_production(operator_env):
    """--debug would let anyone who sees an error page run code: never in production."""
    started = subprocess.run(
        [sys.executable, "run.py", "--debug", "--config", "production", "--port", str(free_port())],
        cwd=PROJECT_ROOT,
        env=operator_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert "never with production" in started.stderr
