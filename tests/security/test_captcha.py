"""reCAPTCHA through a real verify server on the public account forms; their buttons in words."""

import re
import time

import pytest

from tests.support.apps import captcha_settings
from tests.support.forms import registration_form
from tests.support.mail import first_link

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
