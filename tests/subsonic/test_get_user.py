"""getUser reports each role's Subsonic roles as the site grants them; a user reads only
their own record unless an admin; a user whose roles grant no catalog gets error 50."""

import pytest

from tests.subsonic.test_system_methods import check_envelope, one, typed

ROLE_NAMES = (
    "adminRole", "settingsRole", "downloadRole", "uploadRole", "playlistRole",
    "coverArtRole", "commentRole", "podcastRole", "streamRole", "jukeboxRole", "shareRole",
    "videoConversionRole", "scrobblingEnabled",
)  # fmt: skip
#: What each role may do on the site, as getUser must say it.
EXPECTED = {
    "Listener": {"streamRole", "downloadRole", "playlistRole", "settingsRole", "scrobblingEnabled"},
    "Editor": {
        "streamRole",
        "downloadRole",
        "playlistRole",
        "settingsRole",
        "scrobblingEnabled",
        "uploadRole",
        "coverArtRole",
        "commentRole",
    },
}


def roles_of(user: dict, f: str) -> set[str]:
    """The role attributes that are true (every one present and boolean)."""
    return {name for name in ROLE_NAMES if typed(user[name], f, bool)}


@pytest.mark.parametrize("f", ["json", "xml"])
@pytest.mark.parametrize("role", ["Listener", "Editor", "Admin"])
def test_get_user_reports_the_sites_roles(subsonic, app_password, users, role, f):
    """Each role's own record: username, email, one folder, and true roles as granted."""
    key = app_password(role)
    answer = subsonic.call("getUser", f=f, apiKey=key, username=users[role])
    check_envelope(answer, f)
    user = one(answer["user"])
    assert user["username"] == users[role]
    assert user["email"] == f"{users[role]}@example.org"
    folder = user["folder"][0]
    assert typed(folder if f == "json" else folder["value"], f, int) == 1
    granted = roles_of(user, f)
    if role == "Admin":
        assert granted >= EXPECTED["Editor"] | {"adminRole"}
        assert not granted & {"podcastRole", "jukeboxRole", "shareRole", "videoConversionRole"}
    else:
        assert granted == EXPECTED[role]


def test_only_admins_read_other_users(subsonic, app_password, users):
    """A Listener asking for another user gets error 50; an admin reads them, and an
    unknown user is 70; the username is required (10)."""
    listener, admin = app_password("Listener"), app_password("Admin")
    refused = subsonic.call("getUser", apiKey=listener, username=users["Editor"])
    assert refused["error"]["code"] == 50
    read = subsonic.call("getUser", apiKey=admin, username=users["Editor"])
    assert read["user"]["username"] == users["Editor"]
    assert read["user"]["uploadRole"] is True
    assert subsonic.call("getUser", apiKey=admin, username="nobody")["error"]["code"] == 70
    assert subsonic.call("getUser", apiKey=listener)["error"]["code"] == 10


def test_a_user_without_catalog_access_is_not_authorized(app, subsonic, catalogless_key):
    """A signed-in user whose roles grant no catalog (the anonymous role's, empty) signs in
    but gets error 50 for the catalog's methods, and getUser says no role."""
    key = catalogless_key
    assert subsonic.call("ping", apiKey=key)["error"]["code"] == 50
    assert subsonic.call("getMusicFolders", apiKey=key)["error"]["code"] == 50
    user = subsonic.call("getUser", apiKey=key, username="nora")["user"]
    assert roles_of(user, "json") == {"scrobblingEnabled"}
