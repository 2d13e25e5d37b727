"""Failed Subsonic sign-ins: limited per (username, address) and per address like the login
form, audited; no token, salt, password or key in any log line."""

import logging

from tests.subsonic.conftest import token_params
from tests.subsonic.test_sign_in import error_code


def test_failures_per_account_and_address_then_per_address(
    app, subsonic, app_password, users, audit_lines, monkeypatch
):
    """Past the account's budget its right password is refused too (error 40, audited)
    while another account still signs in; past the address's, every account is refused."""
    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN_ACCOUNT", "2 per minute")
    monkeypatch.setitem(app.config, "AUTH_RATE_LIMIT", "4 per minute")
    lisa, eddie = users["Listener"], users["Editor"]
    mine, theirs = app_password("Listener"), app_password("Editor")
    for _ in range(2):
        assert error_code(subsonic.call("ping", u=lisa, p="wrong")) == 40
    refused = subsonic.call("ping", u=lisa, p=mine)
    assert error_code(refused) == 40
    assert "Too many" in refused["error"]["message"]
    assert any(
        "event=subsonic-login" in line and "outcome=rate-limited" in line and lisa in line
        for line in audit_lines()
    )
    assert subsonic.call("ping", u=eddie, p=theirs)["status"] == "ok"
    for _ in range(2):
        assert error_code(subsonic.call("ping", apiKey="guess")) == 44
    assert error_code(subsonic.call("ping", u=eddie, p=theirs)) == 40


def test_failures_are_audited_without_secrets(subsonic, app_password, users, audit_lines):
    """Each failure writes one audit line naming user, mechanism, client and reason."""
    app_password("Listener")
    subsonic.call("ping", u=users["Listener"], p="not-it", c="Ultrasonic")
    subsonic.call("ping", **token_params("ghost", "x"))
    lines = [line for line in audit_lines() if "subsonic-login" in line]
    assert len(lines) == 2
    assert "mechanism=password" in lines[0]
    assert "client=Ultrasonic" in lines[0]
    assert 'reason="wrong password"' in lines[0]
    assert "not-it" not in lines[0]
    assert "username=ghost" in lines[1]
    assert 'reason="unknown user"' in lines[1]


def test_no_secret_reaches_any_log(subsonic, app_password, users, caplog):
    """Every line logged while apps sign in (right and wrong, every mechanism) is free of
    the passwords, tokens, salts and keys sent."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="app")
    password = app_password("Listener")
    lisa = users["Listener"]
    token = token_params(lisa, password)
    wrong_token = token_params(lisa, "nope-nope")
    calls = [
        token,
        wrong_token,
        {"u": lisa, "p": password},
        {"u": lisa, "p": "enc:" + password.encode().hex()},
        {"u": lisa, "p": "wrong-secret-value"},
        {"apiKey": password},
        {"apiKey": "wrong-api-key-value"},
    ]
    for params in calls:
        subsonic.call("ping", **params)
        subsonic.call("ping", f="xml", post=True, **params)
    secrets = [password, password.encode().hex(), "wrong-secret-value", "wrong-api-key-value"]
    secrets += [token["t"], token["s"], wrong_token["t"], wrong_token["s"]]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "GET /rest/ping" in logged  # the request lines were captured
    for secret in secrets:
        assert secret not in logged
