"""The home page's overview of the catalog: counts, newest and best-rated songs, three charts.

Aggregating every song costs most of a second at 1,000,000 songs, so the figures are
counters kept by every change (app/catalog_tallies.py), read on each visit: a few dozen
rows by index, whatever the catalog's size. The song lists are index scans (15 ms at 1M).
"""

from dataclasses import dataclass

from flask_babel import format_decimal, ngettext
from flask_babel import lazy_gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Album, Author, Song
from app.models.tallies import ALBUMS, AUTHOR, AUTHORS, DECADE, GENRE, TOTAL
from app.models.tallies import CatalogTally as Tally

TOP = 10


@dataclass(frozen=True)
class Chart:
    """A bar chart's data (static/js/dashboard.js draws it; a table says the same)."""

    title: str
    labels: list[str]
    values: list[int]
    #: Said instead of the chart when it has nothing worth drawing.
    empty: str = ""
    #: Said under the chart (songs left out of it).
    note: str = ""

    def as_json(self) -> dict:
        """What the chart script reads."""
        return {"labels": self.labels, "values": self.values, "title": self.title}


@dataclass(frozen=True)
class Totals:
    """How big the catalog is."""

    songs: int
    albums: int
    authors: int
    seconds: float
    stored_bytes: int


def music_duration(seconds: float) -> str:
    """A catalog's playing time in its two largest units: "18 s", "12 min", "3 h 5 min",
    "2 days 4 h" (numbers as the user's language writes them)."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return str(_("%(num)s s", num=format_decimal(seconds)))
    minutes = round(seconds / 60)
    if minutes < 60:
        return str(_("%(num)s min", num=format_decimal(minutes)))
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        parts = [_("%(num)s h", num=format_decimal(hours))]
        if minutes:
            parts.append(_("%(num)s min", num=format_decimal(minutes)))
    else:
        days, hours = divmod(hours, 24)
        parts = [ngettext("%(days)s day", "%(days)s days", days, days=format_decimal(days))]
        if hours:
            parts.append(_("%(num)s h", num=format_decimal(hours)))
    return " ".join(str(part) for part in parts)


def catalog_figures() -> tuple[Totals, list[Chart]]:
    """The totals and charts, read from the counters every change keeps (a few rows): a song
    added or deleted shows at once."""
    totals, genres, decades, authors = read_totals(), genre_rows(), decade_rows(), author_rows()
    return totals, [genres_chart(genres), decades_chart(decades), authors_chart(authors)]


def read_totals() -> Totals:
    """Counts, playing time and storage: three counter rows."""
    rows = db.session.execute(
        select(Tally.kind, Tally.amount, Tally.playing_ms, Tally.stored_bytes).where(
            Tally.kind.in_((TOTAL, ALBUMS, AUTHORS))
        )
    )
    kept = {kind: (amount, ms, size) for kind, amount, ms, size in rows}
    songs, ms, stored_bytes = kept.get(TOTAL, (0, 0, 0))
    albums, authors = kept.get(ALBUMS, (0,))[0], kept.get(AUTHORS, (0,))[0]
    return Totals(songs, albums, authors, ms / 1000, int(stored_bytes))


def top_tallies(kind: str, limit: int):
    """A SELECT of a kind's counters with songs, most first (ties by number, then label),
    the top index's order."""
    return (
        select(Tally)
        .where(Tally.kind == kind, Tally.amount > 0)
        .order_by(Tally.amount.desc(), Tally.number, Tally.label)
        .limit(limit)
    )


def genre_rows() -> list[tuple[str | None, int]]:
    """(genre or None, songs) of the most common genres, no genre among them."""
    rows = db.session.scalars(top_tallies(GENRE, TOP + 1))
    return [(row.label or None, row.amount) for row in rows]


def genres_chart(rows) -> Chart:
    """Songs per genre, the most common first; songs without one are counted in a note,
    not drawn as a bar that would dwarf the rest. Fewer than two genres make no chart."""
    without = sum(songs for name, songs in rows if name is None)
    named = [(name, songs) for name, songs in rows if name is not None][:TOP]
    note = ngettext("%(num)d song has no genre.", "%(num)d songs have no genre.", without)
    title = str(_("Songs per genre"))
    if len(named) < 2:
        empty = _("Give songs a genre, and this chart compares them.")
        return Chart(title, [], [], empty=str(empty), note=note if without else "")
    labels, values = [name for name, _songs in named], [songs for _name, songs in named]
    return Chart(title, labels, values, note=note if without else "")


def decade_rows() -> list[tuple[int, int]]:
    """(decade, songs) by the song's year or its album's release year, in time order."""
    rows = db.session.execute(
        select(Tally.number, Tally.amount)
        .where(Tally.kind == DECADE, Tally.amount > 0)
        .order_by(Tally.number)
    )
    return [(decade, songs) for decade, songs in rows]


def decades_chart(rows) -> Chart:
    """Songs per decade, in time order."""
    labels = [str(_("%(decade)ds", decade=int(decade))) for decade, _songs in rows]
    return Chart(str(_("Songs per decade")), labels, [songs for _decade, songs in rows])


def author_rows() -> list[tuple[str, int]]:
    """(name, songs) of the authors with the most songs."""
    top = top_tallies(AUTHOR, TOP).subquery()
    rows = db.session.execute(
        select(Author.name, top.c.amount)
        .join(top, top.c.number == Author.id)
        .order_by(top.c.amount.desc(), top.c.number)
    )
    return [tuple(row) for row in rows]


def authors_chart(rows) -> Chart:
    """The authors with the most songs."""
    labels, values = [name for name, _songs in rows], [songs for _name, songs in rows]
    return Chart(str(_("Authors with the most songs")), labels, values)


def newest_songs() -> list[Song]:
    """The songs added last (ids grow with every song added; the primary key needs no sort)."""
    return song_list(Song.id.desc())


def best_rated_songs() -> list[Song]:
    """The songs rated highest, newest first among equals (unrated ones never).

    Ordered like the (rating, id) index so the database reads ten rows, not every rated song.
    """
    return song_list(Song.rating.desc(), Song.id.desc(), rated_only=True)


def song_list(*order, rated_only: bool = False) -> list[Song]:
    """Up to TOP songs in an order, with their album and author for the page."""
    query = select(Song).options(joinedload(Song.album).joinedload(Album.author))
    if rated_only:
        query = query.where(Song.rating.is_not(None))
    return list(db.session.scalars(query.order_by(*order).limit(TOP)))
