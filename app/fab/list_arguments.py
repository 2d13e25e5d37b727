"""A list's page, page-size, sort and filter arguments, checked before any view reads them.

FAB parses `page_<View>` and `psize_<View>` with int() (text is a server error), takes any
page size, sorts its own views by any column (a user's password hash included) and looks
up `_flt_<n>_<column>` as the n-th filter of the column without checking there is one.
It finds these markers anywhere in a name (`xpage_<View>`, `x_oc_<View>`): the check reads
every name the same way, so whatever FAB would act on has been checked first.
"""

import re
from collections.abc import Iterator
from urllib.parse import urlencode

from flask import Flask, abort, current_app, flash, has_request_context, redirect, request
from flask_babel import lazy_gettext as _

from app.database import INTEGER_RANGE, as_integer
from app.fab.list_links import (
    FILTER_ARGUMENT,
    ORDER_ARGUMENT,
    PAGE_ARGUMENT,
    PAGE_SIZE_ARGUMENT,
    this_page_url,
)
from app.fab.pager import FROM_END_ARGUMENT, JUMP_ARGUMENT, kept
from app.fab.widgets import MAX_PAGE_SIZE

BAD_LIST_ARGUMENT = _("This list address is not valid: %(name)s=%(value)s.")
NOT_A_PAGE = _("“%(value)s” is not a page number: type a whole number such as 1, 2 or 3.")
BEFORE_FIRST_PAGE = _("Pages are numbered from 1: here is the first page.")


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
    if FROM_END_ARGUMENT.match(name) and (number is None or number < 1):
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


def pages_from_end(datamodel) -> int:
    """Which page from its end (`last_<View>=1`: the last) the request shows of the list
    `datamodel` serves; 0 when it counts pages from the start."""
    if not has_request_context():
        return 0
    for name, value in request.args.items():
        match = FROM_END_ARGUMENT.match(name)
        view = views_by_name().get(match["view"]) if match else None
        if view is not None and getattr(view, "datamodel", None) is datamodel:
            return as_integer(value) or 0
    return 0


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


def jump_to_page():
    """Turn the pager's jump (`jump_<View>=400`, counted from 1) into FAB's page argument
    (`page_<View>=399`), keeping the list's filters, order and page size.

    A number below 1 goes to the first page, text to the page it names none of (the first),
    each with a message; past the last page, the list itself shows its last (base.py).
    """
    if request.endpoint is None or request.method != "GET":
        return None  # no page to go back to (a 404), or a form's own submission
    for name, value in request.args.items(multi=True):
        if match := JUMP_ARGUMENT.match(name):
            return redirect(page_address(match["view"], jump_target(value)))
    return None


def jump_target(value: str) -> int:
    """The 0-based page a jump asks for (a message when it asks for none that can be)."""
    text = value.strip()
    number = as_integer(text)
    if number is None and text.isdigit():
        return INTEGER_RANGE.stop - 1  # past any last page: the list shows its last
    if number is None:
        flash(str(NOT_A_PAGE % {"value": value[:40]}), "warning")
        return 0
    if number < 1:
        flash(str(BEFORE_FIRST_PAGE), "warning")
        return 0
    return number - 1


def page_address(view: str, page: int) -> str:
    """This page's address showing a page of a list, the other arguments kept."""
    arguments = [
        (name, value) for name, value in request.args.items(multi=True) if kept(name, view)
    ]
    return f"{this_page_url()}?{urlencode([*arguments, (f'page_{view}', page)])}"


def register_list_argument_checks(app: Flask) -> None:
    """Check list arguments and record ids on every request; follow pager jumps."""
    app.before_request(check_list_arguments)
    app.before_request(jump_to_page)
    app.before_request(check_record_id)
