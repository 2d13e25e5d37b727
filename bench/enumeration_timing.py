"""Do the account forms take as long for a known address as for an unknown one?

    .venv/bin/python bench/enumeration_timing.py [--tries 50]

Serves Setlist (run.py) with a real SMTP server on loopback (aiosmtpd), then times, in
interleaved order, `--tries` posts per branch: registration with an address that has an
account vs a new one, and forgotten password for a known vs an unknown address. Prints the
median of each branch and the gap between the two of a form (the goal: under 10 %).
"""

import argparse
import statistics
import time
import urllib.parse
import urllib.request

from aiosmtpd.controller import Controller
from harness import ADMIN, Client, Server, free_port

ADMIN_EMAIL = "bench@example.org"
PASSWORD = "amber window quietly sings"


class Accept:
    """An SMTP handler that takes every message and keeps none."""

    async def handle_DATA(self, server, session, envelope):
        """Accept the message."""
        return "250 OK"


def timed_post(client, path: str, fields: dict) -> float:
    """Milliseconds of one form post (its CSRF token fetched first, untimed)."""
    data = urllib.parse.urlencode({"csrf_token": client.token(path), **fields}).encode()
    request = urllib.request.Request(client.base + path, data=data)
    started = time.perf_counter()
    client.opener.open(request, timeout=60).read()
    return (time.perf_counter() - started) * 1000


def registration(username: str, email: str) -> dict:
    """A filled-in registration form."""
    return {"username": username, "first_name": "B", "last_name": "B", "email": email,
            "password": PASSWORD, "conf_password": PASSWORD}  # fmt: skip


def main() -> None:
    """Serve, time every branch, print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=50)
    options = parser.parse_args()
    smtp = Controller(Accept(), hostname="127.0.0.1", port=free_port())
    smtp.start()
    limited = ("AUTH_RATE_LIMIT", "RATELIMIT_REGISTER", "RATELIMIT_REGISTER_ACCOUNT",
               "RATELIMIT_FORGOT", "RATELIMIT_FORGOT_ACCOUNT")  # fmt: skip
    limits = dict.fromkeys(limited, "100000 per hour")
    mail = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port)}
    try:
        with Server(**limits, **mail) as server:
            client = Client(server.url)
            branches = {
                "register, address with an account": lambda n: timed_post(
                    client, "/register/form", registration(f"again{n}", ADMIN_EMAIL)
                ),
                "register, new address": lambda n: timed_post(
                    client, "/register/form", registration(f"new{n}", f"new{n}@example.org")
                ),
                "forgot password, known address": lambda n: timed_post(
                    client, "/forgot-password/form", {"email": ADMIN_EMAIL}
                ),
                "forgot password, unknown address": lambda n: timed_post(
                    client, "/forgot-password/form", {"email": f"nobody{n}@example.org"}
                ),
            }
            times = {name: [] for name in branches}
            for attempt in range(options.tries + 3):
                for name, post in branches.items():
                    elapsed = post(attempt)
                    if attempt >= 3:  # the first rounds warm the server up
                        times[name].append(elapsed)
    finally:
        smtp.stop()
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"Account forms against {ADMIN}'s address and unknown ones, {options.tries} tries each")
    for name, median in medians.items():
        print(f"{name:<36}{median:>8.1f} ms")
    names = list(medians)
    for known, unknown in (names[0:2], names[2:4]):
        gap = abs(medians[known] - medians[unknown]) / min(medians[known], medians[unknown])
        print(f"gap, {known.split(',')[0]:<30}{gap:>8.1%}")


if __name__ == "__main__":
    main()
