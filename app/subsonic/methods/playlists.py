"""Playlists: Subsonic's name for setlists, under the site's rules (app/setlists/rules.py).

A playlist's id is its setlist's number, as in the site's address. getPlaylists lists the
caller's own setlists and the catalog's they may browse (an admin reads another user's own
with `username`). `public` is "in the catalog": only those who may publish on the site
(editors, admins) set it, a Listener asking gets error 50; public=false takes a catalog
setlist back to private (a link-shared one stays shared). Someone else's private setlist is
error 70 (as the site's 404), one the caller sees but may not change error 50. Changes go
through the setlist rules, so the change history records them as the site's do.
"""

import re

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models.catalog import Song
from app.models.setlists import Setlist, SetlistEntry
from app.security.roles import SETLIST_VIEW
from app.security.setlist_access import Actor
from app.setlists import entries, rules, song_rows
from app.subsonic import pages
from app.subsonic.auth import find_user
from app.subsonic.ids import SONG, album_id, row_id
from app.subsonic.registry import Call, is_admin, subsonic_method
from app.subsonic.shapes import stamp
from app.subsonic.wire import GENERIC, NOT_AUTHORIZED, NOT_FOUND, SubsonicError

#: The most playlists getPlaylists names (the most recently changed first).
MAX_PLAYLISTS = 1000
#: A playlist id: a setlist's number in plain decimal.
PLAYLIST_ID = re.compile(r"[1-9][0-9]{0,17}")
#: A place in a playlist as sent: ASCII digits only (str.isdigit takes "²", int() not).
PLACE = re.compile(r"[0-9]{1,9}")


def actor_of(call: Call) -> Actor:
    """The Subsonic user as the setlist rules see them, from their roles on the site."""
    return Actor(
        user_id=call.user.id,
        is_admin=is_admin(call.user),
        may_browse=call.may("can_list", SETLIST_VIEW),
        may_publish=call.may("can_publish", SETLIST_VIEW),
        may_edit_own=call.may("can_edit", SETLIST_VIEW),
    )


def require(call: Call, permission: str) -> None:
    """Error 50 unless the user's roles grant `permission` on setlists."""
    if not call.may(permission, SETLIST_VIEW):
        raise SubsonicError(NOT_AUTHORIZED, "User is not authorized for the given operation.")


def setlist_number(value: str | None) -> int:
    """A playlist id as its setlist's number (error 70 for anything else)."""
    if value is None or not PLAYLIST_ID.fullmatch(value) or int(value) >= 2**31:
        raise SubsonicError(NOT_FOUND, f"No such playlist: {str(value)[:60]!r}.")
    return int(value)


def visible(actor: Actor, value: str | None) -> Setlist:
    """The setlist if the caller may see it; error 70 alike for a missing one and for
    someone else's private one."""
    try:
        return rules.find(db.session, setlist_number(value), *actor.as_viewer())
    except rules.SetlistNotFound:
        raise SubsonicError(NOT_FOUND, "Playlist not found.") from None


def editable(actor: Actor, value: str | None) -> Setlist:
    """The setlist if the caller may change it; error 50 for one they only see."""
    setlist = visible(actor, value)
    if not rules.may_edit(setlist, *actor.as_editor()):
        raise SubsonicError(NOT_AUTHORIZED, "You may not change this playlist.")
    return setlist


def song_numbers(values: list[str]) -> list[int]:
    """Song ids as row ids (error 70 for a malformed or unknown one, nothing written)."""
    wanted = [row_id(value, SONG) for value in values]
    # A number past the key column's range names no row (PostgreSQL would refuse it).
    possible = {number for number in wanted if number < 2**31}
    found = set(db.session.scalars(select(Song.id).where(Song.id.in_(possible))))
    missing = [value for value, number in zip(values, wanted, strict=True) if number not in found]
    if missing:
        raise SubsonicError(NOT_FOUND, f"No such song: {missing[0][:60]!r}.")
    return wanted


def refused(refusal: rules.SetlistRefused) -> SubsonicError:
    """The rules' refusal as error 0 with its message (in English: clients show it)."""
    return SubsonicError(GENERIC, str(refusal))


def first_album():
    """Each setlist's first entry's album id (its cover), read along the order index."""
    return (
        select(Song.album_id)
        .join(SetlistEntry, SetlistEntry.song_id == Song.id)
        .where(SetlistEntry.setlist_id == Setlist.id)
        .order_by(SetlistEntry.position, SetlistEntry.id)
        .limit(1)
        .scalar_subquery()
    )


def playlist(setlist: Setlist, cover: int | None) -> dict:
    """A setlist as a Subsonic playlist, its size from the totals kept on its row."""
    return {
        "id": str(setlist.id),
        "name": setlist.name,
        "comment": setlist.description,
        "owner": setlist.owner.username,
        "public": setlist.visibility == "catalog",
        "songCount": setlist.entry_count,
        "duration": round(setlist.playing_ms / 1000),
        "created": stamp(setlist.created_at),
        "changed": stamp(setlist.updated_at),
        "coverArt": album_id(cover) if cover is not None else None,
    }


@subsonic_method("getPlaylists")
def get_playlists(call: Call) -> dict:
    """The caller's own setlists and the catalog's, most recently changed first; an admin
    reads another user's own with `username`."""
    actor = actor_of(call)
    username = call.params.get("username")
    if username and username != call.user.username:
        if not actor.is_admin:
            raise SubsonicError(NOT_AUTHORIZED, "Only an admin may list another user's playlists.")
        other = find_user(username)
        if other is None:
            raise SubsonicError(NOT_FOUND, "No such user.")
        which = Setlist.owner_id == other.id
    else:
        which = or_(
            Setlist.owner_id == actor.user_id,
            rules.in_catalog_filter(actor.is_admin, actor.may_browse),
        )
    rows = db.session.execute(
        select(Setlist, first_album())
        .where(which)
        .options(joinedload(Setlist.owner))
        .order_by(Setlist.updated_at.desc(), Setlist.id.desc())
        .limit(MAX_PLAYLISTS)
    ).all()
    return {"playlists": {"playlist": [playlist(setlist, cover) for setlist, cover in rows]}}


def with_entries(call: Call, setlist: Setlist) -> dict:
    """A playlist with its songs in order, starred and rated for the caller."""
    songs = song_rows.ordered_songs(db.session, setlist.id)
    children = pages.songs(db.session, call.user.id, songs)
    cover = songs[0].album_id if songs else None
    return {"playlist": {**playlist(setlist, cover), "entry": children}}


@subsonic_method("getPlaylist")
def get_playlist(call: Call) -> dict:
    """One playlist the caller may see, with its songs."""
    setlist = visible(actor_of(call), call.params.required("id"))
    return with_entries(call, setlist)


def drop(setlist: Setlist, rows: list[SetlistEntry]) -> None:
    """Delete these entries of the setlist at once (each recorded in the history), as
    entries.remove does one by one: loaded with their songs in one query beforehand, so the
    size hook and the history labels need no query per entry (5,000 at once: 20 statements,
    not 5,000)."""
    for entry in rows:
        set_committed_value(entry, "setlist", setlist)  # its history label names the setlist
        db.session.delete(entry)
    if rows:
        rules.touch(setlist)
        db.session.flush()


def replace_songs(setlist: Setlist, song_ids: list[int], user_id: int) -> None:
    """Make the setlist hold exactly these songs in this order: the entries that already
    start it that way stay, the rest go and the new tail is appended."""
    kept = db.session.scalars(
        entries.ordered(select(SetlistEntry).where(SetlistEntry.setlist_id == setlist.id))
    ).all()
    same = 0
    while same < min(len(kept), len(song_ids)) and kept[same].song_id == song_ids[same]:
        same += 1
    drop(setlist, list(kept[same:]))
    entries.add_songs(db.session, setlist, song_ids[same:], user_id)


@subsonic_method("createPlaylist", needs=None)
def create_playlist(call: Call) -> dict:
    """A new playlist of `name` with the songs sent, or (with `playlistId`) that playlist's
    songs replaced by those sent (how clients reorder)."""
    actor = actor_of(call)
    song_ids = song_numbers(call.params.all("songId"))
    try:
        if call.params.has("playlistId"):
            require(call, "can_edit")
            setlist = editable(actor, call.params.get("playlistId"))
            if call.params.get("name"):
                rules.rename(setlist, call.params.get("name"))
            replace_songs(setlist, song_ids, actor.user_id)
        else:
            require(call, "can_add")
            name = call.params.required("name")
            setlist = rules.create(db.session, actor.user_id, name, may_publish=actor.may_publish)
            entries.add_songs(db.session, setlist, song_ids, actor.user_id)
    except rules.SetlistRefused as refusal:
        raise refused(refusal) from None
    db.session.commit()
    return with_entries(call, setlist)


def removed_entries(setlist: Setlist, values: list[str]) -> list[SetlistEntry]:
    """The entries at the places sent (counted from 0 in the order before the update), with
    their songs; error 0 for a place that is not a whole number within the playlist."""
    if not values:
        return []
    order = db.session.scalars(
        entries.ordered(select(SetlistEntry.id).where(SetlistEntry.setlist_id == setlist.id))
    ).all()
    places = set()
    for value in values:
        if not PLACE.fullmatch(value) or int(value) >= len(order):
            raise SubsonicError(GENERIC, f"No song at index {value[:20]!r} of this playlist.")
        places.add(int(value))
    wanted = [order[place] for place in sorted(places)]
    return list(db.session.scalars(select(SetlistEntry).where(SetlistEntry.id.in_(wanted))))


def change_public(setlist: Setlist, actor: Actor, public: bool) -> None:
    """public=true publishes to the catalog (editors and admins: error 50 for others);
    public=false takes a catalog setlist back to private, leaves a link-shared one shared."""
    if public and not actor.may_publish:
        raise SubsonicError(NOT_AUTHORIZED, "Only an editor may make a playlist public.")
    if public:
        rules.change_visibility(setlist, "catalog", actor.may_publish)
    elif setlist.visibility == "catalog":
        rules.change_visibility(setlist, "private", actor.may_publish)


@subsonic_method("updatePlaylist", needs=("can_edit", SETLIST_VIEW))
def update_playlist(call: Call) -> None:
    """Rename, describe, publish or unpublish a playlist, remove songs by their places and
    append songs, all or nothing."""
    actor, params = actor_of(call), call.params
    setlist = editable(actor, params.required("playlistId"))
    to_add = song_numbers(params.all("songIdToAdd"))
    try:
        if params.has("name"):
            rules.rename(setlist, params.get("name"))
        if params.has("comment"):
            rules.describe(setlist, params.get("comment"))
        if params.get("public"):
            change_public(setlist, actor, params.boolean("public"))
        drop(setlist, removed_entries(setlist, params.all("songIndexToRemove")))
        entries.add_songs(db.session, setlist, to_add, actor.user_id)
    except rules.SetlistRefused as refusal:
        raise refused(refusal) from None
    db.session.commit()


@subsonic_method("deletePlaylist", needs=("can_delete", SETLIST_VIEW))
def delete_playlist(call: Call) -> None:
    """Delete a playlist the caller may change (its songs stay in the catalog)."""
    setlist = editable(actor_of(call), call.params.required("id"))
    rules.delete(db.session, setlist)
    db.session.commit()
