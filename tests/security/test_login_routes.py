"""Only the login form and the token login sign anyone in: no other route takes a password
or hands out a token."""

import base64
import itertools

import pytest
from werkzeug.routing.converters import AnyConverter, IntegerConverter

from tests.support.forms import csrf_token

#: Routes that may sign people in; their per-address and per-account limits are proven in
#: test_captcha_and_limits.py and test_api_tokens.py (AUTH_RATE_LIMIT, RATELIMIT_LOGIN_ACCOUNT).
LOGIN_ROUTES = {"/login/", "/api/v1/security/login"}
WRITE_METHODS = {"POST", "PUT", "PATCH"}


@pytest.fixture
def login_app(standalone_app):
    """A separate app (the probes register, post and fail freely) with one admin."""
    app = standalone_app()
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_user("root", "Root", "Admin", "root@example.org", sm.find_role("Admin"), "pw " * 6)
    return app


def filled(rule) -> list[str]:
    """Concrete URLs for a route: 1 for numbers, each choice of an <any(...)>, "x" for
    anything else."""
    choices = {
        name: sorted(converter.items) if isinstance(converter, AnyConverter)
        else [1 if isinstance(converter, IntegerConverter) else "x"]
        for name, converter in rule._converters.items()
    }  # fmt: skip
    return [
        rule.build(dict(zip(choices, values, strict=True)), append_unknown=False)[1]
        for values in itertools.product(*choices.values())
    ]


def signed_in(client) -> bool:
    """Whether the client's session belongs to a user."""
    with client.session_transaction() as session:
        return "_user_id" in session


def probes(client, url: str, methods: set[str], username: str, password: str):
    """Offer the credentials every way a route could take them; yield each response."""
    token = csrf_token(client.get("/login/").get_data(as_text=True))
    credentials = {"username": username, "password": password}
    basic = base64.b64encode(f"{username}:{password}".encode()).decode()
    for method in methods & WRITE_METHODS:
        yield client.open(
            url, method=method, json={**credentials, "provider": "db", "refresh": True}
        )
        yield client.open(url, method=method, data={**credentials, "csrf_token": token})
    yield client.get(url, headers={"Authorization": f"Basic {basic}"})


def test_no_route_but_the_login_form_accepts_a_password(login_app):
    """Every route is offered an admin's password as JSON, form and Basic auth: none signs in."""
    username, password = "root", "pw " * 6
    rules = [rule for rule in login_app.url_map.iter_rules() if rule.endpoint != "static"]
    for rule in rules:
        if rule.rule in LOGIN_ROUTES:
            continue
        for url in filled(rule):
            client = login_app.test_client()
            for response in probes(client, url, rule.methods, username, password):
                # As bytes: some routes answer with files (the favicon), not text.
                body = response.get_data()
                assert b"access_token" not in body, url
                assert not signed_in(client), url
    # The same credentials, offered the same way, do sign in through the login form.
    client = login_app.test_client()
    for _ in probes(client, "/login/", {"POST"}, username, password):
        pass
    assert signed_in(client)
