"""What the lists tests share: songs and setlists made directly, ids as Subsonic spells
them, and reading a playlist's song ids back from either answer format."""

from sqlalchemy import select

from app.extensions import db
from app.models import Change, Setlist, Song
from app.security.app_passwords import cipher_for, create
from app.setlists import entries, rules
from app.subsonic.ids import album_id, artist_id, song_id
from tests.setlists.building import make_songs


def user_id(app, username: str) -> int:
    """A user's id by name."""
    with app.app_context():
        return app.appbuilder.sm.find_user(username=username).id


def songs(app, count: int) -> list[str]:
    """`count` songs of one album (one minute each), as Subsonic ids in order."""
    with app.app_context():
        return [song_id(number) for number in make_songs(count)]


def setlist(app, owner: str, name: str, song_ids=(), visibility: str = "private") -> str:
    """A setlist of `owner` holding the songs (Subsonic ids) made through the domain; its
    playlist id."""
    with app.app_context():
        owner_id = user_id(app, owner)
        made = rules.create(db.session, owner_id, name, visibility=visibility, may_publish=True)
        numbers = [int(value.removeprefix("tr-")) for value in song_ids]
        entries.add_songs(db.session, made, numbers, owner_id)
        db.session.commit()
        return str(made.id)


def stored(app, playlist_id: str) -> Setlist | None:
    """The setlist row as stored now (None once deleted), detached with its fields loaded."""
    with app.app_context():
        row = db.session.get(Setlist, int(playlist_id))
        if row is not None:
            db.session.expunge(row)
        return row


def history(app, playlist_id: str, name: str) -> list[tuple[str, str, str]]:
    """The change history of a setlist (by id) and of entries in a setlist of that name:
    (kind, action, user name), oldest first."""
    with app.app_context():
        rows = db.session.execute(
            select(Change.kind, Change.action, Change.user_name)
            .where(
                ((Change.kind == "setlist") & (Change.record_id == int(playlist_id)))
                | ((Change.kind == "setlist_entry") & Change.record_label.endswith(f" in {name}"))
            )
            .order_by(Change.id)
        ).all()
        return [tuple(row) for row in rows]


def entry_ids(playlist: dict) -> list[str]:
    """The song ids of a playlist answer's entries, in order (either format)."""
    found = playlist.get("entry", [])
    return [entry["id"] for entry in (found if isinstance(found, list) else [found])]


def listed(answer: dict) -> list[dict]:
    """The playlists of a getPlaylists answer (either format)."""
    playlists = answer["playlists"]
    playlists = playlists[0] if isinstance(playlists, list) else playlists
    found = playlists.get("playlist", [])
    return found if isinstance(found, list) else [found]


def key_of(app, username: str) -> str:
    """An app password for any user (one the role fixtures do not cover)."""
    with app.app_context():
        return create(db.session, cipher_for(app.config), user_id(app, username), "Phone")[1]


def album_and_artist(app, song: str) -> tuple[str, str]:
    """The Subsonic ids of a song's album and artist."""
    with app.app_context():
        row = db.session.get(Song, int(song.removeprefix("tr-")))
        return album_id(row.album_id), artist_id(row.album.author_id)
