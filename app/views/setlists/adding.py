"""Setlists: (being built, issue 26)."""

from flask_appbuilder import AppBuilder


def register(appbuilder: AppBuilder) -> None:
    """Add this module's views."""
