"""An import's report: every line of the file, what it named, the song it matched and how,
or why it matched none, with the totals.

The report is built from the matches of the request that imported the file and drawn on
that request's answer: nothing of it is kept (not in the session, not on the server), so
10,000 lines cost no storage; the new setlist itself is where the matched songs stay.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext
from sqlalchemy import select

from app.extensions import db
from app.models import Album, Author, Song
from app.setlists.matching import CHUNK, Match


@dataclass(frozen=True)
class ReportLine:
    """One line of the report, ready for the page (texts translated, song named)."""

    number: int
    named: str
    file_name: str | None
    seconds: float | None
    song_id: int | None
    song: str | None
    song_url: str | None
    how: str | None
    why_not: str | None


def song_names(song_ids: set[int]) -> dict[int, str]:
    """ "Artist - Title" of each song, CHUNK ids per statement."""
    names: dict[int, str] = {}
    ordered = sorted(song_ids)
    for start in range(0, len(ordered), CHUNK):
        query = (
            select(Song.id, Author.name, Song.title)
            .join(Album, Album.id == Song.album_id)
            .join(Author, Author.id == Album.author_id)
            .where(Song.id.in_(ordered[start : start + CHUNK]))
        )
        names |= {
            song_id: f"{artist} - {title}" for song_id, artist, title in db.session.execute(query)
        }
    return names


def report_lines(matches: Sequence[Match]) -> list[ReportLine]:
    """The report's lines in the file's order."""
    names = song_names({match.song_id for match in matches if match.song_id is not None})
    # One url_for, not one per line: a song's page is its id after the same path.
    song_path = url_for("SongModelView.show", pk=0)[: -len("0")]
    translated: dict[str, str] = {}

    def said(message: str | None) -> str | None:
        # A handful of messages for thousands of lines: each translated once.
        if message and message not in translated:
            translated[message] = gettext(message)
        return translated.get(message) if message else None

    lines = []
    for match in matches:
        wanted = match.wanted
        named = " - ".join(part for part in (wanted.artist, wanted.title) if part)
        lines.append(
            ReportLine(
                number=wanted.line_number,
                named=named,
                file_name=wanted.original_filename,
                seconds=wanted.duration,
                song_id=match.song_id,
                song=names.get(match.song_id) if match.song_id is not None else None,
                song_url=f"{song_path}{match.song_id}" if match.song_id is not None else None,
                how=said(match.how),
                why_not=said(match.why_not),
            )
        )
    return lines
