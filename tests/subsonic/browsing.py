"""A small library for the browsing tests (authors with articles, accents and slashes, albums
over years and genres, songs with and without tags), and the Listener's sign-in."""

from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.models import Album, Author, Song
from tests.subsonic.conftest import token_params

#: author -> [(album, year, [(title, track, disc, genre)])]
LIBRARY = {
    "The Beatles": [
        ("Abbey Road", 1969, [("Come Together", 1, None, "Rock"), ("Something", 2, None, "Rock")]),
        ("Help!", 1965, [("Yesterday", 2, None, "Pop"), ("Help!", 1, None, "Pop")]),
    ],
    "Björk": [("Homogenic", 1997, [("Jóga", 3, None, "Electronic"), ("Bachelorette", 4, 2, None)])],
    "AC/DC": [("Back in Black", 1980, [("Hells Bells", 1, None, "Rock")])],
    "4 Non Blondes": [("Bigger, Better", 1992, [("What's Up", 3, None, "Rock")])],
}
UPLOADED = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)


def add_library(library: dict = LIBRARY) -> dict:
    """Write a library; {"authors"|"albums"|"songs": {name or title: id}}."""
    ids: dict[str, dict] = {"authors": {}, "albums": {}, "songs": {}}
    for name, albums in library.items():
        author = Author(name=name, biography=f"About {name}.")
        for title, year, songs in albums:
            album = Album(title=title, release_year=year, author=author)
            for number, (song_title, track, disc, genre) in enumerate(songs):
                song = Song(
                    title=song_title, album=album, track_number=track, disc_number=disc,
                    genre=genre, audio_file=f"stored-{song_title}-{number}.ogg",
                    original_filename=f"secret name {number}.ogg", duration=200.6,
                    file_size=4_000_000, audio_format="OGG", mime_type="audio/ogg",
                    bitrate=160_000, sample_rate=44_100, channels=2, uploaded_at=UPLOADED,
                )  # fmt: skip
                db.session.add(song)
            db.session.flush()
            ids["albums"][title] = album.id
        ids["authors"][name] = author.id
    db.session.commit()
    for song in db.session.query(Song):
        ids["songs"][song.title] = song.id
    return ids


@pytest.fixture
def library(app) -> dict:
    """The small library, written for the test: its ids by name."""
    with app.app_context():
        return add_library()


@pytest.fixture
def listener(app_password, users):
    """The Listener's token sign-in parameters (a fresh salt each call)."""
    password = app_password("Listener")
    return lambda: token_params(users["Listener"], password)


def ids_of(entries) -> list[str]:
    """The ids of a list of entries (JSON dicts or XML element dicts)."""
    return [entry["id"] for entry in entries or []]
