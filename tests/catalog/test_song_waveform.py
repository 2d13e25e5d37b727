"""A song's waveform endpoint (the seek bar's drawing): who may read it, what it answers, and
that lists never read the stored bytes."""

import uuid

import pytest

from app.audio_analysis.waveform import Waveform
from app.extensions import db
from app.models import Song

#: Three points of a stereo waveform: the loudest channel's peak per point is drawn.
DRAWN = Waveform(2, 3, bytes([0, 0, 246, 20, 128, 127, 0, 0, 236, 10, 255, 1]))


def store_waveform(app, song_id: int, blob: bytes | None) -> None:
    """Write a waveform into the song's row, as the analysis job does."""
    with app.app_context():
        db.session.get(Song, song_id).waveform = blob
        db.session.commit()


@pytest.fixture
def browse_only(app, login_as):
    """A signed-in user whose role may see songs but not play them."""
    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.find_role("Sees songs") or sm.add_role("Sees songs")
        for permission in ("can_list", "can_show"):
            sm.add_permission_role(role, sm.find_permission_view_menu(permission, "SongModelView"))
        name = f"seer{uuid.uuid4().hex[:6]}"
        sm.add_user(name, "Sam", "Seer", f"{name}@example.org", role, "a long enough password 42")
    visitor = login_as(None)
    assert visitor.login(name, "a long enough password 42")
    return visitor


def test_a_waveform_is_served_to_listeners_once_analysed(app, login_as, song, statements):
    """Not analysed: 404. Analysed: its peaks as JSON, private, revalidated by ETag (304);
    a stored form this version cannot read is as good as none; lists never load the bytes."""
    listener = login_as("Listener")
    url = f"/songs/waveform/{song.id}"
    assert listener.get(url).status_code == 404
    page = listener.get(f"/songs/show/{song.id}").get_data(as_text=True)
    assert f'data-waveform="{url}"' in page  # the page's place for it (drawn when found)
    store_waveform(app, song.id, DRAWN.to_bytes())
    answer = listener.get(url)
    assert answer.status_code == 200
    assert answer.json == {"points": 3, "peaks": [0, 20, 128], "duration": 3.0}
    assert answer.headers["Cache-Control"] == "private, no-cache"
    again = listener.get(url, headers={"If-None-Match": answer.headers["ETag"]})
    assert (again.status_code, again.data) == (304, b"")
    assert listener.get(f"/songs/waveform/{song.id + 1000}").status_code == 404
    assert listener.get("/songs/waveform/99999999999").status_code == 404  # beyond an id
    statements.clear()
    assert listener.get("/songs/list/").status_code == 200
    assert listener.get(f"/songs/show/{song.id}").status_code == 200
    assert not [sql for sql in statements if "waveform" in sql], "a page loaded the bytes"
    store_waveform(app, song.id, b"SLWF\x09garbage")
    assert listener.get(url).status_code == 404


def test_only_those_who_may_play_the_song_see_its_waveform(app, login_as, song, browse_only):
    """As streaming: visitors are sent to log in, an account that may not play is refused,
    every role that plays gets it."""
    store_waveform(app, song.id, DRAWN.to_bytes())
    url = f"/songs/waveform/{song.id}"
    anonymous = login_as(None).get(url)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous.headers["Location"]
    refused = browse_only.get(url)
    assert refused.status_code in (302, 403)
    assert b"peaks" not in refused.data
    assert browse_only.get(f"/songs/show/{song.id}").status_code == 200  # may see, not play
    for role in ("Listener", "Editor", "Admin"):
        assert login_as(role).get(url).json["points"] == 3, role
