"""One road for a song file: the add form, the multi-upload page, the API and `flask catalog
import` give every fixture file the same outcome (app/media/cataloguing.py).

Added where the same rule places it; refused for the same reason; a duplicate naming the
same song; and on a refusal nothing stored: no row, no file in the store. The doors differ
only in wire format (a message next to the field, JSON, the import's report).
"""

import html
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.media.configured_stores import song_stores
from app.media.importer import import_folder
from app.models import Album, Author, Song
from tests.support.apps import AUDIO, files_in
from tests.support.forms import Browser

NOT_AUDIO = "This file is not audio (its content is not MP3, Ogg, Opus, FLAC, M4A or WAV)."
#: Fixture file -> what every door makes of it, sent alone and with no album chosen:
#: (author, album, title, track) of the song added, or the reason it is refused.
OUTCOMES = {
    "cafe-nocturne-vbr.mp3": ("Zoë Ångström", "Signals", "Café Nocturne — 夜のドライブ", 2),
    "empty.mp3": "The file is empty.",
    "html-disguised.mp3": NOT_AUDIO,
    "morning-light.mp3": ("The Test Pattern", "Signals", "Morning Light", 1),
    "not-audio-really-jpeg.mp3": NOT_AUDIO,
    "tone.flac": ("Oscillator", "Unknown album", "Tone in FLAC", None),
    "tone.m4a": ("Oscillator", "Unknown album", "Tone in AAC", None),
    "tone.ogg": ("Oscillator", "Unknown album", "Tone in Vorbis", None),
    "tone.opus": ("Oscillator", "Test Tones", "Opus Tone", 7),
    "tone.wav": ("Unknown artist", "Unknown album", "tone", None),
    "truncated.mp3": "This MP3 file is damaged or truncated and cannot be played.",
    "untagged-tone.mp3": ("Unknown artist", "Unknown album", "untagged-tone", None),
}
#: The song fixture's own file, sent again: the duplicate case.
DUPLICATE = "tone.ogg"
CHOOSE_AN_ALBUM = "Choose an album."
ERROR_BOX = re.compile(r'<div class="alert alert-danger">(.*?)</div>', re.DOTALL)
SONG_LINK = re.compile(r'already in the catalog as <a href="/songs/show/(\d+)"')


@dataclass(frozen=True)
class Outcome:
    """What a door made of a file, whatever its wire format."""

    #: "added", "refused" or "duplicate"
    status: str
    #: The refusal's reason, in plain text; the id of the song a duplicate names.
    detail: str | int | None = None


def plain(text: str) -> str:
    """A message as a reader sees it: no tags, entities read, spaces folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def through_the_form(app: Flask, editor: Browser, path: Path) -> Outcome:
    """The add song page, album left empty."""
    sent = (io.BytesIO(path.read_bytes()), path.name)
    response = editor.submit("/songs/add", {"album": "", "audio_file": sent})
    if response.status_code == 302:
        return Outcome("added")
    page = response.get_data(as_text=True)
    if found := SONG_LINK.search(page):
        return Outcome("duplicate", int(found[1]))
    # The first message from the file's field on: the file's own, else the album's.
    after_field = page[page.index('name="audio_file"') :]
    return Outcome("refused", plain(ERROR_BOX.search(after_field)[1]))


def through_the_upload_page(app: Flask, editor: Browser, path: Path) -> Outcome:
    """The multi-upload page's one-file endpoint, no album chosen on the page."""
    sent = (io.BytesIO(path.read_bytes()), path.name)
    answer = editor.submit("/songs/upload", {"audio_file": sent}, post_url="/songs/upload/file")
    status = answer.json["status"]
    if status == "duplicate":
        return Outcome(status, int(answer.json["url"].rsplit("/", 1)[1]))
    return Outcome(status, answer.json["message"] if status == "refused" else None)


def through_the_api(app: Flask, editor: Browser, path: Path) -> Outcome:
    """POST /api/v1/song/upload with the file alone."""
    sent = {"file": (io.BytesIO(path.read_bytes()), path.name)}
    answer = editor.api(
        "POST", "/api/v1/song/upload", data=sent, content_type="multipart/form-data"
    )
    if answer.status_code == 201:
        return Outcome("added")
    if answer.status_code == 409:
        return Outcome("duplicate", answer.json["duplicate"]["id"])
    assert answer.status_code == 422, answer.json
    return Outcome("refused", next(iter(answer.json["errors"].values()))[0])


def through_the_import(app: Flask, editor: Browser, path: Path) -> Outcome:
    """`flask catalog import`'s work on a folder holding the file alone."""
    folder = path.parent / "library"
    folder.mkdir()
    shutil.copy(path, folder / path.name)
    with app.app_context():
        report = import_folder(
            db.session, folder, song_stores(), app.config["FILE_ALLOWED_EXTENSIONS"]
        )
    if report.imported:
        return Outcome("added")
    if report.duplicates:
        return Outcome("duplicate", report.duplicates[0][1])
    return Outcome("refused", report.rejected[0][1])


DOORS = {
    "form": through_the_form,
    "upload-page": through_the_upload_page,
    "api": through_the_api,
    "import": through_the_import,
}


def catalog(app: Flask) -> tuple[int, int, int]:
    """How many songs, albums and authors the catalog holds."""
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Song, Album, Author)
        )


def sent_copy(tmp_path: Path, name: str) -> Path:
    """A fixture file in a folder of its own (the import reads a folder)."""
    path = tmp_path / "sent" / name
    path.parent.mkdir()
    shutil.copy(AUDIO / name, path)
    return path


@pytest.mark.parametrize("name", sorted(OUTCOMES))
@pytest.mark.parametrize("door", DOORS)
def test_every_door_gives_a_file_the_same_outcome(app, editor, upload_folder, tmp_path, door, name):
    """Added where the same rule places it, or refused with the same reason and nothing
    stored (no row, no file)."""
    before, rows_before = files_in(upload_folder), catalog(app)
    outcome = DOORS[door](app, editor, sent_copy(tmp_path, name))
    expected = OUTCOMES[name]
    if isinstance(expected, str):
        assert outcome == Outcome("refused", expected)
        assert (files_in(upload_folder), catalog(app)) == (before, rows_before)
        return
    assert outcome == Outcome("added")
    with app.app_context():
        song = db.session.scalars(select(Song)).one()
        placed = (song.album.author.name, song.album.title, song.title, song.track_number)
        assert placed == expected
        stored = upload_folder / song.audio_file
        assert (song.original_filename, stored.read_bytes()) == (name, (AUDIO / name).read_bytes())


@pytest.mark.parametrize("door", DOORS)
def test_every_door_names_the_song_a_duplicate_belongs_to(
    app, editor, song, upload_folder, tmp_path, door
):
    """A file the catalog has is refused naming that song; nothing is stored."""
    before, rows_before = files_in(upload_folder), catalog(app)
    outcome = DOORS[door](app, editor, sent_copy(tmp_path, DUPLICATE))
    assert outcome == Outcome("duplicate", song.id)
    assert (files_in(upload_folder), catalog(app)) == (before, rows_before)


@pytest.mark.parametrize("door", ["form", "upload-page", "api"])
def test_without_albums_made_from_files_every_web_door_asks_for_one(
    app, editor, upload_folder, tmp_path, monkeypatch, door
):
    """CATALOG_CREATE_FROM_TAGS off: a file sent without an album is refused with the same
    reason, nothing catalogued (the form keeps the good file for its next try, staged, as
    after any other error). `flask catalog import` is an operator's: tags still place."""
    monkeypatch.setitem(app.config, "CATALOG_CREATE_FROM_TAGS", False)
    before, rows_before = catalogued_files(upload_folder), catalog(app)
    outcome = DOORS[door](app, editor, sent_copy(tmp_path, "morning-light.mp3"))
    assert outcome == Outcome("refused", CHOOSE_AN_ALBUM)
    assert (catalogued_files(upload_folder), catalog(app)) == (before, rows_before)


def catalogued_files(upload_folder: Path) -> list[Path]:
    """The stored files of songs and albums (not those staged for a form's next try)."""
    return [path for path in files_in(upload_folder) if path.parent.name != "staged"]
