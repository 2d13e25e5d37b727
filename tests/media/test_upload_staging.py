"""A chosen file survives the form coming back for another error, for its owner only."""

import hashlib
import re

from sqlalchemy import select

from app.extensions import db
from app.models import Song
from tests.support.apps import AUDIO, files_in
from tests.support.forms import csrf_token

KEPT = re.compile(r'<input type="hidden" name="audio_file_staged" value="([^"]+)">')


def staged(upload_folder) -> list:
    """The files waiting in the staged folder."""
    return files_in(upload_folder / "staged") if (upload_folder / "staged").exists() else []


def first_try(editor, album_id, audio, **fields):
    """Send the add form with a good untagged file and a bad rating; return the page."""
    data = {"audio_file": audio("untagged-tone.mp3"), "album": str(album_id), "rating": "9"}
    response = editor.submit("/songs/add", {**data, **fields})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def send_again(visitor, page: str, **fields):
    """Send the form back as the browser would: its token, the kept file's token, no file."""
    data = {"csrf_token": csrf_token(page), "audio_file_staged": KEPT.search(page).group(1)}
    return visitor.client.post("/songs/add", data={**data, **fields})


def test_the_file_is_kept_and_used_when_the_form_is_sent_again(
    app, editor, song, audio, upload_folder
):
    """The rating error is shown with the file named as kept; the next send adds the song."""
    page = first_try(editor, song.album_id, audio)
    assert "Number must be between 1 and 5." in page
    assert "Kept from your last try: untagged-tone.mp3." in page
    assert not re.search(r'<input[^>]*id="audio_file"[^>]*required', page)
    assert len(staged(upload_folder)) == 1
    stored_before = set(files_in(upload_folder)) - set(staged(upload_folder))
    response = send_again(editor, page, album=str(song.album_id), rating="4")
    assert response.status_code == 302
    with app.app_context():
        added = db.session.scalar(select(Song).where(Song.original_filename == "untagged-tone.mp3"))
        expected = hashlib.sha256((AUDIO / "untagged-tone.mp3").read_bytes()).hexdigest()
        assert added.sha256 == expected
        assert added.rating == 4
    assert staged(upload_folder) == []
    assert len(set(files_in(upload_folder)) - stored_before) == 1


def test_a_kept_file_is_kept_through_another_error(app, editor, song, audio, upload_folder):
    """A second error keeps the same file (no second copy)."""
    page = first_try(editor, song.album_id, audio)
    again = send_again(editor, page, album=str(song.album_id), rating="0").get_data(True)
    assert "Kept from your last try: untagged-tone.mp3." in again
    assert KEPT.search(again).group(1) == KEPT.search(page).group(1)
    assert len(staged(upload_folder)) == 1


def test_a_new_file_replaces_the_kept_one(app, editor, song, audio, upload_folder):
    """Choosing another file on the next try uses it, and the kept one goes."""
    page = first_try(editor, song.album_id, audio)
    data = {
        "csrf_token": csrf_token(page),
        "audio_file_staged": KEPT.search(page).group(1),
        "audio_file": audio("cafe-nocturne-vbr.mp3"),
        "album": str(song.album_id),
    }
    assert editor.client.post("/songs/add", data=data).status_code == 302
    with app.app_context():
        names = set(db.session.scalars(select(Song.original_filename)))
    assert "cafe-nocturne-vbr.mp3" in names
    assert "untagged-tone.mp3" not in names
    assert staged(upload_folder) == []


def test_nobody_else_can_use_a_kept_file(app, editor, login_as, song, audio):
    """Another user's token, or a forged one, keeps nothing: the file is asked for again."""
    page = first_try(editor, song.album_id, audio)
    admin = login_as("Admin")
    form = admin.get("/songs/add").get_data(as_text=True)
    for token in (KEPT.search(page).group(1), "forged.token.value"):
        data = {"csrf_token": csrf_token(form), "audio_file_staged": token}
        response = admin.client.post("/songs/add", data={**data, "album": str(song.album_id)})
        assert "Choose an audio file to upload." in response.get_data(as_text=True)
    with app.app_context():
        untagged = select(Song).where(Song.original_filename == "untagged-tone.mp3")
        assert db.session.scalar(untagged) is None
