"""Run deploy/setlist@.service the way systemd does, without systemd: for the tests and the
fault drill (its ExecStart, environment, runtime folder, readiness and restart policy)."""

import contextlib
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
UNIT = PROJECT / "deploy" / "setlist@.service"
#: Where the unit expects the project (its WorkingDirectory); the tests run it from here.
INSTALLED = "/srv/setlist"


def unit_settings(path: Path = UNIT) -> dict[str, list[str]]:
    """The [Service] section of a unit file: each key with its values, in order."""
    settings: dict[str, list[str]] = {}
    section = None
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line
        elif section == "[Service]":
            key, _, value = line.partition("=")
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def seconds(value: str) -> float:
    """A systemd time span such as "2s", "500ms" or "3" (seconds)."""
    if value.endswith("ms"):
        return float(value[:-2]) / 1000
    return float(value.rstrip("s"))


class AppServerUnit:
    """One instance (setlist@PORT) of the unit: started like systemd starts it, restarted
    after RestartSec when it dies while Restart=always, killed like a crash would kill it.

    `environment` plays the EnvironmentFile; the instance's stderr (the journal) goes to
    `log_path`, kept across restarts.
    """

    def __init__(self, port: int, environment: dict, folder: Path | None = None) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.settings = unit_settings()
        self.folder = folder or Path(tempfile.mkdtemp(prefix=f"setlist-unit-{port}-"))
        self.environment = environment
        self.log_path = self.folder / "journal.log"
        self.starts: list[float] = []  # when each start was ready (time.monotonic())
        self.process: subprocess.Popen | None = None
        self.stopping = False
        self.lock = threading.Lock()
        self.watcher: threading.Thread | None = None

    def command(self) -> list[str]:
        """ExecStart with %i, %t and the install folder filled in."""
        [line] = self.settings["ExecStart"]
        line = line.replace("%i", str(self.port)).replace("%t", str(self.folder / "run"))
        words = shlex.split(line)
        venv = str(Path(sys.executable).parent)
        return [word.replace(f"{INSTALLED}/.venv/bin", venv) for word in words]

    def start(self) -> "AppServerUnit":
        """Start the instance and wait for gunicorn's READY=1 (Type=notify)."""
        assert self.settings["Type"] == ["notify"], "the unit waits for gunicorn's readiness"
        for name in self.settings.get("RuntimeDirectory", []):
            (self.folder / "run" / name.replace("%i", str(self.port))).mkdir(
                parents=True, exist_ok=True
            )
        notify_path = self.folder / "notify"
        notify_path.unlink(missing_ok=True)
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(str(notify_path))
        notify.settimeout(60)
        [workdir] = self.settings["WorkingDirectory"]
        env = {**self.environment, "NOTIFY_SOCKET": str(notify_path)}
        with self.log_path.open("ab") as log:
            # Its own process group, as a unit has its own cgroup: kill() reaches every worker.
            process = subprocess.Popen(
                self.command(),
                cwd=workdir.replace(INSTALLED, str(PROJECT)),
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            while b"READY=1" not in notify.recv(4096):
                pass
        except TimeoutError:
            process.kill()
            raise RuntimeError(
                f"setlist@{self.port} never said READY=1:\n{self.journal()}"
            ) from None
        finally:
            notify.close()
        with self.lock:
            self.process = process
            self.starts.append(time.monotonic())
        if self.watcher is None:
            self.watcher = threading.Thread(target=self.supervise, daemon=True)
            self.watcher.start()
        return self

    def supervise(self) -> None:
        """Restart=always: start the instance again RestartSec after it exits."""
        [restart] = self.settings["Restart"]
        delay = seconds(self.settings.get("RestartSec", ["0.1s"])[0])
        while not self.stopping:
            self.process.wait()
            if self.stopping or restart != "always":
                return
            time.sleep(delay)
            while not self.stopping:
                try:
                    self.start()
                    break
                except RuntimeError as failure:
                    # StartLimitIntervalSec=0: systemd keeps trying, so does this (and the
                    # journal says why; a silent dead thread left the server down).
                    with self.log_path.open("a") as log:
                        log.write(f"start failed, trying again: {failure}\n")
                    time.sleep(delay)

    def spooled_files(self, at_least: int = 1024 * 1024) -> dict[str, int]:
        """Temporary files (deleted, still open) of `at_least` bytes the workers hold, and
        their sizes: the spooled body of an upload being read or stored (Linux's /proc)."""
        master = self.process.pid
        try:
            workers = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        except OSError:
            return {}
        found = {}
        for worker in workers:
            with contextlib.suppress(OSError):
                for descriptor in Path(f"/proc/{worker}/fd").iterdir():
                    with contextlib.suppress(OSError):
                        target, size = os.readlink(descriptor), os.stat(descriptor).st_size
                        if target.endswith(" (deleted)") and size >= at_least:
                            found[target] = size
        return found

    def kill(self) -> float:
        """kill -9 the master and all its workers at once; when it happened."""
        os.killpg(self.process.pid, 9)
        return time.monotonic()

    def stop(self) -> None:
        """systemctl stop: SIGTERM to the master (KillMode=mixed), then SIGKILL to what is left."""
        self.stopping = True
        with self.lock:
            process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=seconds(self.settings["TimeoutStopSec"][0]))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 9)

    def journal(self) -> str:
        """Everything the instance has logged, over all its starts."""
        return self.log_path.read_text(errors="replace")
