"""FAB's Users and Roles lists in the catalog's list widget: cards on phones, pagers, and
cells that fit a screen (a role's permissions were one cell of every permission's name,
14,868 px wide on a phone)."""

from flask_babel import gettext, ngettext

from app.fab.table_rows import PhoneLayout
from app.fab.widgets import CatalogListWidget, list_widget_args


def permission_count(permissions) -> str:
    """A role's permissions on its list row: how many (its page lists them)."""
    return ngettext("%(num)d permission", "%(num)d permissions", len(permissions or ()))


def names(rows) -> str:
    """Related rows (a user's roles or groups) as their names, comma-separated."""
    return ", ".join(str(row) for row in rows or ())


def yes_or_no(value) -> str:
    """A flag as a word."""
    return gettext("Yes") if value else gettext("No")


class AdminListMixin:
    """A FAB admin list in CatalogListWidget; `list_formatters` apply to the list only (the
    record's page still shows every value in full)."""

    list_widget = CatalogListWidget
    phone_layout = PhoneLayout()
    list_formatters: dict = {}

    def _get_list_widget(self, *args, **kwargs):
        """FAB's list widget with what the catalog's list template needs."""
        widgets = super()._get_list_widget(*args, **kwargs)
        arguments = widgets["list"].template_args
        arguments.update(list_widget_args(self))
        arguments["formatters_columns"] = {**self.formatters_columns, **self.list_formatters}
        return widgets
