"""A generated catalog of any size, written with bulk SQL: for benchmarks and scale tests.

Songs get names, albums and authors (10 songs an album, 5 albums an author by default)
but no audio files: enough to measure pages, not to play them.
"""

import random
from dataclasses import dataclass
from math import ceil

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection

from app.catalog_tallies import rebuild
from app.models import Album, Author, Song
from app.models.catalog import TRACK_MAX
from app.search.keys import search_key

#: Title words; accented ones let searches show folding ("cafe" finds "Café").
WORDS = (
    "River", "Night", "Café", "Moon", "Summer", "Echo", "Glass", "Golden", "Ocean", "Fire",
    "Señorita", "Blue", "Heart", "Road", "Light", "Dream", "Storm", "Silver", "Wild", "Rain",
    "Shadow", "Dance", "Love", "Time", "Stone", "Winter", "Garden", "Étoile", "Paradise",
    "Electric", "Midnight", "Velvet", "Crystal", "Thunder", "Morning", "Björk", "Ember", "Mirror",
)  # fmt: skip
CHUNK = 5000
#: How generated songs' file names start (they have no file: nothing to play).
GENERATED = "generated-"


@dataclass(frozen=True)
class CatalogSize:
    """How many rows a generated catalog has."""

    authors: int
    albums: int
    songs: int


def title(rng: random.Random, words: int) -> str:
    """A few random title words."""
    return " ".join(rng.choice(WORDS) for _ in range(words))


def next_id(connection: Connection, model) -> int:
    """The first id after the table's rows."""
    return (connection.scalar(select(func.max(model.id))) or 0) + 1


def insert_rows(connection: Connection, model, rows) -> None:
    """Insert rows in chunks (bounded memory whatever the catalog size)."""
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            connection.execute(insert(model.__table__), chunk)
            chunk = []
    if chunk:
        connection.execute(insert(model.__table__), chunk)


def write_catalog(
    connection: Connection,
    songs: int,
    songs_per_album: int = 10,
    albums_per_author: int = 5,
    seed: int = 7,
) -> CatalogSize:
    """Add `songs` generated songs with their albums and authors; the caller commits."""
    rng = random.Random(seed)  # noqa: S311 - repeatable names, not secrets
    albums_count = ceil(songs / songs_per_album)
    size = CatalogSize(ceil(albums_count / albums_per_author), albums_count, songs)
    first_author, first_album, first_song = (
        next_id(connection, model) for model in (Author, Album, Song)
    )

    def authors():
        for number in range(size.authors):
            name = f"The {title(rng, 2)} {first_author + number}"
            yield {"id": first_author + number, "name": name, "name_key": search_key(name)}

    def albums():
        for number in range(size.albums):
            name = f"{title(rng, 2)} {number + 1}"
            yield {
                "id": first_album + number,
                "title": name,
                "title_key": search_key(name),
                "release_year": rng.randint(1960, 2025),
                "author_id": first_author + number // albums_per_author,
            }

    def songs_rows():
        for number in range(size.songs):
            name = title(rng, rng.randint(1, 3))
            song_id = first_song + number
            yield {
                "id": song_id,
                "title": name,
                "title_key": search_key(name),
                "album_id": first_album + number // songs_per_album,
                "track_number": number % songs_per_album % TRACK_MAX + 1,
                "duration": rng.uniform(90, 420),
                "rating": rng.choice((None, 1, 2, 3, 4, 5)),
                "audio_file": f"{GENERATED}{song_id}.mp3",
                "original_filename": f"{name}.mp3",
            }

    insert_rows(connection, Author, authors())
    insert_rows(connection, Album, albums())
    insert_rows(connection, Song, songs_rows())
    if connection.dialect.name == "postgresql":
        # Explicit ids leave the id sequences behind; later inserts must not collide.
        for table in ("author", "album", "song"):
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            # Our own three table names, no outside input.
            connection.execute(text(f"SELECT setval({sequence}, max(id)) FROM {table}"))  # noqa: S608
    # Bulk rows pass no flush hook: the home page's figures are counted again, here.
    rebuild(connection)
    return size
