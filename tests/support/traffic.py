"""For the tests that kill an app server behind the nginx front: signed-in clients (GETs that
must all answer, uploads of distinct files), a kill that cuts an upload, nginx's rotation."""

import secrets
import threading
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path

from bench.front import HttpsClient, NginxFront
from bench.units import AppServerUnit

#: The size of each upload, in MB.
UPLOAD_MB = 8


def noise_wav(path: Path, megabytes: float) -> Path:
    """A WAV of random noise: content no other upload has."""
    with wave.open(str(path), "wb") as output:
        output.setnchannels(1)
        output.setsampwidth(2)
        output.setframerate(8000)
        output.writeframes(secrets.token_bytes(int(megabytes * 1024 * 1024) // 2 * 2))
    return path


@dataclass
class Traffic:
    """Signed-in clients through the front: GET threads (lists, song pages, ranged streams)
    and upload threads, until stopped; what each request got."""

    client: HttpsClient
    song_ids: list[int]
    folder: Path
    failed_gets: list[str] = field(default_factory=list)
    gets: int = 0
    slowest_get: float = 0.0
    uploads: list[tuple[str, Path, int]] = field(default_factory=list)  # title, file, status
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, getters: int, uploaders: int) -> list[threading.Thread]:
        """Start the threads."""
        threads = [threading.Thread(target=self.get, args=(n,)) for n in range(getters)]
        threads += [threading.Thread(target=self.upload, args=(n,)) for n in range(uploaders)]
        for thread in threads:
            thread.start()
        return threads

    def get(self, number: int) -> None:
        """GET thread: every answer must be the page or the range asked for."""
        client, turn = self.client.copy(), number
        while not self.stopping.is_set():
            turn += 1
            song = self.song_ids[turn % len(self.song_ids)]
            path, wanted, status = [
                ("/songs/list/", None, 200),
                (f"/songs/show/{song}", None, 200),
                (f"/songs/stream/{song}", {"Range": "bytes=100-4195"}, 206),
            ][turn % 3]
            started = time.monotonic()
            try:
                got, _headers, body = client.request("GET", path, headers=wanted)
                problem = None if got == status else f"{path}: {got}"
                if got == 206 and len(body) != 4096:
                    problem = f"{path}: {len(body)} bytes"
            except OSError as error:
                problem = f"{path}: {error!r}"
            with self.lock:
                self.gets += 1
                self.slowest_get = max(self.slowest_get, time.monotonic() - started)
                if problem:
                    self.failed_gets.append(problem)

    def upload(self, number: int) -> None:
        """Upload thread: distinct files of UPLOAD_MB, one after the other."""
        client = self.client.copy()
        while not self.stopping.is_set():
            title = f"Upload {number}-{secrets.token_hex(4)}"
            source = noise_wav(self.folder / f"{title.replace(' ', '-')}.wav", UPLOAD_MB)
            fields = {"album": "1", "title": title}
            try:
                status = client.upload("/songs/add", fields, "audio_file", source)[0]
            except OSError:
                status = 0
            with self.lock:
                self.uploads.append((title, source, status))


def back_in_rotation(front: NginxFront, unit: AppServerUnit, after: int) -> bool:
    """Whether nginx's log shows the unit answering a request after its `after` first lines."""
    address = f"127.0.0.1:{unit.port}"
    return any(
        line["upstream"].split(", ")[-1] == address and line["upstream_status"].endswith("200")
        for line in front.access_lines()[after:]
    )


def kill_mid_upload(unit: AppServerUnit) -> float:
    """kill -9 a server while it reads an upload's body (its spooled copy still growing), so
    that upload is certainly cut off; when."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if any(size < UPLOAD_MB * 1024 * 1024 for size in unit.spooled_files().values()):
            break
        time.sleep(0.002)
    return unit.kill()
