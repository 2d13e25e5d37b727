"""Lists of albums and songs: getAlbumList/getAlbumList2 by type, getRandomSongs,
getSongsByGenre. Each reads one page along an index (LIMIT/OFFSET), then the page's rows."""

from sqlalchemy import func, select

from app.extensions import db
from app.models.catalog import Album, Author, Song
from app.models.listener_data import AlbumMark, SongPlay
from app.subsonic import pages
from app.subsonic.picking import by_ids, random_rows
from app.subsonic.registry import Call, subsonic_method
from app.subsonic.wire import GENERIC, SubsonicError

MAX_SIZE = 500
DEFAULT_SIZE = 10
#: Deeper than any catalog Setlist is built for; bounds what an offset may make the database skip.
MAX_OFFSET = 10_000_000
TYPES = (
    "random", "newest", "highest", "frequent", "recent", "alphabeticalByName",
    "alphabeticalByArtist", "starred", "byYear", "byGenre",
)  # fmt: skip


def size_and_offset(call: Call, size_name: str = "size") -> tuple[int, int]:
    """A page's size (at most 500, larger asks are cut to it) and offset."""
    size = call.params.integer(size_name, DEFAULT_SIZE, low=0)
    offset = call.params.integer("offset", 0, low=0, high=MAX_OFFSET)
    return min(size, MAX_SIZE), offset


def year_range(call: Call, required: bool):
    """fromYear/toYear as a condition on a year column maker and an order (newest first
    when fromYear > toYear, as the spec says); None when not asked."""
    if not required and not (call.params.has("fromYear") or call.params.has("toYear")):
        return None
    low = call.params.integer("fromYear", None if required else 0, low=0, high=9999)
    high = call.params.integer("toYear", None if required else 9999, low=0, high=9999)
    return min(low, high), max(low, high), low > high


def album_ids(call: Call, kind: str, size: int, offset: int) -> list[int] | list[Album]:
    """One page of album ids (or albums, for random) of a list type."""
    user_id = call.user.id
    if kind == "random":
        return random_rows(db.session, Album, size)
    if kind in ("highest", "starred"):
        column = AlbumMark.rating if kind == "highest" else AlbumMark.starred_at
        query = (
            select(AlbumMark.album_id)
            .where(AlbumMark.user_id == user_id, column.is_not(None))
            .order_by(column.desc(), AlbumMark.album_id.desc())
        )
    elif kind in ("frequent", "recent"):
        measure = (
            func.sum(SongPlay.play_count)
            if kind == "frequent"
            else func.max(SongPlay.last_played_at)
        )
        query = (
            select(Song.album_id)
            .join(SongPlay, SongPlay.song_id == Song.id)
            .where(SongPlay.user_id == user_id)
            .group_by(Song.album_id)
            .order_by(measure.desc(), Song.album_id.desc())
        )
    elif kind == "newest":
        query = select(Album.id).order_by(Album.id.desc())
    elif kind == "alphabeticalByName":
        query = select(Album.id).order_by(Album.title_key, Album.id)
    elif kind == "alphabeticalByArtist":
        query = (
            select(Album.id)
            .join(Author, Author.id == Album.author_id)
            .order_by(Author.name_key, Album.author_id, Album.id)
        )
    elif kind == "byYear":
        low, high, newest_first = year_range(call, required=True)
        year = Album.release_year.desc() if newest_first else Album.release_year
        query = (
            select(Album.id)
            .where(Album.release_year.between(low, high))
            .order_by(year, Album.id.desc() if newest_first else Album.id)
        )
    else:
        genre = call.params.required("genre")
        query = (
            select(Song.album_id)
            .where(Song.genre == genre)
            .group_by(Song.album_id)
            .order_by(Song.album_id)
        )
    return list(db.session.scalars(query.offset(offset).limit(size)))


def album_list(call: Call) -> list[Album]:
    """The albums of getAlbumList(2)'s type, one page."""
    kind = call.params.required("type")
    if kind not in TYPES:
        raise SubsonicError(GENERIC, f"Unknown list type: use one of {', '.join(TYPES)}.")
    size, offset = size_and_offset(call)
    if size == 0:
        return []
    found = album_ids(call, kind, size, offset)
    if kind == "random":
        return found
    return by_ids(db.session, Album, found)


@subsonic_method("getAlbumList")
def get_album_list(call: Call) -> dict:
    """A page of albums by type, as directories."""
    albums = pages.albums(db.session, call.user.id, album_list(call), child=True)
    return {"albumList": {"album": albums}}


@subsonic_method("getAlbumList2")
def get_album_list2(call: Call) -> dict:
    """A page of albums by type (ID3)."""
    albums = pages.albums(db.session, call.user.id, album_list(call))
    return {"albumList2": {"album": albums}}


@subsonic_method("getRandomSongs")
def get_random_songs(call: Call) -> dict:
    """Up to `size` random songs, of a genre and years if asked."""
    size = min(call.params.integer("size", DEFAULT_SIZE, low=0), MAX_SIZE)
    conditions = []
    if call.params.get("genre"):
        conditions.append(Song.genre == call.params.get("genre"))
    years = year_range(call, required=False)
    if years is not None:
        low, high, _newest_first = years
        year = select(Album.release_year).where(Album.id == Song.album_id).scalar_subquery()
        conditions.append(func.coalesce(Song.year, year).between(low, high))
    songs = random_rows(db.session, Song, size, *conditions) if size else []
    return {"randomSongs": {"song": pages.songs(db.session, call.user.id, songs)}}


@subsonic_method("getSongsByGenre")
def get_songs_by_genre(call: Call) -> dict:
    """A page of a genre's songs, in the order they were added."""
    genre = call.params.required("genre")
    size, offset = size_and_offset(call, "count")
    query = select(Song).where(Song.genre == genre).order_by(Song.id)
    songs = list(db.session.scalars(query.offset(offset).limit(size))) if size else []
    return {"songsByGenre": {"song": pages.songs(db.session, call.user.id, songs)}}
