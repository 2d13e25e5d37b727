"""Setlists' pages: the list, a setlist's page, new and edit forms (being built, issue 26)."""

from flask_appbuilder import AppBuilder, ModelView
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _

from app.models.setlists import Setlist
from app.security.roles import SETLIST_MENU


class SetlistModelView(ModelView):
    """Setlists people may see, and the forms to make and change their own."""

    route_base = "/setlists"
    datamodel = SQLAInterface(Setlist)
    list_columns = ["name", "updated_at"]


def register(appbuilder: AppBuilder) -> None:
    """Add the setlists' pages and their menu entry."""
    appbuilder.add_view(SetlistModelView, SETLIST_MENU, label=_("Setlists"), icon="fa-list-ol")
