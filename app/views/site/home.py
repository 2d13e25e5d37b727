"""The landing page and one-message pages."""

from dataclasses import dataclass

from flask_appbuilder import IndexView, expose
from flask_login import current_user
from sqlalchemy import and_, select

from app.extensions import db
from app.listening import plays
from app.models.setlists import Setlist
from app.security.setlist_access import Actor, current_actor
from app.setlists.rules import visible_filter
from app.views.site.dashboard import best_rated_songs, catalog_figures, music_duration, newest_songs

#: Setlists shown in each of the home page's two lists.
HOME_SETLISTS = 6
#: Songs in each of the listener's own two lists (recently and most played).
HOME_PLAYS = 5


@dataclass(frozen=True)
class SetlistRow:
    """A setlist on the home page with its size (count and playing time)."""

    setlist: Setlist
    entries: int
    playing_time: str


@dataclass(frozen=True)
class HomeSetlists:
    """The home page's setlists: the person's own and the catalog's newest (None: not shown)."""

    mine: list[SetlistRow] | None
    catalog: list[SetlistRow] | None


def newest_first(*conditions) -> list[Setlist]:
    """Up to HOME_SETLISTS setlists meeting the conditions, last changed first: an index's
    tail ((owner_id | visibility), updated_at, id), never a scan of all setlists."""
    query = (
        select(Setlist)
        .where(*conditions)
        .order_by(Setlist.updated_at.desc(), Setlist.id.desc())
        .limit(HOME_SETLISTS)
    )
    return list(db.session.scalars(query))


def sizes(setlists: list[Setlist]) -> dict[int, tuple[int, float]]:
    """(entries, seconds) of the setlists shown, as kept on their rows."""
    return {setlist.id: setlist.totals for setlist in setlists}


def home_setlists(actor: Actor) -> HomeSetlists:
    """The person's own setlists and the catalog's newest, each only for who may see them."""
    if not actor.may_browse and not actor.is_admin:
        return HomeSetlists(None, None)
    seen = visible_filter(*actor.as_viewer())
    mine = None
    if actor.user_id is not None:
        mine = newest_first(and_(Setlist.owner_id == actor.user_id, seen))
    catalog = newest_first(and_(Setlist.visibility == "catalog", seen))
    counted = sizes((mine or []) + catalog)

    def rows(setlists):
        return [
            SetlistRow(setlist, *_size(counted.get(setlist.id, (0, 0.0)))) for setlist in setlists
        ]

    return HomeSetlists(None if mine is None else rows(mine), rows(catalog))


def _size(size: tuple[int, float]) -> tuple[int, str]:
    """(entries, playing time in words)."""
    return size[0], music_duration(size[1])


def my_plays(sm) -> dict | None:
    """The signed-in listener's recently and most played songs, a few of each, read along
    their indexes (None: not shown, for visitors and accounts that keep no plays)."""
    if not current_user.is_authenticated or not sm.has_access("can_keep", "ListenerDataView"):
        return None
    user_id = current_user.id
    recent = plays.recently_played(db.session, user_id, HOME_PLAYS)
    most = plays.most_played(db.session, user_id, HOME_PLAYS)
    return {"recent": [song for song, _play in recent], "most": [song for song, _play in most]}


class HomeView(IndexView):
    """The landing page: an overview of the catalog for those who may browse it."""

    index_template = "index.html"

    @expose("/")
    def index(self):
        """The overview, or what Setlist is and how to get in."""
        browsing = self.appbuilder.sm.has_access("can_list", "SongModelView")
        overview = None
        if browsing:
            totals, charts = catalog_figures()
            overview = {
                "totals": totals,
                "playing_time": music_duration(totals.seconds),
                "charts": charts,
                "newest": newest_songs(),
                "best": best_rated_songs(),
            }
        return self.render_template(
            self.index_template,
            appbuilder=self.appbuilder,
            overview=overview,
            setlists=home_setlists(current_actor()),
            my_plays=my_plays(self.appbuilder.sm) if browsing else None,
        )
