"""reCAPTCHA through a real verify server, rate limits answered with 429, session rotation."""

import logging
import re
import time
import uuid

import pytest

from app.security.lockout import FAILURES, failures_limit, login_account, under_attack
from app.security.ratelimits import own_keys
from tests.servers import first_link
from tests.support import (
    PASSWORD,
    ROLE_USERS,
    add_role_users,
    captcha_settings,
    redis_url,
    registration_form,
)

#: A new password the policy accepts.
GOOD = "a lantern over quiet water"


def registration(**fields) -> dict:
    """A registration form for the captcha tests, with a solved captcha token."""
    return registration_form(
        **{
            "username": "captchauser",
            "email": "captcha@example.org",
            "g-recaptcha-response": "token-from-widget",
            **fields,
        }
    )


@pytest.fixture
def captcha_app(standalone_app, captcha_server):
    """Build an app whose captcha is checked by the loopback server at a path."""

    def make(path: str, **overrides):
        return standalone_app(
            **captcha_settings(captcha_server, path), RECAPTCHA_TIMEOUT=1, **overrides
        )

    return make


def test_accepted_captcha_lets_registration_through(captcha_app, captcha_server, visit, inbox):
    """The form shows the widget; the verify server gets the secret and the token."""
    visitor = visit(captcha_app("/ok"))
    form = visitor.get("/register/form").get_data(as_text=True)
    assert 'data-sitekey="test-site-key"' in form
    assert f"{captcha_server.url}/recaptcha.js" in form
    response = visitor.submit("/register/form", registration())
    assert "Check your email" in response.get_data(as_text=True)
    assert first_link(inbox.last_to("captcha@example.org"))
    posted = captcha_server.posted[-1]
    assert posted["secret"] == ["test-secret-key"]
    assert posted["response"] == ["token-from-widget"]


@pytest.mark.parametrize(
    ("path", "fields", "message"),
    [
        ("/fail", {}, "The captcha was not accepted. Please try again."),
        ("/ok", {"g-recaptcha-response": ""}, "Please confirm that you are not a robot."),
        ("/hang", {}, "We could not check the captcha just now. Please try again"),
    ],
    ids=["rejected", "missing", "verify-server-hangs"],
)
def test_captcha_problems_are_explained(captcha_app, visit, inbox, path, fields, message):
    """A rejected, missing or unverifiable captcha is a form error, and nothing is sent."""
    visitor = visit(captcha_app(path))
    started = time.monotonic()
    response = visitor.submit("/register/form", registration(**fields))
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert inbox.to("captcha@example.org") == []
    # RECAPTCHA_TIMEOUT is 1 s: a hung verify server must not hold the request for long.
    assert elapsed < 10


def test_forgot_password_form_has_the_captcha_too(captcha_app, visit):
    """Public forms that send email are all behind the captcha."""
    visitor = visit(captcha_app("/fail"))
    response = visitor.submit(
        "/forgot-password/form", {"email": "x@example.org", "g-recaptcha-response": "t"}
    )
    assert "The captcha was not accepted" in response.get_data(as_text=True)


LIMITED_FORMS = [
    (
        "RATELIMIT_REGISTER",
        "/register/form",
        lambda n: registration(
            username=f"user{n}", email=f"user{n}@example.org", **{"g-recaptcha-response": ""}
        ),
    ),
    (
        "RATELIMIT_REGISTER_ACCOUNT",
        "/register/form",
        lambda n: registration(username=f"user{n}", **{"g-recaptcha-response": ""}),
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


def test_login_rotates_the_session(app, browser, users, password):
    """Logging in drops the pre-login session contents, CSRF token included."""
    browser.get("/login/")
    with browser.client.session_transaction() as session:
        before = session["csrf_token"]
    assert browser.login(users["Listener"], password)
    browser.get("/resetmypassword/form")
    with browser.client.session_transaction() as session:
        assert session["csrf_token"] != before
        assert session.permanent
        assert session["_user_id"]


def test_development_warns_when_registration_has_no_captcha(tmp_path, caplog):
    """Without reCAPTCHA keys, development registration works and a server says so once
    (on its first request; run.py at start, see test_run.py), not when the app is built."""
    from app import create_app

    url = f"sqlite:///{tmp_path / 'warn.db'}"
    with caplog.at_level("WARNING"):
        app = create_app(
            "development",
            SQLALCHEMY_DATABASE_URI=url,
            UPLOAD_FOLDER=str(tmp_path),
            RECAPTCHA_PUBLIC_KEY="",
            RECAPTCHA_ENABLED=False,
        )
        assert not [r for r in caplog.records if "without reCAPTCHA keys" in r.getMessage()]
        client = app.test_client()
        client.get("/login/")
        client.get("/login/")
    warnings = [r for r in caplog.records if "without reCAPTCHA keys" in r.getMessage()]
    assert len(warnings) == 1


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


ACCOUNT_FORMS = [
    ("/register/form", "Create my account"),
    ("/register/resend/form", "Send the email"),
    ("/forgot-password/form", "Email me a reset link"),
]


def form_of(page: str) -> str:
    """The page's main form, from its opening tag to its end."""
    start = page.index('<form id="model_form"')
    return page[start : page.index("</form>", start)]


@pytest.mark.parametrize(("url", "button"), ACCOUNT_FORMS, ids=[url for url, _ in ACCOUNT_FORMS])
def test_account_forms_say_what_their_button_does(app, captcha_app, visit, url, button):
    """One button naming the step (not FAB's "Save" and back arrow); a row for the captcha
    only while there is one."""
    for visitor, captcha in ((visit(app), False), (visit(captcha_app("/ok")), True)):
        form = form_of(visitor.get(url).get_data(as_text=True))
        assert re.findall(r"<button[^>]*>\s*([^<]*?)\s*</button>", form) == [button]
        assert "lnk_back" not in form
        assert "fa-arrow-left" not in form
        assert ('<label for="recaptcha"' in form) is captcha
        assert ("g-recaptcha" in form) is captcha


def test_changing_ones_password_has_its_own_button(login_as):
    """Signed in, the password form's button says what it does too."""
    form = form_of(login_as("Listener").get("/resetmypassword/form").get_data(as_text=True))
    assert re.findall(r"<button[^>]*>\s*([^<]*?)\s*</button>", form) == ["Change my password"]


def test_an_anonymous_password_change_is_sent_to_log_in(browser):
    """The per-user limit runs before the login check: a stranger's post is no server error."""
    fields = {"current_password": "x"}  # with a valid CSRF token, taken from the login page
    answer = browser.submit("/login/", fields, post_url="/resetmypassword/form")
    assert answer.status_code == 302
    assert "/login/" in answer.headers["Location"]
