"""The multi-file upload endpoint: one file per request, the add form's checks, JSON answers.

Expected refusals (a duplicate, a file that is not audio) answer 200 with their outcome, so
the page's browser logs no failed request; errors of the moment stay HTTP errors.
"""

import shutil

import pytest
from sqlalchemy import delete, select

from app.extensions import db
from app.models import Song
from tests.support.apps import files_in

PAGE, FILE = "/songs/upload", "/songs/upload/file"


def send(visitor, upload, **fields):
    """Post one file the way the upload page's script does (token from the page)."""
    return visitor.submit(PAGE, {"audio_file": upload, **fields}, post_url=FILE)


def test_a_tagged_file_is_added_from_its_tags(app, editor, audio, upload_folder):
    """201 with the song's page; author, album, title and cover come from the tags."""
    before = files_in(upload_folder)
    answer = send(editor, audio("morning-light.mp3"))
    assert answer.status_code == 201
    assert answer.json["status"] == "added"
    assert answer.json["message"] == "Song “Morning Light” added."
    with app.app_context():
        song = db.session.scalar(select(Song).where(Song.title == "Morning Light"))
        assert song.album.title == "Signals"
        assert song.album.author.name == "The Test Pattern"
        assert answer.json["url"] == f"/songs/show/{song.id}"
    added = sorted(set(files_in(upload_folder)) - set(before))
    assert sorted((path.parent.name, path.suffix) for path in added) == [
        ("covers", ".jpg"),
        (upload_folder.name, ".mp3"),
    ]


def test_a_file_already_there_is_a_duplicate_with_a_link(app, editor, song, audio, upload_folder):
    """200 "duplicate" naming the song that has the file; nothing stored."""
    before = files_in(upload_folder)
    answer = send(editor, audio("tone.ogg"))
    assert answer.status_code == 200
    assert answer.json["status"] == "duplicate"
    assert answer.json["url"] == f"/songs/show/{song.id}"
    assert "already in the catalog as Tone in Vorbis" in answer.json["message"]
    assert files_in(upload_folder) == before


def test_a_bad_file_is_refused_with_the_fields_message(app, editor, audio, upload_folder):
    """200 "refused" with the same message the form shows; nothing stored, nothing staged."""
    before = files_in(upload_folder)
    answer = send(editor, audio("not-audio-really-jpeg.mp3"))
    assert answer.status_code == 200
    assert answer.json["status"] == "refused"
    assert answer.json["errors"]["audio_file"] == [answer.json["message"]]
    assert files_in(upload_folder) == before


def test_only_those_who_may_add_songs_upload(login_as, audio):
    """Listeners get 403 for the page and the endpoint (as JSON there); editors get the page."""
    listener = login_as("Listener")
    assert listener.get(PAGE).status_code == 403
    refused = listener.client.post(FILE, data={"audio_file": audio("tone.ogg")})
    assert refused.status_code in (400, 403)
    assert refused.is_json
    editor_page = login_as("Editor").get(PAGE).get_data(as_text=True)
    assert 'id="multi-upload"' in editor_page
    assert 'href="/songs/upload"' in login_as("Editor").get("/songs/list/").get_data(True)
    assert 'href="/songs/upload"' not in listener.get("/songs/list/").get_data(True)


def test_a_post_without_its_token_is_refused_in_json(editor, audio):
    """No CSRF token: 400 as JSON, like every error of the endpoint."""
    answer = editor.client.post(FILE, data={"audio_file": audio("tone.ogg")})
    assert answer.status_code == 400
    assert answer.json["message"].startswith("This form has expired")


def test_a_storage_failure_is_ours_and_keeps_nothing(app, editor, audio, upload_folder):
    """503 (worth another try, unlike a bad file's 400) with plain words; nothing stored."""
    (upload_folder / "covers").write_text("a file where the covers folder should be")
    answer = send(editor, audio("morning-light.mp3"))
    assert answer.status_code == 503
    assert answer.json["status"] == "refused"
    assert answer.json["message"].startswith("The song could not be saved, so nothing was kept.")
    assert [path.name for path in files_in(upload_folder)] == ["covers"]
    with app.app_context():
        assert db.session.scalar(select(Song)) is None


#: (path the browser names, name sent, where `flask catalog import` puts it: author, album,
#: title, track) for the untagged fixture.
PLACES = [
    (None, "untagged-tone.mp3", ("Unknown artist", "Unknown album", "untagged-tone", None)),
    (
        "Dusk Songs/untagged-tone.mp3",
        "untagged-tone.mp3",
        ("Unknown artist", "Dusk Songs", "untagged-tone", None),
    ),
    (
        "/Nightjar/Dusk Songs/03 Evening Call.mp3",
        "03 Evening Call.mp3",
        ("Nightjar", "Dusk Songs", "Evening Call", 3),
    ),
]


def placed(app) -> tuple:
    """(author, album, title, track) of the one song in the catalog."""
    with app.app_context():
        song = db.session.scalar(select(Song))
        return song.album.author.name, song.album.title, song.title, song.track_number


@pytest.mark.parametrize(("path", "name", "expected"), PLACES)
def test_an_untagged_file_lands_where_the_importer_puts_it(
    app, editor, runner, audio, audio_dir, tmp_path, path, name, expected
):
    """No album chosen, no tags: the folders the page names, else "Unknown"; title and track
    from the file name; the same place as `flask catalog import` of the same tree."""
    fields = {"relative_path": path} if path else {}
    answer = send(editor, audio("untagged-tone.mp3", as_name=name), **fields)
    assert answer.status_code == 201, answer.json
    assert answer.json["status"] == "added"
    assert placed(app) == expected
    with app.app_context():
        db.session.execute(delete(Song))
        db.session.commit()
    library = tmp_path / "library"
    target = library / (path or name).lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(audio_dir / "untagged-tone.mp3", target)
    imported = runner.invoke(args=["catalog", "import", str(library)])
    assert "Imported 1," in imported.output, imported.output
    assert placed(app) == expected


def test_the_pages_album_wins_and_tags_beat_folders(app, editor, song, audio):
    """The album chosen on the page takes an untagged file (title and track still from its
    name); a tagged file's own album beats the folder it came in."""
    untagged = audio("untagged-tone.mp3", as_name="07 - Night Bus.mp3")
    path = "Nightjar/Dusk Songs/07 - Night Bus.mp3"
    chosen = send(editor, untagged, album=str(song.album_id), relative_path=path)
    assert chosen.status_code == 201
    tagged = send(editor, audio("morning-light.mp3"), relative_path="Wrong/Folder/x.mp3")
    assert tagged.status_code == 201
    with app.app_context():
        places = {
            s.title: (s.album.author.name, s.album.title, s.track_number)
            for s in db.session.scalars(select(Song))
        }
    assert places["Night Bus"] == ("Oscillator", "Test Tones", 7)
    assert places["Morning Light"] == ("The Test Pattern", "Signals", 1)


def test_without_album_from_tags_an_untagged_file_waits_for_a_chosen_one(
    app, editor, song, audio, upload_folder, monkeypatch
):
    """CATALOG_CREATE_FROM_TAGS off: refused (200, nothing kept) until an album is chosen;
    the same file sent again with one is added (the page's Retry)."""
    monkeypatch.setitem(app.config, "CATALOG_CREATE_FROM_TAGS", False)
    before = files_in(upload_folder)
    refused = send(editor, audio("untagged-tone.mp3"))
    assert refused.status_code == 200
    assert refused.json["status"] == "refused"
    assert refused.json["message"].startswith("Choose an album")
    assert files_in(upload_folder) == before
    retried = send(editor, audio("untagged-tone.mp3"), album=str(song.album_id))
    assert retried.status_code == 201
    assert placed_titles(app) == {"Tone in Vorbis", "untagged-tone"}


def placed_titles(app) -> set[str]:
    """The titles of every song in the catalog."""
    with app.app_context():
        return set(db.session.scalars(select(Song.title)))


@pytest.mark.parametrize(
    "path",
    ["../../../etc/untagged-tone.mp3", "/", "a\\b\\untagged-tone.mp3", "x/" * 3000,
     "\u202eevil\n/bad\t\x7f/untagged-tone.mp3", "../..", " / /untagged-tone.mp3"],
)  # fmt: skip
def test_a_hostile_folder_path_is_only_text(app, editor, audio, upload_folder, path):
    """Whatever path the browser names, the file is stored under the upload folder and the
    names made from it are visible text of bounded length."""
    answer = send(editor, audio("untagged-tone.mp3"), relative_path=path)
    assert answer.status_code == 201, answer.json
    assert [p.suffix for p in files_in(upload_folder)] == [".mp3"]
    author, album, title, _track = placed(app)
    for text in (author, album, title):
        assert text.isprintable()
        assert 0 < len(text) <= 200


def test_an_album_page_link_presets_the_album(app, editor, song):
    """?album=<id> (and FAB's related-list filter) choose that album on the page."""
    for argument in ("album", "_flt_0_album"):
        page = editor.get(f"{PAGE}?{argument}={song.album_id}").get_data(as_text=True)
        assert f'<option value="{song.album_id}" selected>Test Tones (Oscillator)</option>' in page


@pytest.mark.parametrize("value", ["abc", "999999", "-1", "99999999999999999999", "1e3", ""])
def test_a_bad_album_preset_is_ignored(editor, song, value):
    """An album that does not exist or is no number: the page, with no album chosen."""
    answer = editor.get(f"{PAGE}?album={value}")
    assert answer.status_code == 200
    assert " selected>" not in answer.get_data(as_text=True)
