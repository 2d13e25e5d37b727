"""A list's page, page-size, sort and filter arguments, checked before any view reads them.

FAB parses `page_<View>` and `psize_<View>` with int() (text is a server error), takes any
page size, sorts its own views by any column (a user's password hash included) and looks
up `_flt_<n>_<column>` as the n-th filter of the column without checking there is one.
It finds these markers anywhere in a name (`xpage_<View>`, `x_oc_<View>`): the check reads
every name the same way, so whatever FAB would act on has been checked first.
"""

import re
from collections.abc import Iterator

from flask import Flask, abort, current_app, request
from flask_babel import lazy_gettext as _

from app.database import as_integer
from app.views.base import MAX_PAGE_SIZE
from app.views.links import FILTER_ARGUMENT, ORDER_ARGUMENT, PAGE_ARGUMENT, PAGE_SIZE_ARGUMENT

BAD_LIST_ARGUMENT = _("This list address is not valid: %(name)s=%(value)s.")


def views_by_name() -> dict:
    """The app's views by class name (the <View> in list arguments), found once."""
    if "views_by_name" not in current_app.extensions:
        current_app.extensions["views_by_name"] = {
            type(view).__name__: view for view in current_app.appbuilder.baseviews
        }
    return current_app.extensions["views_by_name"]


def readings(pattern: re.Pattern, name: str) -> Iterator[re.Match]:
    """Each place `pattern` matches in a name (FAB takes the first: all are checked)."""
    start = 0
    while match := pattern.search(name, start):
        yield match
        start = match.start() + 1


def list_argument_allowed(name: str, value: str) -> bool:
    """Whether one query argument is a page, page size, sort or filter a list may take."""
    number = as_integer(value)
    if any(readings(PAGE_ARGUMENT, name)) and (number is None or number < 0):
        return False
    if any(readings(PAGE_SIZE_ARGUMENT, name)) and not (
        number is not None and 1 <= number <= MAX_PAGE_SIZE
    ):
        return False
    for match in readings(ORDER_ARGUMENT, name):
        view = views_by_name().get(match["view"])
        if view is not None and value not in getattr(view, "order_columns", ()):
            return False
    return all(filter_exists(match) for match in readings(FILTER_ARGUMENT, name))


def filter_exists(match: re.Match) -> bool:
    """Whether the request's view has the n-th filter `_flt_<n>_<column>` names, if it
    has filters on that column (FAB indexes them all: lists, add and edit forms)."""
    view = views_by_name().get((request.endpoint or "").split(".")[0])
    filters = getattr(view, "_filters", None)
    offered = filters._all_filters.get(match["column"]) if filters else None
    return offered is None or int(match["index"]) < len(offered)


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
