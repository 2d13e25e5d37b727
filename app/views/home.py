"""The landing page and the error pages people can actually reach."""

from flask import current_app, render_template
from flask_appbuilder import IndexView
from werkzeug.exceptions import RequestEntityTooLarge


class HomeView(IndexView):
    """The landing page: what Setlist is and where to go next."""

    index_template = "index.html"


def upload_too_large(error: RequestEntityTooLarge):
    """A readable page for an upload over MAX_CONTENT_LENGTH, instead of a bare 413."""
    appbuilder = current_app.appbuilder
    page = render_template(
        "errors/413.html", appbuilder=appbuilder, base_template=appbuilder.base_template
    )
    return page, 413
