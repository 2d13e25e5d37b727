"""The Subsonic methods Setlist answers: each a function registered under its name.

Adding one (see /rest/<name> in app/subsonic/blueprint.py):

    @subsonic_method("getGenres")
    def get_genres(call: Call) -> dict:
        return {"genres": {"genre": [...]}}

in a module listed in app/subsonic/methods/__init__.py. The function gets a Call (the
signed-in user, the parameters) and returns the payload (app/subsonic/wire.py says how it
becomes XML and JSON), None for an empty "ok", or a Flask response (streams, images). It
raises SubsonicError for an error answer.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_appbuilder.security.sqla.models import User

from app.models.app_passwords import AppPassword
from app.subsonic.params import Params

#: What every method needs unless it says otherwise: browsing the catalog's songs.
BROWSE = ("can_list", "SongModelView")
STREAM = ("can_stream", "SongModelView")
DOWNLOAD = ("can_download", "SongModelView")


@dataclass
class Call:
    """One authenticated Subsonic request, as a method sees it."""

    params: Params
    #: None only in a public method called without credentials.
    user: User | None
    app_password: AppPassword | None
    wants_json: bool

    @property
    def client(self) -> str:
        """The client's name (`c`), as sent (may be empty)."""
        return self.params.get("c", "")

    def may(self, permission: str, view: str) -> bool:
        """Whether the user's roles grant a permission on a view, as on the site."""
        sm = current_app.appbuilder.sm
        return (permission, view) in sm.granted(self.user) or is_admin(self.user)


def is_admin(user: User) -> bool:
    """Whether the user holds the admin role (FAB grants it everything)."""
    admin = current_app.config.get("AUTH_ROLE_ADMIN", "Admin")
    return any(role.name == admin for role in user.roles)


@dataclass(frozen=True)
class Method:
    """A registered method: its function, the permission it needs (None: any user), and
    whether it answers without credentials (credentials sent are still checked)."""

    function: Callable[[Call], object]
    needs: tuple[str, str] | None
    public: bool = False


METHODS: dict[str, Method] = {}


def subsonic_method(name: str, needs: tuple[str, str] | None = BROWSE, public: bool = False):
    """Register a function as the Subsonic method `name`, refused (error 50) to users whose
    roles do not grant `needs` (a (permission, view) pair); `public` ones answer without
    credentials too."""

    def register(function: Callable[[Call], object]) -> Callable[[Call], object]:
        if name in METHODS:
            raise ValueError(f"Subsonic method {name} is registered twice")
        METHODS[name] = Method(function, needs, public)
        return function

    return register
