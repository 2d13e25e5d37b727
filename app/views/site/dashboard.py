"""The home page's overview of the catalog: counts, newest and best-rated songs, three charts.

Each figure is one aggregate query. At 100,000 songs they take about 0.1 s together; at
1,000,000 on PostgreSQL 2.2 s (totals 0.36 s, genres 0.37 s, decades 0.73 s, authors 0.75 s),
so they are kept for CATALOG_DASHBOARD_SECONDS per process, once for every language; the
song lists are index scans (15 ms at 1M) read on every visit.
"""

import time
from dataclasses import dataclass

from flask import current_app
from flask_babel import format_decimal, ngettext
from flask_babel import lazy_gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Album, Author, Song

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
    """The totals and charts, from figures kept CATALOG_DASHBOARD_SECONDS per process.

    The figures are numbers and names, the same in every language: they are kept once,
    and each visit words them in its own language.
    """
    lifetime = current_app.config["CATALOG_DASHBOARD_SECONDS"]
    cache = current_app.extensions.setdefault("catalog_figures", {})
    kept = cache.get("figures")
    if not (kept and lifetime and time.monotonic() - kept[0] < lifetime):
        kept = (time.monotonic(), (read_totals(), genre_rows(), decade_rows(), author_rows()))
        cache["figures"] = kept
    totals, genres, decades, authors = kept[1]
    return totals, [genres_chart(genres), decades_chart(decades), authors_chart(authors)]


def read_totals() -> Totals:
    """Counts, playing time and storage: one aggregate per table."""
    playing_time = func.coalesce(func.sum(Song.duration), 0.0)
    stored = func.coalesce(func.sum(Song.file_size), 0)
    songs, seconds, stored_bytes = db.session.execute(
        select(func.count(), playing_time, stored).select_from(Song)
    ).one()
    albums = db.session.scalar(select(func.count()).select_from(Album))
    authors = db.session.scalar(select(func.count()).select_from(Author))
    return Totals(songs, albums, authors, float(seconds), int(stored_bytes))


def genre_rows() -> list[tuple[str | None, int]]:
    """(genre or None, songs) of the most common genres, no genre among them."""
    count = func.count().label("songs")
    genre = func.nullif(Song.genre, "")  # an empty genre is no genre, as the forms store it
    query = select(genre, count).group_by(genre).order_by(count.desc()).limit(TOP + 1)
    return [tuple(row) for row in db.session.execute(query)]


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
    year = func.coalesce(Song.year, Album.release_year)
    # year - year % 10: whole numbers on both databases (SQLAlchemy's / divides exactly).
    decade = (year - year % 10).label("decade")
    rows = db.session.execute(
        select(decade, func.count())
        .select_from(Song)
        .join(Album, Song.album_id == Album.id)
        .where(year.is_not(None))
        .group_by(decade)
        .order_by(decade)
    ).all()
    return [(int(decade), songs) for decade, songs in rows]


def decades_chart(rows) -> Chart:
    """Songs per decade, in time order."""
    labels = [str(_("%(decade)ds", decade=int(decade))) for decade, _songs in rows]
    return Chart(str(_("Songs per decade")), labels, [songs for _decade, songs in rows])


def author_rows() -> list[tuple[str, int]]:
    """(name, songs) of the authors with the most songs."""
    count = func.count().label("songs")
    top = (
        select(Album.author_id, count)
        .join(Song, Song.album_id == Album.id)
        .group_by(Album.author_id)
        .order_by(count.desc(), Album.author_id)
        .limit(TOP)
        .subquery()
    )
    rows = db.session.execute(
        select(Author.name, top.c.songs)
        .join(top, top.c.author_id == Author.id)
        .order_by(top.c.songs.desc(), Author.id)
    ).all()
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
