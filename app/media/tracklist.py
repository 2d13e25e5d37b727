"""An album's running order: disc by disc, numbered tracks first, then the rest by title."""

from sqlalchemy import Select, select

from app.models.catalog import Song

#: ORDER BY for an album's songs: unnumbered discs and tracks go after the numbered ones
#: (a NULL sorts first on SQLite and last on PostgreSQL, so the flag makes both agree).
TRACK_ORDER = (
    Song.disc_number.is_(None),
    Song.disc_number,
    Song.track_number.is_(None),
    Song.track_number,
    Song.title,
    Song.id,
)


def album_tracks(album_id: int) -> Select:
    """The album's songs in running order (page it with .limit/.offset)."""
    return select(Song).where(Song.album_id == album_id).order_by(*TRACK_ORDER)
