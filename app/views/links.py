"""A list's sort, page and page-size links, built from one URL per request.

FAB's filters of the same names run url_for (and copy the query arguments twice) for each
of a list page's ~30 links; these build the page's own URL once and change one argument.
They also keep repeated arguments (two filters on one column), which FAB's drop.
"""

import re
from urllib.parse import urlencode

from flask import Flask, g, request, url_for

#: A list filter in the query string, as FAB reads it: _flt_<filter index>_<column>.
FILTER_ARGUMENT = re.compile(r"_flt_(?P<index>\d)_(?P<column>.*)")


def this_page_url() -> str:
    """The current page's URL without its query, built once per request."""
    if "this_page_url" not in g:
        g.this_page_url = url_for(request.endpoint, **request.view_args)
    return g.this_page_url


def with_arguments(**changes) -> str:
    """The current page's URL with some query arguments set (the others kept)."""
    arguments = request.args.copy()
    for name, value in changes.items():
        arguments[name] = value
    return f"{this_page_url()}?{urlencode(list(arguments.items(multi=True)))}"


def without_arguments(*removed: str) -> str:
    """The current page's URL without the given arguments, nor its page (page 1 again)."""
    kept = [
        (name, value)
        for name, value in request.args.items(multi=True)
        if name not in removed and not name.startswith("page_")
    ]
    return this_page_url() + ("?" + urlencode(kept) if kept else "")


def clear_filters_url() -> str:
    """The current list's URL without any filter."""
    return without_arguments(*[name for name in request.args if FILTER_ARGUMENT.match(name)])


def export_url(modelview_name: str) -> str:
    """The list's CSV export under its current filters and order (all pages)."""
    kept = [
        (name, value)
        for name, value in request.args.items(multi=True)
        if not name.startswith(("page_", "psize_"))
    ]
    address = url_for(f"{modelview_name}.export_csv")
    return address + ("?" + urlencode(kept) if kept else "")


def link_order(column: str, modelview_name: str) -> str:
    """Sort by `column`: ascending, or reversed when the list is sorted by it ascending."""
    sorted_ascending = request.args.get(f"_oc_{modelview_name}") == column and (
        request.args.get(f"_od_{modelview_name}") == "asc"
    )
    return with_arguments(
        **{
            f"_oc_{modelview_name}": column,
            f"_od_{modelview_name}": "desc" if sorted_ascending else "asc",
        }
    )


def link_page(page: int, modelview_name: str) -> str:
    """Go to a page (0-based) of the list."""
    return with_arguments(**{f"page_{modelview_name}": page})


def link_page_size(page_size: int, modelview_name: str) -> str:
    """Show `page_size` rows a page."""
    return with_arguments(**{f"psize_{modelview_name}": page_size})


def register_link_filters(app: Flask) -> None:
    """Replace FAB's list link filters (registered when AppBuilder starts) with these."""
    app.jinja_env.filters.update(
        link_order=link_order, link_page=link_page, link_page_size=link_page_size
    )
