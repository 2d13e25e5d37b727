"""A list's page, page-size, sort and filter arguments, checked before any view reads them.

FAB parses `page_<View>` and `psize_<View>` with int() (text is a server error), takes any
page size, sorts its own views by any column (a user's password hash included) and looks
up `_flt_<n>_<column>` as the n-th filter of the column without checking there is one.
"""

from flask import Flask, abort, current_app, request
from flask_babel import lazy_gettext as _

from app.database import as_integer
from app.views.base import MAX_PAGE_SIZE
from app.views.links import FILTER_ARGUMENT

BAD_LIST_ARGUMENT = _("This list address is not valid: %(name)s=%(value)s.")


def views_by_name() -> dict:
    """The app's views by class name (the <View> in list arguments), found once."""
    if "views_by_name" not in current_app.extensions:
        current_app.extensions["views_by_name"] = {
            type(view).__name__: view for view in current_app.appbuilder.baseviews
        }
    return current_app.extensions["views_by_name"]


def list_argument_allowed(name: str, value: str) -> bool:
    """Whether one query argument is a page, page size or sort a list may be asked for."""
    number = as_integer(value)
    if name.startswith("page_"):
        return number is not None and number >= 0
    if name.startswith("psize_"):
        return number is not None and 1 <= number <= MAX_PAGE_SIZE
    if name.startswith("_oc_"):
        view = views_by_name().get(name.removeprefix("_oc_"))
        return view is None or value in getattr(view, "order_columns", ())
    if match := FILTER_ARGUMENT.fullmatch(name):
        view = views_by_name().get((request.endpoint or "").split(".")[0])
        filters = getattr(view, "_filters", None)
        offered = filters.get_search_filters().get(match[2]) if filters else None
        return offered is None or int(match[1]) < len(offered)
    return True


def check_list_arguments() -> None:
    """Answer 400 (with the argument named) before a view meets a bad list argument."""
    for name, value in request.args.items(multi=True):
        if not list_argument_allowed(name, value):
            abort(400, description=str(BAD_LIST_ARGUMENT % {"name": name, "value": value}))


def check_record_id() -> None:
    """Answer 404 for a record id no row can have, in the address or as `?pk=`.

    FAB's own views (users, roles, groups, registrations, an admin's password form) pass
    the id to the database as it came: one past INTEGER's range was a server error.
    """
    ids = [(request.view_args or {}).get("pk"), request.args.get("pk")]
    if any(pk is not None and as_integer(pk) is None for pk in ids):
        abort(404)


def register_list_argument_checks(app: Flask) -> None:
    """Check list arguments and record ids on every request."""
    app.before_request(check_list_arguments)
    app.before_request(check_record_id)
