"""scrobble and getNowPlaying: plays counted by app/listening/plays.py (the web's "Most
played" reads the same counts), "now playing" reports kept by app/listening/now_playing.py.

getNowPlaying shows each user what their own apps report (a listener's plays are theirs,
as on the site); an admin sees every user's.
"""

import re
from datetime import UTC, datetime

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import select

from app.extensions import db
from app.listening import now_playing, plays
from app.listening.marks import NoSuchRow
from app.subsonic import pages
from app.subsonic.ids import SONG, row_id
from app.subsonic.methods.marks import KEEP
from app.subsonic.registry import Call, is_admin, subsonic_method
from app.subsonic.wire import GENERIC, NOT_FOUND, SubsonicError

#: The earliest play time taken (milliseconds since 1970: the year 2000), and how far
#: ahead of the server's clock one may be (a phone's clock runs a little fast).
EARLIEST_MS = 946_684_800_000
AHEAD_MS = 24 * 3600 * 1000
#: A time as sent: ASCII digits only (str.isdigit takes "²", which int() refuses).
WHOLE = re.compile(r"[0-9]{1,15}")


def play_times(call: Call, count: int) -> list[datetime | None]:
    """The `time` sent with each id (milliseconds since 1970; None: now); error 0 for one
    that is not a plausible time or a count that does not match the ids."""
    values = call.params.all("time")
    if values and len(values) != count:
        raise SubsonicError(GENERIC, "Send one time per id, or none.")
    latest = datetime.now(UTC).timestamp() * 1000 + AHEAD_MS
    times: list[datetime | None] = []
    for value in values:
        if not WHOLE.fullmatch(value) or not EARLIEST_MS <= int(value) <= latest:
            raise SubsonicError(GENERIC, f"Parameter time is no time: {value[:20]!r}.")
        times.append(datetime.fromtimestamp(int(value) / 1000, UTC))
    return times or [None] * count


@subsonic_method("scrobble", needs=KEEP)
def scrobble(call: Call) -> None:
    """submission=true (the default): count a play of each song; false: the caller's app
    started playing it (getNowPlaying). All or nothing; error 70 for an unknown song."""
    song_ids = [row_id(value, SONG) for value in call.params.all("id")]
    if not song_ids:
        call.params.required("id")
    times = play_times(call, len(song_ids))
    submission = call.params.boolean("submission", default=True)
    try:
        for song_id, at in zip(song_ids, times, strict=True):
            if submission:
                plays.record_play(db.session, call.user.id, song_id, at)
            else:
                now_playing.report(db.session, call.user.id, call.client, song_id, at)
    except NoSuchRow:
        db.session.rollback()
        raise SubsonicError(NOT_FOUND, "No such song.") from None
    db.session.commit()


@subsonic_method("getNowPlaying", needs=KEEP)
def get_now_playing(call: Call) -> dict:
    """What was reported playing in the last few minutes: the caller's own apps' (an
    admin: everyone's), newest first, each as a song with who, where and how long ago."""
    whose = None if is_admin(call.user) else call.user.id
    reports = now_playing.playing(db.session, whose)
    children = pages.songs(db.session, call.user.id, [song for _report, song in reports])
    names = usernames({report.user_id for report, _song in reports})
    now = datetime.now(UTC)
    return {
        "nowPlaying": {
            "entry": [
                {
                    **child,
                    "username": names.get(report.user_id, ""),
                    "minutesAgo": now_playing.minutes_ago(report.reported_at, now),
                    "playerId": number,
                    "playerName": report.client,
                }
                for number, ((report, _song), child) in enumerate(
                    zip(reports, children, strict=True), start=1
                )
            ]
        }
    }


def usernames(user_ids: set[int]) -> dict[int, str]:
    """Users' names by id, in one query."""
    if not user_ids:
        return {}
    rows = db.session.execute(select(User.id, User.username).where(User.id.in_(user_ids)))
    return dict(rows.all())
