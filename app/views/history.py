"""The change history on screen: a record's History (for those who may edit it) and the
admins' "Recent changes" page across the catalog, filterable by user, kind and date."""

from flask_appbuilder import ModelView
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _
from markupsafe import Markup

from app.models import Change
from app.views.base import CatalogListWidget, list_widget_args
from app.views.columns import local_datetime
from app.views.request_filters import RequestFilters
from app.views.rows import PhoneLayout

#: Words for kinds, actions and fields in the history.
HISTORY_LABELS = {
    "author": _("Author"),
    "album": _("Album"),
    "song": _("Song"),
    "created": _("Created"),
    "updated": _("Changed"),
    "deleted": _("Deleted"),
    "name": _("Name"),
    "country": _("Country"),
    "biography": _("Biography"),
    "title": _("Title"),
    "release_year": _("Release year"),
    "track_number": _("Track"),
    "rating": _("Rating"),
    "genre": _("Genre"),
    "year": _("Year"),
    "file": _("File"),
}


class ChangeModelView(RequestFilters, ModelView):
    """Recent changes across the catalog, newest first; read-only, admins only (no other
    role is given its permission), kept after the record or user is gone."""

    route_base = "/changes"
    datamodel = SQLAInterface(Change)
    base_permissions = ["can_list"]
    list_title = _("Recent changes")
    list_columns = ["at", "user_name", "kind", "record_label", "action", "changes"]
    search_columns = ["user_name", "kind", "action", "at", "record_label"]
    # Not by "changes": PostgreSQL cannot order JSON.
    order_columns = ["at", "user_name", "kind", "record_label", "action"]
    base_order = ("id", "desc")
    page_size = 50
    label_columns = {
        "at": _("When"),
        "user_name": _("Who"),
        "kind": _("Kind"),
        "record_label": _("Record"),
        "action": _("What"),
        "changes": _("Changes"),
    }
    list_widget = CatalogListWidget
    #: On phones each change is a card headed by the record's name.
    phone_layout = PhoneLayout(primary="record_label")

    def _get_list_widget(self, *args, **kwargs):
        """FAB's list in the catalog's lean template (cards on phones)."""
        widgets = super()._get_list_widget(*args, **kwargs)
        widgets["list"].template_args.update(list_widget_args(self))
        return widgets

    formatters_columns = {
        "at": local_datetime,
        "kind": lambda kind: HISTORY_LABELS.get(kind, kind),
        "action": lambda action: HISTORY_LABELS.get(action, action),
        "changes": lambda changes: changed_fields(changes),
    }


def changed_fields(changes: dict) -> Markup:
    """Each changed field as "Field: before → after", every value escaped."""
    lines = (
        Markup("<li><span class='change-field'>{}</span>: {} → {}</li>").format(
            HISTORY_LABELS.get(field, field),
            "—" if before is None else before,
            "—" if after is None else after,
        )
        for field, (before, after) in (changes or {}).items()
    )
    return Markup("<ul class='change-fields'>{}</ul>").format(Markup("").join(lines))
