"""/api/v1/ resources: what they answer, what they accept, what they refuse (and how)."""

import prison
from sqlalchemy import select

from app.api.resources import SongApi
from app.extensions import db
from app.models import Album, Author, Change, Song
from tests.editing.test_bulk_actions import make_catalog
from tests.support.faults import commits_fail


def listing(visitor, resource: str, **arguments):
    """GET a resource's list with FAB's rison arguments (filters, order, page)."""
    query = f"?q={prison.dumps(arguments)}" if arguments else ""
    return visitor.api("GET", f"/api/v1/{resource}/{query}")


def test_a_song_is_described_and_linked_never_by_its_stored_name(login_as, song, upload_folder):
    """Duration, format, checksum and original name; stream and download links that work."""
    listener = login_as("Listener")
    response = listener.api("GET", f"/api/v1/song/{song.id}")
    assert response.status_code == 200
    result = response.json["result"]
    assert result["title"] == "Tone in Vorbis"
    assert result["album"] == {"id": song.album_id, "title": "Test Tones"}
    assert result["author"] == {"id": song.album.author_id, "name": "Oscillator"}
    assert (result["duration"], result["format"]) == (3.0, "Ogg")
    assert (result["sha256"], result["original_name"]) == (song.sha256, "tone.ogg")
    stored = (upload_folder / song.audio_file).read_bytes()
    assert listener.get(result["stream_url"]).data == stored
    assert listener.get(result["download_url"]).data == stored
    assert song.audio_file not in response.get_data(as_text=True)
    assert "audio_file" not in response.get_data(as_text=True)
    everything = listing(listener, "song").get_data(as_text=True)
    assert "Tone in Vorbis" in everything
    assert song.audio_file not in everything


def test_no_stored_file_name_can_be_written(app, editor, song):
    """audio_file (and an album's cover_file) are unknown fields: 422, nothing changed;
    songs are not created from JSON at all (their file comes as an upload)."""
    posted = editor.api("POST", "/api/v1/song/", json={"audio_file": "../../etc/passwd"})
    assert posted.status_code == 405
    response = editor.api("PUT", f"/api/v1/song/{song.id}", json={"audio_file": "../../etc/passwd"})
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["audio_file"]
    response = editor.api("PUT", f"/api/v1/album/{song.album_id}", json={"cover_file": "x.jpg"})
    assert response.status_code == 422
    assert "cover_file" in response.json["errors"]
    with app.app_context():
        assert db.session.get(Song, song.id).audio_file == song.audio_file
        assert db.session.get(Album, song.album_id).cover_file is None


def test_writes_are_checked_by_the_ui_forms_rules(app, editor, song):
    """Each refused field is named with the form's message; nothing is saved."""
    album, author = song.album_id, song.album.author_id
    cases = [
        ("POST", "/api/v1/author/", {"country": "Peru"}, "name", "This field is required."),
        ("POST", "/api/v1/album/", {"title": "Test Tones", "author_id": author}, "title",
         "Oscillator already has an album with this title."),
        ("POST", "/api/v1/album/", {"title": "X", "author_id": 999999}, "author_id", None),
        ("PUT", f"/api/v1/song/{song.id}", {"rating": 9}, "rating", "between 1 and 5"),
        ("PUT", f"/api/v1/song/{song.id}", {"album_id": "nope"}, "album_id", None),
        ("PUT", f"/api/v1/album/{album}", {"release_year": 1200}, "release_year", None),
    ]  # fmt: skip
    for method, url, body, field, message in cases:
        response = editor.api(method, url, json=body)
        assert response.status_code == 422, (url, body, response.json)
        assert list(response.json["errors"]) == [field], response.json
        if message:
            assert message in " ".join(response.json["errors"][field])
    with app.app_context():
        assert db.session.scalars(select(Album.title)).all() == ["Test Tones"]
        assert db.session.get(Song, song.id).rating is None


NOT_TEXT = (["a"], {"a": 1}, 5, 2.5, True)
NOT_NUMBER = (["1"], {"n": 1}, "4", True, False)


def test_each_field_takes_its_json_type_or_null(app, editor, song):
    """A list, an object, a number or a boolean where text goes, and anything but a number
    where a number goes, is refused (422 naming the field, nothing saved) on every resource,
    created or changed: nothing is stored as the text "['a']"."""
    album, author = song.album_id, song.album.author_id
    text_fields = [
        ("POST", "/api/v1/author/", {}, ("name", "country", "biography")),
        ("PUT", f"/api/v1/author/{author}", {}, ("name", "country", "biography")),
        ("POST", "/api/v1/album/", {"author_id": author}, ("title",)),
        ("PUT", f"/api/v1/album/{album}", {}, ("title",)),
        ("PUT", f"/api/v1/song/{song.id}", {}, ("title",)),
    ]
    number_fields = [
        ("POST", "/api/v1/album/", {"title": "New"}, ("author_id", "release_year")),
        ("PUT", f"/api/v1/album/{album}", {}, ("author_id", "release_year")),
        ("PUT", f"/api/v1/song/{song.id}", {}, ("album_id", "track_number", "rating")),
    ]
    for cases, wrong_values, told in (
        (text_fields, NOT_TEXT, "Send text here (a JSON string), or null."),
        (number_fields, NOT_NUMBER, "Send a number here, or null."),
    ):
        for method, url, rest, names in cases:
            for name in names:
                for value in wrong_values:
                    body = {**rest, name: value}
                    response = editor.api(method, url, json=body)
                    assert response.status_code == 422, (url, body, response.json)
                    assert response.json["errors"] == {name: [told]}, (url, body)
    with app.app_context():
        assert db.session.scalars(select(Author.name)).all() == ["Oscillator"]
        assert db.session.scalars(select(Album.title)).all() == ["Test Tones"]
        assert db.session.get(Song, song.id).title == "Tone in Vorbis"
        assert db.session.scalars(select(Change).where(Change.action != "created")).all() == []
    # Text, numbers and null where they belong are written.
    changed = editor.api(
        "PUT",
        f"/api/v1/song/{song.id}",
        json={"title": "Renamed", "album_id": album, "track_number": None, "rating": 5},
    )
    assert changed.status_code == 200, changed.json
    assert (changed.json["result"]["title"], changed.json["result"]["rating"]) == ("Renamed", 5)
    made = editor.api("POST", "/api/v1/album/", json={"title": "Made", "author_id": author,
                                                     "release_year": 1999})  # fmt: skip
    assert (made.status_code, made.json["result"]["release_year"]) == (201, 1999)


def test_changes_keep_what_was_not_sent_and_are_in_the_history(app, editor, song):
    """A PUT changes the fields it names; the change is recorded under the editor's name."""
    response = editor.api("PUT", f"/api/v1/song/{song.id}", json={"rating": 4, "track_number": 2})
    assert response.status_code == 200
    assert (response.json["result"]["rating"], response.json["result"]["title"]) == (
        4,
        "Tone in Vorbis",
    )
    renamed = editor.api("PUT", f"/api/v1/album/{song.album_id}", json={"title": "Test Tones"})
    assert renamed.status_code == 200  # the album's own title is no clash
    with app.app_context():
        assert db.session.get(Song, song.id).audio_file == song.audio_file
        changes = db.session.scalars(select(Change).where(Change.record_id == song.id)).all()
        updates = [c.user_name for c in changes if (c.kind, c.action) == ("song", "updated")]
        assert updates == ["eddie"]


def test_delete_rules_of_the_ui_hold(app, editor, upload_folder):
    """An author with albums and an album with songs stay (409, saying why); a song goes
    with its file once the deletion is committed."""
    ids = make_catalog(app, upload_folder)
    response = editor.api("DELETE", f"/api/v1/author/{ids['Full']}")
    assert response.status_code == 409
    assert "still has 1 album(s)" in response.json["message"]
    response = editor.api("DELETE", f"/api/v1/album/{ids['Full Album']}")
    assert (response.status_code, "still has 3 song(s)" in response.json["message"]) == (409, True)
    with app.app_context():
        stored = db.session.get(Song, ids["One"]).audio_file
    with commits_fail():
        assert editor.api("DELETE", f"/api/v1/song/{ids['One']}").status_code == 409
    assert (upload_folder / stored).exists()
    assert editor.api("DELETE", f"/api/v1/song/{ids['One']}").status_code == 200
    assert not (upload_folder / stored).exists()
    assert editor.api("DELETE", f"/api/v1/album/{ids['Empty Album']}").status_code == 200
    with app.app_context():
        assert db.session.get(Song, ids["One"]) is None
        assert db.session.get(Author, ids["Full"]) is not None


def test_lists_filter_order_and_page_like_the_ui(app, login_as):
    """Accent-insensitive title filter, the UI's sort columns, a page size capped at 100."""
    with app.app_context():
        author = Author(name="Björk")
        db.session.add_all(
            [Album(title=f"Café {n:03}", author=author) for n in range(120)]
            + [Album(title="Other", author=author)]
        )
        db.session.commit()
    listener = login_as("Listener")
    found = listing(listener, "album", filters=[{"col": "title", "opr": "key_ct", "value": "cafe"}])
    assert found.json["count"] == 120
    assert len(found.json["result"]) == 25
    page = listing(listener, "album", page_size=500, order_column="title", order_direction="desc")
    assert len(page.json["result"]) == 100
    assert page.json["count"] == 121
    assert page.json["result"][0]["title"] == "Other"
    assert page.json["result"][1]["title"] == "Café 119"
    for page in (-72057594037927937, 10**30):  # were server errors on PostgreSQL
        assert listing(listener, "album", page=page).status_code == 200
    assert listing(listener, "album", page=2.5).status_code == 400
    refused = listing(listener, "album", order_column="cover_file")
    assert refused.status_code == 400
    assert refused.json["message"]
    refused = listing(listener, "album", columns=["title"])
    assert refused.status_code == 400
    assert "columns" in refused.json["message"]
    exactly = [{"col": "name", "opr": "key_eq", "value": "BJORK"}]
    found = listing(listener, "author", filters=exactly)
    assert [row["name"] for row in found.json["result"]] == ["Björk"]


def test_errors_are_json_for_every_status(app, editor, song, monkeypatch):
    """404, 405, 400 (bad JSON, bad arguments) and our own failures answer the API's JSON."""
    for url in ("/api/v1/song/999999", "/api/v1/song/99999999999999999999", "/api/v1/nothing"):
        response = editor.api("GET", url)
        assert (response.status_code, response.is_json) == (404, True), url
    assert editor.api("PUT", "/api/v1/song/abc", json={"rating": 1}).status_code == 404
    response = editor.api("PATCH", f"/api/v1/song/{song.id}", json={})
    assert (response.status_code, response.is_json) == (405, True)
    assert "PUT" in response.headers["Allow"]
    for body in ([1, 2], "rating=1"):
        response = editor.api("PUT", f"/api/v1/song/{song.id}", json=body)
        assert (response.status_code, response.is_json) == (400, True)
    response = editor.api("GET", "/api/v1/song/?q=(broken")
    assert (response.status_code, response.is_json) == (400, True)
    assert editor.api("POST", "/api/v1/song/", json={"title": "x"}).status_code == 405
    # FAB's _info would list every album and author in its choices: pickers do that, paged.
    for resource in ("author", "album", "song"):
        assert editor.api("GET", f"/api/v1/{resource}/_info").status_code in (404, 405)

    def explode(*_args, **_kwargs):
        raise RuntimeError("secret detail /srv/setlist")

    monkeypatch.setattr(SongApi.show_model_schema, "dump", explode)
    response = editor.api("GET", f"/api/v1/song/{song.id}")
    assert (response.status_code, response.is_json) == (500, True)
    assert "reference" in response.json["message"]
    assert "secret" not in response.get_data(as_text=True)
