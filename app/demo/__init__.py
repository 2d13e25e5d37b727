"""A small demo catalog with real audio files that ship with the app, and a generated one
of any size (names, albums and authors without audio) to try the app at scale."""

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.demo.scale import GENERATED, write_catalog
from app.media.audio import FORMATS_BY_EXTENSION
from app.media.cataloguing import DuplicateFile, SongStores, add_song, check_file
from app.media.file_store import FileStore
from app.models import Album, Author, Song

SAMPLES = Path(__file__).parent / "audio"


@dataclass(frozen=True)
class DemoSong:
    """One demo song and where it belongs."""

    author: str
    country: str
    album: str
    year: int
    title: str
    track: int
    rating: int
    sample: str


DEMO_SONGS = (
    DemoSong(
        "The Test Pattern",
        "United Kingdom",
        "Signals",
        2024,
        "Morning Light",
        1,
        4,
        "morning-light.mp3",
    ),
    DemoSong(
        "Zoë Ångström",
        "Sweden",
        "Signals",
        2024,
        "Café Nocturne — 夜のドライブ",
        2,
        5,
        "cafe-nocturne-vbr.mp3",
    ),
    DemoSong("Oscillator", "Germany", "Test Tones", 2023, "Tone in Vorbis", 1, 2, "tone.ogg"),
    DemoSong("Oscillator", "Germany", "Test Tones", 2023, "Tone in FLAC", 2, 3, "tone.flac"),
)


def get_or_create_album(session: Session, demo: DemoSong) -> Album:
    """The demo song's album (and its author), created when missing."""
    author = session.scalar(select(Author).where(Author.name == demo.author))
    if author is None:
        author = Author(name=demo.author, country=demo.country)
        session.add(author)
    album = session.scalar(select(Album).where(Album.author == author, Album.title == demo.album))
    if album is None:
        album = Album(title=demo.album, release_year=demo.year, author=author)
        session.add(album)
    return album


def seed_demo_catalog(session: Session, storages: tuple[FileStore, FileStore]) -> int:
    """Add the demo songs whose song or file is not there yet; return how many were added."""
    added = 0
    for demo in DEMO_SONGS:
        album = get_or_create_album(session, demo)
        exists = session.scalar(select(Song).where(Song.album == album, Song.title == demo.title))
        if exists:
            continue
        path = SAMPLES / demo.sample
        with path.open("rb") as stream:
            try:
                checked = check_file(session, stream, path.name, FORMATS_BY_EXTENSION)
            except DuplicateFile:
                continue  # the file is in the catalog already (imported): one song per file
            add_song(
                session,
                stream,
                checked,
                SongStores(*storages),
                album=album,
                title=demo.title,
                track_number=demo.track,
                rating=demo.rating,
            )
        added += 1
    return added


#: The most generated songs seed-demo adds: a catalog bigger than most people's, written
#: in about a minute on SQLite; beyond it a typo (an extra zero) would fill the disk.
MAX_GENERATED_SONGS = 1_000_000


def generated_songs(session: Session) -> int:
    """How many generated songs (see app.demo.scale) the catalog holds."""
    return session.scalar(
        select(func.count()).select_from(Song).where(Song.audio_file.like(f"{GENERATED}%"))
    )


def seed_generated_catalog(session: Session, songs: int) -> int:
    """Bring the generated songs up to `songs` (never more than MAX_GENERATED_SONGS);
    return how many were added: a rerun with the same number adds none."""
    missing = min(songs, MAX_GENERATED_SONGS) - generated_songs(session)
    if missing <= 0:
        return 0
    write_catalog(session.connection(), missing)
    session.commit()
    return missing
