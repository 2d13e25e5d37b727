"""Password guessing is slowed without locking the owner out: limits per (account, address),
and a captcha for an account guessed at from many addresses."""

import pytest

from tests.support.apps import PASSWORD, captcha_settings
from tests.support.forms import Browser

OWNER = "olga"


@pytest.fixture
def limited_app(standalone_app):
    """An app with tight login limits (and any extra settings), with one account."""

    def make(**settings):
        app = standalone_app(RATELIMIT_LOGIN_ACCOUNT="3 per hour", **settings)
        with app.app_context():
            sm = app.appbuilder.sm
            sm.add_user(
                OWNER, "Olga", "Owner", "olga@example.org", sm.find_role("Listener"), PASSWORD
            )
        return app

    return make


def attempt(app, address: str, username: str, password: str, **fields):
    """One login from an address, in a fresh browser; the response."""
    visitor = Browser(app.test_client())
    address_of = {"environ_base": {"REMOTE_ADDR": address}}
    response = visitor.submit(
        "/login/", {"username": username, "password": password, **fields}, **address_of
    )
    return response


def signed_in(response) -> bool:
    """Whether a login response let the visitor in."""
    return response.status_code == 302 and "/login/" not in response.headers["Location"]


def test_failures_from_elsewhere_never_lock_the_owner_out(limited_app):
    """The guesser's address runs out of tries; the owner, from another address, gets in."""
    app = limited_app()
    answers = [attempt(app, "10.0.0.66", OWNER, "wrong guess").status_code for _ in range(5)]
    assert answers == [302, 302, 302, 429, 429]
    assert signed_in(attempt(app, "10.0.0.7", OWNER, PASSWORD))


def test_username_and_email_share_one_budget(limited_app):
    """Typing the email instead of the username gives a guesser no second budget."""
    app = limited_app()
    for typed in (OWNER, "OLGA@example.org", OWNER.upper()):
        assert attempt(app, "10.0.0.66", typed, "wrong guess").status_code == 302
    assert attempt(app, "10.0.0.66", "olga@example.org", "wrong guess").status_code == 429


def test_guessing_from_many_addresses_brings_a_captcha_for_that_account(
    limited_app, captcha_server
):
    """Past the account's failure budget, its login wants a solved captcha; others do not."""
    app = limited_app(RATELIMIT_LOGIN_FAILURES="4 per hour", **captcha_settings(captcha_server))
    for address in range(5):
        assert not signed_in(attempt(app, f"10.1.0.{address}", OWNER, "wrong guess"))
    owner = Browser(app.test_client())
    refused = owner.submit("/login/", {"username": OWNER, "password": PASSWORD})
    assert not signed_in(refused)
    page = owner.get(refused.headers["Location"]).get_data(as_text=True)
    assert "confirm you are not a robot" in page
    assert 'class="g-recaptcha"' in page
    solved = {"username": OWNER, "password": PASSWORD, "g-recaptcha-response": "solved"}
    assert signed_in(owner.submit("/login/", solved))
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_user("other", "O", "T", "other@example.org", sm.find_role("Listener"), PASSWORD)
    assert signed_in(attempt(app, "10.1.0.1", "other", PASSWORD))
