"""Share links for tests: setlists of real stored songs, a link made through the owner's
form, and the token read back from the page that shows it once."""

import io
import re
from dataclasses import dataclass

from app.extensions import db
from app.media.file_store import LocalStore, content_sha256
from app.models import Album, Author, Setlist, SetlistEntry, Song
from tests.support.apps import AUDIO

#: The link in the "Link created" page.
LINK = re.compile(r'id="share-link"[^>]*value="([^"]+)"')


@dataclass
class Shared:
    """A shared setlist's id, its entries' ids, and the ids of songs it does not hold."""

    setlist_id: int
    entry_ids: list[int]
    song_ids: list[int]
    other_setlist_id: int
    other_entry_id: int
    other_song_id: int


def stored_songs(upload_folder, names: list[str]) -> list[int]:
    """Songs with real files (fixture files of tests/fixtures/audio), one album; their ids."""
    store = LocalStore(upload_folder)
    album = Album(title="Shared Album", author=Author(name="Shared Author"))
    songs = []
    for number, name in enumerate(names):
        content = io.BytesIO((AUDIO / name).read_bytes())
        songs.append(
            Song(
                title=f"Song {number} {name}",
                album=album,
                audio_file=store.save(content, name),
                original_filename=name,
                duration=3.0,
                sha256=content_sha256(content),
                mime_type="audio/ogg" if name.endswith(".ogg") else "audio/mpeg",
                kept_duplicate=True,
            )
        )
    db.session.add_all(songs)
    db.session.commit()
    return [song.id for song in songs]


def setlist_of(owner_id: int, name: str, song_ids: list[int], visibility="private") -> Setlist:
    """A setlist of the owner's holding the songs in order."""
    setlist = Setlist(name=name, owner_id=owner_id, visibility=visibility)
    db.session.add(setlist)
    db.session.flush()
    for index, song_id in enumerate(song_ids):
        db.session.add(
            SetlistEntry(setlist_id=setlist.id, song_id=song_id, position=(index + 1) * 1024)
        )
    db.session.commit()
    return setlist


def shared_world(upload_folder, owner_id: int, other_id: int) -> Shared:
    """The owner's private setlist of two songs, another user's setlist of a third song, and
    a fourth song in no setlist."""
    songs = stored_songs(upload_folder, ["tone.ogg", "morning-light.mp3", "tone.opus", "tone.wav"])
    # Theirs first, five entries long: on a fresh database no entry id of mine is a song id.
    theirs = setlist_of(other_id, "Not shared", [songs[2]] * 5)
    mine = setlist_of(owner_id, "Road trip", songs[:2])
    entries = [entry.id for entry in sorted(mine.entries, key=lambda entry: entry.position)]
    return Shared(
        setlist_id=mine.id,
        entry_ids=entries,
        song_ids=songs[:2],
        other_setlist_id=theirs.id,
        other_entry_id=min(entry.id for entry in theirs.entries),
        other_song_id=songs[3],
    )


def create_link(owner, setlist_id: int, **fields) -> str:
    """Make a link through the owner's form; the link's path (/shared/<token>)."""
    data = {"expires_days": "", "expires_on": "", **fields}
    page = owner.submit(
        f"/setlists/shares/{setlist_id}/", data, post_url=f"/setlists/shares/{setlist_id}/create"
    )
    assert page.status_code == 200, page.status_code
    assert page.headers["Cache-Control"] == "no-store"
    link = LINK.search(page.get_data(as_text=True))
    assert link, "the page shows no link"
    return "/shared/" + link.group(1).rsplit("/shared/", 1)[1]
