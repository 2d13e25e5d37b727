"""What every catalog ModelView shares."""

from flask_appbuilder import ModelView
from flask_appbuilder.widgets import ListWidget
from sqlalchemy import func, select

from app.extensions import db
from app.views.pickers import CatalogSearchWidget

#: Rows per page a visitor may ask for (FAB would accept any `psize_...`).
MAX_PAGE_SIZE = 100


class CatalogListWidget(ListWidget):
    """FAB's list table, rendered by a leaner template (see its comment)."""

    template = "setlist/widgets/list.html"


class CatalogModelView(ModelView):
    """A ModelView without FAB's generic download route.

    FAB's `/download/<filename>` serves any file in UPLOAD_FOLDER to anyone with
    `can_download` on the view; songs expose their own, per-row checked route.
    Defining `download` without `@expose` removes both the route and the permission.
    """

    page_size = 25
    list_widget = CatalogListWidget
    search_widget = CatalogSearchWidget
    #: (children's foreign key, message): rows that must be gone before this one may be
    #: deleted. Refusing, rather than cascading, means no child's file is left behind.
    delete_blocked_by: tuple | None = None

    def pre_delete(self, item) -> None:
        """Refuse to delete a row that still has children, saying what to do instead."""
        if self.delete_blocked_by is None:
            return
        foreign_key, message = self.delete_blocked_by
        children = db.session.scalar(select(func.count()).where(foreign_key == item.id))
        if children:
            # FAB shows the exception text as an error message (escaped).
            raise ValueError(str(message).format(name=item, count=children))

    def _get_list_widget(self, filters, order_column="", page=None, page_size=None, **kwargs):
        """FAB's list, sorted only by the view's sortable columns, at most MAX_PAGE_SIZE rows."""
        if order_column not in self.order_columns:
            order_column = ""
        page = max(page or 0, 0)
        page_size = min(max(page_size or self.page_size, 1), MAX_PAGE_SIZE)
        return super()._get_list_widget(
            filters, order_column=order_column, page=page, page_size=page_size, **kwargs
        )

    def get_redirect(self) -> str:
        """Back to where the user came from, else this view's list (not the home page)."""
        url = super().get_redirect()
        if url == self.appbuilder.get_url_for_index:
            return self.get_default_url()
        return url

    def download(self, *args, **kwargs):
        """Not a route: see the class docstring."""
        raise NotImplementedError
