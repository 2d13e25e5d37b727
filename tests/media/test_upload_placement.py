"""A song added with no album chosen goes where its file places it (its tags, else Unknown),
and the person is told where, so a song never lands somewhere they did not see."""

import re

from sqlalchemy import select

from app.extensions import db
from app.models import Song
from tests.media.corpus import upload

NOTICE = re.compile(r"No album was chosen, so the song went to “([^”]*)” by ([^.]*)\.")


def notices(page: str) -> list[tuple[str, str]]:
    """The placement notices a page shows: (album, author)."""
    return NOTICE.findall(page)


def added_song(app, original_name: str) -> Song:
    """The song added from a file of this name, with its album and author loaded."""
    with app.app_context():
        song = db.session.scalars(select(Song).where(Song.original_filename == original_name))
        song = song.one()
        song.album.author  # noqa: B018 (loaded before the session closes)
        db.session.expunge_all()
        return song


def test_the_add_form_says_where_a_song_without_album_went(app, editor, song, corpus):
    """Untagged: "Unknown album" by "Unknown artist", said once; tagged: the tags' album;
    moved to a chosen album, nothing more is said and the song is there."""
    untagged = editor.submit(
        "/songs/add", {"album": "", "audio_file": upload(corpus, "untagged-tone.mp3")}
    )
    assert untagged.status_code == 302
    page = editor.get(untagged.headers["Location"]).get_data(as_text=True)
    assert notices(page) == [("Unknown album", "Unknown artist")]
    assert notices(editor.get("/songs/list/").get_data(as_text=True)) == []

    tagged = editor.submit(
        "/songs/add", {"album": "", "audio_file": upload(corpus, "morning-light.mp3")}
    )
    placed = added_song(app, "morning-light.mp3")
    page = editor.get(tagged.headers["Location"]).get_data(as_text=True)
    assert notices(page) == [(placed.album.title, placed.album.author.name)]
    assert placed.album.title != "Unknown album"

    lost = added_song(app, "untagged-tone.mp3")
    fields = {"title": lost.title, "album": str(song.album_id)}
    moved = editor.submit(f"/songs/edit/{lost.id}", fields)
    assert moved.status_code == 302
    assert notices(editor.get(moved.headers["Location"]).get_data(as_text=True)) == []
    assert added_song(app, "untagged-tone.mp3").album_id == song.album_id


def test_a_chosen_album_gets_no_notice(app, editor, song, corpus):
    """A song added to the album the person chose is not announced as placed."""
    added = editor.submit(
        "/songs/add",
        {"album": str(song.album_id), "audio_file": upload(corpus, "untagged-tone.mp3")},
    )
    assert added.status_code == 302
    assert notices(editor.get(added.headers["Location"]).get_data(as_text=True)) == []
    assert added_song(app, "untagged-tone.mp3").album_id == song.album_id
