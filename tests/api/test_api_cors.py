"""Cross-origin calls: off by default, exact listed origins only, never a wildcard."""

import re

import pytest

from app.api.cors import CORS_PATHS, allowed_origins
from app.web.json_answers import API_PREFIX
from tests.support.apps import add_role_users
from tests.support.forms import Browser

LISTED, OTHER = "https://radio.example.org", "https://elsewhere.example.org"


def preflight(client, url: str, origin: str):
    """The browser's question before a cross-origin PUT with a token."""
    return client.options(
        url,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


def test_no_origin_is_allowed_by_default(app):
    """Without CORS_ORIGINS no answer tells a browser another site may read it."""
    client = app.test_client()
    for url in ("/api/v1/song/", "/search/?q=x"):
        answer = client.get(url, headers={"Origin": LISTED})
        assert "Access-Control-Allow-Origin" not in answer.headers
    assert "Access-Control-Allow-Origin" not in preflight(client, "/api/v1/song/1", LISTED).headers


def test_listed_origins_get_answers_and_others_do_not(standalone_app):
    """The API and the search answer the listed origin (credentials, Vary: Origin,
    preflight); another origin, and the site's own pages, get no CORS headers."""
    client = standalone_app(CORS_ORIGINS=f"{LISTED}, http://127.0.0.1:9").test_client()
    for url in ("/api/v1/song/", "/search/?q=x"):
        answer = client.get(url, headers={"Origin": LISTED})
        assert answer.headers["Access-Control-Allow-Origin"] == LISTED, url
        assert answer.headers["Access-Control-Allow-Credentials"] == "true"
        assert "Origin" in answer.headers["Vary"]
        # A Spanish browser's answer differs by language too: caches must keep both apart.
        spanish = client.get(url, headers={"Origin": LISTED, "Accept-Language": "es"})
        assert {"Origin", "Accept-Language"} <= set(re.split(r",\s*", spanish.headers["Vary"]))
        assert (
            "Access-Control-Allow-Origin" not in client.get(url, headers={"Origin": OTHER}).headers
        )
    asked = preflight(client, "/api/v1/song/1", LISTED)
    assert asked.status_code == 200
    assert asked.headers["Access-Control-Allow-Origin"] == LISTED
    assert "PUT" in asked.headers["Access-Control-Allow-Methods"]
    assert "authorization" in asked.headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Origin" not in preflight(client, "/api/v1/song/1", OTHER).headers
    page = client.get("/login/", headers={"Origin": LISTED})
    assert "Access-Control-Allow-Origin" not in page.headers


def test_html_pages_under_the_search_get_no_cors_headers(standalone_app):
    """The results page and an error page under /search/ carry the session's CSRF token:
    a listed origin gets no CORS headers on them (nor on their preflights), so its script
    cannot read the token; the search and the pickers' choices still answer it."""
    app = standalone_app(CORS_ORIGINS=LISTED)
    listener = Browser(app.test_client())
    assert listener.login(add_role_users(app)["Listener"])
    for url in ("/search/?q=x", "/search/albums/choices?q=x", "/api/v1/song/"):
        answer = listener.get(url, headers={"Origin": LISTED})
        assert answer.status_code == 200, url
        assert answer.headers["Access-Control-Allow-Origin"] == LISTED, url
    for url in ("/search/results?q=x", "/search/nothing-here"):
        page = listener.get(url, headers={"Origin": LISTED})
        assert page.mimetype == "text/html", url
        assert "Access-Control-Allow-Origin" not in page.headers, url
        assert "Access-Control-Allow-Credentials" not in page.headers, url
        assert "Access-Control-Allow-Origin" not in preflight(listener.client, url, LISTED).headers
    results = listener.get("/search/results?q=x", headers={"Origin": LISTED})
    assert 'name="csrf-token"' in results.get_data(as_text=True)  # what CORS must not expose


def test_every_cors_address_answers_json(app):
    """Each route the CORS patterns reach is under the API or marked as answering JSON:
    a new HTML page there would fail this test before it could leak a token."""
    reached = [
        rule
        for rule in app.url_map.iter_rules()
        if any(pattern.match(re.sub(r"<[^>]+>", "x", rule.rule)) for pattern in CORS_PATHS)
    ]
    assert {rule.endpoint for rule in reached} >= {
        "CatalogSearchView.search",
        "CatalogSearchView.choices",
        "SongApi.get_list",
    }
    for rule in reached:
        view = app.view_functions[rule.endpoint]
        assert rule.rule.startswith(API_PREFIX) or getattr(view, "answers_json", False), rule


@pytest.mark.parametrize(
    "value", ["*", "https://*.example.org", "radio.example.org", f"{LISTED}/api", "ftp://x.org"]
)
def test_anything_but_exact_origins_is_refused(value):
    """A wildcard, a pattern, a bare host, a path or another scheme: refused, saying why."""
    with pytest.raises(RuntimeError, match="exact origins"):
        allowed_origins(f"{LISTED},{value}")


def test_an_app_with_a_wildcard_origin_does_not_start(standalone_app):
    """The refusal stops create_app (a server would not start)."""
    with pytest.raises(RuntimeError, match="exact origins"):
        standalone_app(CORS_ORIGINS="*")
