"""What a client asks on connecting: ping, licence, extensions, its key's user, folders."""

from app.subsonic.registry import Call, subsonic_method

#: The one music folder: the whole catalog (ids are strings in OpenSubsonic, ints in 1.16.1).
MUSIC_FOLDER = {"id": 1, "name": "Music"}
#: OpenSubsonic extensions this server implements, with their versions.
EXTENSIONS = {
    # apiKey instead of u and t/s or p, and tokenInfo.
    "apiKeyAuthentication": [1],
    # Every method's parameters may come as a form-encoded POST body.
    "formPost": [1],
}


@subsonic_method("ping")
def ping(call: Call) -> None:
    """An empty "ok": the server answers and the credentials are right."""


@subsonic_method("getLicense")
def get_license(call: Call) -> dict:
    """Always valid: Setlist has no licence to buy."""
    return {"license": {"valid": True}}


@subsonic_method("getOpenSubsonicExtensions", needs=None, public=True)
def get_open_subsonic_extensions(call: Call) -> dict:
    """The OpenSubsonic extensions implemented here (answered without sign-in, as
    OpenSubsonic asks, so a client learns how it may sign in)."""
    listed = [{"name": name, "versions": versions} for name, versions in EXTENSIONS.items()]
    return {"openSubsonicExtensions": listed}


@subsonic_method("tokenInfo", needs=None)
def token_info(call: Call) -> dict:
    """The user the request's key (or password) belongs to."""
    return {"tokenInfo": {"username": call.user.username}}


@subsonic_method("getMusicFolders")
def get_music_folders(call: Call) -> dict:
    """One folder: the whole catalog."""
    return {"musicFolders": {"musicFolder": [MUSIC_FOLDER]}}
