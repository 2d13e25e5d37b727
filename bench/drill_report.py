"""What the fault drill found: per phase, what users got; at the end, whether every
acknowledged upload is a row, an object and the same bytes. Markdown tables, for the README."""

import http.client
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from drill_parts import Outcome
from harness import PROJECT, SessionClient
from sqlalchemy import create_engine, make_url, text


def song_objects(store) -> dict[str, int]:
    """Every song file in the bucket (the root; covers and staged uploads have prefixes)."""
    objects = {}
    pages = store.client().get_paginator("list_objects_v2").paginate(Bucket=store.BUCKET)
    for page in pages:
        for item in page.get("Contents", []):
            if "/" not in item["Key"]:
                objects[item["Key"]] = item["Size"]
    return objects


@dataclass
class Phase:
    """A stretch of the drill: a fault (or none) and the requests that ended meanwhile;
    `back` is when the missing part was back, `note` what the fault took, `target` what
    users should see, `excused` the failures the target allows."""

    name: str
    start: float
    target: str = "no failures"
    excused: Callable[[Outcome], bool] = lambda outcome: False
    back: float | None = None
    note: str = ""
    end: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)


def counts(items) -> str:
    """How many of each item, most first ("500×3, 503×1")."""  # noqa: RUF002
    return ", ".join(f"{key}×{number}" for key, number in Counter(items).most_common())


def by_route(outcomes: list[Outcome]) -> str:
    """The statuses of some requests, by route ("POST /songs/add 302×4; GET /search/ 500×2")."""  # noqa: RUF002
    routes: dict[str, list] = defaultdict(list)
    for outcome in outcomes:
        routes[outcome.route].append(outcome.status)
    ordered = sorted(routes.items(), key=lambda item: -len(item[1]))
    return "; ".join(f"{route} {counts(statuses)}" for route, statuses in ordered)


def recovery(phase: Phase) -> tuple[str, str]:
    """(seconds from the fault's end until every route that failed in the phase has
    answered a request started after it, seconds from then until the last failure ended)."""
    if phase.back is None:
        return "—", "—"
    failed = [o for o in phase.outcomes if not o.ok]
    if not failed:
        return "no failures", "no failures"
    waits = []
    for route in sorted({o.route for o in failed}):
        good = [o.ended for o in phase.outcomes
                if o.route == route and o.ok and o.started >= phase.back]  # fmt: skip
        if not good:
            return f"never ({route})", ""
        waits.append(min(good) - phase.back)
    last = max(o.ended for o in failed) - phase.back
    return f"{max(waits):.1f} s", f"{last:.1f} s" if last > 0 else "none after"


def phase_row(phase: Phase) -> str:
    """One line of the phase table."""
    outcomes = phase.outcomes
    answered = [o for o in outcomes if o.status is not None]
    server_errors = [o for o in answered if o.status >= 500]
    bare = sum(1 for o in server_errors if not o.request_id)
    five = by_route(server_errors) or "0"
    if bare:
        five += f" ({bare} without a request id)"
    others = by_route([o for o in answered if not o.ok and o.status < 500]) or "0"
    unanswered = [o for o in outcomes if o.status is None]
    lost = f"{len(unanswered)} ({counts(o.error for o in unanswered)})" if unanswered else "0"
    first, last = recovery(phase)
    statuses = counts(sorted(o.status for o in answered))
    cells = [phase.name, phase.note, str(len(outcomes)), statuses, five, others, lost, first,
             last]  # fmt: skip
    return "| " + " | ".join(cells) + " |"


def phase_table(phases: list[Phase]) -> str:
    """The markdown table of every phase, and how to read its times."""
    head = ("| phase | fault | requests | by status | 5xx by route | other failures | no answer "
            "| recovered after | last failure after |")  # fmt: skip
    legend = (
        "A request counts in the phase it ended in. Times count from when the part was back "
        "(pg_ctl returned, Redis answered, SeaweedFS served an object, the killed server was "
        "ready): *recovered* when every route that failed in the phase had answered a request "
        "started since; *none after*: every failure ended before."
    )
    rows = [phase_row(phase) for phase in phases]
    return "\n".join([head, "|" + "---|" * 9, *rows, "", legend])


def failures_said(phases: list[Phase]) -> str:
    """What the failed answers said, by phase: 5xx by the page's title or JSON message (the
    app's, nginx's or gunicorn's), other failures by route and title or redirect."""
    lines = []
    for phase in phases:
        said = [
            f"{o.status} {o.said!r}" if o.status >= 500 else f"{o.route} {o.status} {o.said}"
            for o in phase.outcomes
            if o.status is not None and not o.ok
        ]
        if said:
            lines.append(f"- {phase.name}: {counts(said)}")
    return "\n".join(lines) or "- none"


def targets(phases: list[Phase], integrity: "Integrity") -> str:
    """Issue 23's targets, each met or not (with the failures that miss it)."""
    lines = []
    for phase in phases:
        missed = [o for o in phase.outcomes if not o.ok and not phase.excused(o)]
        verdict = f"missed: {by_route(missed)}" if missed else "met"
        lines.append(f"- {phase.name}: {phase.target}: **{verdict}**")
    errors = sum(1 for phase in phases for o in phase.outcomes if o.status == 500)
    lines.append(f"- 0 × 500 in every phase: **{'met' if not errors else f'{errors} × 500'}**")
    lines.append(f"- nothing lost: **{'met' if integrity.clean else 'missed'}**")
    return "\n".join(lines)


@dataclass
class Integrity:
    """Acknowledged uploads against rows, objects, downloads and `check-files`."""

    acknowledged: int = 0
    lost: list[int] = field(default_factory=list)
    unacknowledged: int = 0
    mp3: int = 0
    rows: int = 0
    without_history: int = 0
    demo: int = 0
    objects: int = 0
    rows_without_object: int = 0
    objects_without_row: int = 0
    identical: int = 0
    different: list[int] = field(default_factory=list)
    check_files: str = ""
    check_files_code: int = 0

    @property
    def clean(self) -> bool:
        """Nothing lost, nothing stray, every byte the same, check-files happy."""
        return not (self.lost or self.different or self.rows_without_object
                    or self.objects_without_row or self.without_history
                    or self.check_files_code)  # fmt: skip

    def table(self) -> str:
        """The markdown table of the check."""
        cells = [
            f"{self.acknowledged} ({self.mp3} MP3, {self.acknowledged - self.mp3} WAV)",
            f"{self.rows} ({self.unacknowledged} unacknowledged, "
            f"{self.without_history} without a history record)",
            f"{self.objects} (for {self.demo} demo songs too)",
            f"{len(self.lost)} / {self.rows_without_object} / {self.objects_without_row}",
            f"{self.identical} of {self.acknowledged}",
            f"exit {self.check_files_code}: {self.check_files}",
        ]
        head = (
            "| acknowledged uploads | upload rows | song objects | lost / rows without "
            "object / objects without row | byte-identical download | check-files |"
        )
        return "\n".join([head, "|" + "---|" * 6, "| " + " | ".join(cells) + " |"])


def check_integrity(env: dict, store, uploaded: dict, client: SessionClient) -> Integrity:
    """Compare what clients were told with the database, the bucket and a download of each
    (by `client`, signed in)."""
    found = Integrity(acknowledged=len(uploaded))
    engine = create_engine(make_url(env["DATABASE_URL"]).set(drivername="postgresql+psycopg"))
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, audio_file, title FROM song")).all()
        created = "SELECT record_id FROM change WHERE kind = 'song' AND action = 'created'"
        recorded = set(connection.scalars(text(created)))
    engine.dispose()
    uploads = {row.id for row in rows if row.title.startswith("Load ")}
    found.rows, found.demo = len(uploads), len(rows) - len(uploads)
    found.lost = sorted(set(uploaded) - uploads)
    found.unacknowledged = len(uploads - set(uploaded))
    found.without_history = len(uploads - recorded)
    found.mp3 = sum(1 for path in uploaded.values() if path.suffix == ".mp3")
    files, objects = {row.audio_file for row in rows}, set(song_objects(store))
    found.objects = len(objects)
    found.rows_without_object = len(files - objects)
    found.objects_without_row = len(objects - files)

    def same(song_id: int) -> bool:
        try:
            answer = client.copy().request("GET", f"/songs/download/{song_id}")
        except (OSError, http.client.HTTPException):
            return False
        return answer[0] == 200 and answer[2] == uploaded[song_id].read_bytes()

    with ThreadPoolExecutor(4) as pool:
        results = dict(zip(uploaded, pool.map(same, uploaded), strict=True))
    found.identical = sum(results.values())
    found.different = [song_id for song_id, ok in results.items() if not ok]
    # The traffic is over: no upload is committing, so every file is judged at once.
    command = [sys.executable, "-m", "flask", "catalog", "check-files", "--grace", "0"]
    done = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True)
    lines = (done.stdout + done.stderr).strip().splitlines()
    found.check_files_code = done.returncode
    found.check_files = lines[-1] if done.returncode == 0 and lines else "; ".join(lines[:3])
    return found
