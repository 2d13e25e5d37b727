"""Signing in to the Subsonic API: app passwords by token, plain or enc: p, apiKey; never
the login password; revoked, inactive, unknown and missing credentials refused."""

import pytest

from app.extensions import db
from app.models import AppPassword
from app.security.app_passwords import cipher_for, create, revoke_all
from config import load_config
from tests.subsonic.conftest import token_params


def error_code(answer: dict) -> int:
    """The error code of a failed answer (as an int, from either format)."""
    assert answer["status"] == "failed"
    error = answer["error"]
    error = error[0] if isinstance(error, list) else error
    return int(error["code"])


@pytest.mark.parametrize("f", ["json", "xml"])
def test_every_way_an_app_signs_in_with_an_app_password(subsonic, app_password, users, f):
    """Token (GET and POST), plain p, enc: p and apiKey all open ping with one password."""
    password = app_password("Listener")
    lisa = users["Listener"]
    ways = [
        ({**token_params(lisa, password)}, False),
        ({**token_params(lisa, password)}, True),
        ({"u": lisa, "p": password}, False),
        ({"u": lisa, "p": "enc:" + password.encode().hex()}, True),
        ({"apiKey": password}, False),
    ]
    for params, post in ways:
        assert subsonic.call("ping", f=f, post=post, **params)["status"] == "ok", params


def test_the_login_password_never_opens_the_api(subsonic, users, password, app_password):
    """The account's login password is refused by token, by p and as apiKey."""
    app_password("Listener")
    lisa = users["Listener"]
    assert error_code(subsonic.call("ping", **token_params(lisa, password))) == 40
    assert error_code(subsonic.call("ping", u=lisa, p=password)) == 40
    assert error_code(subsonic.call("ping", apiKey=password)) == 44


def test_wrong_and_unknown_and_revoked_are_refused_alike(app, subsonic, app_password, users):
    """A wrong password, an unknown user and a just-revoked password answer error 40; a
    password of one user does not open another's account."""
    password = app_password("Listener")
    other = app_password("Editor")
    lisa = users["Listener"]
    assert subsonic.call("ping", u=lisa, p=password)["status"] == "ok"
    assert error_code(subsonic.call("ping", u=lisa, p=password + "x")) == 40
    assert error_code(subsonic.call("ping", u=lisa, p=other)) == 40
    assert error_code(subsonic.call("ping", u=lisa, p="enc:zz")) == 40
    assert error_code(subsonic.call("ping", u="nobody", p=password)) == 40
    assert error_code(subsonic.call("ping", u=lisa, t="0" * 32, s="salt1234")) == 40
    assert error_code(subsonic.call("ping", u=lisa, t="not-hex", s="salt1234")) == 40
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=lisa)
        assert revoke_all(db.session, user.id) == 1
        db.session.commit()
    assert error_code(subsonic.call("ping", u=lisa, p=password)) == 40
    assert error_code(subsonic.call("ping", apiKey=password)) == 44
    assert subsonic.call("ping", u=users["Editor"], p=other)["status"] == "ok"


def test_an_inactive_user_is_refused(app, subsonic, own_account, app_password):
    """Deactivating an account shuts its music apps out at once."""
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.find_user(username=own_account)
        password = create(db.session, cipher_for(app.config), user.id, "Car")[1]
    assert subsonic.call("ping", u=own_account, p=password)["status"] == "ok"
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=own_account)
        user.active = False
        db.session.commit()
    assert error_code(subsonic.call("ping", u=own_account, p=password)) == 40
    assert error_code(subsonic.call("ping", apiKey=password)) == 44


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, 10),
        ({"p": "x"}, 10),
        ({"u": "lisa"}, 10),
        ({"u": "lisa", "t": "0" * 32}, 10),
        ({"apiKey": "k", "u": "lisa"}, 43),
        ({"apiKey": "k", "t": "0" * 32, "s": "x"}, 43),
    ],
)
def test_missing_or_conflicting_credentials(subsonic, users, params, code):
    """Anonymous calls are error 10; apiKey with u, t, s or p is error 43."""
    assert error_code(subsonic.call("ping", **params)) == code


def test_no_anonymous_access_even_with_public_browsing(standalone_app, visit):
    """CATALOG_PUBLIC_BROWSE opens the site's lists, never the Subsonic API."""
    app = standalone_app(CATALOG_PUBLIC_BROWSE=True)
    answer = visit(app).client.get("/rest/getMusicFolders", query_string={"f": "json"}).json
    assert answer["subsonic-response"]["error"]["code"] == 10


def test_jsonp_is_refused_with_no_callback_echoed(subsonic, app_password, users):
    """f=jsonp answers an XML error and never writes the callback into the answer."""
    password = app_password("Listener")
    response = subsonic.raw("ping", u=users["Listener"], p=password, f="jsonp", callback="evil")
    assert response.status_code == 200
    assert response.content_type.startswith("text/xml")
    assert b"evil" not in response.get_data()
    assert b'code="0"' in response.get_data()
    assert b"JSONP is not supported" in response.get_data()


def test_sign_in_records_last_use_and_client_bounded(app, subsonic, app_password, users):
    """A sign-in notes when and by which client (`c`, cut to 64 characters)."""
    password = app_password("Listener")
    assert subsonic.call("ping", u=users["Listener"], p=password, c="DSub " * 30)["status"] == "ok"
    with app.app_context():
        row = db.session.query(AppPassword).one()
        assert row.last_used_at is not None
        assert row.last_client == ("DSub " * 30)[:64]


def test_answers_set_no_cookie(subsonic, app_password, users, login_as):
    """No answer under /rest/ sets a session cookie, signed in on the site or not."""
    password = app_password("Listener")
    browser = login_as("Listener")
    response = browser.client.get(
        "/rest/ping", query_string={"u": users["Listener"], "p": password}
    )
    assert "Set-Cookie" not in response.headers
    assert "Set-Cookie" not in subsonic.raw("ping", u=users["Listener"], p=password).headers


def test_passwords_and_keys_over_plain_http_only_where_allowed(standalone_app, visit):
    """With CATALOG_SUBSONIC_PLAIN_HTTP off (production's default), p and apiKey over plain
    HTTP are error 42 while a token works; over HTTPS all three work."""
    app = standalone_app(CATALOG_SUBSONIC_PLAIN_HTTP=False)
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.add_user("paul", "P", "P", "paul@example.org", sm.find_role("Listener"),
                           "a long enough password 42")  # fmt: skip
        password = create(db.session, cipher_for(app.config), user.id, "Phone")[1]
    client = visit(app).client
    ways = [{"u": "paul", "p": password}, {"apiKey": password}, token_params("paul", password)]
    for base_url, codes in (
        ("http://localhost", [42, 42, None]),
        ("https://localhost", [None] * 3),
    ):
        for params, code in zip(ways, codes, strict=True):
            answer = client.get(
                "/rest/ping", query_string={**params, "f": "json"}, base_url=base_url
            ).json["subsonic-response"]
            assert answer.get("error", {}).get("code") == code, (base_url, params)


def test_production_refuses_plain_http_passwords_unless_told(production_env, monkeypatch):
    """Production's default is no; CATALOG_SUBSONIC_PLAIN_HTTP=true allows it."""
    assert load_config("production").CATALOG_SUBSONIC_PLAIN_HTTP is False
    assert load_config("testing").CATALOG_SUBSONIC_PLAIN_HTTP is True
    monkeypatch.setenv("CATALOG_SUBSONIC_PLAIN_HTTP", "true")
    assert load_config("production").CATALOG_SUBSONIC_PLAIN_HTTP is True
