"""Bearer tokens: issued under the login form's limits and checks, short-lived, and ended
with the logins of their user (logout everywhere, a password change, a deactivation)."""

import logging
from datetime import timedelta

import pytest

from tests.security.test_sessions import NEW_PASSWORD, user_id
from tests.support.apps import PASSWORD
from tests.support.forms import Browser

LOGIN, REFRESH, LOGOUT = (
    "/api/v1/security/login",
    "/api/v1/security/refresh",
    "/api/v1/security/logout",
)


def token_login(app, username: str, password: str = PASSWORD, **extra):
    """POST the token login; its answer."""
    return app.test_client().post(LOGIN, json={"username": username, "password": password, **extra})


def bearer(token: str) -> dict:
    """The header that sends a token."""
    return {"Authorization": f"Bearer {token}"}


def works(app, token: str) -> bool:
    """Whether an access token still opens the song list."""
    answer = app.test_client().get("/api/v1/song/", headers=bearer(token))
    assert answer.status_code in (200, 401), answer.status_code
    return answer.status_code == 200


def test_a_token_reads_writes_and_streams_without_a_session(app, users, song, upload_folder):
    """The token is the whole login: no session cookie nor CSRF token; the user's own
    permissions."""
    answer = token_login(app, users["Editor"])
    assert answer.status_code == 200
    tokens = answer.json
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 15 * 60
    client = app.test_client()
    headers = bearer(tokens["access_token"])
    changed = client.put(f"/api/v1/song/{song.id}", json={"rating": 5}, headers=headers)
    assert changed.status_code == 200
    assert changed.json["result"]["rating"] == 5
    ranged = client.get(
        changed.json["result"]["stream_url"], headers={**headers, "Range": "bytes=0-9"}
    )
    assert ranged.status_code == 206
    assert ranged.data == (upload_folder / song.audio_file).read_bytes()[:10]
    listener = token_login(app, users["Listener"]).json["access_token"]
    refused = client.delete(f"/api/v1/song/{song.id}", headers=bearer(listener))
    assert refused.status_code == 403


def test_refresh_and_logout(app, users):
    """The refresh token gets new access tokens (and is none itself); logging out ends both."""
    tokens = token_login(app, users["Listener"]).json
    client = app.test_client()
    assert not works(app, tokens["refresh_token"])
    assert client.post(REFRESH, headers=bearer(tokens["access_token"])).status_code == 401
    renewed = client.post(REFRESH, headers=bearer(tokens["refresh_token"]))
    assert renewed.status_code == 200
    assert works(app, renewed.json["access_token"])
    assert client.post(LOGOUT, headers=bearer(tokens["access_token"])).status_code == 200
    assert not works(app, tokens["access_token"])
    assert not works(app, renewed.json["access_token"])
    assert client.post(REFRESH, headers=bearer(tokens["refresh_token"])).status_code == 401
    assert works(app, token_login(app, users["Listener"]).json["access_token"])


def test_an_expired_access_token_is_refused(app, users, monkeypatch):
    """Past its lifetime an access token answers 401 in JSON."""
    monkeypatch.setitem(app.config, "JWT_ACCESS_TOKEN_EXPIRES", timedelta(seconds=-1))
    answer = app.test_client().get(
        "/api/v1/song/", headers=bearer(token_login(app, users["Editor"]).json["access_token"])
    )
    assert answer.status_code == 401
    assert answer.json["message"].startswith("Sign in first")


def test_tokens_die_when_their_user_logs_out_everywhere(app, own_account):
    """ "Log out everywhere" on the site ends the API client's login too."""
    token = token_login(app, own_account).json["access_token"]
    owner = Browser(app.test_client())
    assert owner.login(own_account)
    assert works(app, token)
    mine = user_id(app, own_account)
    owner.submit("/users/userinfo/", {}, post_url=f"/users/action/logouteverywhere/{mine}")
    assert not works(app, token)


def test_tokens_die_when_the_password_changes(app, own_account, login_as):
    """Changing one's password (or an admin setting it) ends every token of the account."""
    token = token_login(app, own_account).json["access_token"]
    owner = Browser(app.test_client())
    assert owner.login(own_account)
    changed = owner.submit(
        "/resetmypassword/form",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "conf_password": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert not works(app, token)
    token = token_login(app, own_account, NEW_PASSWORD).json["access_token"]
    form = f"/resetpassword/form?pk={user_id(app, own_account)}"
    admin = login_as("Admin")
    assert admin.submit(form, {"password": PASSWORD, "conf_password": PASSWORD}).status_code == 302
    assert not works(app, token)


def test_tokens_die_with_a_deactivation_and_none_are_issued_after(app, own_account, login_as):
    """A deactivated account's tokens stop at once; its password gets no new ones."""
    token = token_login(app, own_account).json["access_token"]
    with app.app_context():
        listener_role = str(app.appbuilder.sm.find_role("Listener").id)
    fields = {"first_name": "Olivia", "last_name": "Owner", "username": own_account,
              "email": "olivia@example.org", "roles": listener_role}  # fmt: skip
    edit = f"/users/edit/{user_id(app, own_account)}"
    assert login_as("Admin").submit(edit, fields).status_code == 302  # "active" unticked
    assert not works(app, token)
    assert token_login(app, own_account).status_code == 401


def test_token_logins_are_checked_limited_and_logged(app, users, monkeypatch, caplog):
    """Wrong passwords and bad bodies are refused in JSON and logged; the login form's
    per-address and per-account limits count token logins too."""
    caplog.set_level(logging.INFO, logger="app.audit")
    wrong = token_login(app, users["Editor"], "not the password")
    assert wrong.status_code == 401
    assert "Wrong username or password" in wrong.json["message"]
    assert "outcome=failed" in caplog.text
    assert token_login(app, users["Editor"]).status_code == 200
    assert "token-login" in caplog.text
    assert PASSWORD not in caplog.text
    client = app.test_client()
    assert client.post(LOGIN, data={"username": "x", "password": "y"}).status_code == 400
    missing = client.post(LOGIN, json={"username": users["Editor"]})
    assert (missing.status_code, list(missing.json["errors"])) == (422, ["password"])
    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN_ACCOUNT", "2 per minute")
    for _ in range(2):
        token_login(app, users["Listener"], "wrong")
    limited = token_login(app, users["Listener"])
    assert limited.status_code == 429
    assert limited.json["message"].startswith("Too many attempts")
    assert token_login(app, users["Admin"]).status_code == 200  # another account goes on
    monkeypatch.setitem(app.config, "AUTH_RATE_LIMIT", "1 per minute")
    assert token_login(app, users["Admin"]).status_code == 200
    assert token_login(app, users["Admin"]).status_code == 429  # per address, any account


def test_an_account_under_attack_gets_no_tokens(app, users, monkeypatch):
    """Past RATELIMIT_LOGIN_FAILURES the site asks for a captcha, which a script cannot
    solve: the token login refuses, even with the right password, and says where to go."""
    monkeypatch.setitem(app.config, "RECAPTCHA_ENABLED", True)
    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN_FAILURES", "2 per hour")
    for _ in range(3):
        token_login(app, users["Editor"], "guess")
    refused = token_login(app, users["Editor"])
    assert refused.status_code == 403
    assert "log in on the site" in refused.json["message"]


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer ", "Basic abc"])
def test_malformed_credentials_answer_401_in_json(app, header):
    """A broken token is no login: 401 with the API's message."""
    answer = app.test_client().get("/api/v1/song/", headers={"Authorization": header})
    assert answer.status_code == 401
    assert answer.json["message"].startswith("Sign in first")


def test_a_token_speaks_for_itself_whatever_cookie_comes_with_it(app, users, login_as, song):
    """A listener's token sent from an editor's browser acts as the listener."""
    listener_token = token_login(app, users["Listener"]).json["access_token"]
    editor = login_as("Editor")
    answer = editor.api("DELETE", f"/api/v1/song/{song.id}", headers=bearer(listener_token))
    assert answer.status_code == 403


def test_a_token_of_an_inactive_account_is_refused(app, own_account):
    """However the account became inactive, its tokens stop."""
    token = token_login(app, own_account).json["access_token"]
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.find_user(username=own_account)
        user.active = False
        sm.session.commit()
    assert not works(app, token)
