"""What every catalog ModelView shares."""

from flask import flash, g, has_app_context, redirect, url_for
from flask_appbuilder import ModelView
from flask_appbuilder.urltools import (
    get_filter_args,
    get_order_args,
    get_page_args,
    get_page_size_args,
)
from sqlalchemy import func, select

from app.change_recording import record_history
from app.extensions import db
from app.fab.pager import Pager
from app.fab.pickers import CatalogSearchWidget
from app.fab.request_filters import RequestFilters
from app.fab.table_rows import PhoneLayout
from app.fab.widgets import (
    MAX_PAGE_SIZE,
    PAST_LAST_PAGE,
    CatalogListWidget,
    CatalogShowWidget,
    list_widget_args,
    past_last_page,
)
from app.views.editing.bulk import BulkChangeMixin, BulkDeleteMixin
from app.views.editing.export import CsvExportMixin
from app.views.site.navigation import breadcrumbs


class CatalogModelView(RequestFilters, BulkChangeMixin, BulkDeleteMixin, CsvExportMixin, ModelView):
    """A ModelView that says what it did and goes where the user expects afterwards.

    FAB's `/download/<filename>` serves any file in UPLOAD_FOLDER to anyone with
    `can_download` on the view; songs expose their own, per-row checked route.
    Defining `download` without `@expose` removes both the route and the permission.

    FAB sends the user back through a page history kept in the session, shared by every
    tab and rewritten on every page: a refused delete could land on an unrelated edit form.
    Here each outcome has its own page (see the post_*_redirect methods).
    """

    page_size = 25
    list_widget = CatalogListWidget
    show_widget = CatalogShowWidget
    show_template = "setlist/show.html"
    list_template = "setlist/list.html"
    #: (related view class name, (column, direction)): how a record page orders a related
    #: list when the visitor has not chosen (an album's songs: by track).
    related_orders: dict = {}
    #: How list rows become cards on phones: heading column, columns left out.
    phone_layout = PhoneLayout()
    #: (endpoint, label, icon) of buttons beside "add" on the list, for those who may add.
    list_links: tuple = ()
    search_widget = CatalogSearchWidget
    #: (children's foreign key, message): rows that must be gone before this one may be
    #: deleted. Refusing, rather than cascading, means no child's file is left behind.
    delete_blocked_by: tuple | None = None
    #: Flash messages naming the row, e.g. _("Song “%(name)s” added."): set by each view.
    added_message = saved_message = deleted_message = None

    @property
    def add_row_message(self) -> str:
        """What FAB flashes after an add."""
        return self.about_the_row(self.added_message)

    @property
    def edit_row_message(self) -> str:
        """What FAB flashes after an edit."""
        return self.about_the_row(self.saved_message)

    @property
    def delete_row_message(self) -> str:
        """What FAB flashes after a delete."""
        return self.about_the_row(self.deleted_message)

    @staticmethod
    def about_the_row(message) -> str:
        """A message with the name of the row just changed (plain text: escaped when shown).

        FAB also reads these properties when it builds the view, with no row at hand.
        """
        row = g.get("changed_row") if has_app_context() else None
        return message if row is None else str(message) % {"name": row}

    def post_add(self, item) -> None:
        """Remember the new row for its message and the page after saving."""
        g.changed_row = item

    def post_update(self, item) -> None:
        """Remember the saved row for its message and the page after saving."""
        g.changed_row = item

    def post_delete(self, item) -> None:
        """Remember the deleted row for its message."""
        g.changed_row, g.deleted = item, True

    def update_redirect(self) -> None:
        """Keep no page history in the session (see the class docstring)."""

    def post_add_redirect(self):
        """After adding: the new row's page (the list if nothing was added)."""
        return redirect(self.row_page(g.get("changed_row")))

    def post_edit_redirect(self):
        """After saving: the row's page."""
        return redirect(self.row_page(g.get("changed_row")))

    def post_delete_redirect(self):
        """After a delete: the list; a refused delete goes back to the row, message and all."""
        return redirect(self.row_page(None if g.get("deleted") else g.get("deleting")))

    def row_page(self, item) -> str:
        """The show page of a row, or the list when there is none."""
        if item is None:
            return self.get_default_url()
        return url_for(f"{type(self).__name__}.show", pk=item.id)

    def pre_delete(self, item) -> None:
        """Refuse to delete a row that still has children, saying what to do instead."""
        g.deleting = item
        refusal = self.delete_refusal(item)
        if refusal:
            # FAB shows the exception text as an error message (escaped).
            raise ValueError(refusal)

    def delete_refusal(self, item) -> str | None:
        """Why a row may not be deleted (it still has children, counted by the database)."""
        if self.delete_blocked_by is None:
            return None
        foreign_key, message = self.delete_blocked_by
        children = db.session.scalar(select(func.count()).where(foreign_key == item.id))
        return str(message).format(name=item, count=children) if children else None

    def _get_list_widget(self, filters, order_column="", page=None, page_size=None, **kwargs):
        """FAB's list, sorted only by the view's sortable columns, at most MAX_PAGE_SIZE rows."""
        if order_column not in self.order_columns:
            order_column = ""
        page = max(page or 0, 0)
        page_size = min(max(page_size or self.page_size, 1), MAX_PAGE_SIZE)
        widgets = super()._get_list_widget(
            filters, order_column=order_column, page=page, page_size=page_size, **kwargs
        )
        count = widgets["list"].template_args["count"]
        if count and page * page_size >= count:
            # Past the end (a jump too far, the last rows just deleted): no rows, as FAB
            # answers (exports and scripts page until a page is empty), and why, with the
            # pager and its jump box to go back.
            pager = Pager(type(self).__name__, page, page_size, count)
            flash(str(PAST_LAST_PAGE % past_last_page(pager)), "warning")
        widgets["list"].template_args.update(list_widget_args(self), exportable=True)
        return widgets

    def _list(self, **kwargs):
        """FAB's list, handing the search widget its form's class: an unfiltered page needs
        no form (CatalogSearchWidget keeps its HTML per view and language)."""
        name = type(self).__name__
        order_column, order_direction = get_order_args().get(name, ("", ""))
        get_filter_args(self._filters)
        widgets = self._get_list_widget(
            filters=self._filters,
            order_column=order_column,
            order_direction=order_direction,
            page=get_page_args().get(name),
            page_size=get_page_size_args().get(name),
            **kwargs,
        )
        return self._get_search_widget(form=self.search_form, widgets=widgets)

    def get_redirect(self) -> str:
        """Where FAB goes back to (after actions, refused requests): the view's list."""
        return self.get_default_url()

    def _get_show_widget(self, pk, item, widgets=None, actions=None, show_fieldsets=None):
        """FAB's record page, told what the user may do and the trail above the record."""
        widgets = super()._get_show_widget(pk, item, widgets, actions, show_fieldsets)
        has_access = self.appbuilder.sm.has_access
        can_edit = has_access("can_edit", self.class_permission_name)
        widgets["show"].template_args.update(
            can_edit=can_edit,
            can_delete=has_access("can_delete", self.class_permission_name),
            trail=breadcrumbs(*self.trail(item)),
            # Who changed what is for those who may change it too.
            history=record_history(item) if can_edit else None,
        )
        return widgets

    def trail(self, item) -> list[tuple[str, str | None]]:
        """(label, url) of the pages above a record, ending with the record itself."""
        return [(str(self.list_title), self.get_default_url()), (str(item), None)]

    def _get_related_view_widget(self, item, related_view, order_column="", *args, **kwargs):
        """A related list on a record's page, in the view's chosen order by default."""
        if not order_column and type(related_view).__name__ in self.related_orders:
            order_column, direction = self.related_orders[type(related_view).__name__]
            args = (direction, *args[1:])
        return super()._get_related_view_widget(item, related_view, order_column, *args, **kwargs)

    def download(self, *args, **kwargs):
        """Not a route: see the class docstring."""
        raise NotImplementedError
