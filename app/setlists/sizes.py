"""How long setlists are: songs and playing time, summed over their entries only."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.catalog import Song
from app.models.setlists import SetlistEntry


def song_duration():
    """Each entry's song's length, looked up by its key: a join lets PostgreSQL's planner
    hash the whole song table for a long setlist, a cost that grows with the catalog."""
    return select(Song.duration).where(Song.id == SetlistEntry.song_id).scalar_subquery()


def totals_of_many(session: Session, setlist_ids) -> dict[int, tuple[int, float]]:
    """(entries, seconds) of each given setlist (a page's, a few), in one statement; a
    setlist with no entries is missing from the answer."""
    if not setlist_ids:
        return {}
    rows = session.execute(
        select(
            SetlistEntry.setlist_id,
            func.count(SetlistEntry.id),
            func.coalesce(func.sum(song_duration()), 0.0),
        )
        .where(SetlistEntry.setlist_id.in_(list(setlist_ids)))
        .group_by(SetlistEntry.setlist_id)
    )
    return {setlist_id: (count, float(seconds)) for setlist_id, count, seconds in rows}
