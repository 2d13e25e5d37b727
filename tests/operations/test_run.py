"""run.py serves the app over HTTP and HTTPS (adhoc or a given certificate)."""

import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.support.forms import CSRF_INPUT, registration_form
from tests.support.mail import first_link

PROJECT_ROOT = Path(__file__).parents[2]


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
        if mode == "certificate":
            # The very certificate given, not a throwaway one.
            served = ssl.get_server_certificate(("127.0.0.1", port))
            given = Path(self_signed_pair[1]).read_text()
            assert ssl.PEM_cert_to_DER_cert(served) == ssl.PEM_cert_to_DER_cert(given)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Setlist" in page
    assert "Log in" in page
    assert "Username: admin" in output
    # Only this machine reaches a server on loopback: nobody else could register.
    assert "without reCAPTCHA keys" not in output
    assert "Debugger is active" not in output
    # One line per request, the app's (with its request id), not Werkzeug's as well.
    assert "GET / 200" in output
    assert '"GET / HTTP/1.1"' not in output
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


def test_emailed_links_lead_to_the_port_served(operator_env, smtp_server, inbox):
    """In development, activation links follow run.py's host and port (not a fixed 8080)."""
    port = free_port()
    env = {**operator_env, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_server.port)}
    server = subprocess.Popen(
        [sys.executable, "run.py", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        fetch(f"{base}/", deadline=time.monotonic() + 60)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with opener.open(f"{base}/register/form", timeout=10) as form:
            token = CSRF_INPUT.search(form.read().decode()).group(1)
        fields = {**registration_form(), "csrf_token": token}
        body = urllib.parse.urlencode(fields).encode()
        with opener.open(f"{base}/register/form", data=body, timeout=30):
            pass
        link = first_link(inbox.last_to("nina@example.org"))
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert link.startswith(f"{base}/register/activation/"), link


def answers(port: int) -> bool:
    """True once something accepts connections on the loopback port."""
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


STATIC_LINK = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def test_make_run_prints_no_warning_and_one_line_per_page(tmp_path, require_part):
    """`make run` on a fresh database, then a page viewed as a browser does (the page, its
    stylesheets, scripts and icon), then Ctrl+C: the console holds the first admin, where
    the server runs and one request line, and no WARNING at all."""
    require_part(shutil.which("make") is not None, "make is not installed")
    planned = subprocess.run(["make", "-n", "run"], cwd=PROJECT_ROOT, capture_output=True,
                             text=True, check=True, timeout=60).stdout  # fmt: skip
    require_part("pip install" not in planned, "make run would install packages first")
    port = free_port()
    env = {
        **os.environ,
        "CATALOG_CONFIG": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'make-run.db'}",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "PORT": str(port),
    }
    env.pop("LOG_LEVEL", None)
    server = subprocess.Popen(
        ["make", "run"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # Ctrl+C reaches make and the server it started
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while server.poll() is None and not answers(port) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert server.poll() is None, "make run stopped"
        page, _headers = fetch(f"{base}/login/", deadline=time.monotonic() + 10)
        files = [link.replace("&amp;", "&") for link in STATIC_LINK.findall(page)]
        for link in [*files, "/favicon.ico"]:
            with urllib.request.urlopen(f"{base}{link}", timeout=10) as response:  # noqa: S310
                assert response.status == 200, link
    finally:
        os.killpg(server.pid, signal.SIGINT)
        output = server.communicate(timeout=60)[0]
        print(output)  # shown when the test fails
    assert len(files) > 20
    assert "Username: admin" in output
    assert f"Running on http://127.0.0.1:{port}" in output
    assert "WARNING" not in output, output
    assert "\\x1b" not in output  # no colour codes written out as text
    assert "Refused to delete" not in output
    request_lines = [line for line in output.splitlines() if " app.requests " in line]
    assert len(request_lines) == 1, request_lines
    assert "GET /login/ 200" in request_lines[0]
