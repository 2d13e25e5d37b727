"""One search that finds what people mean: search keys, /search/ and its results page."""

import pytest

from app.extensions import db
from app.models import Song
from app.search.keys import search_key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Café", "cafe"),
        ("BJORK", "bjork"),
        ("Björk", "bjork"),
        ("Bjørn", "bjorn"),
        ("Straße", "strasse"),
        ("Don't Stop (Live)", "dont stop live"),
        ("AC/DC", "ac dc"),
        ("  100%_sure  ", "100 sure"),
        ("夜の歌", "夜の歌"),
        ("", ""),
    ],
)
def test_search_key_folds_case_accents_and_punctuation(text, key):
    """Keys compare what people mean, whatever the case, accents or punctuation."""
    assert search_key(text) == key


def labels(results: list[dict]) -> list[str]:
    """The labels of a group of search results."""
    return [result["label"] for result in results]


def test_search_ranks_exact_then_prefix_then_contains(login_as, catalog):
    """ "river" finds the song River first, then Riverside, then Moon River; authors too."""
    found = login_as("Listener").get("/search/?q=river").get_json()
    assert labels(found["songs"]) == ["River", "Riverside", "Moon River"]
    assert labels(found["authors"]) == ["Rivers Cuomo"]
    assert found["albums"] == []
    first = found["songs"][0]
    assert first == {
        "id": catalog["river"],
        "label": "River",
        "detail": "Björk — Debut",
        "url": f"/songs/show/{catalog['river']}",
    }


@pytest.mark.parametrize(
    ("query", "group", "expected"),
    [
        ("cafe", "authors", ["Café Tacvba"]),
        ("BJORK", "authors", ["Björk"]),
        ("bjork", "albums", ["Debut"]),
        ("rio", "albums", ["Río Grande"]),
        ("CAFÉ DE", "songs", ["Café de Flore"]),
        ("夜の", "songs", ["夜の歌 <b>"]),
    ],
)
def test_search_ignores_case_and_accents_and_keeps_unicode(
    login_as, catalog, query, group, expected
):
    """Accents and case do not matter; names come back exactly as stored."""
    response = login_as("Listener").get("/search/", query_string={"q": query})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert labels(response.get_json()[group]) == expected
    assert expected[0] in response.get_data(as_text=True)


def test_search_limit_caps_each_group(login_as, generated_catalog):
    """limit caps every group; the default is 10."""
    generated_catalog(300)
    listener = login_as("Listener")
    assert len(listener.get("/search/?q=e").get_json()["songs"]) == 10
    limited = listener.get("/search/?q=e&limit=3").get_json()
    assert [len(limited[group]) for group in ("authors", "albums", "songs")] == [3, 3, 3]
    assert len(listener.get("/search/?q=e&limit=50").get_json()["songs"]) == 50


@pytest.mark.parametrize("limit", ["0", "51", "-1", "ten", "", "2.5", "٣"])
def test_search_refuses_a_bad_limit_with_a_json_error(login_as, catalog, limit):
    """Anything but a whole number from 1 to 50 is a 400 saying what to send."""
    response = login_as("Listener").get("/search/", query_string={"q": "river", "limit": limit})
    assert response.status_code == 400
    body = response.get_json()
    assert body["message"] == "Use a whole number from 1 to 50."
    assert body["errors"] == {"limit": ["Use a whole number from 1 to 50."]}


def test_empty_or_unsearchable_query_finds_nothing(login_as, catalog):
    """No text (or only punctuation) is an empty answer, not the whole catalog."""
    listener = login_as("Listener")
    for query in ("", "   ", "%%", "_"):
        found = listener.get("/search/", query_string={"q": query}).get_json()
        assert found == {"q": query, "authors": [], "albums": [], "songs": []}


def test_overlong_query_is_refused(login_as, catalog):
    """Text longer than any title is a 400, not a slow scan."""
    response = login_as("Listener").get("/search/", query_string={"q": "x" * 201})
    assert response.status_code == 400
    assert "q" in response.get_json()["errors"]


def test_search_follows_the_browsing_rules(app, login_as, catalog, standalone_app, visit):
    """Anonymous visitors get 401 unless the catalog is public; then they see results."""
    anonymous = login_as(None).get("/search/?q=river")
    assert anonymous.status_code == 401
    assert anonymous.get_json()["message"] == "Log in to search the catalog."
    public = visit(standalone_app(CATALOG_PUBLIC_BROWSE=True)).get("/search/?q=anything")
    assert public.status_code == 200
    assert public.get_json()["songs"] == []


def test_search_refuses_a_role_without_catalog_access(app, catalog, visit, password):
    """A signed-in user whose roles cannot browse the catalog gets 403, not results."""
    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.find_role("No catalog") or sm.add_role("No catalog")
        sm.add_user("nocat", "No", "Catalog", "nocat@example.org", role, password)
    visitor = visit(app)
    assert visitor.login("nocat")
    response = visitor.get("/search/?q=river")
    assert response.status_code == 403
    assert response.get_json()["message"] == "Your account may not search the catalog."
    assert visitor.get("/search/albums/choices").status_code == 403


def test_search_is_rate_limited_with_a_json_answer(standalone_app, visit, users, password):
    """Past RATELIMIT_SEARCH the answer is 429 JSON with Retry-After."""
    app = standalone_app(RATELIMIT_SEARCH="3 per minute")
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_user("limited", "Li", "Mited", "li@example.org", sm.find_role("Listener"), password)
    visitor = visit(app)
    assert visitor.login("limited")
    answers = [visitor.get("/search/?q=a") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert answers[-1].get_json()["message"].startswith("Too many attempts")
    assert int(answers[-1].headers["Retry-After"]) > 0


def test_the_results_page_groups_matches_and_escapes_them(app, login_as, song):
    """/search/results: every kind that matches, as links, markup shown as text."""
    with app.app_context():
        db.session.get(Song, song.id).title = "Tone <b>bold</b>"
        db.session.commit()
    page = login_as("Listener").get("/search/results?q=tone").get_data(as_text=True)
    assert "<title>Search results for “tone” · Setlist</title>" in page
    assert f'<a href="/songs/show/{song.id}">Tone &lt;b&gt;bold&lt;/b&gt;</a>' in page
    assert f'<a href="/albums/show/{song.album_id}">Test Tones</a>' in page
    assert "<b>bold</b>" not in page


def test_the_results_page_says_when_nothing_matches(login_as, song):
    """A search that finds nothing says so (and an empty one shows just the box)."""
    listener = login_as("Listener")
    assert "Nothing in the catalog matches that." in listener.get(
        "/search/results?q=zzzz"
    ).get_data(as_text=True)
    assert "Nothing in the catalog" not in listener.get("/search/results").get_data(True)


def test_the_results_page_is_for_those_who_may_browse(browser, login_as):
    """Anonymous visitors are sent to log in; an over-long query is a 400 page."""
    response = browser.get("/search/results?q=tone")
    assert response.status_code == 302
    assert "/login/" in response.headers["Location"]
    assert login_as("Listener").get("/search/results?q=" + "x" * 201).status_code == 400
