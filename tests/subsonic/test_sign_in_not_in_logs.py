"""Subsonic's sign-in parameters (u, t, s, p, apiKey) reach no log: a music app's requests
through real nginx (deploy/nginx.conf) in front of real gunicorn (gunicorn.conf.py), its
access log in every field, with an app password made by `flask catalog app-password`."""

import hashlib
import subprocess
import sys
from urllib.parse import urlencode

import pytest

from bench.front import HttpsClient
from bench.harness import ADMIN, PROJECT
from tests.operations.test_secret_paths_in_logs import (
    logged,  # noqa: F401  (the fixture)
    secrets_in,
)


@pytest.fixture(autouse=True)
def no_app_passwords_left():
    """None to remove: the servers keep their own database (and run once, not per kind)."""
    return


def test_a_music_apps_sign_ins_leave_no_secret_in_any_log(logged):  # noqa: F811
    """Token, plain, enc: and apiKey sign-ins (right and wrong, one with a %-escaped name)
    answer through nginx; neither the password, the tokens, the salts nor the username's
    query value is in nginx's, gunicorn's or the app's log, and each request is logged."""
    made = subprocess.run(
        [sys.executable, "-m", "flask", "catalog", "app-password", "create", ADMIN, "Phone"],
        cwd=PROJECT, env=logged.env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    password = made.stdout.strip().splitlines()[-1]
    salt = "c0ffee1234"
    token = hashlib.md5((password + salt).encode(), usedforsecurity=False).hexdigest()
    queries = [
        {"u": ADMIN, "t": token, "s": salt},
        {"u": ADMIN, "p": password},
        {"u": ADMIN, "p": "enc:" + password.encode().hex()},
        {"apiKey": password},
        {"u": ADMIN, "p": "wrong-secret-guess"},
    ]
    visitor = HttpsClient(logged.front.url)
    ids = []
    for query in queries:
        status, headers, _body = visitor.request(
            "GET", "/rest/ping.view?" + urlencode({**query, "f": "json", "c": "DSub"})
        )
        assert status == 200
        ids.append(headers["X-Request-ID"])
    # A %-escaped parameter name, and path, are read by the app as p and /rest/ all the same.
    for address in (f"/rest/ping?%70={password}&u={ADMIN}", f"/%72est/ping?p={password}&u={ADMIN}"):
        status, headers, body = visitor.request("GET", address + "&f=json")
        assert status == 200
        assert b'"ok"' in body
        ids.append(headers["X-Request-ID"])
    logged.wait_for(*ids)
    logs = logged.logs()
    secrets = [password, password.encode().hex(), token, salt, "wrong-secret-guess"]
    assert secrets_in(logs, *secrets) == {}
    assert secrets_in(logs, f"u={ADMIN}") == {}
    gunicorn = logs["gunicorn access"]
    assert "GET /rest/ping.view?u=<masked>&t=<masked>&s=<masked>&f=json&c=DSub" in gunicorn
    assert "/rest/ping.view?<masked>" in logs["nginx"]
