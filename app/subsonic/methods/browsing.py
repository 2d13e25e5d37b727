"""Browsing the catalog: artists (Setlist's authors) by index letter, an artist's albums, an
album's songs, one song, artist and album notes, genres.

Directories (getIndexes, getMusicDirectory) and ID3 (getArtists, getArtist, getAlbum) walk
the same tree: artist "ar-N" -> album "al-N" -> song "tr-N" (app/subsonic/ids.py).
"""

import time

from sqlalchemy import func, select

from app.extensions import db
from app.models.catalog import Album, Author, Song
from app.subsonic import pages
from app.subsonic.artist_index import IGNORED_ARTICLES, artist_index, fingerprint
from app.subsonic.ids import ALBUM, ARTIST, SONG, parse, row_id
from app.subsonic.registry import Call, subsonic_method
from app.subsonic.wire import NOT_FOUND, SubsonicError

#: The most albums one artist, or songs one album, lists (a pathological import stays bounded).
MAX_CHILDREN = 2000
MAX_GENRES = 2000


def found(row, what: str):
    """The row, or error 70 when it does not exist."""
    if row is None:
        raise SubsonicError(NOT_FOUND, f"{what} not found.")
    return row


def index_of(call: Call, id3: bool) -> list[dict]:
    """Every artist by index letter, with the listener's own stars and ratings."""
    marked = pages.all_author_marks(db.session, call.user.id)
    return artist_index(db.session, marked, id3)


@subsonic_method("getArtists")
def get_artists(call: Call) -> dict:
    """Every artist by index letter (ID3), with album counts."""
    return {
        "artists": {
            "ignoredArticles": " ".join(IGNORED_ARTICLES),
            "index": index_of(call, id3=True),
        }
    }


@subsonic_method("getIndexes")
def get_indexes(call: Call) -> dict:
    """Every artist by index letter (directories); with ifModifiedSince later than now,
    nothing (the catalog keeps no last-change time, so it always says "changed now")."""
    now = int(time.time() * 1000)
    since = call.params.integer("ifModifiedSince", 0, low=0)
    indexes = index_of(call, id3=False) if since < now else []
    return {
        "indexes": {
            "lastModified": now,
            "ignoredArticles": " ".join(IGNORED_ARTICLES),
            "index": indexes,
        }
    }


def album_songs(album_id: int) -> list[Song]:
    """An album's songs in playing order (disc, track, then as added)."""
    return list(
        db.session.scalars(
            select(Song)
            .where(Song.album_id == album_id)
            .order_by(
                func.coalesce(Song.disc_number, 1), Song.track_number.is_(None),
                Song.track_number, Song.id,
            )
            .limit(MAX_CHILDREN)
        )
    )  # fmt: skip


def artist_albums(author_id: int) -> list[Album]:
    """An artist's albums, oldest first (no year last), then by title."""
    return list(
        db.session.scalars(
            select(Album)
            .where(Album.author_id == author_id)
            .order_by(Album.release_year.is_(None), Album.release_year, Album.title_key, Album.id)
            .limit(MAX_CHILDREN)
        )
    )


@subsonic_method("getArtist")
def get_artist(call: Call) -> dict:
    """An artist with its albums (ID3)."""
    author = found(db.session.get(Author, row_id(call.params.required("id"), ARTIST)), "Artist")
    albums = artist_albums(author.id)
    artist = pages.artists(db.session, call.user.id, [author])[0]
    return {"artist": {**artist, "album": pages.albums(db.session, call.user.id, albums)}}


@subsonic_method("getAlbum")
def get_album(call: Call) -> dict:
    """An album with its songs (ID3)."""
    album = found(db.session.get(Album, row_id(call.params.required("id"), ALBUM)), "Album")
    album_entry = pages.albums(db.session, call.user.id, [album])[0]
    songs = pages.songs(db.session, call.user.id, album_songs(album.id))
    return {"album": {**album_entry, "song": songs}}


@subsonic_method("getSong")
def get_song(call: Call) -> dict:
    """One song."""
    song = found(db.session.get(Song, row_id(call.params.required("id"), SONG)), "Song")
    return {"song": pages.songs(db.session, call.user.id, [song])[0]}


@subsonic_method("getMusicDirectory")
def get_music_directory(call: Call) -> dict:
    """An artist's directory (its albums) or an album's (its songs)."""
    kind, number = parse(call.params.required("id"), ARTIST, ALBUM)
    session, user_id = db.session, call.user.id
    if kind == ARTIST:
        author = found(session.get(Author, number), "Artist")
        entry = pages.artists(session, user_id, [author])[0]
        children = pages.albums(session, user_id, artist_albums(author.id), child=True)
        directory = {"id": entry["id"], "name": author.name, "parent": "1"}
    else:
        album = found(session.get(Album, number), "Album")
        entry = pages.albums(session, user_id, [album], child=True)[0]
        children = pages.songs(session, user_id, album_songs(album.id))
        directory = {"id": entry["id"], "name": album.title, "parent": entry["parent"]}
    directory.update(starred=entry.get("starred"), userRating=entry.get("userRating"))
    return {"directory": {**directory, "child": children}}


def artist_info(call: Call) -> dict:
    """What the catalog says about an artist: its biography (no images, no similar artists)."""
    author = found(db.session.get(Author, row_id(call.params.required("id"), ARTIST)), "Artist")
    return {"biography": author.biography}


@subsonic_method("getArtistInfo")
def get_artist_info(call: Call) -> dict:
    """An artist's notes (directory form)."""
    return {"artistInfo": artist_info(call)}


@subsonic_method("getArtistInfo2")
def get_artist_info2(call: Call) -> dict:
    """An artist's notes (ID3 form)."""
    return {"artistInfo2": artist_info(call)}


def album_info(call: Call) -> dict:
    """What the catalog says about an album: nothing beyond its tags, so no notes."""
    found(db.session.get(Album, row_id(call.params.required("id"), ALBUM)), "Album")
    return {}


@subsonic_method("getAlbumInfo")
def get_album_info(call: Call) -> dict:
    """An album's notes (directory form): none kept."""
    return {"albumInfo": album_info(call)}


@subsonic_method("getAlbumInfo2")
def get_album_info2(call: Call) -> dict:
    """An album's notes (ID3 form): none kept."""
    return {"albumInfo": album_info(call)}


#: The genres last counted in this process, with the catalog's fingerprint then.
GENRES: dict[str, tuple] = {}


@subsonic_method("getGenres")
def get_genres(call: Call) -> dict:
    """The songs' genres with how many songs and albums each has, by name.

    Counting them reads every song (117 ms at 1,000,000): done once per catalog change and
    process, as the artist index is (same fingerprint), not on every request."""
    now = fingerprint(db.session)
    kept = GENRES.get("genres")
    if kept is None or kept[0] != now:
        rows = db.session.execute(
            select(Song.genre, func.count(Song.id), func.count(Song.album_id.distinct()))
            .where(Song.genre.is_not(None), Song.genre != "")
            .group_by(Song.genre)
            .order_by(Song.genre)
            .limit(MAX_GENRES)
        )
        kept = GENRES["genres"] = (now, [tuple(row) for row in rows])
    genres = [
        {"value": name, "songCount": songs, "albumCount": albums} for name, songs, albums in kept[1]
    ]
    return {"genres": {"genre": genres}}
