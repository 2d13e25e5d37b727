"""Listeners sign themselves up: email activation, expiry, resend, no account enumeration."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from app.extensions import db
from tests.support.forms import NEW_ACCOUNT_PASSWORD, Browser, registration_form
from tests.support.mail import first_link, html_of, text_of

GOOD_PASSWORD = NEW_ACCOUNT_PASSWORD
CHECK_EMAIL = "Check your email"
registration = registration_form


def path_of(link: str) -> str:
    """The path (and query) of an absolute link, to open it with the test client."""
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def pending_count(app) -> int:
    """How many registrations wait for activation."""
    with app.app_context():
        model = app.appbuilder.sm.registeruser_model
        return db.session.scalar(select(func.count()).select_from(model))


def activate(browser, link: str, password: str = GOOD_PASSWORD):
    """Open an activation link and confirm with the password chosen when registering."""
    return browser.submit(link, {"password": password})


def test_register_activate_and_log_in_as_listener(app, browser, inbox):
    """The activation email reaches a real SMTP server; its link makes a Listener account."""
    # A forged Host header must not end up in the emailed link.
    response = browser.submit("/register/form", registration(), base_url="http://evil.test")
    assert response.status_code == 200
    assert CHECK_EMAIL in response.get_data(as_text=True)

    message = inbox.last_to("nina@example.org")
    assert message["Subject"] == "Activate your Setlist account"
    assert message["From"] == "setlist@example.org"
    link = first_link(message)
    assert link.startswith("http://setlist.example/register/activation/"), link
    assert link in html_of(message)
    assert "Nina" in text_of(message)

    asked = browser.get(path_of(link)).get_data(as_text=True)
    assert "This link activates the account newlistener" in asked
    page = activate(browser, path_of(link))
    assert page.status_code == 200
    assert "Your account is active" in page.get_data(as_text=True)
    assert pending_count(app) == 0

    assert not browser.login("newlistener", "wrong password entirely")
    assert browser.login("newlistener", GOOD_PASSWORD)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="newlistener")
        assert [role.name for role in user.roles] == ["Listener"]
    assert browser.get("/songs/list/").status_code == 200
    assert browser.get("/songs/add").status_code == 403


@pytest.mark.parametrize("reuse", [True, False], ids=["reused", "unknown"])
def test_used_or_unknown_link_offers_a_new_one(browser, inbox, reuse):
    """A link works once; a used or made-up one shows a page offering a new email."""
    if reuse:
        browser.submit("/register/form", registration())
        link = path_of(first_link(inbox.last_to("nina@example.org")))
        assert "Your account is active" in activate(browser, link).get_data(as_text=True)
    else:
        link = "/register/activation/00000000-0000-0000-0000-000000000000"
    page = browser.get(link)
    assert page.status_code == 404
    text = page.get_data(as_text=True)
    assert "This activation link is not valid" in text
    assert 'href="http://setlist.example/register/resend/form"' in text


def test_expired_link_is_refused_and_resend_gives_a_working_one(app, browser, inbox):
    """After 24 hours the link is dead; "send a new activation email" brings a fresh one."""
    browser.submit("/register/form", registration())
    old_link = path_of(first_link(inbox.last_to("nina@example.org")))
    with app.app_context():
        pending = app.appbuilder.sm.registeruser_model
        row = db.session.scalars(select(pending)).one()
        row.registration_date = datetime.now() - timedelta(hours=25)
        db.session.commit()
    page = browser.get(old_link)
    assert page.status_code == 410
    assert "This activation link has expired" in page.get_data(as_text=True)

    browser.submit("/register/form", registration())
    inbox.clear()
    response = browser.submit("/register/resend/form", {"email": "NINA@example.org"})
    assert CHECK_EMAIL in response.get_data(as_text=True)
    new_link = path_of(first_link(inbox.last_to("nina@example.org")))
    assert "Your account is active" in activate(browser, new_link).get_data(as_text=True)


def test_resend_replaces_the_link_and_restarts_its_clock(app, browser, inbox):
    """A resent email's link is the only one that works, and it has a full day again."""
    browser.submit("/register/form", registration())
    old_link = path_of(first_link(inbox.last_to("nina@example.org")))
    pending = app.appbuilder.sm.registeruser_model
    with app.app_context():
        db.session.scalars(select(pending)).one().registration_date = datetime.now() - timedelta(
            hours=23
        )
        db.session.commit()
    inbox.clear()
    browser.submit("/register/resend/form", {"email": "nina@example.org"})
    new_link = path_of(first_link(inbox.last_to("nina@example.org")))
    assert browser.get(old_link).status_code == 404  # the old link died with the resend
    with app.app_context():
        # The clock restarted: 23 hours from now the new link is still young.
        age = datetime.now() - db.session.scalars(select(pending)).one().registration_date
        assert age < timedelta(minutes=5)
    assert "Your account is active" in activate(browser, new_link).get_data(as_text=True)


def test_resend_for_unknown_address_looks_the_same_and_sends_nothing(browser, inbox):
    """Resending to an address with no pending registration answers alike, silently."""
    response = browser.submit("/register/resend/form", {"email": "nobody@example.org"})
    assert response.status_code == 200
    assert CHECK_EMAIL in response.get_data(as_text=True)
    assert inbox.to("nobody@example.org") == []


def answer_text(response, email: str) -> str:
    """The visible answer with the typed address taken out, to compare two answers."""
    page = response.get_data(as_text=True)
    start = page.index('<div class="alert')
    return page[start : page.index("</div>", start)].replace(email, "EMAIL")


def test_existing_email_gets_the_same_answer_and_a_notice(app, visit, users, inbox):
    """Registering an address that has an account looks like success; its owner is told."""
    fresh = visit(app).submit("/register/form", registration())
    existing = visit(app).submit(
        "/register/form",
        registration(username="someoneelse", email="lisa@example.org"),
    )
    assert existing.status_code == fresh.status_code == 200
    assert answer_text(existing, "lisa@example.org") == answer_text(fresh, "nina@example.org")
    notice = inbox.last_to("lisa@example.org")
    assert "already has an account" in text_of(notice)
    assert "activation" not in text_of(notice).lower()
    assert pending_count(app) == 1


def test_taken_username_gets_the_same_answer_and_an_email(app, visit, users, inbox):
    """A username already in use: same page, and the address learns to choose another."""
    fresh = visit(app).submit("/register/form", registration())
    taken = visit(app).submit(
        "/register/form", registration(username="LISA", email="other@example.org")
    )
    assert answer_text(taken, "other@example.org") == answer_text(fresh, "nina@example.org")
    assert '"LISA" is already taken' in text_of(inbox.last_to("other@example.org"))
    assert pending_count(app) == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass", "Use at least 12 characters"),
        ("password1234", "This password is too common"),
        ("q1w2e3r4t5y6", "This password is too common"),
        ("newlistener1", "Do not use your username or email address"),
        ("nina@example.org", "Do not use your username or email address"),
        ("x" * 129, "Use at most 128 characters"),
        (GOOD_PASSWORD, None),
    ],
    ids=["too-short", "common", "common-pattern", "username", "email", "too-long", "good"],
)
def test_password_policy_on_registration(app, browser, inbox, password, message):
    """Each weak password is refused next to the field with what to do; a good one passes."""
    fields = registration(username="newlistener1", password=password, conf_password=password)
    response = browser.submit("/register/form", fields)
    page = response.get_data(as_text=True)
    if message is None:
        assert CHECK_EMAIL in page
        assert pending_count(app) == 1
    else:
        assert message in page
        assert CHECK_EMAIL not in page
        assert pending_count(app) == 0


def test_admin_sees_pending_registrations_and_purge_removes_stale_ones(
    app, browser, login_as, runner
):
    """Pending registrations are listed for admins; purge-registrations drops old ones."""
    browser.submit("/register/form", registration())
    browser.submit("/register/form", registration(username="oldone", email="old@example.org"))
    with app.app_context():
        model = app.appbuilder.sm.registeruser_model
        old = db.session.scalars(select(model).where(model.username == "oldone")).one()
        old.registration_date = datetime.now() - timedelta(days=8)
        db.session.commit()
    listing = login_as("Admin").get("/registeruser/list/").get_data(as_text=True)
    assert "newlistener" in listing
    assert "oldone" in listing

    result = runner.invoke(args=["catalog", "purge-registrations", "--older-than", "7d"])
    assert "Removed 1 pending registration(s)" in result.output
    assert pending_count(app) == 1
    assert runner.invoke(args=["catalog", "purge-registrations", "--older-than", "soon"]).exit_code


def test_markup_in_names_is_escaped_in_pages_and_emails(browser, inbox):
    """A first name with HTML is shown as text on the welcome page and in the email."""
    markup = "<script>alert(1)</script>"
    browser.submit("/register/form", registration(first_name=markup))
    message = inbox.last_to("nina@example.org")
    assert markup not in html_of(message)
    assert "&lt;script&gt;" in html_of(message)
    page = browser.get(path_of(first_link(message))).get_data(as_text=True)
    assert markup not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_address_owner_cannot_be_led_to_activate_someone_elses_account(app, browser, inbox):
    """Registering with another person's address sends them a link that only activates with
    the registrant's password: their own password activates nothing."""
    attacker = registration(username="mallory", password="mallory chose this one",
                            conf_password="mallory chose this one")  # fmt: skip
    browser.submit("/register/form", attacker)
    link = path_of(first_link(inbox.last_to("nina@example.org")))
    victim = Browser(app.test_client())
    asked = victim.get(link).get_data(as_text=True)
    assert "This link activates the account mallory" in asked
    refused = activate(victim, link, password=GOOD_PASSWORD)
    assert "That is not the password chosen when registering." in refused.get_data(as_text=True)
    assert pending_count(app) == 1
    with app.app_context():
        assert app.appbuilder.sm.find_user(username="mallory") is None
