"""The Subsonic API's browsing and search at catalog scale: server time per method.

    cd bench && ../.venv/bin/python subsonic_scale.py                       # SQLite, 100,000 songs
    cd bench && ../.venv/bin/python subsonic_scale.py --database postgresql --songs 1000000
    cd bench && ../.venv/bin/python subsonic_scale.py --albums-per-author 1 --songs-per-album 5
        # (100,000 songs by 20,000 authors: what getArtists costs with many artists)

Builds a fresh database as catalog_scale.py does (`flask db upgrade`, generated songs written
with bulk SQL, ANALYZE), signs a Listener in with an app password (apiKey), gives them 300
starred albums and 2,000 played songs, then times each call inside one production app
(Flask's test client: the server's own time, without a network) and prints p50/p90, the
answer's size, its SQL statement count, and the first call's time apart ("first": the
caches cold, e.g. a deep search3 marking page ends). The walk after them is a sync
client's: the last 20 pages of 500 songs one after another, each from where the one
before ended.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from catalog_scale import flask, fresh_database, percentile, production_env
from harness import PROJECT

sys.path.insert(0, str(PROJECT))

from sqlalchemy import create_engine, event, insert, text

from app.demo.scale import write_catalog

LISTENER = "sonic-listener"


def calls(size, deep_song: int, deep_album: int) -> list[tuple[str, str, dict]]:
    """(label, method, parameters) of every timed call."""
    return [
        ("getAlbumList2 newest 50", "getAlbumList2", {"type": "newest", "size": 50}),
        ("getAlbumList2 byName deep", "getAlbumList2",
         {"type": "alphabeticalByName", "size": 50, "offset": deep_album}),
        ("getAlbumList2 byArtist 50", "getAlbumList2",
         {"type": "alphabeticalByArtist", "size": 50}),
        ("getAlbumList2 byYear 50", "getAlbumList2",
         {"type": "byYear", "fromYear": 1990, "toYear": 2000, "size": 50}),
        ("getAlbumList2 random 50", "getAlbumList2", {"type": "random", "size": 50}),
        ("getAlbumList2 starred 50", "getAlbumList2", {"type": "starred", "size": 50}),
        ("getAlbumList2 frequent 50", "getAlbumList2", {"type": "frequent", "size": 50}),
        ("getAlbumList2 recent 50", "getAlbumList2", {"type": "recent", "size": 50}),
        ('search3 "river"', "search3", {"query": "river"}),
        ('search3 "river" offset 1000', "search3",
         {"query": "river", "songOffset": 1000, "albumCount": 0, "artistCount": 0}),
        ('search3 "cafe ocean"', "search3", {"query": "cafe ocean"}),
        ('search3 "velvet echo 7" (rare)', "search3", {"query": "velvet echo 7"}),
        ('search3 "zzqx" (no match)', "search3", {"query": "zzqx"}),
        ("search3 empty, 500 songs", "search3",
         {"query": '""', "songCount": 500, "albumCount": 0, "artistCount": 0}),
        ("search3 empty, deep 500", "search3",
         {"query": '""', "songCount": 500, "songOffset": deep_song, "albumCount": 0,
          "artistCount": 0}),
        ("search3 empty, deep 50", "search3",
         {"query": "", "songCount": 50, "songOffset": deep_song, "albumCount": 0,
          "artistCount": 0}),
        ("search3 empty, deep albums", "search3",
         {"query": "", "albumCount": 500, "albumOffset": deep_album, "songCount": 0,
          "artistCount": 0}),
        ("getArtists (json)", "getArtists", {}),
        ("getArtists (xml)", "getArtists", {"f": "xml"}),
        ("getIndexes", "getIndexes", {}),
        ("getAlbum (10 songs)", "getAlbum", {"id": f"al-{size.albums // 2}"}),
        ("getArtist", "getArtist", {"id": f"ar-{size.authors // 2}"}),
        ("getSong", "getSong", {"id": f"tr-{size.songs // 2}"}),
        ("getRandomSongs 50", "getRandomSongs", {"size": 50}),
        ("getGenres", "getGenres", {}),
    ]  # fmt: skip


def listener_data(app, size) -> str:
    """A Listener with an app password, 300 starred albums and 2,000 played songs; the key."""
    from app.extensions import db
    from app.models import AlbumMark, SongPlay
    from app.security.app_passwords import cipher_for, create

    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.add_user(
            LISTENER, "Sonic", "Listener", "sonic@example.org", sm.find_role("Listener"),
            "a long enough password 42",
        )  # fmt: skip
        now = datetime.now(UTC)
        step = max(1, size.albums // 300)
        db.session.execute(insert(AlbumMark), [
            {"user_id": user.id, "album_id": album, "starred_at": now - timedelta(minutes=album)}
            for album in range(1, size.albums + 1, step)
        ])  # fmt: skip
        step = max(1, size.songs // 2000)
        db.session.execute(insert(SongPlay), [
            {"user_id": user.id, "song_id": song, "play_count": 1 + song % 7,
             "last_played_at": now - timedelta(minutes=song)}
            for song in range(1, size.songs + 1, step)
        ])  # fmt: skip
        key = create(db.session, cipher_for(app.config), user.id, "Bench")[1]
        db.session.commit()
        return key


def measure(app, key: str, method: str, params: dict, rounds: int):
    """(wall times in ms, this process's CPU ms, answer bytes, statements, the first call's
    wall ms: caches cold) of one call repeated. CPU time is the server's own work (SQLite's
    too, which runs in-process; not PostgreSQL's): on a busy shared machine it is the
    steadier figure."""
    from app.extensions import db

    client = app.test_client()
    query = {"apiKey": key, "v": "1.16.1", "c": "bench", "f": "json", **params}
    started = time.perf_counter()
    client.get(f"/rest/{method}", query_string=query)  # warms the caches: timed apart
    first = (time.perf_counter() - started) * 1000
    statements = []

    def count_one(*_args) -> None:
        statements.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count_one)
    answer = client.get(f"/rest/{method}", query_string=query)
    event.remove(engine, "before_cursor_execute", count_one)
    count = len(statements)
    if b'"failed"' in answer.data or b'status="failed"' in answer.data:
        raise SystemExit(f"{method} {params} failed: {answer.data[:300]!r}")
    times, cpu = [], []
    for _ in range(rounds):
        started, used = time.perf_counter(), time.process_time()
        client.get(f"/rest/{method}", query_string=query)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return times, cpu, len(answer.data), count, first


def walk(app, key: str, start: int, pages: int, size: int = 500) -> list[float]:
    """Wall ms of empty search3 pages read one after another from `start`, as a sync
    client reads them."""
    client = app.test_client()
    times = []
    for page in range(pages):
        query = {"apiKey": key, "v": "1.16.1", "c": "bench", "f": "json", "query": '""',
                 "songCount": size, "songOffset": start + page * size, "albumCount": 0,
                 "artistCount": 0}  # fmt: skip
        started = time.perf_counter()
        client.get("/rest/search3", query_string=query)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    """Build, sign in, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--songs", type=int, default=100_000)
    parser.add_argument("--songs-per-album", type=int, default=10)
    parser.add_argument("--albums-per-author", type=int, default=5)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=30, help="timed calls per method")
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="setlist-subsonic-"))
    database_url = fresh_database(options.database, folder)
    env = production_env(database_url, folder)
    flask(env, "db", "upgrade")
    started = time.perf_counter()
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        size = write_catalog(
            connection, options.songs, options.songs_per_album, options.albums_per_author
        )
    engine.dispose()
    flask(env, "catalog", "sync-roles")
    os.environ.update(env)
    from app import create_app

    app = create_app()
    key = listener_data(app, size)
    # Fresh statistics (and, on PostgreSQL, the visibility map autovacuum would set later).
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    maintenance = "VACUUM ANALYZE" if options.database == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(maintenance))
    engine.dispose()
    print(f"load average before measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"Subsonic at scale: {options.database}, {size.songs:,} songs, {size.albums:,} albums, "
          f"{size.authors:,} authors (built in {time.perf_counter() - started:.0f} s)")  # fmt: skip
    print(f"{'call':<30}{'p50':>9}{'p90':>9}{'CPU p50':>9}{'KiB':>9}{'SQL':>5}{'first':>9}")
    deep_song, deep_album = max(0, size.songs - 1000), max(0, size.albums - 600)
    for label, method, params in calls(size, deep_song, deep_album):
        times, cpu, length, count, first = measure(app, key, method, params, options.rounds)
        print(
            f"{label:<30}{statistics.median(times):>7.1f}ms{percentile(times, 0.9):>7.1f}ms"
            f"{statistics.median(cpu):>7.1f}ms{length / 1024:>9.1f}{count:>5}{first:>7.1f}ms"
        )
    walked = walk(app, key, max(0, size.songs - 20 * 500), 20)
    label = "search3 empty, walk of 20"
    print(f"{label:<30}{statistics.median(walked):>7.1f}ms{percentile(walked, 0.9):>7.1f}ms"
          f"   (first page, cold: {walked[0]:.1f} ms)")  # fmt: skip


if __name__ == "__main__":
    main()
