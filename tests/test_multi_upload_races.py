"""Files of one new album sent at the same moment (the upload page sends two at once): every
file is added, to one author and one album, on SQLite and PostgreSQL."""

import io
import threading

import mutagen
from sqlalchemy import func, select

from app.extensions import db
from app.models import Album, Author, Song
from tests.support import csrf_token, files_in

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
