"""What a login may be sent: bounded names and passwords, no NUL characters, JSON that parses,
and one budget of tries whichever door (the login form or the token login) is knocked on."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Author
from tests.support.apps import PASSWORD
from tests.support.forms import Browser

TOKEN_LOGIN, REFRESH = "/api/v1/security/login", "/api/v1/security/refresh"
NO_NUL = "Text may not contain NUL characters"


def signed_in(response) -> bool:
    """Whether a login form's answer let the visitor in."""
    return response.status_code == 302 and "/login/" not in response.headers["Location"]


def form_login(app, username: str, password: str, address: str = "10.0.0.1"):
    """One login through the form, from an address, in a fresh browser."""
    visitor = Browser(app.test_client())
    fields = {"username": username, "password": password}
    return visitor.submit("/login/", fields, environ_base={"REMOTE_ADDR": address})


def token_login(app, username: str, password: str, address: str = "10.0.0.1"):
    """One token login, from an address."""
    return app.test_client().post(
        TOKEN_LOGIN,
        json={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_names_and_passwords_longer_than_any_are_refused_at_their_field(app, users):
    """321 characters of name or 129 of password: the form says so under the field and the
    token login names the field; the real user then logs in through both."""
    listener = users["Listener"]
    long_name = form_login(app, "n" * 321, PASSWORD)
    assert long_name.status_code == 200
    assert "Field cannot be longer than 320 characters." in long_name.get_data(as_text=True)
    long_password = form_login(app, listener, "p" * 129)
    assert long_password.status_code == 200
    assert "Field cannot be longer than 128 characters." in long_password.get_data(as_text=True)
    refused = token_login(app, "n" * 321, "p" * 129)
    assert refused.status_code == 422
    assert refused.json["errors"] == {
        "username": ["At most 320 characters."],
        "password": ["At most 128 characters."],
    }
    assert signed_in(form_login(app, listener, PASSWORD))
    assert token_login(app, listener, PASSWORD).status_code == 200


def test_text_with_a_nul_is_refused_with_a_message(app, editor, users):
    """A NUL in a login, a form, the API or a filter: 400 saying why, nothing saved (it was a
    server error on PostgreSQL); the same forms without it work."""
    login = form_login(app, users["Listener"] + "\x00", PASSWORD)
    assert login.status_code == 400
    assert NO_NUL in login.get_data(as_text=True)
    token = token_login(app, users["Listener"] + "\x00", PASSWORD)
    assert (token.status_code, NO_NUL in token.json["message"]) == (400, True)
    added = editor.submit("/authors/add", {"name": "Null\x00Island"})
    assert added.status_code == 400
    assert NO_NUL in added.get_data(as_text=True)
    api = editor.api("POST", "/api/v1/author/", json={"name": "Null\u0000Island"})
    assert (api.status_code, NO_NUL in api.json["message"]) == (400, True)
    listed = editor.get("/authors/list/?_flt_0_name=Null%00")
    assert listed.status_code == 400
    assert editor.submit("/authors/add", {"name": "Null Island"}).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Author.name)).all() == ["Null Island"]


def test_json_nested_too_deeply_is_invalid_json_not_a_server_error(app, editor, users):
    """`[` a hundred thousand times (100 KB) at the token login or the API: 400 in JSON."""
    deep = "[" * 100_000
    client = app.test_client()
    login = client.post(TOKEN_LOGIN, data=deep, content_type="application/json")
    assert login.status_code == 400
    assert login.json["message"].startswith("Send a JSON object")
    api = editor.api("POST", "/api/v1/author/", data=deep, content_type="application/json")
    assert (api.status_code, api.is_json) == (400, True)
    assert token_login(app, users["Listener"], PASSWORD).status_code == 200


@pytest.fixture
def login_limits(app, monkeypatch):
    """Set the per-address and per-(account, address) login budgets for a test."""

    def tighten(per_address: str, per_account: str) -> None:
        monkeypatch.setitem(app.config, "AUTH_RATE_LIMIT", per_address)
        monkeypatch.setitem(app.config, "RATELIMIT_LOGIN_ACCOUNT", per_account)

    return tighten


def test_an_address_has_one_budget_for_the_form_and_the_token_login(app, users, login_limits):
    """Four tries per address, spent across both doors: the fifth is refused at either;
    renewing a token is no login; another address still logs in."""
    login_limits(per_address="4 per hour", per_account="100 per hour")
    listener = users["Listener"]
    issued = token_login(app, listener, PASSWORD)
    assert issued.status_code == 200
    assert form_login(app, listener, "wrong guess").status_code == 302
    assert token_login(app, listener, "wrong guess").status_code == 401
    assert form_login(app, "someone", "wrong guess").status_code == 302
    assert form_login(app, listener, PASSWORD).status_code == 429
    assert token_login(app, listener, PASSWORD).status_code == 429
    bearer = {"Authorization": f"Bearer {issued.json['refresh_token']}"}
    same_address = {"REMOTE_ADDR": "10.0.0.1"}
    renewed = app.test_client().post(REFRESH, headers=bearer, environ_base=same_address)
    assert renewed.status_code == 200
    assert signed_in(form_login(app, listener, PASSWORD, address="10.0.0.2"))


def test_an_account_has_one_budget_per_address_for_both_doors(app, users, login_limits):
    """Three tries at one account from one address, whichever door: the fourth is refused
    at both; the same address may still try other accounts."""
    login_limits(per_address="100 per hour", per_account="3 per hour")
    listener = users["Listener"]
    assert token_login(app, listener, "wrong guess").status_code == 401
    assert form_login(app, listener.upper(), "wrong guess").status_code == 302
    assert token_login(app, listener, "wrong guess").status_code == 401
    assert form_login(app, listener, PASSWORD).status_code == 429
    assert token_login(app, listener, PASSWORD).status_code == 429
    assert signed_in(form_login(app, users["Editor"], PASSWORD))
