"""Two gunicorn servers of one user on one host, as README's Production runs them: each
answers `gunicornc` on its own control socket, and gunicorn listens on loopback unless told."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from bench.harness import PROJECT, Gunicorn, Server

GUNICORNC = str(Path(sys.executable).with_name("gunicornc"))


def master_pid(control_socket: Path) -> int:
    """The pid of the gunicorn master answering on a control socket."""
    done = subprocess.run(
        [GUNICORNC, "-s", str(control_socket), "-c", "show stats", "-j"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(done.stdout)["pid"]


def test_two_servers_each_answer_on_their_own_control_socket(tmp_path):
    """Started one after the other by the same user, each server's socket reaches that
    server; stopping the first removes its socket only, and the second still answers."""
    home = tmp_path / "home"
    home.mkdir()
    env = {**Server().env, "HOME": str(home)}
    env.pop("XDG_RUNTIME_DIR", None)
    sockets = [tmp_path / "a.ctl", tmp_path / "b.ctl"]
    one_each = [{**env, "GUNICORN_CONTROL_SOCKET": str(path)} for path in sockets]
    servers = [
        Gunicorn(own, PROJECT, "--workers", "1", ready_path="/health/live") for own in one_each
    ]
    try:
        assert [master_pid(path) for path in sockets] == [s.process.pid for s in servers]
        servers[0].stop()
        assert not sockets[0].exists()
        assert master_pid(sockets[1]) == servers[1].process.pid
        assert not (home / ".gunicorn").exists()
    finally:
        for server in servers:
            server.stop()


def resolved_bind(**env: str) -> list[str]:
    """The addresses gunicorn.conf.py makes gunicorn listen on, for an environment."""
    clean = {name: value for name, value in os.environ.items() if name not in ("HOST", "PORT")}
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config"],
        cwd=PROJECT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    [line] = [line for line in done.stdout.splitlines() if line.split()[:1] == ["bind"]]
    return ast.literal_eval(line.split("=", 1)[1].strip())


def test_gunicorn_listens_on_loopback_unless_told_otherwise():
    """The app port stays on 127.0.0.1 by default (a proxy on the same host reaches it;
    nobody else can send their own X-Forwarded-For); HOST and PORT move it."""
    assert resolved_bind() == ["127.0.0.1:8000"]
    everywhere = "0.0.0.0"  # noqa: S104 - what an operator sets for a proxy on another host
    assert resolved_bind(HOST=everywhere, PORT="9000") == [f"{everywhere}:9000"]
