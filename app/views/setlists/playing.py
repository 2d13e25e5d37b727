"""Playing a setlist: its tracks as JSON pages for the player's queue (being built, issue 26)."""

from flask_appbuilder import AppBuilder
from markupsafe import Markup


def play_button(setlist, actor) -> Markup:
    """The setlist page's "Play setlist" control (empty until built)."""
    return Markup("")


def register(appbuilder: AppBuilder) -> None:
    """Add this module's views."""
