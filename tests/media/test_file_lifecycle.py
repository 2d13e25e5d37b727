"""Nothing lost, nothing orphaned: failed commits, file checks, bulk import."""

import io
import os
import shutil
import time

import pytest
from sqlalchemy import select

from app.extensions import db
from app.media.file_store import LocalStore, UnsafeStoredName
from app.models import Album, Author, Song
from tests.support.apps import files_in, row_count
from tests.support.faults import commits_fail, reads_fail


def test_failed_add_leaves_no_file_and_no_rows(app, editor, audio, upload_folder):
    """A song whose commit fails leaves neither its file, its cover nor tag-made rows."""
    with commits_fail():
        response = editor.submit(
            "/songs/add", {"album": "", "audio_file": audio("morning-light.mp3")}
        )
    assert response.status_code == 302
    page = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert "The database refused the change" in page
    assert files_in(upload_folder) == []
    assert (row_count(app, Song), row_count(app, Album), row_count(app, Author)) == (0, 0, 0)


def test_failed_replace_keeps_the_old_file_playing(app, editor, song, audio, upload_folder):
    """If the commit that points a song at a new file fails, the old file still plays."""
    old_bytes = (upload_folder / song.audio_file).read_bytes()
    before = files_in(upload_folder)
    with commits_fail():
        editor.submit(
            f"/songs/edit/{song.id}",
            {"title": "Changed", "album": str(song.album_id), "audio_file": audio("tone.flac")},
        )
    assert files_in(upload_folder) == before
    with app.app_context():
        assert db.session.get(Song, song.id).title == "Tone in Vorbis"
    assert editor.get(f"/songs/download/{song.id}").data == old_bytes


def test_failed_delete_keeps_row_and_file(app, editor, song, upload_folder):
    """If deleting the row fails, the file stays and the song still plays."""
    with commits_fail():
        editor.submit("/songs/list/", {}, post_url=f"/songs/delete/{song.id}")
    assert (upload_folder / song.audio_file).is_file()
    assert row_count(app, Song) == 1
    assert editor.get(f"/songs/stream/{song.id}").status_code == 200


def test_deleting_an_album_removes_its_cover(app, editor, audio, upload_folder):
    """Once its songs are gone, deleting an album deletes its cover file too."""
    editor.submit("/songs/add", {"album": "", "audio_file": audio("morning-light.mp3")})
    with app.app_context():
        song = db.session.scalars(select(Song)).one()
        song_id, album_id = song.id, song.album_id
    assert len(files_in(upload_folder)) == 2
    editor.submit("/songs/list/", {}, post_url=f"/songs/delete/{song_id}")
    editor.submit("/albums/list/", {}, post_url=f"/albums/delete/{album_id}")
    assert files_in(upload_folder) == []


def test_check_files_reports_and_quarantines(app, runner, song, upload_folder):
    """Orphans, missing files and changed content are listed; --fix quarantines orphans."""
    assert runner.invoke(args=["catalog", "check-files"]).output == "All files and rows agree.\n"
    stray = upload_folder / "stray.mp3"
    stray.write_bytes(b"left behind")
    # A file without a row is judged once it is an hour old (its row may be committing).
    recent = runner.invoke(args=["catalog", "check-files", "--fix"])
    assert recent.exit_code == 0
    assert "1 file(s) without a row, under 3600 s old: left alone for now" in recent.output
    assert stray.is_file()
    an_hour_ago = time.time() - 3601
    os.utime(stray, (an_hour_ago, an_hour_ago))
    with (upload_folder / song.audio_file).open("ab") as changed:
        changed.write(b"!")
    with app.app_context():
        ghost = Song(
            title="Ghost",
            album_id=song.album_id,
            audio_file="gone.mp3",
            original_filename="gone.mp3",
        )
        db.session.add(ghost)
        db.session.commit()

    result = runner.invoke(args=["catalog", "check-files"])
    assert result.exit_code == 1
    assert "orphaned file: stray.mp3" in result.output
    assert "missing file: song" in result.output
    assert "“Ghost” (gone.mp3)" in result.output
    assert f"content changed: song {song.id}" in result.output
    assert (upload_folder / "stray.mp3").is_file()

    fixed = runner.invoke(args=["catalog", "check-files", "--fix"])
    assert "Moved 1 orphaned file(s)" in fixed.output
    assert not (upload_folder / "stray.mp3").exists()
    assert (upload_folder / "quarantine" / "stray.mp3").read_bytes() == b"left behind"
    after = runner.invoke(args=["catalog", "check-files"]).output
    assert "orphaned" not in after
    assert "Ghost" in after


def test_import_twice_imports_once(app, runner, audio_dir, tmp_path, upload_folder):
    """A folder tree is imported with a summary; the second run finds only duplicates."""
    library = tmp_path / "library"
    (library / "nested" / "deeper").mkdir(parents=True)
    folders = [library, library / "nested", library / "nested" / "deeper"]
    for index, path in enumerate(sorted(audio_dir.iterdir())):
        shutil.copy(path, folders[index % 3] / path.name)
    (library / "notes.txt").write_text("not audio, not even looked at")

    first = runner.invoke(args=["catalog", "import", str(library)])
    assert first.exit_code == 0, first.output
    assert "Imported 8, skipped 0 duplicate(s), rejected 4." in first.output
    assert "truncated.mp3: This MP3 file is damaged or truncated" in first.output
    assert "empty.mp3: The file is empty." in first.output
    assert row_count(app, Song) == 8
    stored = files_in(upload_folder)

    second = runner.invoke(args=["catalog", "import", str(library)])
    assert "Imported 0, skipped 8 duplicate(s), rejected 4." in second.output
    assert row_count(app, Song) == 8
    assert files_in(upload_folder) == stored
    with app.app_context():
        by_title = {s.title: s for s in db.session.scalars(select(Song))}
        assert by_title["Morning Light"].album.author.name == "The Test Pattern"
        # Where tags are silent, the folders say it: .../Artist/Album/file.
        assert by_title["Tone in FLAC"].album.title == "deeper"
        assert by_title["untagged-tone"].album.author.name == "nested"
        # Ogg Opus (.opus) is imported like the other formats, tags and all.
        assert by_title["Opus Tone"].original_filename == "tone.opus"
        assert by_title["Opus Tone"].album.author.name == "Oscillator"


@pytest.mark.parametrize("name", ["../outside.mp3", "covers/../../outside.mp3", "{absolute}", ""])
def test_storage_never_touches_paths_outside_its_folder(tmp_path, name):
    """A stored name that leaves the folder is refused for reading and ignored for deleting.

    The absolute case names a file of the test's own, never a system file (CI runs as root).
    """
    folder = tmp_path / "uploads"
    folder.mkdir()
    outside = tmp_path / "outside.mp3"
    outside.write_bytes(b"precious")
    name = name.format(absolute=outside)
    storage = LocalStore(folder)
    with pytest.raises(UnsafeStoredName):
        storage.path_for(name)
    storage.delete(name)
    assert outside.read_bytes() == b"precious"


def test_check_files_leaves_dot_files_alone(runner, upload_folder):
    """A fresh clone's uploads/ holds the tracked .gitkeep: no orphan, and --fix keeps it."""
    for name in (".gitkeep", ".DS_Store"):
        (upload_folder / name).write_bytes(b"")
    result = runner.invoke(args=["catalog", "check-files"])
    assert (result.exit_code, result.output) == (0, "All files and rows agree.\n")
    runner.invoke(args=["catalog", "check-files", "--fix"])
    assert (upload_folder / ".gitkeep").is_file()
    assert not (upload_folder / "quarantine").exists()


def test_a_failed_import_commit_leaves_no_file(app, runner, audio_dir, tmp_path, upload_folder):
    """When the database refuses an imported song, its stored file and cover go again."""
    library = tmp_path / "library"
    library.mkdir()
    shutil.copy(audio_dir / "morning-light.mp3", library)
    with commits_fail():
        result = runner.invoke(args=["catalog", "import", str(library)])
    assert "Imported 0" in result.output or result.exit_code != 0
    assert files_in(upload_folder) == []
    assert row_count(app, Song) == 0


class BreaksHalfway(io.BytesIO):
    """A stream that fails after its first megabyte, like a dropped upload or a full disk."""

    def read(self, size=-1):
        """The next bytes, until the break."""
        if self.tell() >= 1024 * 1024:
            raise OSError("connection lost")
        return super().read(size)


def test_an_interrupted_copy_leaves_no_partial_file(tmp_path):
    """Storage removes what it had written when the copy breaks off."""
    store = LocalStore(tmp_path / "uploads")
    with pytest.raises(OSError, match="connection lost"):
        store.save(BreaksHalfway(bytes(3 * 1024 * 1024)), "big.wav")
    assert list((tmp_path / "uploads").iterdir()) == []


def test_a_cover_that_cannot_be_stored_takes_the_song_file_with_it(
    app, editor, audio, upload_folder
):
    """If the cover from the tags cannot be stored, the upload's audio file goes too."""
    (upload_folder / "covers").write_text("a file where the covers folder should be")
    response = editor.submit("/songs/add", {"album": "", "audio_file": audio("morning-light.mp3")})
    assert response.status_code == 302
    page = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert "could not be saved, so nothing was kept" in page
    assert str(upload_folder) not in page  # no server path in a message
    assert [path.name for path in files_in(upload_folder)] == ["covers"]
    assert row_count(app, Song) == 0


def test_a_database_failure_while_cataloguing_keeps_nothing(app, editor, audio, upload_folder):
    """If finding the tags' author fails, the stored file goes and the editor gets plain words."""
    with reads_fail(app, "author"):
        response = editor.submit(
            "/songs/add", {"album": "", "audio_file": audio("morning-light.mp3")}
        )
    assert response.status_code == 302
    page = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert "could not be saved, so nothing was kept" in page
    assert "SELECT" not in page  # no SQL shown to the editor
    assert files_in(upload_folder) == []
    assert row_count(app, Song) == 0


def test_check_files_removes_staged_uploads_nobody_came_back_for(runner, upload_folder):
    """A staged file older than its token is listed and removed by --fix; a fresh one stays."""
    staged = upload_folder / "staged"
    staged.mkdir()
    (staged / "abandoned.mp3").write_bytes(b"a form never sent again")
    (staged / "waiting.mp3").write_bytes(b"a form being corrected right now")
    two_hours_ago = time.time() - 2 * 3600
    os.utime(staged / "abandoned.mp3", (two_hours_ago, two_hours_ago))

    result = runner.invoke(args=["catalog", "check-files"])
    assert (result.exit_code, result.output) == (1, "expired staged upload: abandoned.mp3\n")
    assert (staged / "abandoned.mp3").is_file()
    fixed = runner.invoke(args=["catalog", "check-files", "--fix"])
    assert "Removed 1 expired staged upload(s)." in fixed.output
    assert [path.name for path in staged.iterdir()] == ["waiting.mp3"]
    after = runner.invoke(args=["catalog", "check-files"])
    assert (after.exit_code, after.output) == (0, "All files and rows agree.\n")
