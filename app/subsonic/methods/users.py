"""getUser: a user's Subsonic roles, read from their roles on the site."""

from flask import current_app

from app.subsonic.auth import find_user
from app.subsonic.methods.system import MUSIC_FOLDER
from app.subsonic.registry import DOWNLOAD, STREAM, Call, is_admin, subsonic_method
from app.subsonic.wire import NOT_AUTHORIZED, NOT_FOUND, SubsonicError

#: Subsonic's roles and the (permission, view) on the site that grants each; None: a
#: feature Setlist's Subsonic API does not offer (podcasts, jukebox, shares, video).
ROLES = {
    "settingsRole": ("resetmypassword", "UserDBModelView"),
    "downloadRole": DOWNLOAD,
    "uploadRole": ("can_add", "SongModelView"),
    "playlistRole": ("can_add", "SetlistModelView"),
    "coverArtRole": ("can_edit", "AlbumModelView"),
    "commentRole": ("can_edit", "SongModelView"),
    "podcastRole": None,
    "streamRole": STREAM,
    "jukeboxRole": None,
    "shareRole": None,
    "videoConversionRole": None,
}


def user_payload(user) -> dict:
    """A user as getUser describes them."""
    granted = current_app.appbuilder.sm.granted(user)
    admin = is_admin(user)
    roles = {
        name: admin or (needed is not None and needed in granted) for name, needed in ROLES.items()
    }
    for feature in ("podcastRole", "jukeboxRole", "shareRole", "videoConversionRole"):
        roles[feature] = False
    return {
        "username": user.username,
        "email": user.email,
        "scrobblingEnabled": True,
        "adminRole": admin,
        **roles,
        "folder": [MUSIC_FOLDER["id"]],
    }


@subsonic_method("getUser", needs=None)
def get_user(call: Call) -> dict:
    """The asked user (one's own; any user for an admin)."""
    username = call.params.required("username")
    if username != call.user.username:
        if not is_admin(call.user):
            raise SubsonicError(NOT_AUTHORIZED, "Only an admin may read another user.")
        other = find_user(username)
        if other is None:
            raise SubsonicError(NOT_FOUND, "No such user.")
        return {"user": user_payload(other)}
    return {"user": user_payload(call.user)}
