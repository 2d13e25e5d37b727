"""catalog_scale.py's measuring and printing: interleaved latencies of Setlist and its two
comparators, requests/s, the issue's targets, and the figures saved or compared as JSON."""

import json
import os
import statistics
import threading
import time

#: The servers compared, in the order requests go out and columns print.
SIDES = ("bare", "samejob", "setlist")
LABELS = {"bare": "bare", "samejob": "same-job", "setlist": "Setlist"}
#: Issue 29's targets: Setlist's p50 at most this many times the same-job page's ...
P50_TARGET, SEARCH_TARGET = 2.0, 1.5
#: ... its requests/s at least this share of the same-job page's ...
RPS_TARGET = 0.4
#: ... and a page at 1,000,000 songs at most this many times slower than at 100,000.
SCALE_TARGET = 1.3


def timed(client, path: str) -> tuple[float, int]:
    """(milliseconds, body bytes) of one GET."""
    started = time.perf_counter()
    body = client.get(path)
    return (time.perf_counter() - started) * 1000, len(body)


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie."""
    ordered = sorted(values)
    return ordered[min(int(fraction * len(ordered)), len(ordered) - 1)]


def load_average() -> str:
    """The machine's 1/5/15-minute load averages (it is shared: figures drift with them)."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def throughput(client_factory, path: str, clients: int, seconds: float, status: int = 200) -> float:
    """Requests per second that `clients` concurrent clients get through on one page."""
    done = [0] * clients
    deadline = time.monotonic() + seconds

    def work(slot: int) -> None:
        client = client_factory()
        while time.monotonic() < deadline:
            answered = client.request("GET", path)[0]
            if answered != status:
                raise RuntimeError(f"GET {path} answered {answered}, not {status}")
            done[slot] += 1

    threads = [threading.Thread(target=work, args=(slot,)) for slot in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


def paths_of(page: tuple, side: str) -> str:
    """The address of a PAGES entry (name, Setlist path, comparator path) on one server."""
    return page[1] if side == "setlist" else page[2]


def sample(clients: dict, pages: list, rounds: int) -> dict:
    """{page: {side: {"ms": [...], "bytes": n}}}: each round asks every server every page in
    turn, so the machine's drift from minute to minute falls on all three alike."""
    for _ in range(3):  # warm the workers and caches
        for page in pages:
            for side in SIDES:
                clients[side].get(paths_of(page, side))
    samples = {page[0]: {side: {"ms": [], "bytes": 0} for side in SIDES} for page in pages}
    for _ in range(rounds):
        for page in pages:
            for side in SIDES:
                ms, size = timed(clients[side], paths_of(page, side))
                samples[page[0]][side]["ms"].append(ms)
                samples[page[0]][side]["bytes"] = size
    return samples


def page_figures(samples: dict) -> dict:
    """{page: {side: {"p50", "p90", "kib"}}} of sample()'s timings."""
    return {
        name: {
            side: {
                "p50": statistics.median(timing["ms"]),
                "p90": percentile(timing["ms"], 0.9),
                "kib": timing["bytes"] / 1024,
            }
            for side, timing in sides.items()
        }
        for name, sides in samples.items()
    }


def target_of(name: str) -> float:
    """The issue's p50 target for a page, as a multiple of the same-job page."""
    return SEARCH_TARGET if "search" in name else P50_TARGET


def print_pages(pages: dict, statements: dict) -> None:
    """The latency table: p50/p90 of each server, both ratios and the target, sizes, SQL."""
    print(
        f"{'page':<24}"
        + "".join(f"{LABELS[side] + ' p50':>14}{'p90':>8}" for side in SIDES)
        + f"{'÷same-job':>11}{'target':>10}{'÷bare':>7}{'KiB':>7}{'same KiB':>9}{'SQL':>5}"
    )
    for name, sides in pages.items():
        ratio = sides["setlist"]["p50"] / sides["samejob"]["p50"]
        met = "ok" if ratio <= target_of(name) else "MISS"
        print(
            f"{name:<24}"
            + "".join(f"{sides[s]['p50']:>12.1f}ms{sides[s]['p90']:>6.1f}ms" for s in SIDES)
            + f"{ratio:>10.2f}×{'≤' + format(target_of(name), '.1f') + ' ' + met:>10}"
            + f"{sides['setlist']['p50'] / sides['bare']['p50']:>6.2f}×"
            + f"{sides['setlist']['kib']:>7.1f}{sides['samejob']['kib']:>9.1f}"
            + f"{statements.get(name, ''):>5}"
        )


def alternating_rates(factories: dict, page: tuple, clients: int, seconds: float, runs: int):
    """{side: mean requests/s} over `runs` rounds, each round starting with the next server:
    this machine's speed drifts by 10-20 % from minute to minute."""
    rates = {side: [] for side in SIDES}
    for run in range(runs):
        order = SIDES[run % len(SIDES) :] + SIDES[: run % len(SIDES)]
        for side in order:
            path = paths_of(page, side)
            rates[side].append(throughput(factories[side], path, clients, seconds))
    return {side: statistics.mean(values) for side, values in rates.items()}


def print_rates(rates: dict, clients: int) -> None:
    """Requests/s of the three servers, Setlist's share of the same-job page's and the target."""
    share = rates["setlist"] / rates["samejob"]
    met = "ok" if share >= RPS_TARGET else "MISS"
    print(
        f"\nrequests/s, song list page 1, gunicorn 2 workers, {clients} clients: "
        + ", ".join(f"{LABELS[side]} {rates[side]:.0f}" for side in SIDES)
        + f"; Setlist ÷ same-job {share:.2f}× (target ≥{RPS_TARGET} {met}), "
        + f"÷ bare {rates['setlist'] / rates['bare']:.2f}×"
    )


def save(path: str, figures: dict) -> None:
    """Write a run's figures as JSON, for a later run's --baseline."""
    with open(path, "w") as output:
        json.dump(figures, output, indent=1)


def print_baseline(path: str, figures: dict) -> None:
    """Per page, this run's p50 and p90 over the baseline run's (for Setlist, the target;
    the same-job page's for comparison), and the baseline's size."""
    with open(path) as source:
        baseline = json.load(source)
    print(
        f"\nthis run ({figures['songs']:,} songs) ÷ baseline ({baseline['songs']:,} songs, "
        f"{baseline['database']}, {path}):"
    )
    print(f"{'page':<24}{'Setlist p50':>12}{'p90':>8}{'target':>11}{'same-job p50':>14}{'p90':>8}")
    for name, sides in figures["pages"].items():
        before = baseline["pages"].get(name)
        if before is None:
            continue
        ours = [sides["setlist"][q] / before["setlist"][q] for q in ("p50", "p90")]
        theirs = [sides["samejob"][q] / before["samejob"][q] for q in ("p50", "p90")]
        met = "ok" if max(ours) <= SCALE_TARGET else "MISS"
        print(
            f"{name:<24}{ours[0]:>11.2f}×{ours[1]:>7.2f}×{'≤' + str(SCALE_TARGET) + ' ' + met:>11}"
            f"{theirs[0]:>13.2f}×{theirs[1]:>7.2f}×"
        )
    rates, before = figures["rates"], baseline["rates"]
    print(
        "requests/s ÷ baseline: "
        + ", ".join(f"{LABELS[side]} {rates[side] / before[side]:.2f}×" for side in SIDES)
    )
