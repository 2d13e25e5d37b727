"""The Subsonic/OpenSubsonic API under /rest/ (music apps): its wire format, sign-in by app
passwords and methods stay in this package; rules live in the domain modules it calls."""

from app.subsonic import artist_index, picking
from app.subsonic.blueprint import register_subsonic
from app.subsonic.methods import browsing

__all__ = ["forget_caches", "register_subsonic"]


def forget_caches() -> None:
    """Forget what this process keeps between requests (the artist index, genres, page
    ends): for a catalog changed without the change recording, as tests clean up."""
    for kept in (artist_index.BUILT, picking.PAGE_ENDS, browsing.GENRES):
        kept.clear()
