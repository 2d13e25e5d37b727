"""A list of catalog rows the signed-in listener keeps something about (a heart, plays), built
on FAB's ModelView as the catalog's lists are: the same filters, pager, capped count and CSV
export, over the catalog's table joined to the user's own rows (their primary key starts
with the user, so the join reads one user's rows from an index, whatever the catalog's size).
"""

from flask import g, redirect, request, url_for
from flask_appbuilder import ModelView, expose, has_access
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.security.decorators import permission_name
from flask_login import current_user
from sqlalchemy import and_, asc, desc, func, select

from app.extensions import db
from app.fab.datamodels import CappedDataModel
from app.fab.pickers import CatalogSearchWidget
from app.fab.request_filters import RequestFilters
from app.fab.table_rows import PhoneLayout
from app.fab.widgets import CatalogListWidget, list_widget_args
from app.listening import plays
from app.views.editing.export import CsvExportMixin
from app.views.editing.history import signed_in_user_id
from app.views.listening.listener_marks import MINE_VIEW

#: Where a list's count stops ("of 10,000 or more").
COUNT_CAP = 10_000


class OwnRows(BaseFilter):
    """The lists' base filter: the catalog rows joined to the user's own rows about them.
    Its value is a function giving the user's id (base filters are built once per view)."""

    name = "kept by the signed-in user"
    arg_name = "own_rows"

    def apply(self, query, value):
        """Keep the rows the user keeps something about (and the own rows' condition)."""
        data = self.datamodel
        own = data.own
        query = query.join(own, and_(data.own_key == data.obj.id, own.user_id == value()))
        return query if data.kept is None else query.filter(data.kept)


class OwnRow:
    """An exported row: the catalog row's attributes, and the user's own row as `own`."""

    def __init__(self, item, own) -> None:
        self.item, self.own = item, own

    def __getattr__(self, name: str):
        return getattr(self.item, name)


class OwnRowsDataModel(CappedDataModel):
    """A catalog table's rows joined to the user's own rows (`own`, by `own_key`), sortable
    by the own rows' columns (`own_orders`: list column -> own column)."""

    count_cap = COUNT_CAP

    def __init__(self, obj, own, own_key, kept=None, own_orders=None, **options) -> None:
        super().__init__(obj, **options)
        self.own, self.own_key, self.kept = own, own_key, kept
        self.own_orders = own_orders or {}

    def query(self, filters=None, order_column="", order_direction="", page=None,
              page_size=None, select_columns=None, outer_default_load=False):  # fmt: skip
        """(the user's rows up to count_cap, the requested page): with no filter but the
        base one and an own column's order, counted and paged on the own table alone.

        Joined to the catalog's table, the count and the skipped rows each read a catalog row
        for nothing (own rows only exist for catalog rows): 11-50 ms a page at 5,000 plays,
        growing with the page number, where the own table's index alone takes about 1 ms."""
        own_column = self.own_orders.get(order_column)
        user_id = self.only_user(filters)
        if own_column is None or user_id is None:
            return super().query(filters, order_column, order_direction, page, page_size)
        direction = desc if order_direction == "desc" else asc
        mine = select(self.own_key.label("id"), own_column.label("sort_key"))
        mine = mine.where(self.own.user_id == user_id)
        if self.kept is not None:
            mine = mine.where(self.kept)
        counted = select(func.count()).select_from(mine.limit(self.count_cap).subquery())
        count = self.session.scalar(counted)
        if not count:
            return 0, []
        ordered = mine.order_by(direction(own_column), direction(self.own_key))
        if page_size:
            ordered = ordered.limit(page_size).offset((page or 0) * page_size)
        page_ids = ordered.subquery()
        rows = (
            select(self.obj)
            .join(page_ids, self.obj.id == page_ids.c.id)
            .order_by(direction(page_ids.c.sort_key), direction(page_ids.c.id))
            .options(*self.list_load)
        )
        return count, list(self.session.scalars(rows).unique())

    def only_user(self, filters) -> int | None:
        """The user's id when their own rows are all that is asked (no other filter)."""
        # Drops the filters left blank, as listing would (and refuses bad values the same way).
        self.apply_filters(self.session.query(self.obj.id), filters)
        if filters is None or len(filters.filters) != 1:
            return None
        only, value = filters.filters[0], filters.values[0]
        return value() if isinstance(only, OwnRows) else None

    def sort_keys(self, query, order_column: str, order_direction: str):
        """By an own column (the base filter joined it), else as the catalog sorts."""
        own_column = self.own_orders.get(order_column)
        if own_column is None:
            return super().sort_keys(query, order_column, order_direction)
        # Then by the own row's item: the order of the own table's (user, column, item)
        # index, which the database reads a page of without sorting the user's rows.
        return query, [own_column, self.own_key], desc if order_direction == "desc" else asc

    def all_rows(self, filters, order_column: str, order_direction: str, batch_rows: int):
        """Every matching row with the user's own row (already joined: no second join)."""
        rows = super().all_rows(filters, order_column, order_direction, batch_rows)
        return (OwnRow(item, own) for item, own in rows.add_entity(self.own))


def play_column(attribute: str, shown=str):
    """A column formatter: the user's plays of the song (`attribute` of SongPlay, as `shown`
    writes it); its `prefetch` reads a whole page's plays in one query."""

    def known() -> dict:
        return g.setdefault("listener_plays", {})

    def prefetch(rows) -> None:
        """Look up the user's plays of these songs at once (those not looked up already)."""
        ids = [row.id for row in rows if row is not None and row.id not in known()]
        if ids:
            found = plays.plays_of(db.session, current_user.id, ids)
            known().update({song_id: found.get(song_id) for song_id in ids})

    def value(row):
        """The song's play count or last played time ("" if never played)."""
        if row is None:
            return ""
        if row.id not in known():
            prefetch([row])
        play = known()[row.id]
        return "" if play is None else shown(getattr(play, attribute))

    value.prefetch = prefetch
    return value


def not_a_route(self, *args, **kwargs):
    """Not a route: defined without @expose, it hides FAB's route of the same name."""
    raise NotImplementedError


class OnlyListing:
    """FAB's routes other than the list, made no routes: these lists only list (each row
    links to its catalog page; a heart is taken back on the row)."""

    show = add = edit = delete = download = action = action_post = not_a_route


class MyListView(OnlyListing, RequestFilters, CsvExportMixin, ModelView):
    """One of the listener's own lists: read-only, the user's rows only, with the catalog's
    filters, pager and CSV export; permission: keeping one's own marks and plays."""

    class_permission_name = MINE_VIEW
    base_permissions = ["can_keep"]
    method_permission_name = {
        "list": "keep",
        "export_csv": "keep",
        "first": "keep",
        # FAB asks these to draw a row's buttons: permissions no role has, as no such routes.
        **{name: name for name in ("show", "add", "edit", "delete", "download", "action")},
    }
    base_filters = [["id", OwnRows, signed_in_user_id]]
    page_size = 25
    count_cap = COUNT_CAP
    list_widget = CatalogListWidget
    search_widget = CatalogSearchWidget
    list_template = "my_music/list.html"
    phone_layout = PhoneLayout()

    @expose("/")
    @has_access
    @permission_name("keep")
    def first(self):
        """The list's address in the menu: its first page (filters kept)."""
        query = request.query_string.decode("ascii", "replace")
        return redirect(url_for(f"{type(self).__name__}.list") + (f"?{query}" if query else ""))

    def _get_list_widget(self, *args, **kwargs):
        """FAB's list in the catalog's lean template (cards on phones), exportable."""
        widgets = super()._get_list_widget(*args, **kwargs)
        widgets["list"].template_args.update(list_widget_args(self), exportable=True)
        return widgets
