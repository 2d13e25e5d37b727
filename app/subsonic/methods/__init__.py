"""Every module of Subsonic methods; importing this package registers them all.

A new module of methods is added to this list (register_subsonic imports the package)."""

from app.subsonic.methods import system, users
from app.subsonic.methods import media, status  # noqa: F401  (stream, covers; scan status)

__all__ = ["system", "users"]
