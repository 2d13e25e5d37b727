"""A role's permissions, changed while people are signed in, apply from their next page on.

Permissions are read once per request and the menu is rendered once per set of
permissions (app.security.permissions, app.fab.menu): neither may outlive a change.
"""

from app.extensions import db
from tests.support.apps import add_role_users
from tests.support.forms import Browser

#: Where the menu ends and the search box, languages and account menu begin.
MENU_END = '<ul class="nav navbar-nav navbar-right">'
SONGS_ITEM = 'href="/songs/list/"'


def menu_of(page: str) -> str:
    """The navigation menu's part of a page."""
    return page.split('<ul class="nav navbar-nav">', 1)[1].split(MENU_END, 1)[0]


def change_grant(app, role_name: str, permission: str, view: str, granted: bool) -> None:
    """Give a role a permission on a view, or take it away (as an admin's role form does)."""
    with app.app_context():
        sm = app.appbuilder.sm
        pair = sm.find_permission_view_menu(permission, view)
        role = sm.find_role(role_name)
        if granted:
            sm.add_permission_role(role, pair)
        else:
            sm.del_permission_role(role, pair)
        db.session.remove()


def test_an_editor_loses_and_regains_permissions_from_the_next_page(standalone_app):
    """Taking "add" away hides the button and refuses the form; taking the menu entry away
    hides it; giving both back shows them again, each on the very next request."""
    app = standalone_app()
    editor = Browser(app.test_client())
    assert editor.login(add_role_users(app)["Editor"])
    page = editor.get("/songs/list/").get_data(as_text=True)
    assert SONGS_ITEM in menu_of(page)
    assert 'href="/songs/add"' in page
    assert editor.get("/songs/add").status_code == 200

    change_grant(app, "Editor", "can_add", "SongModelView", granted=False)
    page = editor.get("/songs/list/").get_data(as_text=True)
    assert 'href="/songs/add"' not in page
    assert editor.get("/songs/add").status_code == 403
    assert SONGS_ITEM in menu_of(page)

    change_grant(app, "Editor", "menu_access", "Songs", granted=False)
    page = editor.get("/songs/list/").get_data(as_text=True)
    assert SONGS_ITEM not in menu_of(page)
    assert 'href="/albums/list/"' in menu_of(page)  # the rest of the menu stays

    change_grant(app, "Editor", "menu_access", "Songs", granted=True)
    change_grant(app, "Editor", "can_add", "SongModelView", granted=True)
    page = editor.get("/songs/list/").get_data(as_text=True)
    assert SONGS_ITEM in menu_of(page)
    assert 'href="/songs/add"' in page
    assert editor.get("/songs/add").status_code == 200


def test_anonymous_visitors_follow_the_public_role(standalone_app):
    """With public browsing, the Public role's menu entry and list go as soon as the role
    loses them, for a visitor already on the site."""
    app = standalone_app(CATALOG_PUBLIC_BROWSE=True)
    visitor = Browser(app.test_client())
    page = visitor.get("/songs/list/").get_data(as_text=True)
    assert SONGS_ITEM in menu_of(page)

    change_grant(app, "Public", "menu_access", "Songs", granted=False)
    change_grant(app, "Public", "can_list", "SongModelView", granted=False)
    assert SONGS_ITEM not in menu_of(visitor.get("/").get_data(as_text=True))
    refused = visitor.get("/songs/list/")
    assert refused.status_code == 302
    assert "/login/" in refused.headers["Location"]
