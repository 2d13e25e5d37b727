"""Cross-origin calls: off by default, exact listed origins only, never a wildcard."""

import pytest

from app.api.cors import allowed_origins

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
