"""A list's "Actions" menu is rendered once and reused (app/fab/widgets.py): each person
still sees only the actions they may run, in their language, with the page's own nonce."""

import re

NONCE = re.compile(r"'nonce-([^']+)'")


def actions_menu(html: str) -> str:
    """The list's actions menu: its items and the script that runs them ("" without one)."""
    found = re.search(r'<ul class="dropdown-menu" role="menu">.*?</script>', html, re.S)
    return found.group(0) if found else ""


def menu_items(html: str) -> list[str]:
    """The labels of the actions menu's items."""
    items = re.findall(r'_menu_item">\s*<i class="fa [^"]*"></i>\s*([^<]*?)\s*</a>', html)
    return [item.strip() for item in items]


def test_each_person_sees_their_own_actions_in_their_language(login_as):
    """The editor's menu, once shown, is not what a listener or a Spanish editor gets."""
    editor = login_as("Editor")
    english = editor.get("/songs/list/").get_data(as_text=True)
    assert "Delete selected" in menu_items(english)
    assert "Set rating" in menu_items(english)

    listener = login_as("Listener")
    listed = listener.get("/songs/list/").get_data(as_text=True)
    # Listeners may add songs to setlists but change nothing in the catalog.
    assert menu_items(listed) == ["Add to setlist"]
    assert "delete_selected" not in actions_menu(listed)

    editor.get("/lang/es")
    spanish = editor.get("/songs/list/").get_data(as_text=True)
    assert "Eliminar seleccionados" in menu_items(spanish)
    assert "Delete selected" not in menu_items(spanish)
    # Back in English, the first menu again.
    editor.get("/lang/en")
    again = editor.get("/songs/list/").get_data(as_text=True)
    assert menu_items(again) == menu_items(english)


def test_the_menus_script_carries_each_pages_own_nonce(login_as):
    """The script running the actions is allowed by each response's policy, not the first's."""
    editor = login_as("Editor")
    nonces = []
    for _ in range(2):
        response = editor.get("/albums/list/")
        nonce = NONCE.search(response.headers["Content-Security-Policy"]).group(1)
        menu = actions_menu(response.get_data(as_text=True))
        assert f'<script nonce="{nonce}">' in menu
        assert "modelActions.execute_multiple('delete_selected'" in menu
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
