"""Where "back" goes, and the trail of pages above a record (Author, then Album, then Song).

FAB's back arrow replays a page history kept in the session: shared by every tab and
rewritten on every page, it sent people to pages unrelated to the one they were on.
Here "back" goes up one level from the page the arrow is on: from a record's page or form
to its list, from a list to the home page.
"""

from urllib.parse import urlsplit

from flask import Flask, current_app, redirect, url_for
from markupsafe import Markup, escape

from app.web.pages import referring_page


def register_back_link(app: Flask) -> None:
    """Make FAB's back arrow (`/back`) go up from the page it was clicked on."""
    app.view_functions["UtilView.back"] = back_up


def back_up():
    """Redirect to the page above the referring one (the home page when unsure)."""
    appbuilder = current_app.appbuilder
    referrer = referring_page()
    path = urlsplit(referrer).path if referrer else ""
    for view in appbuilder.baseviews:
        base = getattr(view, "route_base", "") or ""
        below_list = path.startswith(f"{base}/") and not path.startswith(f"{base}/list/")
        if base and below_list and hasattr(view, "list"):
            return redirect(url_for(f"{type(view).__name__}.list"))
    return redirect(appbuilder.get_url_for_index)


def breadcrumbs(*steps) -> Markup:
    """A trail of (label, url) steps; the last one is the current page (no link)."""
    items = [f'<li><a href="{escape(url)}">{escape(label)}</a></li>' for label, url in steps[:-1]]
    items.append(f'<li class="active" aria-current="page">{escape(steps[-1][0])}</li>')
    return Markup(f'<ol class="breadcrumb">{"".join(items)}</ol>')  # noqa: S704
