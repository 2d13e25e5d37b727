"""The listener's own lists as pages: My favourites (songs, albums, authors), Recently played
and Most played, 25 rows a page, paged by key (?after=) along their indexes."""

from datetime import datetime

from flask import abort, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _
from flask_login import current_user

from app.extensions import db
from app.listening import marks, plays
from app.views.listening.listener_marks import MINE_VIEW
from app.views.listening.mark_column import mark_controls

PAGE = 25
TITLES = {
    "song": _("My favourite songs"),
    "album": _("My favourite albums"),
    "author": _("My favourite authors"),
    "recent": _("Recently played"),
    "most": _("Most played"),
}
BAD_PAGE = _("That page address is not one of this list's: start from its first page.")


def after_key(kind: str):
    """The (time or count, id) the previous page ended at, from ?after=; None for page 1."""
    raw = request.args.get("after")
    if raw is None:
        return None
    first, _sep, last = raw[:80].rpartition("~")
    try:
        start = int(first) if kind == "most" else datetime.fromisoformat(first)
        row_id = int(last)
    except ValueError:
        abort(400, description=str(BAD_PAGE))
    return start, row_id


def key_of(kind: str, row) -> str:
    """The ?after= value of a page ending with this row."""
    item, extra = row
    if kind == "most":
        return f"{extra.play_count}~{item.id}"
    moment = extra.last_played_at if kind == "recent" else extra
    return f"{moment.isoformat()}~{item.id}"


def page_rows(kind: str, after) -> list:
    """One page (plus one row, to know whether another follows) of the user's list."""
    user_id = current_user.id
    if kind == "recent":
        return plays.recently_played(db.session, user_id, PAGE + 1, after)
    if kind == "most":
        return plays.most_played(db.session, user_id, PAGE + 1, after)
    return marks.favourites(db.session, user_id, kind, PAGE + 1, after)


class MyMusicView(BaseView):
    """The signed-in listener's favourites and plays, each a list page of its own."""

    route_base = "/my"
    class_permission_name = MINE_VIEW
    method_permission_name = {"favourites": "keep", "recent": "keep", "most": "keep"}
    base_permissions = ["can_keep"]

    def list_page(self, rows_of: str, endpoint: str, **values):
        """A page of one of the lists (`rows_of`: a kind of favourite, recent or most), with a
        link to the next page when there is one."""
        kind = rows_of
        after = after_key(kind)
        rows = page_rows(kind, after)
        more = len(rows) > PAGE
        rows = rows[:PAGE]
        controls = mark_controls("song" if kind in ("recent", "most") else kind)
        controls.prefetch([item for item, _extra in rows])  # the page's hearts in one query
        next_url = url_for(endpoint, after=key_of(kind, rows[-1]), **values) if more else None
        return self.render_template(
            "listening/my_list.html",
            title=TITLES[kind],
            kind=kind,
            rows=rows,
            controls=controls,
            next_url=next_url,
            first_url=url_for(endpoint, **values) if after else None,
        )

    @expose("/favourites/<kind>/")
    @has_access
    @permission_name("keep")
    def favourites(self, kind: str):
        """My favourite songs, albums or authors, the last starred first."""
        if kind not in marks.KINDS:
            abort(404)
        return self.list_page(kind, "MyMusicView.favourites", kind=kind)

    @expose("/recent/")
    @has_access
    @permission_name("keep")
    def recent(self):
        """My songs, the last played first."""
        return self.list_page("recent", "MyMusicView.recent")

    @expose("/most/")
    @has_access
    @permission_name("keep")
    def most(self):
        """My songs, the most played first."""
        return self.list_page("most", "MyMusicView.most")


def register_my_music(appbuilder) -> None:
    """The lists' pages and their menu: My music > My favourites, Recently played, Most played."""
    appbuilder.add_view_no_menu(MyMusicView())
    links = (
        ("My favourites", "/my/favourites/song/", _("My favourites"), "fa-heart"),
        ("Recently played", "/my/recent/", _("Recently played"), "fa-clock-o"),
        ("Most played", "/my/most/", _("Most played"), "fa-bar-chart"),
    )
    for name, href, label, icon in links:
        appbuilder.add_link(
            name,
            href=href,
            label=label,
            icon=icon,
            category="My music",
            category_label=_("My music"),
            category_icon="fa-headphones",
        )
