"""Two "now playing" reports of one user's app at the same moment (an app retrying, two
tabs of a web player): both are taken, the later write stands, one row is kept, and
neither app sees an error."""

import threading
from datetime import UTC, datetime

from sqlalchemy import event, func, select, text

from app.extensions import db
from app.listening import now_playing
from app.models import NowPlaying
from app.subsonic.ids import song_id
from tests.setlists.building import make_songs
from tests.subsonic.conftest import Subsonic

ROUNDS = 15


def test_a_report_written_meanwhile_is_replaced_not_refused(app, users):
    """Another request's report of the same app lands (committed, on its own connection)
    just before ours is written: ours replaces it, and the app's one row holds our song."""
    with app.app_context():
        lisa = app.appbuilder.sm.find_user(username=users["Listener"]).id
        theirs, ours = make_songs(2)

        written = []

        def interloper(_conn, _cursor, statement, *_args):
            if written or not statement.lstrip().upper().startswith("INSERT INTO NOW_PLAYING"):
                return
            written.append(statement)
            with db.engine.connect() as other:
                other.execute(
                    text(
                        "INSERT INTO now_playing (user_id, client, song_id, reported_at)"
                        " VALUES (:user, 'Phone', :song, :at)"
                    ),
                    {"user": lisa, "song": theirs, "at": datetime.now(UTC)},
                )
                other.commit()

        event.listen(db.engine, "before_cursor_execute", interloper)
        try:
            row = now_playing.report(db.session, lisa, "Phone", ours)
            db.session.commit()
        finally:
            event.remove(db.engine, "before_cursor_execute", interloper)
        assert written, "the report wrote no now_playing row"
        assert (row.client, row.song_id) == ("Phone", ours)
        playing = now_playing.playing(db.session, lisa)
        assert [(report.client, song.id) for report, song in playing] == [("Phone", ours)]


def test_two_reports_sent_at_once_through_the_api_both_succeed(app, users, app_password):
    """Round after round, two threads (each its own connection) send scrobble with
    submission=false for the same app at the same instant: every answer is "ok", and
    getNowPlaying then lists that app once, playing one of the two songs."""
    key = app_password("Listener")
    with app.app_context():
        lisa = app.appbuilder.sm.find_user(username=users["Listener"]).id
        first, second = make_songs(2)
    start = threading.Barrier(2, timeout=30)
    answers: list[str] = []

    def send(song: int) -> None:
        subsonic = Subsonic(app.test_client())
        for _round in range(ROUNDS):
            start.wait()
            answer = subsonic.call(
                "scrobble", apiKey=key, id=song_id(song), submission="false", c="Web"
            )
            answers.append(answer["status"] if answer["status"] == "ok" else str(answer))

    threads = [threading.Thread(target=send, args=(song,)) for song in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert answers == ["ok"] * 2 * ROUNDS
    listed = Subsonic(app.test_client()).call("getNowPlaying", apiKey=key)
    entries = listed["nowPlaying"]["entry"]
    assert [entry["playerName"] for entry in entries] == ["Web"]
    assert entries[0]["id"] in {song_id(first), song_id(second)}
    with app.app_context():
        kept = db.session.scalar(
            select(func.count()).select_from(NowPlaying).where(NowPlaying.user_id == lisa)
        )
    assert kept == 1
