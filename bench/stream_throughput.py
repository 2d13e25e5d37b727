"""Stream a song through the running app: whole-file throughput and small-range request rate.

.venv/bin/python bench/stream_throughput.py [--megabytes 50] [--rounds 5]
"""

import argparse
import time

from harness import Server, write_wav


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with Server() as server:
        library = server.folder / "library"
        library.mkdir()
        write_wav(library / "long.wav", args.megabytes)
        server.flask("catalog", "import", str(library))
        client = server.client()
        song_id = 5  # the four demo songs come first
        started = time.perf_counter()
        total = sum(len(client.get(f"/songs/stream/{song_id}")) for _ in range(args.rounds))
        whole = time.perf_counter() - started
        requests = 200
        started = time.perf_counter()
        for index in range(requests):
            offset = (index * 7919 * 4096) % (args.megabytes * 1024 * 1024)
            client.get(
                f"/songs/stream/{song_id}", headers={"Range": f"bytes={offset}-{offset + 65535}"}
            )
        ranged = time.perf_counter() - started
    print(
        f"whole file: {total / 1024 / 1024:.0f} MiB in {whole:.2f} s "
        f"= {total / 1024 / 1024 / whole:.1f} MiB/s"
    )
    print(
        f"64 KiB ranges: {requests} requests in {ranged:.2f} s "
        f"= {requests / ranged:.0f} requests/s ({ranged / requests * 1000:.1f} ms each)"
    )


if __name__ == "__main__":
    main()
