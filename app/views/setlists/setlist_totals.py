"""A setlist's song count and playing time, read once per request however many parts of
its page show them (header, play buttons, entries' pager)."""

from flask import g

from app.extensions import db
from app.setlists import entries


def totals_of(setlist) -> tuple[int, float]:
    """(entries, seconds) of the setlist, from this request's memo when nothing changed it
    since (every change moves its updated time)."""
    memo = g.setdefault("setlist_totals", {})
    key = (setlist.id, setlist.updated_at)
    if key not in memo:
        memo[key] = entries.totals(db.session, setlist.id)
    return memo[key]
