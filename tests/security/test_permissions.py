"""Who may do what: anonymous visitors, listeners, editors and admins (one table)."""

import pytest

from app.extensions import db
from app.models import Song

ROLES = (None, "Listener", "Editor", "Admin")

#: action -> the roles allowed to do it.
ALLOWED = {
    "list": {"Listener", "Editor", "Admin"},
    "show": {"Listener", "Editor", "Admin"},
    "download": {"Listener", "Editor", "Admin"},
    "add": {"Editor", "Admin"},
    "edit": {"Editor", "Admin"},
    "delete": {"Editor", "Admin"},
    "users": {"Admin"},
    "roles": {"Admin"},
}
PAGES = {
    "list": "/{view}/list/",
    "show": "/{view}/show/{pk}",
    "add": "/{view}/add",
    "edit": "/{view}/edit/{pk}",
    "users": "/users/list/",
    "roles": "/roles/list/",
}


def denied(response, role: str | None) -> bool:
    """Anonymous visitors are sent to the login form; signed-in users get 403."""
    if role is None:
        return response.status_code == 302 and "/login/" in response.headers["Location"]
    return response.status_code == 403


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
@pytest.mark.parametrize("action", list(PAGES))
def test_pages(login_as, song, role, action):
    """Each role reaches exactly the catalog and security pages it should."""
    visitor = login_as(role)
    pk = {"songs": song.id, "albums": song.album_id, "authors": song.album.author_id}
    views = ("songs", "albums", "authors") if "{view}" in PAGES[action] else ("",)
    for view in views:
        response = visitor.get(PAGES[action].format(view=view, pk=pk.get(view)))
        if role in ALLOWED[action]:
            assert response.status_code == 200, f"{role} {action} {view}"
        else:
            assert denied(response, role), f"{role} {action} {view}: {response.status_code}"


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_download(login_as, song, upload_folder, role):
    """Only signed-in catalog roles get a song's bytes."""
    response = login_as(role).get(f"/songs/download/{song.id}")
    if role in ALLOWED["download"]:
        assert response.status_code == 200
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.data == (upload_folder / song.audio_file).read_bytes()
    else:
        assert denied(response, role)
        assert response.data != (upload_folder / song.audio_file).read_bytes()


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_delete(app, login_as, song, role):
    """Deleting a song through its POST form works for editors and admins only."""
    visitor = login_as(role)
    # Any page with a form will do for the session's CSRF token.
    form_page = "/resetmypassword/form" if role else "/login/"
    response = visitor.submit(form_page, {}, post_url=f"/songs/delete/{song.id}")
    with app.app_context():
        still_there = db.session.get(Song, song.id) is not None
    if role in ALLOWED["delete"]:
        assert response.status_code == 302
        assert not still_there
    else:
        assert denied(response, role)
        assert still_there


@pytest.mark.parametrize(
    ("role", "sees_security", "sees_add"),
    [("Listener", False, False), ("Editor", False, True), ("Admin", True, True)],
)
def test_menus_match_permissions(login_as, song, role, sees_security, sees_add):
    """Menus and buttons show only what the role may use."""
    page = login_as(role).get("/songs/list/").get_data(as_text=True)
    assert "Catalog" in page
    assert ("List Users" in page) is sees_security
    assert ('href="/songs/add"' in page) is sees_add


def test_generic_file_route_is_gone_from_catalog_views(login_as, song):
    """FAB's download-by-file-name route does not exist on catalog views."""
    admin = login_as("Admin")
    for view in ("songs", "albums", "authors"):
        assert admin.get(f"/{view}/download/{song.audio_file}").status_code == 404


def test_public_browse_is_configurable(standalone_app, visit):
    """With CATALOG_PUBLIC_BROWSE on, anonymous visitors may browse but not change."""
    visitor = visit(standalone_app(CATALOG_PUBLIC_BROWSE=True))
    assert visitor.get("/songs/list/").status_code == 200
    assert denied(visitor.get("/songs/add"), None)
