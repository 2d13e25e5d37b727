"""Lines of an imported playlist matched against the catalog, in a bounded number of queries.

Each `Wanted` line is matched by, in turn: the song's original file name; the folded artist
(the album's author) and title; the folded title and a length within DURATION_TOLERANCE
seconds. Queries go by distinct values in chunks of CHUNK with IN, so 5,000 lines cost a few
dozen statements, not one each. Nothing is written: the caller builds the setlist.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Album, Author, Song
from app.search.keys import search_key
from app.setlists.formats import Wanted
from app.setlists.rules import N_

#: Values per IN list: far below every database's limit on bound parameters.
CHUNK = 500
#: How far a line's length may be from a song's for "title and duration" (seconds).
DURATION_TOLERANCE = 2.0
BY_FILE_NAME = N_("file name")
BY_ARTIST_AND_TITLE = N_("artist and title")
BY_TITLE_AND_DURATION = N_("title and duration")
#: Why a line matched nothing (messages for the import's report; %-style, no parameters).
NOTHING_TO_MATCH = N_("The line names no file and no title.")
NO_SUCH_SONG = N_("No song has this file name, artist and title, or title and length.")
OTHER_ARTIST = N_("Songs have this title, but by another artist and of another length.")


@dataclass(frozen=True)
class Candidate:
    """What matching needs of a catalog song."""

    song_id: int
    original_filename: str
    title_key: str
    artist_key: str
    duration: float | None


@dataclass(frozen=True)
class Match:
    """One line's outcome: the song it matched and how, or why it matched none."""

    wanted: Wanted
    song_id: int | None = None
    how: str | None = None
    why_not: str | None = None


def candidates(session: Session, column, values: Iterable[str]) -> dict[str, list[Candidate]]:
    """Catalog songs whose `column` is one of `values`, grouped by that value, by id."""
    found: dict[str, list[Candidate]] = defaultdict(list)
    ordered = sorted(set(values))
    for start in range(0, len(ordered), CHUNK):
        query = (
            select(Song.id, Song.original_filename, Song.title_key, Author.name_key, Song.duration)
            .join(Album, Song.album_id == Album.id)
            .join(Author, Album.author_id == Author.id)
            .where(column.in_(ordered[start : start + CHUNK]))
            .order_by(Song.id)
        )
        for row in session.execute(query):
            candidate = Candidate(*row)
            # column.key is a Candidate field too: original_filename or title_key.
            found[getattr(candidate, column.key)].append(candidate)
    return found


def close_in_length(candidate: Candidate, duration: float | None) -> bool:
    """Whether a song's length is within the tolerance of a line's (False if either is unknown)."""
    return (
        duration is not None
        and candidate.duration is not None
        and abs(candidate.duration - duration) <= DURATION_TOLERANCE
    )


def best(found: list[Candidate], title_key: str, artist_key: str, duration: float | None):
    """The likeliest of several songs: same artist and title first, then closest in length,
    then the oldest (lowest id), so the same file always picks the same song."""

    def rank(candidate: Candidate) -> tuple:
        same_words = candidate.title_key == title_key and candidate.artist_key == artist_key
        gap = abs(candidate.duration - duration) if close_in_length(candidate, duration) else 1e9
        return (not same_words, gap, candidate.song_id)

    return min(found, key=rank)


def matched_line(wanted: Wanted, by_name: dict, by_title: dict) -> Match:
    """One line's match from the candidates found for every line."""
    title_key, artist_key = search_key(wanted.title), search_key(wanted.artist)
    if wanted.original_filename in by_name:
        found = by_name[wanted.original_filename]
        chosen = best(found, title_key, artist_key, wanted.duration)
        return Match(wanted, chosen.song_id, BY_FILE_NAME)
    if not title_key:
        return Match(wanted, why_not=NO_SUCH_SONG if wanted.original_filename else NOTHING_TO_MATCH)
    same_title = by_title.get(title_key, [])
    same_artist = [c for c in same_title if artist_key and c.artist_key == artist_key]
    if same_artist:
        chosen = best(same_artist, title_key, artist_key, wanted.duration)
        return Match(wanted, chosen.song_id, BY_ARTIST_AND_TITLE)
    same_length = [c for c in same_title if close_in_length(c, wanted.duration)]
    if same_length:
        chosen = best(same_length, title_key, artist_key, wanted.duration)
        return Match(wanted, chosen.song_id, BY_TITLE_AND_DURATION)
    return Match(wanted, why_not=OTHER_ARTIST if same_title else NO_SUCH_SONG)


def match_lines(session: Session, lines: Sequence[Wanted]) -> list[Match]:
    """Every line's match, in the lines' order; two queries per CHUNK distinct values."""
    names = {line.original_filename for line in lines if line.original_filename}
    titles = {search_key(line.title) for line in lines} - {""}
    by_name = candidates(session, Song.original_filename, names) if names else {}
    by_title = candidates(session, Song.title_key, titles) if titles else {}
    return [matched_line(line, by_name, by_title) for line in lines]
