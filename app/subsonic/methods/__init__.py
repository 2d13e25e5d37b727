"""Every module of Subsonic methods; importing this package registers them all.

A new module of methods is added to this list (register_subsonic imports the package)."""

from app.subsonic.methods import (
    albums,
    browsing,
    marks,
    media,
    playlists,
    plays,
    queue,
    searching,
    status,
    system,
    users,
)

__all__ = [
    "albums",
    "browsing",
    "marks",
    "media",
    "playlists",
    "plays",
    "queue",
    "searching",
    "status",
    "system",
    "users",
]
