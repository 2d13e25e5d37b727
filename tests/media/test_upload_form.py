"""Song files through the song form: checked by content, tags read, duplicates refused."""

import pytest
from mutagen.id3 import ID3
from sqlalchemy import func, select

from app.extensions import db
from app.media.file_store import display_name
from app.models import Album, Author, Song
from tests.media.corpus import BAD_FILES, GOOD_FILES, upload
from tests.support.apps import files_in, row_count


@pytest.mark.parametrize(("name", "kind", "rate", "channels", "seconds"), GOOD_FILES)
def test_good_files_are_accepted_with_their_metadata(
    app, editor, album_id, corpus, name, kind, rate, channels, seconds
):
    """Each real format is stored and described by what its content says."""
    response = editor.submit(
        "/songs/add", {"album": str(album_id), "audio_file": upload(corpus, name)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    with app.app_context():
        stored = db.session.scalars(select(Song).where(Song.original_filename == name)).one()
        assert stored.audio_format == kind
        assert (stored.sample_rate, stored.channels) == (rate, channels)
        assert stored.duration == pytest.approx(seconds, abs=0.1)
        assert stored.bitrate > 0
        assert stored.file_size == (corpus / name).stat().st_size
        assert len(stored.sha256) == 64
        assert stored.title  # from the tags, or the file name when untagged


@pytest.mark.parametrize(("name", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_refused_and_leave_nothing(
    app, editor, song, corpus, upload_folder, name, message
):
    """Empty, damaged, disguised and mislabelled files get a field message; disk unchanged."""
    before = files_in(upload_folder)
    response = editor.submit(
        "/songs/add", {"album": str(song.album_id), "audio_file": upload(corpus, name)}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert files_in(upload_folder) == before
    assert row_count(app, Song) == 1


def test_tags_fill_the_song_and_create_author_album_and_cover(app, editor, corpus, login_as):
    """With title and album left empty, the tags name them; the embedded art becomes the cover."""
    response = editor.submit(
        "/songs/add",
        {"title": "", "album": "", "audio_file": upload(corpus, "morning-light.mp3")},
    )
    assert response.status_code == 302
    with app.app_context():
        song = db.session.scalars(select(Song)).one()
        assert (song.title, song.track_number, song.year, song.genre) == (
            "Morning Light",
            1,
            2024,
            "Electronic",
        )
        assert (song.album.title, song.album.author.name) == ("Signals", "The Test Pattern")
        assert song.album.cover_mime_type == "image/jpeg"
        album_id = song.album_id
    listener = login_as("Listener")
    cover = listener.get(f"/albums/cover/{album_id}")
    assert cover.status_code == 200
    assert cover.mimetype == "image/jpeg"
    assert cover.data.startswith(b"\xff\xd8\xff")
    page = listener.get(f"/albums/show/{album_id}").get_data(as_text=True)
    # The address names the stored cover (?v=...), so a replaced cover is fetched anew.
    assert f'src="/albums/cover/{album_id}?v=' in page
    assert "1 song, 0:04" in page
    with app.app_context():
        song_id = db.session.scalars(select(Song.id)).one()
    song_page = listener.get(f"/songs/show/{song_id}").get_data(as_text=True)
    assert f'src="/albums/cover/{album_id}' in song_page
    assert login_as(None).get(f"/albums/cover/{album_id}").status_code == 302


def test_second_file_reuses_the_author_and_album_from_tags(app, editor, corpus):
    """A second file naming the same artist and album joins them instead of duplicating."""
    editor.submit("/songs/add", {"album": "", "audio_file": upload(corpus, "morning-light.mp3")})
    editor.submit("/songs/add", {"album": "", "audio_file": upload(corpus, "id3v24.mp3")})
    assert row_count(app, Author) == 1
    assert row_count(app, Album) == 1


def test_hidden_characters_in_tags_are_dropped(app, editor, corpus):
    """NUL, escapes, line breaks and direction overrides in tags never reach the catalog."""
    response = editor.submit(
        "/songs/add", {"album": "", "audio_file": upload(corpus, "hidden-characters.flac")}
    )
    assert response.status_code == 302
    with app.app_context():
        song = db.session.scalars(select(Song)).one()
        names = (song.title, song.genre, song.album.title, song.album.author.name)
    assert names == ("Night Train", "Jazz", "Line Signals", "Radio Bell")


def test_creating_from_tags_can_be_switched_off(app, editor, corpus, monkeypatch):
    """With CATALOG_CREATE_FROM_TAGS off, an album must be chosen."""
    monkeypatch.setitem(app.config, "CATALOG_CREATE_FROM_TAGS", False)
    response = editor.submit(
        "/songs/add", {"album": "", "audio_file": upload(corpus, "morning-light.mp3")}
    )
    assert "Choose an album" in response.get_data(as_text=True)
    assert row_count(app, Album) == 0


def test_markup_in_tags_is_shown_as_text(app, editor, song, corpus, login_as):
    """Tags are untrusted: a title or artist with markup is escaped on lists and pages."""
    response = editor.submit(
        "/songs/add", {"album": "", "audio_file": upload(corpus, "hostile.mp3")}
    )
    assert response.status_code == 302
    with app.app_context():
        hostile = db.session.scalars(
            select(Song).where(Song.original_filename == "hostile.mp3")
        ).one()
        assert hostile.title == "<script>alert('title')</script>"
        song_id, author_id = hostile.id, hostile.album.author_id
    listener = login_as("Listener")
    for url in (
        "/songs/list/",
        f"/songs/show/{song_id}",
        "/authors/list/",
        f"/authors/show/{author_id}",
        "/albums/list/",
    ):
        page = listener.get(url).get_data(as_text=True)
        assert "<script>alert(" not in page, url
        assert "<b>Evil</b>" not in page, url
        assert "<i>Album</i>" not in page, url
    assert "&lt;script&gt;alert(" in listener.get("/songs/list/").get_data(as_text=True)


def test_duplicate_upload_is_refused_with_a_link(app, editor, song, corpus, upload_folder):
    """Uploading content the catalog already has points at the existing song."""
    first = editor.submit(
        "/songs/add",
        {"album": str(song.album_id), "audio_file": upload(corpus, "morning-light.mp3")},
    )
    assert first.status_code == 302
    with app.app_context():
        existing = db.session.scalars(
            select(Song).where(Song.original_filename == "morning-light.mp3")
        ).one()
    before = files_in(upload_folder)
    again = editor.submit(
        "/songs/add",
        {
            "album": str(song.album_id),
            "force_duplicate": "y",
            "audio_file": upload(corpus, "morning-light.mp3|copy.mp3"),
        },
    )
    page = again.get_data(as_text=True)
    assert "This file is already in the catalog as" in page
    assert f'href="/songs/show/{existing.id}"' in page
    assert files_in(upload_folder) == before  # the refused copy left nothing


def test_admin_may_force_a_duplicate(app, login_as, song, corpus):
    """An admin who ticks "keep a duplicate" gets the second copy."""
    admin = login_as("Admin")
    data = {"album": str(song.album_id), "force_duplicate": "y"}
    refused = admin.submit(
        "/songs/add", {"album": str(song.album_id), "audio_file": upload(corpus, "tone.ogg")}
    )
    assert "already in the catalog" in refused.get_data(as_text=True)
    response = admin.submit("/songs/add", {**data, "audio_file": upload(corpus, "tone.ogg")})
    assert response.status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Song).where(Song.original_filename == "tone.ogg")
            )
            == 2
        )


def test_control_characters_never_reach_a_download(
    app, editor, album_id, corpus, login_as, runner, tmp_path
):
    """Names with control characters or a right-to-left override (an upload's, or a file's
    on disk, where even a newline is allowed) are stored without them; a song stored with
    such a name before still streams and downloads."""
    name = "evil\x07\x1b[31m\u202egg3pm.ogg"
    response = editor.submit(
        "/songs/add", {"album": str(album_id), "audio_file": upload(corpus, f"tone.ogg|{name}")}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    library = tmp_path / "library"
    library.mkdir()
    (library / "line\nbreak\r.flac").write_bytes((corpus / "tone.flac").read_bytes())
    assert runner.invoke(args=["catalog", "import", str(library)]).exit_code == 0
    with app.app_context():
        names = set(db.session.scalars(select(Song.original_filename)))
        assert {"evil[31mgg3pm.ogg", "linebreak.flac"} <= names
        # A row from before the fix (or written to the database directly) keeps working.
        song = db.session.scalars(select(Song).order_by(Song.id.desc()).limit(1)).one()
        song.original_filename = "old\r\nSet-Cookie: x=1\x07.ogg"
        song_id = song.id
        db.session.commit()
    listener = login_as("Listener")
    for endpoint in ("stream", "download"):
        sent = listener.get(f"/songs/{endpoint}/{song_id}")
        assert sent.status_code == 200
        assert "\r" not in sent.headers["Content-Disposition"]
        assert "Set-Cookie" in sent.headers["Content-Disposition"]
        assert not sent.headers.get("Set-Cookie", "").startswith("x=1")


def test_a_bad_file_gets_its_own_error_only(app, editor, corpus):
    """A refused file is not also blamed on the empty album (its tags were never read)."""
    response = editor.submit("/songs/add", {"audio_file": upload(corpus, "truncated.mp3")})
    page = response.get_data(as_text=True)
    assert "damaged or truncated" in page
    assert "Choose an album" not in page


def test_keep_a_duplicate_is_offered_to_admins_only(app, login_as, song):
    """Only admins may keep a duplicate, so only they see the option."""
    for role, offered in (("Editor", False), ("Admin", True)):
        visitor = login_as(role)
        for url in ("/songs/add", f"/songs/edit/{song.id}"):
            assert ("Keep a duplicate" in visitor.get(url).get_data(as_text=True)) is offered


@pytest.mark.parametrize(
    "sent_as", ["Music/2024/light.mp3", "C:\\Music\\light.mp3", "\\\\nas\\share\\light.mp3"]
)
def test_a_client_path_keeps_only_the_file_name(sent_as):
    """Old browsers and scripts send the file's whole path: only its name is kept.

    (Werkzeug reads backslashes in a quoted header as escapes, so a Windows path arrives
    already mangled from a browser; the rule is checked where it lives.)
    """
    assert display_name(sent_as) == "light.mp3"


def test_a_browser_sent_path_keeps_only_the_file_name(app, editor, audio):
    """A form sent with a path as the file name stores and shows the name alone."""
    sent_as = "Music/2024/light.mp3"
    response = editor.submit(
        "/songs/add", {"album": "", "audio_file": audio("morning-light.mp3", as_name=sent_as)}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Song.original_filename)).all() == ["light.mp3"]
    song_page = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Music" not in song_page.split('class="table table-bordered record"')[1]


def test_long_songs_show_hours(app, login_as, song):
    """Past an hour a duration reads h:mm:ss, in lists and on the song's page."""
    with app.app_context():
        db.session.get(Song, song.id).duration = 3725.4
        db.session.commit()
    listener = login_as("Listener")
    assert "1:02:05" in listener.get("/songs/list/").get_data(as_text=True)
    assert "1:02:05" in listener.get(f"/songs/show/{song.id}").get_data(as_text=True)


def test_re_uploading_a_songs_own_file_is_not_a_duplicate(app, editor, song, corpus):
    """Editing a song and sending its own file again is allowed: it duplicates only itself."""
    fields = {
        "title": "Same File",
        "album": str(song.album_id),
        "audio_file": upload(corpus, "tone.ogg"),
    }
    response = editor.submit(f"/songs/edit/{song.id}", fields)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Song, song.id).title == "Same File"
        assert row_count(app, Song) == 1


def test_m4a_cover_art_becomes_the_albums_cover(app, editor, corpus, audio_dir):
    """The picture in an M4A's covr atom is the new album's cover, served as JPEG."""
    response = editor.submit(
        "/songs/add", {"album": "", "audio_file": upload(corpus, "covered.m4a")}
    )
    assert response.status_code == 302
    with app.app_context():
        album = db.session.scalars(select(Album).where(Album.title == "Atom Album")).one()
        album_id = album.id
    cover = editor.get(f"/albums/cover/{album_id}")
    assert cover.status_code == 200
    assert cover.headers["Content-Type"] == "image/jpeg"
    assert cover.data == ID3(audio_dir / "morning-light.mp3").getall("APIC")[0].data
