"""The player's sound settings kept with the play queue ("Even volume", "Data saver") and the
loudness values every song the player gets carries (queue JSON, album pages, row buttons)."""

import pytest

from app.extensions import db
from app.listening import queue as queues
from app.models import Album, Author, Song

URL = "/api/v1/playqueue/"


@pytest.fixture
def measured(app) -> dict[str, int]:
    """Two albums: "Loud" measured (album gain too) with two songs, "Raw" with one song and
    no values at all (ids by title)."""
    with app.app_context():
        loud = Album(
            title="Loud", author=Author(name="Meters"), album_gain_db=-9.5, album_peak=0.98
        )
        raw = Album(title="Raw", author=Author(name="Nobody"))
        songs = [
            Song(title="Hot", album=loud, audio_file="hot.ogg", original_filename="hot.ogg",
                 track_gain_db=-8.25, track_peak=0.95),
            Song(title="Warm", album=loud, audio_file="warm.ogg", original_filename="warm.ogg",
                 track_gain_db=-3.0, track_peak=0.5),
            Song(title="Cold", album=raw, audio_file="cold.ogg", original_filename="cold.ogg"),
        ]  # fmt: skip
        db.session.add_all(songs)
        db.session.commit()
        return {song.title: song.id for song in songs} | {"Loud": loud.id}


def loudness(song: dict) -> tuple:
    """A described song's four loudness values."""
    return tuple(
        song[name] for name in ("track_gain_db", "track_peak", "album_gain_db", "album_peak")
    )


def test_the_settings_are_kept_per_user_and_left_alone_by_saves_without_them(
    app, users, login_as, measured
):
    """Off and false at first; a save sets them; other devices read them; a save that does
    not name them (an older page, the Subsonic door) keeps them; another user has their own."""
    phone = login_as("Listener")
    ids = [measured["Hot"], measured["Cold"]]
    first = phone.api("PUT", URL, json={"songs": ids})
    assert first.status_code == 200, first.json
    assert (first.json["even_volume"], first.json["data_saver"]) == ("off", False)
    chosen = phone.api("PUT", URL, json={"songs": ids, "even_volume": "track", "data_saver": True})
    assert chosen.json["saved"] is True
    laptop = login_as("Listener")
    seen = laptop.api("GET", URL).json
    assert (seen["even_volume"], seen["data_saver"]) == ("track", True)
    laptop.api("PUT", URL, json={"songs": ids[:1], "current": 0, "position_ms": 4000})
    again = phone.api("GET", URL).json
    assert (again["even_volume"], again["data_saver"]) == ("track", True)
    assert [song["title"] for song in again["songs"]] == ["Hot"]
    with app.app_context():  # the Subsonic door's save: a queue with no settings in it
        lisa = app.appbuilder.sm.find_user(username=users["Listener"])
        queues.save(db.session, lisa.id, lisa.id, queues.Queue(song_ids=ids))
        db.session.commit()
    album = phone.api("PUT", URL, json={"songs": ids, "even_volume": "album"}).json
    assert (album["even_volume"], album["data_saver"]) == ("album", True)
    unchanged = phone.api("PUT", URL, json={"songs": ids, "even_volume": "album"})
    assert unchanged.json["saved"] is False  # nothing to write
    assert login_as("Editor").api("GET", URL).json["even_volume"] == "off"


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("even_volume", "loud", "off, track, album"),
        ("even_volume", "TRACK", "off, track, album"),
        ("even_volume", "", "off, track, album"),
        ("even_volume", None, "off, track, album"),
        ("even_volume", ["track"], "off, track, album"),
        ("even_volume", 1, "off, track, album"),
        ("data_saver", "yes", "true or false"),
        ("data_saver", 1, "true or false"),
        ("data_saver", None, "true or false"),
    ],
)
def test_a_setting_the_player_does_not_have_is_a_400_and_changes_nothing(
    login_as, measured, field, value, says
):
    """An unknown value: 400 naming the field and what to send; the kept settings stay."""
    listener = login_as("Listener")
    ids = [measured["Hot"]]
    listener.api("PUT", URL, json={"songs": ids, "even_volume": "album", "data_saver": True})
    answer = listener.api("PUT", URL, json={"songs": ids, field: value})
    assert answer.status_code == 400, answer.json
    assert says in answer.json["errors"][field][0]
    kept = listener.api("GET", URL).json
    assert (kept["even_volume"], kept["data_saver"]) == ("album", True)


def test_every_song_the_player_gets_carries_its_loudness(login_as, measured, statements):
    """The saved queue, an album's tracks and the rows' Play buttons give each song's track
    gain and peak and its album's (none when not measured), the album joined, not asked for
    per song."""
    listener = login_as("Listener")
    ids = [measured["Hot"], measured["Warm"], measured["Cold"]]
    listener.api("PUT", URL, json={"songs": ids})
    statements.clear()
    songs = listener.api("GET", URL).json["songs"]
    assert [loudness(song) for song in songs] == [
        (-8.25, 0.95, -9.5, 0.98),
        (-3.0, 0.5, -9.5, 0.98),
        (None, None, None, None),
    ]
    asked = [sql for sql in statements if "FROM album" in sql or "JOIN album" in sql]
    assert len(asked) == 1, asked  # one join for the three songs
    tracks = listener.api("GET", f"{URL}albums/{measured['Loud']}").json["songs"]
    assert sorted(loudness(song) for song in tracks) == [
        (-8.25, 0.95, -9.5, 0.98),
        (-3.0, 0.5, -9.5, 0.98),
    ]
    page = listener.get("/songs/list/?_oc_SongModelView=title").get_data(as_text=True)
    hot = page.split(f'data-song="{measured["Hot"]}"')[1].split(">")[0]
    assert 'data-track-gain="-8.25" data-track-peak="0.95"' in hot
    assert 'data-album-gain="-9.5" data-album-peak="0.98"' in hot
    cold = page.split(f'data-song="{measured["Cold"]}"')[1].split(">")[0]
    # A song not measured carries no loudness attributes (the player reads none as 1).
    assert "gain" not in cold
    assert "peak" not in cold


def test_even_volume_is_offered_only_where_the_player_hears_the_stream(app, login_as, monkeypatch):
    """Songs served by signed links to the bucket come from another site, which Web Audio
    hears as silence: there the choice is shown off with why, and data saver stays."""
    listener = login_as("Listener")
    monkeypatch.setitem(app.extensions, "page_fragments", {})  # the bar is rendered once
    here = listener.get("/").get_data(as_text=True)
    assert "<fieldset>" in here.split('id="sound-panel"')[1]
    assert "Not on this site" not in here
    monkeypatch.setitem(app.config, "S3_PRESIGNED_REDIRECT", True)
    monkeypatch.setitem(app.extensions, "page_fragments", {})
    panel = listener.get("/").get_data(as_text=True).split('id="sound-panel"')[1]
    assert "<fieldset disabled>" in panel
    assert "Not on this site: its songs stream straight from the file store." in panel
    assert 'data-sound="saver"' in panel.split("</fieldset>")[1]
