"""How many CSV exports run: each reads a whole list, so they are counted three ways.

- RATELIMIT_EXPORT: exports per signed-in user (per client address when anonymous, with
  CATALOG_PUBLIC_BROWSE), across every list;
- RATELIMIT_EXPORT_ADDRESS: exports per client address, whoever is signed in;
- CATALOG_EXPORTS_PER_PROCESS: exports one server process streams at once. Its threads
  then stay free for other pages (a login must not wait behind three exports).

An export over any of them is refused before a byte of the file is sent: a 429 page with
Retry-After. A started export counts against the limits and holds a slot until its response
is closed: finished, abandoned by the client, or failed.
"""

import math
import threading
import time
from collections.abc import Callable

from flask import Response, current_app
from flask_babel import lazy_gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse

from app.security.throttling import own_count, own_keys
from app.views.site.errors import PleaseWait

#: Retry-After when the process's export slots are taken (an export takes seconds).
BUSY_RETRY_SECONDS = 30
TOO_MANY_EXPORTS = _("Too many exports")
EXPORTS_USED = _(
    "You have exported as many lists as allowed for now. Please try again in %(minutes)d minute(s)."
)
EXPORTS_BUSY = _("The server is busy exporting. Please try again in a minute.")


class ExportSlots:
    """Exports this process streams at this moment (a counter shared by its threads)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.taken = 0

    def take(self, most: int) -> Callable[[], None] | None:
        """Take a slot when fewer than `most` are taken: its release (safe to call twice)."""
        with self.lock:
            if self.taken >= most:
                return None
            self.taken += 1
        released = threading.Event()

        def release() -> None:
            with self.lock:
                if not released.is_set():
                    released.set()
                    self.taken -= 1

        return release


def export_slots() -> ExportSlots:
    """This process's export slots (made on first use, in the worker that serves)."""
    return current_app.extensions.setdefault("export_slots", ExportSlots())


def export_limits() -> list[tuple]:
    """(limit, key parts) of each limit this request's export counts against."""
    address = get_remote_address()
    who = f"user:{current_user.id}" if current_user.is_authenticated else f"address:{address}"
    return [
        (parse(current_app.config["RATELIMIT_EXPORT"]), own_keys("export", who)),
        (parse(current_app.config["RATELIMIT_EXPORT_ADDRESS"]), own_keys("export", address)),
    ]


def first_full(limits: list[tuple]) -> tuple[str, int] | None:
    """(limit, seconds until it has room) of a limit with no room for one more export."""

    def full(strategy) -> tuple[str, int] | None:
        for limit, keys in limits:
            if not strategy.test(limit, *keys):
                reset_at, _remaining = strategy.get_window_stats(limit, *keys)
                return str(limit), max(1, math.ceil(reset_at - time.time()))
        return None

    return own_count(full, None, "Export limits not checked")


def count_export(limits: list[tuple]) -> None:
    """Count an export against its limits (while Redis is down, in this process)."""

    def hit(strategy) -> None:
        for limit, keys in limits:
            strategy.hit(limit, *keys)

    own_count(hit, None, "Export not counted")


def throttled(start: Callable[[Callable[[], None]], Response]) -> Response:
    """`start(release)`'s response within the export limits, else PleaseWait (a 429).

    The slot is released when the response is closed (what a server does when the file
    is sent, the client is gone or the stream failed); `start` also gets the release to
    call when its stream ends, since a client may read to the end and never close it.
    """
    # RATELIMIT_ENABLED=false turns these limits off with the others; the slots stay.
    limits = export_limits() if current_app.appbuilder.sm.limiter.enabled else []
    full = first_full(limits)
    if full:
        limit, wait = full
        message = EXPORTS_USED % {"minutes": math.ceil(wait / 60)}
        raise PleaseWait(TOO_MANY_EXPORTS, message, retry_after=wait, limit=limit)
    most = current_app.config["CATALOG_EXPORTS_PER_PROCESS"]
    release = export_slots().take(most)
    if release is None:
        busy = f"{most} export(s) at once per process"
        raise PleaseWait(TOO_MANY_EXPORTS, EXPORTS_BUSY, retry_after=BUSY_RETRY_SECONDS, limit=busy)
    try:
        count_export(limits)
        response = start(release)
    except BaseException:
        release()
        raise
    response.call_on_close(release)
    return response
