"""The Subsonic/OpenSubsonic API under /rest/ (music apps): its wire format, sign-in by app
passwords and methods stay in this package; rules live in the domain modules it calls."""

from app.subsonic.blueprint import register_subsonic

__all__ = ["register_subsonic"]
