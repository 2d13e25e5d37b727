"""The change history on screen: a record's History (for those who may edit it), the admins'
"Recent changes" page across the catalog, filterable by user, kind and date, and each
editor's own changes ("My changes").

A change names its record by a link while the record exists and the viewer may see it;
files by their name and a short hash (the full one on hover); empty values in words.
Lists cost the same at any history size: the page is read by the id (or `at`, user_id)
index, the count stops at COUNT_CAP, and the records' existence is one query per kind
for the page's ids.
"""

import re

from flask import current_app, g
from flask_appbuilder import ModelView
from flask_appbuilder.models.sqla.filters import FilterEqualFunction
from flask_babel import lazy_gettext as _
from markupsafe import Markup
from sqlalchemy import select

from app.extensions import db
from app.fab.datamodels import CappedDataModel
from app.fab.list_links import id_url
from app.fab.request_filters import RequestFilters
from app.fab.table_rows import PhoneLayout
from app.fab.widgets import CatalogListWidget, list_widget_args
from app.models import Album, Author, Change, Song
from app.models.changes import ANONYMOUS_REQUEST, COMMAND_LINE
from app.web.pages import local_datetime

#: Words for kinds, actions and fields in the history.
HISTORY_LABELS = {
    "author": _("Author"),
    "album": _("Album"),
    "song": _("Song"),
    "setlist": _("Setlist"),
    "setlist_entry": _("Setlist entry"),
    "created": _("Created"),
    "updated": _("Changed"),
    "deleted": _("Deleted"),
    "name": _("Name"),
    "country": _("Country"),
    "biography": _("Biography"),
    "title": _("Title"),
    "release_year": _("Release year"),
    "track_number": _("Track"),
    "disc_number": _("Disc"),
    "rating": _("Rating"),
    "genre": _("Genre"),
    "year": _("Year"),
    "file": _("File"),
    "description": _("Description"),
    "visibility": _("Visibility"),
    "position": _("Position"),
    "note": _("Note"),
}
#: kind -> (model, its view): where a change's record is shown.
RECORDS = {
    "author": (Author, "AuthorModelView"),
    "album": (Album, "AlbumModelView"),
    "song": (Song, "SongModelView"),
}
#: A list counts matching changes up to this many (a whole-history count grows with it).
COUNT_CAP = 10_000
#: How many characters of a SHA-256 a file line shows (all 64 on hover).
SHORT_HASH = 12
FILE_HASH = re.compile(r"^(?P<name>.*) \(SHA-256 (?P<hash>[0-9a-f]{64})\)$", re.S)


def who(user_name: str) -> str:
    """The author of a change as the viewer's language says it."""
    if user_name == COMMAND_LINE:
        return str(_("command line"))
    if user_name.startswith(f"{ANONYMOUS_REQUEST} "):
        reference = user_name[len(ANONYMOUS_REQUEST) + 1 :]
        return str(_("anonymous request %(reference)s", reference=reference))
    return user_name


def field_value(field: str, value) -> Markup:
    """One value of a field, escaped; a file's hash shortened, whole in its title."""
    text = str(value)
    found = FILE_HASH.match(text) if field == "file" else None
    if not found:
        return Markup("“{}”").format(text)
    digest = found["hash"]
    return Markup('“{}” <code class="file-hash" title="SHA-256 {}">{}…</code>').format(
        found["name"], digest, digest[:SHORT_HASH]
    )


def change_line(field: str, before, after, action: str) -> Markup:
    """One field's change as a sentence: set to, cleared, or from → to (an empty text is
    no value, as the forms store it)."""
    before, after = (None if value == "" else value for value in (before, after))
    label = HISTORY_LABELS.get(field, field)
    head = Markup("<span class='change-field'>{}</span>").format(label)
    if action == "created" or before is None:
        words = _("%(field)s set to %(value)s", field=head, value=field_value(field, after))
    elif action == "deleted":
        words = _("%(field)s was %(value)s", field=head, value=field_value(field, before))
    elif after is None:
        words = _("%(field)s cleared (was %(value)s)", field=head,
                  value=Markup("<del>{}</del>").format(field_value(field, before)))  # fmt: skip
    else:
        return Markup("{}: <del>{}</del> → <ins>{}</ins>").format(
            head, field_value(field, before), field_value(field, after)
        )
    # Every part was escaped above; the sentence's own words are ours.
    return Markup(str(words))  # noqa: S704


def changed_fields(changes: dict, action: str = "updated") -> Markup:
    """Each changed field on a line of its own, every value escaped."""
    lines = (
        Markup("<li>{}</li>").format(change_line(field, before, after, action))
        for field, (before, after) in (changes or {}).items()
    )
    return Markup("<ul class='change-fields'>{}</ul>").format(Markup("").join(lines))


def visible_records(changes) -> set[tuple[str, int]]:
    """(kind, id) of the changes' records that exist and that the viewer may see."""
    found = set()
    for kind, (model, view) in RECORDS.items():
        ids = {change.record_id for change in changes if change.kind == kind}
        if ids and may_see(view):
            rows = db.session.scalars(select(model.id).where(model.id.in_(ids)))
            found.update((kind, row_id) for row_id in rows)
    return found


def may_see(view: str) -> bool:
    """Whether the viewer may open a record page of a view."""
    return current_app.appbuilder.sm.has_access("can_show", view)


def record_link(change: Change, visible: set[tuple[str, int]]) -> Markup:
    """The record's name, linking to its page when it exists and the viewer may see it."""
    if (change.kind, change.record_id) not in visible:
        return Markup("<span class='change-gone'>{}</span>").format(change.record_label)
    url = id_url(f"{RECORDS[change.kind][1]}.show")(change.record_id)
    return Markup('<a href="{}">{}</a>').format(url, change.record_label)


class ChangeDataModel(CappedDataModel):
    """Changes, a page at a time: counted up to COUNT_CAP, records linked when visible."""

    def query(self, filters=None, order_column="", order_direction="", page=None,
              page_size=None, select_columns=None, outer_default_load=False):  # fmt: skip
        """(matching changes up to COUNT_CAP, the requested page of them)."""
        count, _ = self.capped_count(filters, COUNT_CAP)
        if not count:
            return 0, []
        rows = self.apply_filters(self.session.query(self.obj), filters)
        rows, keys, direction = self.sort_keys(rows, order_column, order_direction)
        rows = rows.order_by(*(direction(key) for key in keys), direction(self.obj.id))
        return count, self.apply_pagination(rows, page, page_size).all()

    def get_values(self, lst, list_columns):
        """Each change's values, its record as a link when it may be followed."""
        changes = list(lst)
        visible = visible_records(changes)
        for change in changes:
            values = {column: self.value_of(change, column) for column in list_columns}
            values["record_label"] = record_link(change, visible)
            values["changes"] = changed_fields(change.changes, change.action)
            yield values


class ChangeModelView(RequestFilters, ModelView):
    """Recent changes across the catalog, newest first; read-only, admins only (no other
    role is given its permission), kept after the record or user is gone."""

    route_base = "/changes"
    datamodel = ChangeDataModel(Change)
    base_permissions = ["can_list"]
    list_title = _("Recent changes")
    list_columns = ["at", "user_name", "kind", "record_label", "action", "changes"]
    search_columns = ["user_name", "kind", "action", "at", "record_label"]
    # Indexed columns only: sorting a million changes by name would read them all.
    order_columns = ["at"]
    base_order = ("id", "desc")
    page_size = 50

    @property
    def count_cap(self) -> int:
        """Where the count stops: the pager says "of 10,000 or more", not "of 10,000"."""
        return COUNT_CAP

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
        "user_name": who,
        "kind": lambda kind: HISTORY_LABELS.get(kind, kind),
        "action": lambda action: HISTORY_LABELS.get(action, action),
    }


def signed_in_user_id() -> int | None:
    """The id of the user viewing the page (the filter of "My changes")."""
    user = g.get("user")
    return getattr(user, "id", None)


class MyChangesView(ChangeModelView):
    """The changes the signed-in user made, newest first (editors and admins)."""

    route_base = "/changes/mine"
    datamodel = ChangeDataModel(Change)
    list_title = _("My changes")
    list_columns = ["at", "kind", "record_label", "action", "changes"]
    search_columns = ["kind", "action", "at", "record_label"]
    # Read through the (user_id) index, newest first.
    base_filters = [["user_id", FilterEqualFunction, signed_in_user_id]]
