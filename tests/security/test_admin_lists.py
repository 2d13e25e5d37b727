"""FAB's Users and Roles lists, made to fit: a role's permissions counted on the list and
listed in full on its page; users' roles by name."""

import re

from app.extensions import db


def table_of(page: str) -> str:
    """The list's table (the search form above it offers every permission by name)."""
    return page.split('<table class="table table-bordered table-hover catalog-list"')[1].split(
        "</table>"
    )[0]


def test_a_role_lists_its_permissions_as_a_count_and_shows_them_on_its_page(app, login_as):
    """The Editor row says how many permissions; the Editor's page names each."""
    admin = login_as("Admin")
    with app.app_context():
        editor = app.appbuilder.sm.find_role("Editor")
        role_id, held = editor.id, len(editor.permissions)
        db.session.rollback()
    listed = table_of(admin.get("/roles/list/").text)
    assert f"{held} permissions" in listed
    assert "can edit on" not in listed
    shown = admin.get(f"/roles/show/{role_id}").text
    assert "can edit on SongModelView" in shown


def test_the_users_list_names_roles_and_says_yes_or_no(login_as, users):
    """Each user row: the role's name (not a Python list) and Active as a word."""
    page = table_of(login_as("Admin").get("/users/list/").text)
    assert re.search(r'data-label="Role">Editor</td>', page)
    assert "[Editor]" not in page
    assert re.search(r'data-label="Is Active\?">Yes</td>', page)
