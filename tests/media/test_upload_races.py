"""Files sent at the same moment (the upload page sends two at once), on SQLite and PostgreSQL:
one file sent several times is one song (the duplicate rule holds); the files of one new album
are all added, to one author and one album."""

import io
import threading

import mutagen
from sqlalchemy import func, select

from app.extensions import db
from app.models import Album, Author, Song
from tests.support.apps import files_in
from tests.support.forms import csrf_token

SOURCES = ["untagged-tone.mp3", "cafe-nocturne-vbr.mp3", "morning-light.mp3"]


def untagged_contents(audio_dir, tmp_path) -> list[bytes]:
    """Three different files without tags (copies of fixtures with their tags stripped)."""
    contents = []
    for name in SOURCES:
        copy = tmp_path / name
        copy.write_bytes((audio_dir / name).read_bytes())
        if mutagen.File(copy).tags is not None:
            mutagen.File(copy).delete()
        contents.append(copy.read_bytes())
    return contents


def test_files_of_one_new_folder_sent_at_once_make_one_author_and_one_album(
    app, login_as, audio_dir, tmp_path, upload_folder
):
    """Three untagged files of Nightjar/Dusk Songs at once: three songs, one author, one album;
    every answer is "added" (a loser of the race for the new names tries once more)."""
    contents = untagged_contents(audio_dir, tmp_path)
    editors = [login_as("Editor") for _ in contents]
    tokens = [csrf_token(e.get("/songs/upload").get_data(as_text=True)) for e in editors]
    start = threading.Barrier(len(contents))
    answers = []

    def upload(editor, token, content, number) -> None:
        name = f"0{number} Part {number}.mp3"
        data = {"csrf_token": token, "relative_path": f"Nightjar/Dusk Songs/{name}",
                "audio_file": (io.BytesIO(content), name)}  # fmt: skip
        start.wait()
        answer = editor.client.post("/songs/upload/file", data=data)
        answers.append((answer.status_code, answer.json.get("status"), answer.json["message"]))

    sends = enumerate(zip(editors, tokens, contents, strict=True), 1)
    threads = [
        threading.Thread(target=upload, args=(editor, token, content, number))
        for number, (editor, token, content) in sends
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [answer[:2] for answer in answers] == [(201, "added")] * 3, answers
    with app.app_context():
        assert db.session.scalars(select(Author.name)).all() == ["Nightjar"]
        assert db.session.scalars(select(Album.title)).all() == ["Dusk Songs"]
        titles = db.session.scalars(select(Song.title).order_by(Song.track_number)).all()
        assert titles == ["Part 1", "Part 2", "Part 3"]
        assert db.session.scalar(select(func.count()).select_from(Song)) == 3
    assert len([path for path in files_in(upload_folder) if path.suffix == ".mp3"]) == 3


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
