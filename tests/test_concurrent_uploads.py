"""The duplicate rule holds when the same file arrives several times at once."""

import io
import threading

from sqlalchemy import func, select

from app.extensions import db
from app.models import Album, Author, Song
from tests.support import csrf_token, files_in

UPLOADS = 6


def test_simultaneous_identical_uploads_make_one_song(app, login_as, audio_dir, upload_folder):
    """Six editors upload one file at the same moment: one song, one stored file, no 500."""
    with app.app_context():
        album = Album(title="Race", author=Author(name="Runners"))
        db.session.add(album)
        db.session.commit()
        album_id = album.id
    content = (audio_dir / "tone.ogg").read_bytes()
    editors = [login_as("Editor") for _ in range(UPLOADS)]
    tokens = [csrf_token(e.get("/songs/add").get_data(as_text=True)) for e in editors]
    start = threading.Barrier(UPLOADS)
    statuses = []

    def upload(editor, token) -> None:
        data = {"csrf_token": token, "album": str(album_id),
                "audio_file": (io.BytesIO(content), "tone.ogg")}  # fmt: skip
        start.wait()
        response = editor.client.post("/songs/add", data=data, content_type="multipart/form-data")
        statuses.append(response.status_code)

    threads = [
        threading.Thread(target=upload, args=pair) for pair in zip(editors, tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The first commit wins; the others are refused by the form's check (200, with the field
    # message) or, when they raced past it, by the database (back to the list, with a message).
    assert set(statuses) <= {200, 302}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Song)) == 1
    assert len(files_in(upload_folder)) == 1
