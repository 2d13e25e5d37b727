"""The setlists' list page: which rows a person sees (per request, by the rules), the tabs
"Mine" / "Catalog" / "All", and the columns computed for the rows of one page."""

from flask import g, request
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _
from markupsafe import Markup

from app.fab.datamodels import CappedDataModel
from app.fab.list_links import id_url
from app.media.audio import format_duration
from app.models import Setlist
from app.security.setlist_access import Actor, current_actor
from app.setlists import rules
from app.views.catalog.columns import translated

#: Where a list's count stops ("of 10,000 or more"): no request counts every setlist.
COUNT_CAP = 10_000

VISIBILITY_LABELS = {
    "private": _("Private"),
    "link": _("Shared by link"),
    "catalog": _("Catalog"),
}
#: An admin looking at someone else's private setlist (moderation) is told so.
PRIVATE_OF = _("Private setlist of %(owner)s")

#: The list's tabs: (argument value, label); "all" only for admins.
TABS = (("mine", _("Mine")), ("catalog", _("Catalog")), ("all", _("All")))


def actor() -> Actor:
    """The request's actor, built once per request (it asks the permissions)."""
    if "setlist_actor" not in g:
        g.setlist_actor = current_actor()
    return g.setlist_actor


def tabs_for(person: Actor) -> list[str]:
    """The tabs a person is offered: visitors only the catalog, admins also "All"."""
    if person.user_id is None:
        return ["catalog"]
    return ["mine", "catalog", "all"] if person.is_admin else ["mine", "catalog"]


def current_tab() -> str:
    """The tab asked for in the address (?tab=...), if offered; else the first offered."""
    offered = tabs_for(actor())
    asked = request.args.get("tab")
    return asked if asked in offered else offered[0]


def shown_setlists():
    """The WHERE clause of the list: what the rules let the actor see, narrowed by the tab."""
    person = actor()
    tab = current_tab()
    if tab == "mine":  # a person sees all their own (visitors get no "mine" tab)
        return Setlist.owner_id == person.user_id
    if tab == "catalog":
        return rules.in_catalog_filter(person.is_admin, person.may_browse)
    return rules.visible_filter(*person.as_viewer())


class ShownToActor(BaseFilter):
    """The list's base filter: its value is a function giving the clause for this request
    (FAB builds base filters once per view; who is asking changes with every request)."""

    name = "shown to the actor"
    arg_name = "setlist_shown"

    def apply(self, query, value):
        """Keep only the setlists this request's actor may see in the current tab."""
        return query.filter(value())


def owner_name(user) -> str:
    """How a setlist's owner is named on its pages: full name, else the username."""
    if user is None:
        return ""
    full = f"{user.first_name or ''} {user.last_name or ''}".strip()
    return full or user.username


def visibility_badge(setlist: Setlist, person: Actor) -> Markup:
    """The visibility as a label; someone else's private setlist (admins) said plainly."""
    if setlist.visibility == "private" and setlist.owner_id != person.user_id:
        text = translated(PRIVATE_OF) % {"owner": owner_name(setlist.owner)}
        css = "setlist-badge setlist-badge-moderation"
    else:
        label = VISIBILITY_LABELS.get(setlist.visibility, VISIBILITY_LABELS["private"])
        text, css = translated(label), f"setlist-badge setlist-badge-{setlist.visibility}"
    return Markup('<span class="{}">{}</span>').format(css, text)


def name_link(setlist: Setlist) -> Markup:
    """The setlist's name linking to its page."""
    url = id_url("SetlistModelView.show")(setlist.id)
    return Markup('<a href="{}">{}</a>').format(url, setlist.name)


class SetlistDataModel(CappedDataModel):
    """Setlists for the list page: counted up to COUNT_CAP, a page of ids in order, then
    those rows with their owners (each row keeps its own entry count and playing time)."""

    count_cap = COUNT_CAP

    def get_values(self, lst, list_columns):
        """Each row's values, with its entries and playing time."""
        rows = list(lst)
        person = actor()
        for row in rows:
            values = {
                column: self.value_of(row, column, self.list_computed) for column in list_columns
            }
            count, seconds = row.totals
            values["entry_count"] = format_decimal(count)
            values["playing_time"] = format_duration(seconds) if count else ""
            values["visibility"] = visibility_badge(row, person)
            yield values
