"""A long export on a real gunicorn (the project's gunicorn.conf.py, ONE worker, production
settings on PostgreSQL and Redis) neither starves logins nor lets a second export in."""

import os
import queue
import socket
import threading
import time

import pytest
from sqlalchemy import create_engine

from app.demo.scale import write_catalog
from bench.harness import PROJECT, Gunicorn, SessionClient
from tests.operations.test_production import (
    ADMIN,
    PASSWORD,
    production_settings,
    set_up_as_readme_says,
)

#: Songs enough that an export (about 110 bytes a song) cannot hide in socket buffers
#: (4 MB for the server's send buffer at most on Linux, little for the stalled client's).
SONGS = 60_000
#: A request that has not answered by then hangs (the login waited 34 s behind exports).
PATIENCE = 15


@pytest.fixture(scope="module")
def exporting_server(tmp_path_factory):
    """gunicorn with one worker and default threads, production settings, SONGS songs."""
    folder = tmp_path_factory.mktemp("export-server")
    env = {
        **production_settings(11, folder / "uploads"),
        "WEB_CONCURRENCY": "1",
        "LOG_LEVEL": "WARNING",
    }
    set_up_as_readme_says(env)
    engine = create_engine(env["DATABASE_URL"])
    with engine.begin() as connection:
        write_catalog(connection, SONGS)
    engine.dispose()
    server = Gunicorn(env, PROJECT, ready_path="/health/live")
    yield server
    server.stop()


def within(seconds: float, call):
    """What `call()` returns, failing the test if it has not returned by then (a hang)."""
    answers: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: answers.put(call()), daemon=True).start()
    try:
        return answers.get(timeout=seconds)
    except queue.Empty:
        pytest.fail(f"no answer within {seconds} s")


def stalled_export(client: SessionClient) -> socket.socket:
    """Start an export and stop reading after its first bytes (a small receive buffer, so
    the server is soon blocked writing); the open socket."""
    connection = socket.socket()
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    connection.settimeout(PATIENCE)
    connection.connect((client.host, client.port))
    cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    request = f"GET /songs/export.csv HTTP/1.1\r\nHost: {client.host}\r\nCookie: {cookies}\r\n\r\n"
    connection.sendall(request.encode())
    assert connection.recv(1024).startswith(b"HTTP/1.1 200 ")
    return connection


def test_a_stalled_export_leaves_threads_for_logins_and_no_room_for_exports(exporting_server):
    """While one export is stuck on a client that stopped reading: another export is
    refused (429, Retry-After), the login page and a login answer; once the stalled
    connection is gone, a whole export runs again."""
    exporter = SessionClient(exporting_server.url)
    within(PATIENCE, lambda: exporter.log_in(ADMIN, PASSWORD))
    stalled = stalled_export(exporter)
    try:
        status, headers, body = within(
            PATIENCE, lambda: exporter.request("GET", "/albums/export.csv")
        )
        assert (status, int(headers["Retry-After"])) == (429, 30)
        assert b"The server is busy exporting." in body
        login_page = within(PATIENCE, lambda: SessionClient(exporting_server.url).get("/login/"))
        assert b'name="password"' in login_page
        newcomer = SessionClient(exporting_server.url)
        within(PATIENCE, lambda: newcomer.log_in(ADMIN, PASSWORD))
        assert b"Songs" in within(PATIENCE, lambda: newcomer.get("/songs/list/"))
    finally:
        stalled.close()

    def export_when_free():
        for _attempt in range(100):  # the server notices the closed connection on its next write
            status, _headers, body = newcomer.request("GET", "/songs/export.csv")
            if status != 429:
                return status, body
            time.sleep(0.1)
        return status, body

    status, body = within(60, export_when_free)
    assert status == 200
    assert body.decode("utf-8-sig").count("\r\n") == SONGS + 1


def test_gunicorn_refuses_fewer_threads_than_exports_need():
    """GUNICORN_THREADS must leave a thread beyond CATALOG_EXPORTS_PER_PROCESS's exports."""
    env = {**os.environ, "GUNICORN_THREADS": "2", "CATALOG_EXPORTS_PER_PROCESS": "2"}
    with pytest.raises(RuntimeError) as refused:
        Gunicorn(env, PROJECT)
    assert "GUNICORN_THREADS (2) must be more than CATALOG_EXPORTS_PER_PROCESS (2)" in str(
        refused.value
    )
