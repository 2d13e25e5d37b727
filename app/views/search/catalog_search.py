"""GET /search/?q=&limit= across the catalog, and the choices behind the related-row pickers."""

from flask import abort, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.utils.limit import Limit
from flask_babel import lazy_gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from app.extensions import db
from app.fab.kinds import KINDS, PICKABLE
from app.search.keys import search_key
from app.security.throttling import configured
from app.web.json_answers import answers_json, json_error

SEARCH_LIMIT_DEFAULT, SEARCH_LIMIT_MAX = 10, 50
CHOICES_PER_PAGE, CHOICES_MAX_PAGE = 20, 500
#: Longer text is no name or title (titles have at most 200 characters).
MAX_QUERY_LENGTH = 200


KIND_TITLES = {"authors": _("Authors"), "albums": _("Albums"), "songs": _("Songs")}


class BadArgument(Exception):
    """A query-string argument out of its bounds; answered with 400 and a JSON error."""

    def __init__(self, name: str, message) -> None:
        super().__init__(name)
        self.name, self.message = name, message


def bounded_number(name: str, default: int, highest: int) -> int:
    """A whole number from 1 to `highest` in the query string (default when absent)."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= highest:
        return int(raw)
    raise BadArgument(name, _("Use a whole number from 1 to %(highest)d.", highest=highest))


def refused():
    """401 for visitors who may log in, 403 for users whose roles do not allow it."""
    if current_user.is_authenticated:
        return json_error(403, _("Your account may not search the catalog."))
    return json_error(401, _("Log in to search the catalog."))


def query_text() -> str:
    """The text to search for (`q`), refused when longer than any name or title."""
    text = request.args.get("q", "")
    if len(text) > MAX_QUERY_LENGTH:
        raise BadArgument(
            "q", _("Search for at most %(count)d characters.", count=MAX_QUERY_LENGTH)
        )
    return text


class CatalogSearchView(BaseView):
    """JSON search over authors, albums and songs, within what the user may browse."""

    route_base = "/search"
    default_view = "search"
    limits = [Limit(configured("RATELIMIT_SEARCH"), key_func=get_remote_address)]

    @expose("/")
    @answers_json
    def search(self):
        """Authors, albums and songs matching `q`, each group best match first."""
        visible = [name for name, kind in KINDS.items() if kind.visible()]
        if not visible:
            return refused()
        try:
            text = query_text()
            limit = bounded_number("limit", SEARCH_LIMIT_DEFAULT, SEARCH_LIMIT_MAX)
        except BadArgument as bad:
            return json_error(400, bad.message, {bad.name: [bad.message]})
        results = {name: [] for name in KINDS}
        if search_key(text):
            for name in visible:
                kind = KINDS[name]
                rows = kind.matcher.find(db.session, text, offset=0, limit=limit)
                results[name] = [kind.describe(row) for row in rows]
        return jsonify({"q": text, **results})

    @expose("/results")
    def results(self):
        """The full results page the navbar's search box opens on Enter."""
        visible = [name for name, kind in KINDS.items() if kind.visible()]
        if not visible:
            if current_user.is_authenticated:
                abort(403)
            return redirect(url_for(f"{type(self.appbuilder.sm.auth_view).__name__}.login"))
        try:
            text = query_text()
        except BadArgument as bad:
            abort(400, description=str(bad.message))
        groups = []
        if search_key(text):
            for name in visible:
                kind = KINDS[name]
                rows = kind.matcher.find(db.session, text, offset=0, limit=SEARCH_LIMIT_MAX)
                groups.append((KIND_TITLES[name], [kind.describe(row) for row in rows]))
        title = _("Search results for “%(text)s”", text=text) if text else _("Search")
        return self.render_template(
            "setlist/search_results.html", title=str(title), q=text, groups=groups
        )

    @expose("/<kind>/choices")
    @answers_json
    def choices(self, kind: str):
        """One page of rows to pick (as "Title (Author)"), best match first; all when q is empty."""
        if kind not in PICKABLE:
            return json_error(404, _("Nothing to choose from here."))
        if not KINDS[kind].visible():
            return refused()
        try:
            text = query_text()
            page = bounded_number("page", 1, CHOICES_MAX_PAGE)
        except BadArgument as bad:
            return json_error(400, bad.message, {bad.name: [bad.message]})
        offset = (page - 1) * CHOICES_PER_PAGE
        rows = KINDS[kind].matcher.find(db.session, text, offset, CHOICES_PER_PAGE + 1)
        return jsonify(
            {
                "results": [{"id": row.id, "label": str(row)} for row in rows[:CHOICES_PER_PAGE]],
                "more": len(rows) > CHOICES_PER_PAGE,
            }
        )
