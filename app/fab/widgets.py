"""FAB's list and show widgets as the catalog draws them: our pager, rows and phone layout."""

from flask import render_template_string
from flask_appbuilder.widgets import ListWidget, ShowWidget
from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _
from markupsafe import Markup

from app.fab.pager import Pager
from app.headers import csp_nonce

#: Rows per page a visitor may ask for (FAB would accept any `psize_...`).
MAX_PAGE_SIZE = 100


PAST_LAST_PAGE = _("There is no page %(asked)s: the list ends at page %(pages)s.")


class CatalogListWidget(ListWidget):
    """FAB's list table, rendered by a leaner template (see its comment), with pagers."""

    template = "setlist/widgets/list.html"

    def __init__(self, **kwargs):
        """FAB's arguments, plus the pager they make (page None: the first)."""
        page = kwargs.get("page") or 0
        kwargs["pager"] = Pager(
            kwargs["modelview_name"], page, kwargs["page_size"], kwargs["count"]
        )
        kwargs["actions_menu"] = actions_menu
        super().__init__(**kwargs)


#: FAB's "Actions" menu of a list (a button, the actions, a script calling them).
ACTIONS_MENU = (
    "{% import 'appbuilder/general/lib.html' as lib %}"
    "{{ lib.render_actions(actions, modelview_name) }}"
)
#: Stands for the request's CSP nonce in a cached menu.
NONCE = "\x00nonce\x00"
#: (view, actions, language) -> the menu's HTML with NONCE for the nonce.
actions_menus: dict[tuple, str] = {}


def actions_menu(actions: dict, modelview_name: str) -> Markup:
    """FAB's actions menu, rendered once per view, set of actions the user may run, and
    language (the macro cost a millisecond a page); only the nonce differs per request."""
    key = (modelview_name, tuple(actions), str(get_locale()))
    if key not in actions_menus:
        html = render_template_string(ACTIONS_MENU, actions=actions, modelview_name=modelview_name)
        actions_menus[key] = html.replace(csp_nonce(), NONCE)
    return Markup(actions_menus[key].replace(NONCE, csp_nonce()))  # noqa: S704 - rendered


def list_widget_args(view) -> dict:
    """What the lean list template needs beyond FAB's arguments."""
    return {
        "phone": view.phone_layout,
        "list_links": getattr(view, "list_links", ()),
        "exportable": False,
        #: Where the view's count stops (Recent changes: 10,000), so the list says "or more".
        "count_cap": getattr(view, "count_cap", None),
        "action_confirmations": {
            name: str(action.confirmation)
            for name, action in view.actions.items()
            if action.confirmation
        },
    }


def past_last_page(pager: Pager) -> dict[str, str]:
    """The numbers of the message for a page past the last."""
    return {"asked": format_decimal(pager.page + 1), "pages": format_decimal(pager.pages)}


class CatalogShowWidget(ShowWidget):
    """FAB's record page with a trail, readable empty values and Edit/Delete buttons."""

    template = "setlist/widgets/show.html"
