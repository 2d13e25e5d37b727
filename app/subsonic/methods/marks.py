"""Each listener's stars and ratings through Subsonic: star, unstar, setRating, getStarred,
getStarred2, all by app/listening/marks.py's rules (the web's hearts and stars alike)."""

from app.extensions import db
from app.listening import marks
from app.subsonic import pages
from app.subsonic.ids import ALBUM, ARTIST, SONG, parse
from app.subsonic.registry import Call, subsonic_method
from app.subsonic.wire import NOT_FOUND, SubsonicError

#: Keeping one's own favourites, ratings and plays (the site's "My favourites" door).
KEEP = ("can_keep", "ListenerDataView")
#: A Subsonic id's kind -> the kind app/listening/marks.py names.
KINDS = {SONG: "song", ALBUM: "album", ARTIST: "author"}
#: The most starred rows of each kind getStarred answers (newest first).
MAX_STARRED = marks.MAX_IDS


def targets(call: Call) -> list[tuple[str, int]]:
    """The rows named by id (a song, album or artist), albumId and artistId, as (kind, row
    id) pairs; error 70 for a malformed one, before anything is written."""
    params = call.params
    named = [parse(value, SONG, ALBUM, ARTIST) for value in params.all("id")]
    named += [parse(value, ALBUM) for value in params.all("albumId")]
    named += [parse(value, ARTIST) for value in params.all("artistId")]
    return [(KINDS[kind], number) for kind, number in named]


def star_all(call: Call, starred: bool) -> None:
    """Star or unstar every row named, all or nothing (error 70 if one does not exist)."""
    try:
        for kind, number in targets(call):
            marks.star(db.session, call.user.id, kind, number, starred)
    except marks.NoSuchRow as missing:
        db.session.rollback()
        raise SubsonicError(NOT_FOUND, f"No such {missing.args[0]}.") from None
    db.session.commit()


@subsonic_method("star", needs=KEEP)
def star(call: Call) -> None:
    """Star songs, albums and artists for the caller."""
    star_all(call, True)


@subsonic_method("unstar", needs=KEEP)
def unstar(call: Call) -> None:
    """Take the caller's stars off songs, albums and artists."""
    star_all(call, False)


@subsonic_method("setRating", needs=KEEP)
def set_rating(call: Call) -> None:
    """The caller's rating of a song, album or artist, 1-5; 0 clears it."""
    kind, number = parse(call.params.required("id"), SONG, ALBUM, ARTIST)
    rating = call.params.integer("rating", low=0, high=5)
    try:
        marks.rate(db.session, call.user.id, KINDS[kind], number, rating)
    except marks.NoSuchRow:
        db.session.rollback()
        raise SubsonicError(NOT_FOUND, f"No such {KINDS[kind]}.") from None
    db.session.commit()


def starred(call: Call, id3: bool) -> dict:
    """The caller's starred artists, albums and songs, newest first, MAX_STARRED each."""
    user_id = call.user.id

    def rows(kind: str) -> list:
        return [row for row, _at in marks.favourites(db.session, user_id, kind, MAX_STARRED)]

    return {
        "artist": pages.artists(db.session, user_id, rows("author")),
        "album": pages.albums(db.session, user_id, rows("album"), child=not id3),
        "song": pages.songs(db.session, user_id, rows("song")),
    }


@subsonic_method("getStarred", needs=KEEP)
def get_starred(call: Call) -> dict:
    """Starred rows, albums as directories (the folder-based clients' view)."""
    return {"starred": starred(call, id3=False)}


@subsonic_method("getStarred2", needs=KEEP)
def get_starred2(call: Call) -> dict:
    """Starred rows, albums and artists as ID3 entries."""
    return {"starred2": starred(call, id3=True)}
