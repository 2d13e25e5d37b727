"""What "Add to setlist" reads: the setlists a person may add to (most recent first,
searched by folded name, each group read from an index in order, never a scan of every
setlist), and the songs a request names (a list of ids, or an album in running order)."""

from flask_babel import lazy_gettext as _
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from app.media.tracklist import TRACK_ORDER
from app.models import Album, Setlist, Song
from app.models.setlists import VISIBILITIES
from app.search.keys import search_key
from app.search.matching import key_contains, key_starts_with
from app.security.setlist_access import Actor
from app.setlists.entries import MAX_ENTRIES
from app.setlists.rules import editable_filter

#: Setlists the picker lists at once (more: type a few letters).
MAX_CHOICES = 20
#: Longer text is no setlist name (names have at most 200 characters).
MAX_QUERY_LENGTH = 200
SONG_IDS = _("Send the songs as a list of song ids.")
TOO_MANY = _("Add at most %(most)s songs at a time.")


class NotAdding(ValueError):
    """A request that names no songs the way the door takes them; `field` and `message`."""

    def __init__(self, field_name: str, message) -> None:
        super().__init__(str(message))
        self.field, self.message = field_name, message


def groups(actor: Actor) -> list[tuple[object, bool]]:
    """(condition, own) for each group of setlists the actor may edit. Each group is read
    from an index in updated_at order ((owner_id, updated_at) or (visibility, updated_at)),
    so "the 20 most recent" costs 20 index entries per group, whatever the site holds."""
    user_id, is_admin, may_publish = actor.as_editor()
    if user_id is None:
        return []
    own = [(Setlist.owner_id == user_id, True)]
    others = Setlist.owner_id != user_id
    if is_admin:
        kinds = VISIBILITIES
    elif may_publish:
        kinds = ("catalog",)
    else:
        kinds = ()
    return own + [(and_(Setlist.visibility == kind, others), False) for kind in kinds]


def recent_key(setlist: Setlist) -> tuple:
    """Most recently changed first, ties by the newest id."""
    return setlist.updated_at.replace(tzinfo=None), setlist.id


def my_setlists(session: Session, actor: Actor, text: str = "", limit: int = MAX_CHOICES):
    """(setlists the actor may add to, whether more match), most recently changed first.

    Typed text matches anywhere in the folded name of one's own setlists (a person's own
    are few) and at the start of others' names (an editor's catalog, an admin's everything:
    the name index answers that)."""
    key = search_key(text)
    found: dict[int, Setlist] = {}
    for condition, own in groups(actor):
        query = select(Setlist).where(editable_filter(*actor.as_editor()), condition)
        if key:
            matches = key_contains if own else key_starts_with
            query = query.where(matches(Setlist.name_key, key))
        query = query.order_by(Setlist.updated_at.desc(), Setlist.id.desc()).limit(limit + 1)
        for setlist in session.scalars(query):
            found[setlist.id] = setlist
    ordered = sorted(found.values(), key=recent_key, reverse=True)
    return ordered[:limit], len(ordered) > limit


def song_ids(value) -> list[int]:
    """The ids of a request's "songs": a list of whole numbers, at most MAX_ENTRIES."""
    if not isinstance(value, list) or not all(
        isinstance(item, int) and not isinstance(item, bool) for item in value
    ):
        raise NotAdding("songs", SONG_IDS)
    if not value:
        raise NotAdding("songs", _("Choose at least one song."))
    if len(value) > MAX_ENTRIES:
        raise NotAdding("songs", TOO_MANY % {"most": f"{MAX_ENTRIES:,}"})
    return value


def album_song_ids(session: Session, album_id) -> tuple[Album, list[int]]:
    """The album and all its song ids in running order (not one page of them), in one
    statement each; NotAdding when there is no such album."""
    if not isinstance(album_id, int) or isinstance(album_id, bool):
        raise NotAdding("album", _("Send the album as its id."))
    album = session.get(Album, album_id) if 0 < album_id < 2**31 else None
    if album is None:
        raise NotAdding("album", _("There is no such album."))
    ids = list(
        session.scalars(
            select(Song.id)
            .where(Song.album_id == album_id)
            .order_by(*TRACK_ORDER)
            .limit(MAX_ENTRIES + 1)
        )
    )
    if not ids:
        raise NotAdding("album", _("This album has no songs yet."))
    if len(ids) > MAX_ENTRIES:
        raise NotAdding("album", TOO_MANY % {"most": f"{MAX_ENTRIES:,}"})
    return album, ids


def wanted_songs(session: Session, data: dict) -> tuple[list[int], Album | None]:
    """The song ids a JSON body names, as {"songs": [ids]} or {"album": id}."""
    if "album" in data:
        album, ids = album_song_ids(session, data["album"])
        return ids, album
    if "songs" not in data:
        raise NotAdding("songs", SONG_IDS)
    return song_ids(data["songs"]), None


def possible(song_ids: list[int]) -> list[int]:
    """The ids a song could have (an INTEGER column's range): others are simply unknown,
    and PostgreSQL refuses to compare a column with them."""
    return [song_id for song_id in song_ids if 0 < song_id < 2**31]


def ids_in_text(text: str) -> list[int]:
    """Comma-separated song ids from a form or an address, in order (repeats kept)."""
    parts = [part.strip() for part in (text or "").split(",") if part.strip()]
    if len(parts) > MAX_ENTRIES:
        raise NotAdding("songs", TOO_MANY % {"most": f"{MAX_ENTRIES:,}"})
    if not all(part.isascii() and part.isdigit() and len(part) < 10 for part in parts):
        raise NotAdding("songs", SONG_IDS)
    return [int(part) for part in parts]
