"""Run Setlist for a benchmark: a temporary database, a real server process, a logged-in client."""

import http.client
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import wave
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

# Scripts run as `python bench/x.py` import this as `harness`; tests as `bench.harness`.
if __package__:
    from .multipart import multipart
else:
    from multipart import multipart

PROJECT = Path(__file__).resolve().parents[1]
ADMIN, PASSWORD = "bench", "bench password long enough"
CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def write_wav(path: Path, megabytes: int) -> Path:
    """A valid WAV file of about the given size (silence, 44.1 kHz stereo)."""
    frames = megabytes * 1024 * 1024 // 4
    with wave.open(str(path), "wb") as output:
        output.setnchannels(2)
        output.setsampwidth(2)
        output.setframerate(44100)
        chunk = bytes(4 * 44100)
        for _ in range(frames // 44100):
            output.writeframes(chunk)
    return path


def free_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def recreated_postgres(url: str) -> str:
    """Drop and recreate the PostgreSQL database a URL names; the URL, empty database and all."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(drivername="postgresql+psycopg", database="postgres"))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    return parsed.render_as_string(hide_password=False)


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    """A memory figure of a process from /proc (VmRSS now, VmHWM peak), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


class Server:
    """`python run.py` on a temporary SQLite database, with an admin and the demo catalog."""

    def __init__(self, **env) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="setlist-bench-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "CATALOG_CONFIG": "development",
            "DATABASE_URL": f"sqlite:///{self.folder / 'bench.db'}",
            "UPLOAD_FOLDER": str(self.folder / "uploads"),
            "LOG_LEVEL": "WARNING",
            **env,
        }
        self.flask("db", "upgrade")
        self.flask(
            "fab",
            "create-admin",
            "--username",
            ADMIN,
            "--firstname",
            "B",
            "--lastname",
            "B",
            "--email",
            "bench@example.org",
            "--password",
            PASSWORD,
        )
        self.flask("catalog", "seed-demo")

    def flask(self, *args: str) -> str:
        """Run a `flask` command on the benchmark database."""
        done = subprocess.run(
            [sys.executable, "-m", "flask", *args],
            cwd=PROJECT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def __enter__(self) -> "Server":
        self.process = subprocess.Popen(
            [sys.executable, "run.py", "--port", str(self.port)],
            cwd=PROJECT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.url + "/login/", timeout=2).close()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def client(self) -> "Client":
        """A client logged in as the benchmark admin."""
        client = Client(self.url)
        client.post_form("/login/", {"username": ADMIN, "password": PASSWORD})
        return client


class Client:
    """A cookie-keeping HTTP client that fills forms with their CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str, headers: dict | None = None) -> bytes:
        """GET a path and return the body."""
        request = urllib.request.Request(self.base + path, headers=headers or {})
        with self.opener.open(request, timeout=600) as response:
            return response.read()

    def token(self, path: str) -> str:
        """The CSRF token of the form on a page."""
        return CSRF.search(self.get(path).decode()).group(1)

    def post_form(self, path: str, fields: dict) -> None:
        """Post a plain form with its CSRF token."""
        data = urllib.parse.urlencode({"csrf_token": self.token(path), **fields}).encode()
        self.opener.open(urllib.request.Request(self.base + path, data=data), timeout=60).close()

    def upload(self, path: str, fields: dict, file_field: str, file_path: Path) -> int:
        """Post a multipart form, streaming the file from disk; return the HTTP status."""
        body, content_type = multipart(
            {"csrf_token": self.token(path), **fields}, file_field, file_path
        )
        request = urllib.request.Request(
            self.base + path,
            data=body,
            method="POST",
            headers={"Content-Type": content_type, "Content-Length": str(len(body))},
        )
        with self.opener.open(request, timeout=600) as response:
            return response.status


class SessionClient:
    """A plain HTTP client that keeps its cookies itself.

    Production marks cookies Secure; benchmarks talk plain HTTP on loopback, where a
    cookie jar would drop them. Each thread of a load test takes its own copy().
    """

    def __init__(self, base: str, cookies: dict | None = None) -> None:
        self.base = base
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname, parsed.port
        self.cookies = dict(cookies or {})

    def copy(self) -> "SessionClient":
        """A client with the same session, for another thread."""
        return type(self)(self.base, self.cookies)

    def connection(self) -> http.client.HTTPConnection:
        """A new connection to the server."""
        return http.client.HTTPConnection(self.host, self.port, timeout=600)

    def headers_for(self, method: str, path: str, headers) -> dict:
        """The request's headers, with the session's cookies."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return headers

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        """(status, headers, body) of one request on a new connection."""
        headers = self.headers_for(method, path, headers)
        connection = self.connection()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, data

    def get(self, path: str) -> bytes:
        """The body of a page that must answer 200."""
        status, _headers, data = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        return data

    def token(self, path: str) -> str:
        """The CSRF token of the form on a page."""
        return CSRF.search(self.get(path).decode()).group(1)

    def submit(self, form_path: str, fields: dict, post_path: str | None = None):
        """(status, headers, body) of posting a form with the CSRF token of its page."""
        body = urllib.parse.urlencode({"csrf_token": self.token(form_path), **fields}).encode()
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", post_path or form_path, body, form)

    def upload(self, path: str, fields: dict, file_field: str, file_path: Path):
        """(status, headers, body) of posting a multipart form, the file streamed from disk."""
        body, content_type = multipart(
            {"csrf_token": self.token(path), **fields}, file_field, file_path
        )
        headers = {"Content-Type": content_type, "Content-Length": str(len(body))}
        return self.request("POST", path, body, headers)

    def log_in(self, username: str, password: str) -> None:
        """Log in through the login form."""
        token = CSRF.search(self.get("/login/").decode()).group(1)
        fields = {"csrf_token": token, "username": username, "password": password}
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        body = urllib.parse.urlencode(fields).encode()
        status, headers, _ = self.request("POST", "/login/", body, form)
        if status != 302 or "/login/" in headers.get("Location", ""):
            raise RuntimeError(f"could not log in as {username}")


class Gunicorn:
    """gunicorn on a free loopback port, started from a folder (the project's reads its
    gunicorn.conf.py); `args` add to or override that file's settings."""

    def __init__(self, env: dict, chdir: Path = PROJECT, *args: str, ready_path: str = "/") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**env, "PORT": str(self.port)}
        command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", *args]
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - read until the server stops
        # Its own process group: stop() and kill() reach the workers too.
        self.process = subprocess.Popen(
            command, cwd=chdir, env=env, stderr=self.log, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                SessionClient(self.url).request("GET", ready_path)
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start:\n{self.output()}") from None
                time.sleep(0.2)

    def output(self) -> str:
        """What the server has logged so far."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def kill(self) -> None:
        """kill -9 the master and its workers, as a crash would."""
        os.killpg(self.process.pid, 9)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """Stop the server gracefully."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
