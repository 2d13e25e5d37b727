"""search2 and search3: artists, albums and songs matching a query, each with its own count
and offset. Words are matched as the site's search box matches them (folded keys, exact
then prefix then anywhere: app/search/matching.py), albums by title; an empty query ("" or
'""', as sync clients send it) pages through the whole library in id order."""

from app.extensions import db
from app.fab.kinds import KINDS
from app.models.catalog import Album
from app.search.keys import search_key
from app.search.matching import Matcher
from app.subsonic import pages
from app.subsonic.methods.albums import MAX_OFFSET, MAX_SIZE
from app.subsonic.picking import id_page, matching_page
from app.subsonic.registry import Call, subsonic_method
from app.subsonic.shapes import marks

DEFAULT_COUNT = 20
#: How each part is matched: artists and songs as the site's search box does; albums by
#: their own title only (the site's album search also tries the author's name, an OR
#: across two tables no index answers: 100-300 ms at 100,000 albums; a client finds an
#: artist's albums through the artist part).
PARTS = (
    ("artist", KINDS["authors"].matcher),
    ("album", Matcher(Album, (Album.title_key,))),
    ("song", KINDS["songs"].matcher),
)


def found_rows(call: Call) -> dict[str, list]:
    """Each part's page of rows for the query."""
    # Folding drops punctuation: the '""' some sync clients send is an empty query too.
    text = call.params.get("query") or ""
    key = search_key(text)
    found = {}
    for part, matcher in PARTS:
        count = min(call.params.integer(f"{part}Count", DEFAULT_COUNT, low=0), MAX_SIZE)
        offset = call.params.integer(f"{part}Offset", 0, low=0, high=MAX_OFFSET)
        if count == 0:
            found[part] = []
        elif key:
            found[part] = matching_page(db.session, matcher, text, offset, count)
        else:
            found[part] = id_page(db.session, matcher.model, offset, count)
    return found


@subsonic_method("search3")
def search3(call: Call) -> dict:
    """Artists, albums (ID3) and songs matching the query."""
    rows = found_rows(call)
    session, user_id = db.session, call.user.id
    return {
        "searchResult3": {
            "artist": pages.artists(session, user_id, rows["artist"]),
            "album": pages.albums(session, user_id, rows["album"]),
            "song": pages.songs(session, user_id, rows["song"]),
        }
    }


@subsonic_method("search2")
def search2(call: Call) -> dict:
    """Artists (directory form), albums (as directories) and songs matching the query."""
    rows = found_rows(call)
    session, user_id = db.session, call.user.id
    artists = [
        {"id": entry["id"], "name": entry["name"], **{k: entry.get(k) for k in marks(None)}}
        for entry in pages.artists(session, user_id, rows["artist"])
    ]
    return {
        "searchResult2": {
            "artist": artists,
            "album": pages.albums(session, user_id, rows["album"], child=True),
            "song": pages.songs(session, user_id, rows["song"]),
        }
    }
