"""Upload a generated 200 MB WAV through the running app; print time and server memory growth.

.venv/bin/python bench/upload_memory.py [--megabytes 200]
"""

import argparse
import threading
import time

from harness import Server, rss_kib, write_wav


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200)
    megabytes = parser.parse_args().megabytes
    # Room for the multipart envelope around a file of exactly that size.
    limit = (megabytes + 16) * 1024 * 1024
    with Server(MAX_CONTENT_LENGTH=str(limit)) as server:
        source = write_wav(server.folder / "upload.wav", megabytes)
        client = server.client()
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
        stored = list((server.folder / "uploads").glob("*.wav"))
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
