"""Our labels are translated: switching to Spanish, or a browser set to Spanish, shows the
catalog in Spanish."""

import re

import pytest

from tests.support.apps import PASSWORD


def test_spanish_labels(spanish_listener, song):
    """After choosing Spanish, menus and our own page titles are in Spanish."""
    page = spanish_listener.get("/songs/list/").get_data(as_text=True)
    assert "Catálogo" in page
    assert "Canciones" in page
    assert "Duración" in page
    # FAB's confirmation dialog (delete, bulk actions) is ours too.
    assert "Se necesita su confirmación" in page
    assert 'data-dismiss="modal">Cancelar</button>' in page
    assert 'class="btn btn-danger danger">Aceptar</a>' in page


def test_parts_rendered_once_follow_each_users_language(login_as, spanish_listener, song):
    """The search box, player and shortcuts are rendered once per language, not once for all."""
    english = login_as("Listener")
    assert 'placeholder="Search songs, albums, authors"' in english.get("/").get_data(True)
    page = spanish_listener.get("/").get_data(as_text=True)
    assert 'placeholder="Buscar canciones, álbumes, autores"' in page
    assert "Atajos de teclado" in page
    assert 'aria-label="Reproductor"' in page


SPANISH_BROWSER = {"Accept-Language": "es-ES,es;q=0.9,en;q=0.8"}


def page_title(response) -> str:
    """The text of a page's <title>."""
    return re.search(r"<title>\s*(.*?)\s*</title>", response.get_data(as_text=True), re.S)[1]


def test_a_spanish_browser_gets_spanish_until_english_is_picked(browser, users, song):
    """Accept-Language chooses the language of a first visit, through login, until the person
    picks one from the menu: the pick wins over the browser from then on."""
    login = browser.get("/login/", headers=SPANISH_BROWSER)
    assert page_title(login) == "Entrar · Setlist"
    assert login.headers["Vary"].count("Accept-Language") == 1
    signed_in = browser.submit(
        "/login/", {"username": users["Listener"], "password": PASSWORD}, headers=SPANISH_BROWSER
    )
    assert "/login/" not in signed_in.headers["Location"]
    songs = browser.get("/songs/list/", headers=SPANISH_BROWSER).get_data(as_text=True)
    assert "Canciones" in songs
    assert "Tone in Vorbis" in songs
    # The language menu's button shows the page's language, and offers the other one.
    assert re.search(r'<i class="flag es"></i><b class="caret">', songs)
    assert re.search(r'<i class="flag gb"></i> - English', songs)

    assert browser.get("/lang/en", headers=SPANISH_BROWSER).status_code == 302
    english = browser.get("/songs/list/", headers=SPANISH_BROWSER)
    assert "Canciones" not in english.get_data(as_text=True)
    assert "Songs" in english.get_data(as_text=True)
    assert "Accept-Language" not in english.headers.get("Vary", "")


@pytest.mark.parametrize(
    "header",
    ["fr-FR,fr;q=0.9", "", "*", "es;q=abc,,;;", "x" * 5000, "de-DE\u00e9", "en;q=0.1,es;q=0"],
)
def test_a_language_we_do_not_speak_or_a_broken_header_gets_english(client, header):
    """Anything but a language we have (or a broken header) is the default: English, no 500."""
    response = client.get("/login/", headers={"Accept-Language": header})
    assert response.status_code == 200
    assert page_title(response) == "Sign In · Setlist"


def test_a_chosen_language_survives_the_browsers(client):
    """Spanish picked on an English browser stays Spanish (the session's choice wins)."""
    client.get("/lang/es")
    response = client.get("/login/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert page_title(response) == "Entrar · Setlist"


def test_a_language_picked_while_a_fetch_runs_stays_picked(login_as):
    """A page's background fetch that answers after the person picked Spanish (it read the
    session before) does not bring English back; page visits still renew the session."""
    listener = login_as("Listener")
    assert page_title(listener.get("/songs/list/")) == "Songs · Setlist"
    before = listener.client.get_cookie("session").value
    listener.get("/lang/es")
    # The queue's fetch, sent with the cookie of the page before, answers late.
    late = listener.client.get(
        "/api/v1/playqueue/",
        headers={"Cookie": f"session={before}", "Sec-Fetch-Mode": "cors"},
    )
    assert late.status_code == 200
    assert "Set-Cookie" not in late.headers
    assert page_title(listener.get("/songs/list/")) == "Canciones · Setlist"
    renewed = listener.get("/", headers={"Sec-Fetch-Mode": "navigate"})
    assert "session=" in renewed.headers["Set-Cookie"]
    assert page_title(listener.get("/songs/list/")) == "Canciones · Setlist"
