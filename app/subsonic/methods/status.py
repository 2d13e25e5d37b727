"""What clients ask in passing: the library scan's state and a song's lyrics."""

from sqlalchemy import text

from app.extensions import db
from app.subsonic.registry import Call, subsonic_method

#: PostgreSQL's own estimate of a table's rows, kept by VACUUM and ANALYZE (-1: never run).
ROW_ESTIMATE = text("SELECT reltuples::bigint FROM pg_class WHERE oid = 'song'::regclass")


def estimated_songs() -> int | None:
    """About how many songs the catalog holds, without counting them (a full count takes
    seconds at a million songs); None where the database keeps no estimate (SQLite)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    estimate = db.session.scalar(ROW_ESTIMATE)
    return estimate if estimate is not None and estimate >= 0 else None


@subsonic_method("getScanStatus")
def get_scan_status(call: Call) -> dict:
    """Never scanning: songs enter the catalog as they are uploaded or imported, so there is
    no library scan to wait for; `count` is an estimate, left out where there is none."""
    return {"scanStatus": {"scanning": False, "count": estimated_songs()}}


@subsonic_method("getLyrics")
def get_lyrics(call: Call) -> dict:
    """An empty lyrics element: Setlist keeps no lyrics (artist and title are not needed)."""
    return {"lyrics": {}}
