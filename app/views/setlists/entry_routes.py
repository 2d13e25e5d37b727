"""A setlist's entries on its page, and the routes that change them (being built, issue 26)."""

from flask_appbuilder import AppBuilder
from markupsafe import Markup


def entries_section(setlist, actor) -> Markup:
    """The setlist page's paged entries table (empty until built)."""
    return Markup("")


def register(appbuilder: AppBuilder) -> None:
    """Add this module's views."""
