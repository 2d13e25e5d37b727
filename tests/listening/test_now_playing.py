"""What listeners' apps report playing: one row per user and client, replaced by the next
report, read back for the last few minutes only, per user or for everyone."""

from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.listening import now_playing
from app.listening.marks import NoSuchRow
from app.models import NowPlaying
from tests.setlists.building import make_songs


def test_reports_replace_expire_and_stay_per_user(app, users, own_account):
    """A client's second report replaces its first; another client adds a row; reports older
    than RECENT are not read and go at the user's next report; another user's stay apart;
    an unknown song is refused and nothing is kept."""
    sm = app.appbuilder.sm
    with app.app_context():
        lisa, olivia, eddie = (
            sm.find_user(username=name).id
            for name in (users["Listener"], own_account, users["Editor"])
        )
        first, second, third = make_songs(3)
        now = datetime.now(UTC)
        now_playing.report(db.session, lisa, "DSub", first, now - timedelta(minutes=20))
        now_playing.report(db.session, lisa, "Phone", first, now - timedelta(minutes=2))
        now_playing.report(db.session, lisa, "Phone", second, now - timedelta(minutes=1))
        now_playing.report(db.session, olivia, "Desk", third, now)
        now_playing.report(db.session, eddie, "Car", third, now - timedelta(minutes=16))
        db.session.commit()
        mine = now_playing.playing(db.session, lisa, now)
        assert [(row.client, song.id) for row, song in mine] == [("Phone", second)]
        assert now_playing.minutes_ago(mine[0][0].reported_at, now) == 1
        everyone = now_playing.playing(db.session, None, now)
        assert [song.id for _row, song in everyone] == [third, second]
        assert db.session.get(NowPlaying, (lisa, "DSub")) is None  # expired, dropped
        with pytest.raises(NoSuchRow):
            now_playing.report(db.session, lisa, "Phone", 99_999_999)
        db.session.rollback()
        assert [song.id for _row, song in now_playing.playing(db.session, lisa)] == [second]
