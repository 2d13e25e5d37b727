"""getScanStatus and getLyrics: what a client asks in passing, answered cheaply in both
formats."""

import pytest
from sqlalchemy import text

from app.extensions import db
from tests.subsonic.media_building import stored_song


@pytest.mark.parametrize("f", ["json", "xml"])
def test_scan_status_and_lyrics(app, subsonic, app_password, database_kind, f):
    """Never scanning; on PostgreSQL the song count is the planner's estimate (here after
    ANALYZE, so exact), on SQLite it is left out; lyrics are an empty element."""
    key = app_password("Listener")
    for title in ("One", "Two", "Three"):
        stored_song(app, title=title)
    if database_kind == "postgresql":
        with app.app_context():
            db.session.execute(text("ANALYZE song"))
            db.session.commit()
    status = subsonic.call("getScanStatus", f, apiKey=key)
    scan = status["scanStatus"] if f == "json" else status["scanStatus"][0]
    assert str(scan["scanning"]).lower() == "false"
    if database_kind == "postgresql":
        assert int(scan["count"]) == 3
    else:
        assert "count" not in scan
    lyrics = subsonic.call("getLyrics", f, apiKey=key, artist="Oscillator", title="One")
    assert lyrics["status"] == "ok"
    assert lyrics["lyrics"] == ({} if f == "json" else [{}])
