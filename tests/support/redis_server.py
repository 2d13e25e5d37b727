"""A Redis server of a test's own on a loopback port, which the test stops, pauses and starts."""

import os
import shutil
import signal
import subprocess
import time

import redis

from tests.support.databases import require
from tests.support.network import free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class RedisServer:
    """`redis-server` on 127.0.0.1 with nothing saved to disk; stop() and start() keep its
    port, so an app configured with its URL finds it again (empty, like a restarted cache)."""

    def __init__(self) -> None:
        require(os.path.exists(REDIS_SERVER), f"{REDIS_SERVER} is not installed")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        """Start the server and wait until it answers a ping."""
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        """Stop the server (connections are then refused)."""
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)  # a paused server cannot exit
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def pause(self) -> None:
        """Freeze the server: connections are accepted, nothing is ever answered."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        """Let a paused server answer again."""
        self.process.send_signal(signal.SIGCONT)

    def client(self) -> redis.Redis:
        """A client of this server, to see what the app stored."""
        return redis.Redis.from_url(self.url, socket_timeout=2)

    def answers(self) -> bool:
        """Whether the server answers a ping now."""
        try:
            return bool(self.client().ping())
        except redis.RedisError:
            return False

    def keys(self, pattern: str) -> list[str]:
        """The keys matching a pattern, as text."""
        return [key.decode() for key in self.client().keys(pattern)]
