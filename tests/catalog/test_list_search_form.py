"""A list's filter form is rendered once per view and language (app/fab/pickers.py): each
page still gets it, and its actions' questions, in its own language, with its own nonce and
its own active filters."""

import html
import json
import re

NONCE = re.compile(r"'nonce-([^']+)'")
FILTER_FORM = re.compile(r'<form id="filter_form".*?</script>', re.S)
#: The script's last argument: the active filters.
ACTIVE = re.compile(r"\n\s*(\[.*\])\s*\);\s*\}\)\(jQuery\);\s*</script>$")
SCRIPT = re.compile(
    r'<script nonce="([^"]*)">\s*\(function\(\$\) \{\s*const filter = new AdminFilters'
)


def filter_form(response) -> str:
    """The list's filter form and the script that drives it."""
    return FILTER_FORM.search(response.get_data(as_text=True)).group(0)


def confirmations(response) -> dict[str, str]:
    """The questions the list's actions ask before they run."""
    found = re.search(r'data-action-confirmations="([^"]*)"', response.get_data(as_text=True))
    return json.loads(html.unescape(found.group(1)))


def test_filter_form_and_questions_follow_each_pages_language(login_as, song):
    """English, then Spanish, then English again: nothing kept in one language leaks into
    the other."""
    editor = login_as("Editor")
    english = editor.get("/songs/list/")
    form = filter_form(english)
    assert ">Search" in form
    assert '"title": "Title"' in form
    assert confirmations(english) == {
        "delete_selected": "Delete the selected rows? This cannot be undone."
    }

    editor.get("/lang/es")
    spanish = editor.get("/songs/list/")
    assert ">Buscar" in filter_form(spanish)
    assert '"title": "Título"' in filter_form(spanish)
    assert ">Search" not in filter_form(spanish)
    assert confirmations(spanish) == {
        "delete_selected": "¿Eliminar las filas seleccionadas? No se puede deshacer."
    }

    editor.get("/lang/en")
    again = editor.get("/songs/list/")
    assert confirmations(again) == confirmations(english)
    nonce = NONCE.search(again.headers["Content-Security-Policy"]).group(1)
    assert filter_form(again) == filter_form(english).replace(
        NONCE.search(english.headers["Content-Security-Policy"]).group(1), nonce
    )


def test_filter_form_carries_each_pages_nonce_and_filters(login_as, song):
    """The script is allowed by each response's policy, and shows the filters typed into
    that page's address only."""
    listener = login_as("Listener")
    filtered = listener.get("/albums/list/?_flt_0_title=Tones")
    plain = listener.get("/albums/list/")
    nonces = []
    for response in (filtered, plain):
        nonce = NONCE.search(response.headers["Content-Security-Policy"]).group(1)
        assert SCRIPT.search(filter_form(response)).group(1) == nonce
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    assert ACTIVE.search(filter_form(filtered)).group(1) == '[["title", "contains", ["Tones"]]]'
    assert ACTIVE.search(filter_form(plain)).group(1) == "[]"
