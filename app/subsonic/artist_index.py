"""Every artist grouped by index letter (getArtists, getIndexes), as Subsonic servers answer
it: the whole list at once ("The Beatles" under B, digits and signs under #).

Building it reads the whole author table and sorts it in Python (articles are skipped, which
no index orders by): about 200 ms of CPU at 20,000 authors. So each process keeps the last
one built, with the catalog's fingerprint at the time: the newest author and album change
recorded (app/change_recording.py records every create, update and delete made through the
ORM; a song's, or a setlist's, changes no artist) and the highest author and album ids
(which bulk writes move). A request reads the fingerprint (one cheap statement) and, when it
matches, answers with the index letters as written then (wire.Written: writing 20,000 artists
took 75 ms of JSON and more of XML per request), writing again only the entries the listener
starred or rated.
"""

import re
import threading
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.listening.marks import Marked
from app.models.catalog import Album, Author
from app.models.changes import CATALOG_KINDS, latest_changes
from app.subsonic.ids import artist_id
from app.subsonic.shapes import marks
from app.subsonic.wire import Written, write

IGNORED_ARTICLES = ("The", "El", "La", "Los", "Las", "Le", "Les")
#: One of them and a space at the start of a folded name, with more name after it.
LEADING_ARTICLE = re.compile(rf"^(?:{'|'.join(a.lower() for a in IGNORED_ARTICLES)}) (?=.)")


@dataclass(frozen=True)
class Group:
    """One index letter: its artists as (author id, entry, entry written), and all written."""

    letter: str
    artists: list[tuple[int, dict, Written]]
    written: Written


@dataclass(frozen=True)
class Built:
    """An index as built: its fingerprint, its groups, and each author's group's place."""

    fingerprint: tuple
    groups: list[Group]
    place: dict[int, int]


#: The last index built in this process, with and without album counts (ID3 or not).
BUILT: dict[bool, Built] = {}
LOCK = threading.Lock()


def sort_name(name_key: str) -> str:
    """An artist's folded name without a leading article: what the index sorts by."""
    return LEADING_ARTICLE.sub("", name_key, count=1)


def index_letter(name: str) -> str:
    """The index an artist is listed under: its first letter, "#" for anything else."""
    first = name[:1].upper()
    return first if first.isascii() and first.isalpha() else "#"


#: What an artist's entry shows: its name and its albums (a song's change moves neither).
ARTIST_KINDS = ("author", "album")


def fingerprint(session: Session, kinds: tuple[str, ...] = CATALOG_KINDS) -> tuple:
    """What changes whenever the rows of these kinds may have changed: their newest recorded
    change, and the newest author and album (rows written by bulk SQL are not recorded);
    with the database's address, as one process may serve two (the tests' two databases)."""
    newest = (
        select(func.max(Author.id)).scalar_subquery(),
        select(func.max(Album.id)).scalar_subquery(),
    )
    counts = tuple(session.execute(select(*latest_changes(kinds), *newest)).one())
    return (str(session.get_bind().url), *counts)


def build(session: Session, id3: bool) -> list[tuple[str, list[tuple[int, dict]]]]:
    """The index's groups read from the database: [(letter, [(author id, entry)])]."""
    albums = select(func.count(Album.id)).where(Album.author_id == Author.id).scalar_subquery()
    columns = (Author.id, Author.name, Author.name_key) + ((albums,) if id3 else ())
    rows = session.execute(select(*columns)).all()
    groups: dict[str, list] = {}
    for key, number, name, count in sorted(
        (sort_name(row[2]), row[0], row[1], row[3] if id3 else None) for row in rows
    ):
        entry = {"id": artist_id(number), "name": name}
        if id3:
            entry["albumCount"] = count
        groups.setdefault(index_letter(key), []).append((number, entry))
    return sorted(groups.items())


def built_from(current: tuple, groups: list[tuple[str, list[tuple[int, dict]]]]) -> Built:
    """The groups with every entry and every letter written."""
    written = []
    for letter, listed in groups:
        artists = [(number, entry, write("artist", entry)) for number, entry in listed]
        written.append(Group(letter, artists, group(letter, [w for _, _, w in artists])))
    place = {number: at for at, kept in enumerate(written) for number, _, _ in kept.artists}
    return Built(current, written, place)


def group(letter: str, artists: list[Written]) -> Written:
    """One index letter's element, its artists written."""
    return write("index", {"name": letter, "artist": artists})


def artist_index(session: Session, marked: dict[int, Marked], id3: bool) -> list[Written]:
    """The index as Subsonic's index elements, with the listener's marks on their artists."""
    current = fingerprint(session, ARTIST_KINDS)
    built = BUILT.get(id3)
    if built is None or built.fingerprint != current:
        built = built_from(current, build(session, id3))
        with LOCK:
            BUILT[id3] = built
    touched = {built.place[number] for number in marked if number in built.place}
    return [
        group(
            kept.letter,
            [
                write("artist", {**entry, **marks(marked[number])}) if number in marked else w
                for number, entry, w in kept.artists
            ],
        )
        if at in touched
        else kept.written
        for at, kept in enumerate(built.groups)
    ]
