"""Music apps in a browser page of another origin (Feishin web, Airsonic-refix): /rest/
answers them with CORS for any origin and no credentials, streams by ranges they can
read, and ignores the site's session cookie; the rest of the site stays closed to them."""

import logging

import pytest

from tests.subsonic.conftest import Subsonic, token_params
from tests.subsonic.media_building import error_code, stored_song

ORIGIN = "https://player.example.net"


def preflight(client, path: str, method: str = "GET", headers: str = ""):
    """A browser's preflight of a cross-origin call."""
    asked = {"Origin": ORIGIN, "Access-Control-Request-Method": method}
    if headers:
        asked["Access-Control-Request-Headers"] = headers
    return client.options(path, headers=asked)


def header_names(value: str) -> set[str]:
    """The names in a comma-separated header, lower-cased."""
    return {name.strip().lower() for name in value.split(",")}


def test_a_web_player_signs_in_lists_and_streams_by_ranges(app, client, app_password, users):
    """Preflights of a POSTed ping and of a ranged stream are allowed (204, no body,
    cached a while, no credentials); the ping, an error and the ranged stream that follow
    carry `*` and expose what a player reads (Content-Range, Content-Length...)."""
    key = app_password("Listener")
    tone = stored_song(app)
    client.environ_base["HTTP_ORIGIN"] = ORIGIN
    subsonic = Subsonic(client)

    asked = preflight(client, "/rest/ping.view", "POST", "content-type")
    assert asked.status_code == 204
    assert asked.data == b""
    assert asked.headers["Access-Control-Allow-Origin"] == "*"
    assert header_names(asked.headers["Access-Control-Allow-Methods"]) == {
        "get", "post", "options",
    }  # fmt: skip
    assert {"content-type", "range"} <= header_names(asked.headers["Access-Control-Allow-Headers"])
    assert int(asked.headers["Access-Control-Max-Age"]) >= 600
    assert "Access-Control-Allow-Credentials" not in asked.headers

    signed = token_params(users["Listener"], key)
    pinged = subsonic.raw("ping", post=True, f="json", **signed)
    assert pinged.json["subsonic-response"]["status"] == "ok"
    assert pinged.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in pinged.headers
    wrong = subsonic.raw("ping", f="json", u=users["Listener"], t="0" * 32, s="salt1234")
    assert error_code(wrong.json["subsonic-response"]) == 40
    assert wrong.headers["Access-Control-Allow-Origin"] == "*"

    assert preflight(client, "/rest/stream", "GET", "range").status_code == 204
    client.environ_base["HTTP_RANGE"] = "bytes=0-99"
    part = subsonic.raw("stream", apiKey=key, id=tone.id)
    assert part.status_code == 206
    assert part.data == tone.content[:100]
    assert part.headers["Access-Control-Allow-Origin"] == "*"
    exposed = header_names(part.headers["Access-Control-Expose-Headers"])
    assert {"content-range", "content-length", "accept-ranges", "content-disposition"} <= exposed


def test_answers_no_method_made_are_readable_too(client):
    """An unknown method (404), /rest/ alone and a method HTTP refuses (405) still carry
    the header, so the page's script can read why; a plain OPTIONS lists the methods."""
    client.environ_base["HTTP_ORIGIN"] = ORIGIN
    for response in (
        client.get("/rest/noSuchMethod"),
        client.get("/rest/"),
        client.put("/rest/ping"),
    ):
        assert response.status_code in (200, 404, 405), response.status_code
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    plain = client.options("/rest/ping")
    assert plain.status_code == 204
    assert header_names(plain.headers["Allow"]) == {"get", "post", "options"}


@pytest.mark.parametrize("path", ["/", "/login/", "/api/v1/song/", "/search/"])
def test_the_rest_of_the_site_gives_other_origins_nothing(client, path):
    """Site pages and the JSON API (CORS_ORIGINS unset) answer no cross-origin headers,
    to a request or a preflight."""
    client.environ_base["HTTP_ORIGIN"] = ORIGIN
    assert "Access-Control-Allow-Origin" not in client.get(path).headers
    asked = preflight(client, path)
    assert "Access-Control-Allow-Origin" not in asked.headers
    assert "Access-Control-Allow-Methods" not in asked.headers


def test_the_sites_session_cookie_signs_no_one_in(login_as, users, audit_lines, caplog):
    """A listener signed in on the site (session cookie) who calls /rest/ without Subsonic
    credentials gets error 10, with wrong ones error 40 (audited and logged as no one,
    not as the cookie's user), and no cookie back; on the site the cookie still signs in."""
    listener = login_as("Listener")
    subsonic = Subsonic(listener.client)
    caplog.set_level(logging.INFO, logger="app.requests")
    bare = subsonic.raw("ping", f="json")
    assert error_code(bare.json["subsonic-response"]) == 10
    assert "Set-Cookie" not in bare.headers
    wrong = subsonic.raw("getUser", f="json", u="someone-else", p="wrong", username="x")
    assert error_code(wrong.json["subsonic-response"]) == 40
    assert "Set-Cookie" not in wrong.headers
    refused = [line for line in audit_lines() if "subsonic-login" in line]
    assert refused
    assert all(users["Listener"] not in line for line in refused), refused
    logged = [r.getMessage() for r in caplog.records if r.name == "app.requests"]
    rest_lines = [line for line in logged if "/rest/" in line]
    assert len(rest_lines) == 2, logged
    assert all(line.endswith("user=-") for line in rest_lines), logged
    # The same cookie still signs them in on the site.
    assert listener.get("/").status_code == 200
    page_line = [r.getMessage() for r in caplog.records if r.name == "app.requests"][-1]
    assert page_line.startswith("GET / 200")
    assert not page_line.endswith("user=-"), page_line
