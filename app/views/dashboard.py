"""The home page's overview of the catalog: counts, newest and best-rated songs, three charts.

Each figure is one aggregate query. At 100,000 songs they take about 0.1 s together, so the
aggregates are kept for CATALOG_DASHBOARD_SECONDS per process; the song lists are index
scans read on every visit.
"""

import time
from dataclasses import dataclass

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Album, Author, Song

TOP = 10
NO_GENRE = _("No genre")


@dataclass(frozen=True)
class Chart:
    """A bar chart's data (static/js/dashboard.js draws it; a table says the same)."""

    title: str
    labels: list[str]
    values: list[int]

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


def catalog_figures() -> tuple[Totals, list[Chart]]:
    """The totals and charts, from the cache while it is fresh."""
    lifetime = current_app.config["CATALOG_DASHBOARD_SECONDS"]
    # Per language: the charts' titles and labels are translated text.
    cache = current_app.extensions.setdefault("catalog_figures", {})
    language = str(get_locale())
    cached = cache.get(language)
    if cached and lifetime and time.monotonic() - cached[0] < lifetime:
        return cached[1]
    figures = (read_totals(), [genres_chart(), decades_chart(), authors_chart()])
    cache[language] = (time.monotonic(), figures)
    return figures


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


def genres_chart() -> Chart:
    """Songs per genre, the most common first."""
    count = func.count().label("songs")
    rows = db.session.execute(
        select(Song.genre, count).group_by(Song.genre).order_by(count.desc()).limit(TOP)
    ).all()
    labels = [genre or str(NO_GENRE) for genre, _songs in rows]
    return Chart(str(_("Songs per genre")), labels, [songs for _genre, songs in rows])


def decades_chart() -> Chart:
    """Songs per decade of their year (or their album's release year), in time order."""
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
    labels = [str(_("%(decade)ds", decade=int(decade))) for decade, _songs in rows]
    return Chart(str(_("Songs per decade")), labels, [songs for _decade, songs in rows])


def authors_chart() -> Chart:
    """The authors with the most songs."""
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
