"""A real Subsonic client, py-sonic (libsonic), against the app served on loopback: it signs
in with an app password by token and by `enc:` p (form-encoded POSTs), pings and reads
its user; the same server answers OpenSubsonic's apiKey over real HTTP."""

import json
import urllib.request
from urllib.parse import urlencode, urlsplit

import libsonic
import pytest


def connect(server, username: str, password: str, **options) -> libsonic.Connection:
    """A py-sonic connection to a live server."""
    address = urlsplit(server.url)
    return libsonic.Connection(
        f"{address.scheme}://{address.hostname}", username, password, port=address.port,
        appName="py-sonic tests", **options,
    )  # fmt: skip


# py-sonic 1.2.0 POSTs form-encoded parameters; its useGET mode is broken (urllib2).
@pytest.mark.parametrize("options", [{}, {"legacyAuth": True}], ids=["token", "enc"])
def test_py_sonic_pings_and_reads_its_user(app, live_server, app_password, users, options):
    """py-sonic connects with an app password, pings, reads its user's roles and the music
    folder; a wrong password makes it raise Subsonic's error 40 (CredentialError)."""
    server = live_server(app)
    password = app_password("Listener")
    connection = connect(server, users["Listener"], password, **options)
    assert connection.ping() is True
    user = connection.getUser(users["Listener"])["user"]
    assert user["username"] == users["Listener"]
    assert user["streamRole"] is True
    assert user["adminRole"] is False
    assert connection.getMusicFolders()["musicFolders"]["musicFolder"][0]["id"] == 1
    wrong = connect(server, users["Listener"], password + "x", **options)
    with pytest.raises(libsonic.errors.CredentialError):
        wrong.ping()


def test_api_key_over_real_http(app, live_server, app_password, users):
    """apiKey and tokenInfo over a real socket (py-sonic has no apiKey support)."""
    server = live_server(app)
    key = app_password("Editor")
    query = urlencode({"apiKey": key, "f": "json", "v": "1.16.1", "c": "urllib"})
    address = f"{server.url}/rest/tokenInfo.view?{query}"
    with urllib.request.urlopen(address, timeout=10) as got:  # noqa: S310 - loopback http
        answer = json.load(got)["subsonic-response"]
    assert answer["status"] == "ok"
    assert answer["tokenInfo"]["username"] == users["Editor"]
