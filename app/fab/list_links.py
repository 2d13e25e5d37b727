"""A list's sort, page and page-size links, built from one URL per request.

FAB's filters of the same names run url_for (and copy the query arguments twice) for each
of a list page's ~30 links; these build the page's own URL once and change one argument.
They also keep repeated arguments (two filters on one column), which FAB's drop.

The names are read as FAB reads them (flask_appbuilder/urltools.py: re.findall, so the
marker may stand anywhere in a name: `xpage_SongModelView` is a page of SongModelView).
"""

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlencode

from flask import Flask, g, request, url_for

#: A list's page, page size and sort in the query string: page_<View>, psize_<View>,
#: _oc_<View> (with _od_<View>), as FAB finds them.
PAGE_ARGUMENT = re.compile(r"page_(?P<view>.*)")
PAGE_SIZE_ARGUMENT = re.compile(r"psize_(?P<view>.*)")
ORDER_ARGUMENT = re.compile(r"_oc_(?P<view>.*)")
#: A list filter in the query string, as FAB reads it: _flt_<filter index>_<column>.
FILTER_ARGUMENT = re.compile(r"_flt_(?P<index>\d)_(?P<column>.*)")


@lru_cache(maxsize=1024)
def fab_readings(name: str) -> frozenset[tuple[str, str]]:
    """What FAB takes a query argument's name for: ("page" | "psize" | "order", view name).

    Cached: a list page asks it for the same few names once per link (about 30 links).
    """
    readings = set()
    for kind, pattern in (
        ("page", PAGE_ARGUMENT),
        ("psize", PAGE_SIZE_ARGUMENT),
        ("order", ORDER_ARGUMENT),
    ):
        if match := pattern.search(name):
            readings.add((kind, match["view"]))
    return frozenset(readings)


def request_arguments() -> list[tuple[str, str, frozenset]]:
    """The query's arguments as (name, value, fab_readings(name)), read once per request."""
    if "request_arguments" not in g:
        g.request_arguments = [
            (name, value, fab_readings(name)) for name, value in request.args.items(multi=True)
        ]
    return g.request_arguments


def this_page_url() -> str:
    """The current page's URL without its query, built once per request."""
    if "this_page_url" not in g:
        g.this_page_url = url_for(request.endpoint, **request.view_args)
    return g.this_page_url


def with_arguments(**changes) -> str:
    """The current page's URL with some query arguments set (the others kept in place).

    Another argument FAB reads as the same page, page size or sort (`xpage_<View>`) is
    dropped: FAB would take whichever comes last.
    """
    changed = frozenset().union(*(fab_readings(name) for name in changes))
    arguments, placed = [], set()
    for name, value, readings in request_arguments():
        if name in changes:
            if name not in placed:
                arguments.append((name, changes[name]))
                placed.add(name)
        elif not readings & changed:
            arguments.append((name, value))
    arguments.extend((name, value) for name, value in changes.items() if name not in placed)
    return f"{this_page_url()}?{urlencode(arguments)}"


def without_arguments(*removed: str) -> str:
    """The current page's URL without the given arguments, nor its page (page 1 again)."""
    kept = [
        (name, value)
        for name, value in request.args.items(multi=True)
        if name not in removed and not PAGE_ARGUMENT.search(name)
    ]
    return this_page_url() + ("?" + urlencode(kept) if kept else "")


def clear_filters_url() -> str:
    """The current list's URL without any filter."""
    return without_arguments(*[name for name in request.args if FILTER_ARGUMENT.search(name)])


def export_url(modelview_name: str) -> str:
    """The list's CSV export under its current filters and order (all pages)."""
    kept = [
        (name, value)
        for name, value in request.args.items(multi=True)
        if not PAGE_ARGUMENT.search(name) and not PAGE_SIZE_ARGUMENT.search(name)
    ]
    address = url_for(f"{modelview_name}.export_csv")
    return address + ("?" + urlencode(kept) if kept else "")


def current_order(modelview_name: str) -> tuple[str, str] | None:
    """The list's sort as FAB takes it from the address: (column, "asc" | "desc"), read
    once per request (each sortable column's header asks twice)."""
    orders = g.setdefault("list_orders", {})
    if modelview_name not in orders:
        orders[modelview_name] = read_order(modelview_name)
    return orders[modelview_name]


def read_order(modelview_name: str) -> tuple[str, str] | None:
    """The list's sort in the address (see current_order)."""
    order = None
    for name in request.args:
        match = ORDER_ARGUMENT.search(name)
        if match and match["view"] == modelview_name:
            direction = request.args.get(f"_od_{modelview_name}")
            if direction in ("asc", "desc"):
                order = (request.args[name], direction)
    return order


def link_order(column: str, modelview_name: str) -> str:
    """Sort by `column`: ascending, or reversed when the list is sorted by it ascending."""
    sorted_ascending = current_order(modelview_name) == (column, "asc")
    return with_arguments(
        **{
            f"_oc_{modelview_name}": column,
            f"_od_{modelview_name}": "desc" if sorted_ascending else "asc",
        }
    )


def get_link_order(column: str, modelview_name: str) -> int:
    """The header arrow of a column: 2 sorted ascending by it, 1 descending, 0 neither."""
    order = current_order(modelview_name)
    if order is None or order[0] != column:
        return 0
    return 2 if order[1] == "asc" else 1


def link_page(page: int, modelview_name: str) -> str:
    """Go to a page (0-based) of the list."""
    return with_arguments(**{f"page_{modelview_name}": page})


def link_page_size(page_size: int, modelview_name: str) -> str:
    """Show `page_size` rows a page."""
    return with_arguments(**{f"psize_{modelview_name}": page_size})


def register_link_filters(app: Flask) -> None:
    """Replace FAB's list link filters (registered when AppBuilder starts) with these."""
    app.jinja_env.filters.update(
        link_order=link_order,
        get_link_order=get_link_order,
        link_page=link_page,
        link_page_size=link_page_size,
    )


def id_url(endpoint: str) -> Callable[[int], str]:
    """Make the URL of `endpoint` for a row id; url_for runs once per request, not per row.

    Every endpoint given here ends its URL with the row id (e.g. /songs/stream/<int:pk>).
    """
    made = g.setdefault("id_urls", {})
    if endpoint not in made:
        prefix = url_for(endpoint, pk=0).removesuffix("0")
        made[endpoint] = lambda pk: f"{prefix}{pk}"
    return made[endpoint]
