"""A list's sort, page and page-size links, built from one URL per request.

FAB's filters of the same names run url_for (and copy the query arguments twice) for each
of a list page's ~30 links; these build the page's own URL once and change one argument.
They also keep repeated arguments (two filters on one column), which FAB's drop.
"""

from urllib.parse import urlencode

from flask import Flask, g, request, url_for


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
