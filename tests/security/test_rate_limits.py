"""Rate limits on the account forms, answered with a readable 429: per address and per
account, shared through Redis, keyed on the client behind trusted proxies only."""

import logging
import uuid

import pytest

from app.security.lockout import FAILURES, failures_limit, login_account, under_attack
from app.security.throttling import own_keys
from tests.support.apps import PASSWORD, ROLE_USERS, add_role_users
from tests.support.databases import redis_url
from tests.support.forms import registration_form

#: A new password the policy accepts.
GOOD = "a lantern over quiet water"


LIMITED_FORMS = [
    (
        "RATELIMIT_REGISTER",
        "/register/form",
        lambda n: registration_form(
            username=f"user{n}", email=f"user{n}@example.org", **{"g-recaptcha-response": ""}
        ),
    ),
    (
        "RATELIMIT_REGISTER_ACCOUNT",
        "/register/form",
        lambda n: registration_form(
            username=f"user{n}", email="captcha@example.org", **{"g-recaptcha-response": ""}
        ),
    ),
    ("RATELIMIT_RESEND", "/register/resend/form", lambda n: {"email": f"u{n}@example.org"}),
    ("RATELIMIT_RESEND_ACCOUNT", "/register/resend/form", lambda n: {"email": "u@example.org"}),
    ("RATELIMIT_FORGOT", "/forgot-password/form", lambda n: {"email": f"u{n}@example.org"}),
    ("RATELIMIT_FORGOT_ACCOUNT", "/forgot-password/form", lambda n: {"email": "u@example.org"}),
    ("AUTH_RATE_LIMIT", "/login/", lambda n: {"username": f"u{n}", "password": "wrong"}),
    ("RATELIMIT_LOGIN_ACCOUNT", "/login/", lambda n: {"username": "lisa", "password": "wrong"}),
]


@pytest.mark.parametrize(
    ("setting", "url", "fields"), LIMITED_FORMS, ids=[case[0] for case in LIMITED_FORMS]
)
def test_rate_limits_answer_429(standalone_app, visit, setting, url, fields):
    """Each limit lets two posts through and answers the third with a readable 429."""
    visitor = visit(standalone_app(**{setting: "2 per hour"}))
    for attempt in range(2):
        # A login (right or wrong) redirects; the other forms answer with a page.
        allowed = 302 if url == "/login/" else 200
        assert visitor.submit(url, fields(attempt)).status_code == allowed
    response = visitor.submit(url, fields(2))
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0


def test_per_account_limit_spares_other_accounts(app, visit, monkeypatch):
    """Hitting one address's limit does not block requests about another address."""
    monkeypatch.setitem(app.config, "RATELIMIT_FORGOT_ACCOUNT", "1 per hour")
    visitor = visit(app)
    visitor.submit("/forgot-password/form", {"email": "a@example.org"})
    blocked = visitor.submit("/forgot-password/form", {"email": "A@example.org"})
    other = visitor.submit("/forgot-password/form", {"email": "b@example.org"})
    assert blocked.status_code == 429
    assert other.status_code == 200


def test_activation_is_rate_limited(app, browser, monkeypatch):
    """Guessing activation links is limited per address."""
    monkeypatch.setitem(app.config, "RATELIMIT_ACTIVATION", "2 per hour")
    answers = [browser.get(f"/register/activation/{uuid.uuid4()}").status_code for _ in range(3)]
    form_still_opens = browser.get("/register/form").status_code
    assert answers == [404, 404, 429]
    assert form_still_opens == 200


def test_limits_are_shared_through_redis(standalone_app, visit):
    """With RATELIMIT_STORAGE_URI on Redis, two app instances count together."""
    settings = {
        "RATELIMIT_STORAGE_URI": redis_url(),
        "RATELIMIT_KEY_PREFIX": f"setlist-test-{uuid.uuid4().hex}",
        "RATELIMIT_FORGOT": "2 per hour",
    }
    first, second = visit(standalone_app(**settings)), visit(standalone_app(**settings))
    assert first.submit("/forgot-password/form", {"email": "a@example.org"}).status_code == 200
    assert second.submit("/forgot-password/form", {"email": "b@example.org"}).status_code == 200
    assert first.submit("/forgot-password/form", {"email": "c@example.org"}).status_code == 429


def test_installs_sharing_one_redis_count_their_own_login_failures(standalone_app, visit):
    """Login failures are counted under the install's RATELIMIT_KEY_PREFIX: another install on
    the same Redis, whose user has the same id, keeps its own count; one install's two app
    servers (one prefix) count together."""
    shared = {"RATELIMIT_STORAGE_URI": redis_url(), "RATELIMIT_LOGIN_FAILURES": "2 per hour"}
    prefix = f"setlist-test-{uuid.uuid4().hex}"
    first = standalone_app(**shared, RATELIMIT_KEY_PREFIX=prefix)
    second_server = standalone_app(**shared, RATELIMIT_KEY_PREFIX=prefix)
    other_install = standalone_app(**shared, RATELIMIT_KEY_PREFIX=f"{prefix}-other")
    for app in (first, second_server, other_install):
        add_role_users(app)
    listener = ROLE_USERS["Listener"]
    for _ in range(3):
        assert not visit(first).login(listener, "wrong password")

    def attacked(app) -> bool:
        with app.test_request_context("/login/"):
            return under_attack(login_account(listener))

    assert (attacked(first), attacked(second_server), attacked(other_install)) == (
        True,
        True,
        False,
    )


@pytest.mark.parametrize("hops", [0, 1])
def test_limits_key_on_the_client_behind_trusted_proxies_only(standalone_app, visit, hops):
    """With a proxy trusted, limits count per forwarded client; without, X-Forwarded-For is
    the client's own claim and changes nothing."""
    app = standalone_app(CATALOG_TRUSTED_PROXIES=hops, RATELIMIT_FORGOT="1 per hour")
    visitor = visit(app)

    def ask(client_address: str, email: str) -> int:
        headers = {"X-Forwarded-For": client_address}
        return visitor.submit(
            "/forgot-password/form", {"email": email}, headers=headers
        ).status_code

    assert ask("203.0.113.1", "a@example.org") == 200
    # Another client behind the same proxy (or the same one lying about its address).
    assert ask("203.0.113.2", "b@example.org") == (200 if hops else 429)
    assert ask("203.0.113.1", "c@example.org") == 429


def test_wrong_current_passwords_are_limited_per_user(app, login_as, users, monkeypatch, caplog):
    """A signed-in session cannot be used to guess the password: wrong current passwords
    use a per-user budget (a weak new password does not), then a 429 even for the right one;
    another user is unaffected, and each wrong guess counts as a failed login of the account."""
    monkeypatch.setitem(app.config, "RATELIMIT_PASSWORD_CHECK", "2 per hour")
    caplog.set_level(logging.INFO, logger="app.audit")
    listener, editor = login_as("Listener"), login_as("Editor")
    weak = {"current_password": PASSWORD, "password": "short", "conf_password": "short"}
    for _ in range(3):
        answer = listener.submit("/resetmypassword/form", weak)
        assert "Use at least 12 characters" in answer.get_data(as_text=True)
    wrong = {"current_password": "a guess", "password": GOOD, "conf_password": GOOD}
    for _ in range(2):
        answer = listener.submit("/resetmypassword/form", wrong)
        assert "That is not your current password." in answer.get_data(as_text=True)
    right = {**wrong, "current_password": PASSWORD}
    blocked = listener.submit("/resetmypassword/form", right)
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    assert editor.submit("/resetmypassword/form", wrong).status_code == 200
    refusals = [
        r.getMessage() for r in caplog.records if "password_change_refused" in r.getMessage()
    ]
    assert len(refusals) == 3  # the listener's two and the editor's one
    assert f"account={users['Listener']} reason=wrong" in refusals[0]
    with app.test_request_context():
        user = app.appbuilder.sm.find_user(username=users["Listener"])
        limiter = app.appbuilder.sm.limiter.limiter
        keys = own_keys(FAILURES, f"user:{user.id}")
        assert limiter.get_window_stats(failures_limit(), *keys)[1] == failures_limit().amount - 2


def test_an_anonymous_password_change_is_sent_to_log_in(browser):
    """The per-user limit runs before the login check: a stranger's post is no server error."""
    fields = {"current_password": "x"}  # with a valid CSRF token, taken from the login page
    answer = browser.submit("/login/", fields, post_url="/resetmypassword/form")
    assert answer.status_code == 302
    assert "/login/" in answer.headers["Location"]
