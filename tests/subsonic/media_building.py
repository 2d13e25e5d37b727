"""Songs with real files and covers in the app's configured store, real cover images, and a
role that may browse but not play: what the Subsonic media tests build on."""

import io
import uuid
from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import ID3
from PIL import Image

from app.extensions import db
from app.media.configured_stores import audio_store, cover_store
from app.models import Album, Author, Song
from app.security.app_passwords import cipher_for, create
from tests.support.apps import AUDIO

#: A role that may browse the catalog (and see covers) but neither stream nor download.
BROWSE_ONLY = "Browse only"
BROWSE_VIEWS = ("SongModelView", "AlbumModelView", "AuthorModelView")


@dataclass(frozen=True)
class StoredSong:
    """A stored song's ids (as rows and as Subsonic ids) and its file's bytes."""

    song_id: int
    album_id: int
    content: bytes

    @property
    def id(self) -> str:
        """The song's Subsonic id."""
        return f"tr-{self.song_id}"

    @property
    def album(self) -> str:
        """Its album's Subsonic id (also the cover art id)."""
        return f"al-{self.album_id}"


def embedded_cover() -> bytes:
    """The real 300x300 JPEG cover embedded in the morning-light.mp3 fixture."""
    return ID3(AUDIO / "morning-light.mp3").getall("APIC")[0].data


def wide_png(width: int = 480, height: int = 240) -> bytes:
    """A PNG wider than tall (to see the aspect kept), with an alpha channel."""
    image = Image.new("RGBA", (width, height), (200, 40, 40, 180))
    output = io.BytesIO()
    image.save(output, "PNG")
    return output.getvalue()


def stored_song(
    app, file: str = "tone.ogg", title: str = "Tone in Vorbis", cover: tuple | None = None
) -> StoredSong:
    """A song whose file (a fixture) and cover ((bytes, extension, MIME type) or None) are
    saved in the app's configured store, as an upload would keep them."""
    content = (AUDIO / file).read_bytes()
    extension = Path(file).suffix.lstrip(".")
    with app.app_context():
        stored_name = audio_store().save(io.BytesIO(content), file)
        # Each song its own author and album (names are unique per catalog and author).
        author = Author(name=f"Oscillator {uuid.uuid4().hex[:8]}")
        album = Album(title="Test Tones", release_year=2023, author=author)
        if cover is not None:
            data, cover_extension, album.cover_mime_type = cover
            album.cover_file = cover_store().save_bytes(data, cover_extension)
        song = Song(
            title=title, album=album, audio_file=stored_name, original_filename=file,
            mime_type={"ogg": "audio/ogg", "mp3": "audio/mpeg"}.get(extension),
            audio_format=extension.upper(), file_size=len(content),
        )  # fmt: skip
        db.session.add(song)
        db.session.commit()
        return StoredSong(song.id, album.id, content)


def browse_only_key(app, role_name: str = BROWSE_ONLY, views=BROWSE_VIEWS, extra=()) -> str:
    """An app password of a new user whose role browses the catalog (or only some of its
    views) but may not play, unless `extra` (permission, view) pairs say so."""
    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.find_role(role_name) or sm.add_role(role_name)
        for permission in ("can_list", "can_show"):
            for view in views:
                sm.add_permission_role(role, sm.find_permission_view_menu(permission, view))
        for permission, view in extra:
            sm.add_permission_role(role, sm.find_permission_view_menu(permission, view))
        name = f"user{uuid.uuid4().hex[:8]}"
        user = sm.add_user(
            name, "Bruno", "Browser", f"{name}@example.org", role, "a long enough password 42"
        )
        return create(db.session, cipher_for(app.config), user.id, "Phone")[1]


def error_code(answer: dict) -> int | None:
    """The error code of a parsed answer in either format (XML's children are lists)."""
    error = answer.get("error")
    if isinstance(error, list):
        [error] = error
    return None if error is None else int(error["code"])
