"""Setlists: (being built, issue 26)."""

from flask_appbuilder import AppBuilder
from markupsafe import Markup


def files_section(setlist, actor) -> Markup:
    """This module's section of a setlist's page (empty until built)."""
    return Markup("")


def register(appbuilder: AppBuilder) -> None:
    """Add this module's views."""
