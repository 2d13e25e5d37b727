"""The project's gunicorn.conf.py: servers of one user do not share gunicorn's control socket."""

import os

from bench.harness import PROJECT, Gunicorn, Server


def test_a_server_has_a_control_socket_only_where_it_is_told(tmp_path):
    """By default no control socket (gunicorn's default path is one per user, which a second
    server would take over and the first to stop delete); GUNICORN_CONTROL_SOCKET names one
    of the server's own."""
    home = tmp_path / "home"
    home.mkdir()
    env = {**Server().env, "HOME": str(home)}
    env.pop("XDG_RUNTIME_DIR", None)
    own = tmp_path / "second.ctl"
    servers = [
        Gunicorn(env, PROJECT, "--workers", "1", ready_path="/health/live"),
        Gunicorn(
            {**env, "GUNICORN_CONTROL_SOCKET": str(own)},
            PROJECT,
            "--workers",
            "1",
            ready_path="/health/live",
        ),
    ]
    try:
        assert own.is_socket()
        assert not (home / ".gunicorn").exists(), os.listdir(home / ".gunicorn")
    finally:
        for server in servers:
            server.stop()
    assert not own.exists()
