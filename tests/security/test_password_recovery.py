"""Forgotten passwords: emailed single-use links that expire, same answer for everyone."""

import time
from datetime import timedelta
from urllib.parse import urlsplit

from tests.support.apps import PASSWORD
from tests.support.forms import registration_form as registration
from tests.support.mail import first_link
from tests.support.network import SilentServer, free_port

NEW_PASSWORD = "lantern orchard seventeen"


def reset_link(browser, inbox, email: str = "olivia@example.org") -> str:
    """Ask for a reset link and return its path."""
    response = browser.submit("/forgot-password/form", {"email": email})
    assert "Check your email" in response.get_data(as_text=True)
    link = first_link(inbox.last_to(email))
    assert link.startswith("http://setlist.example/reset-password/"), link
    return urlsplit(link).path


def choose_password(browser, link: str, password: str = NEW_PASSWORD):
    """Fill in the new-password form behind a reset link."""
    return browser.submit(link, {"password": password, "conf_password": password})


def test_forgot_password_end_to_end(browser, own_account, inbox, password):
    """Request, email, new password, log in with it; the old one stops working."""
    link = reset_link(browser, inbox)
    response = choose_password(browser, link)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login/")
    assert not browser.login(own_account, password)
    assert browser.login(own_account, NEW_PASSWORD)


def test_link_works_once(browser, own_account, inbox):
    """After a reset, the same link is refused (it named the old password)."""
    link = reset_link(browser, inbox)
    assert choose_password(browser, link).status_code == 302
    again = browser.get(link)
    assert again.status_code == 404
    assert "This password reset link is not valid" in again.get_data(as_text=True)


def test_link_expires(app, browser, own_account, inbox, monkeypatch):
    """A link older than CATALOG_RESET_MAX_AGE is refused."""
    monkeypatch.setitem(app.config, "CATALOG_RESET_MAX_AGE", timedelta(seconds=1))
    link = reset_link(browser, inbox)
    time.sleep(2.1)
    assert browser.get(link).status_code == 404


def test_tampered_link_is_refused(browser, own_account, inbox):
    """A link whose signature does not match is refused."""
    link = reset_link(browser, inbox)
    assert browser.get(link[:-3] + "abc").status_code == 404


def test_unknown_address_gets_the_same_answer_and_no_email(browser, own_account, inbox):
    """Asking for an unknown address looks exactly like asking for a known one."""
    known = browser.submit("/forgot-password/form", {"email": "olivia@example.org"})
    unknown = browser.submit("/forgot-password/form", {"email": "ghost@example.org"})
    assert known.status_code == unknown.status_code == 200

    def answer(response, email):
        page = response.get_data(as_text=True)
        start = page.index('<div class="alert')
        return page[start : page.index("</div>", start)].replace(email, "EMAIL")

    assert answer(known, "olivia@example.org") == answer(unknown, "ghost@example.org")
    assert inbox.to("ghost@example.org") == []


def test_new_password_follows_the_policy(browser, own_account, inbox):
    """The reset form refuses a common password or the account's own username."""
    link = reset_link(browser, inbox)
    common = choose_password(browser, link, "password1234")
    assert "This password is too common" in common.get_data(as_text=True)
    own_name = choose_password(browser, link, "olivia@example.org")
    assert "Do not use your username or email address" in own_name.get_data(as_text=True)


def test_login_page_links_to_recovery(browser):
    """The login page offers password recovery and a new activation email."""
    page = browser.get("/login/").get_data(as_text=True)
    assert 'href="/forgot-password/form"' in page
    assert 'href="/register/resend/form"' in page
    assert 'href="/register/form"' in page


def test_a_mail_outage_answers_alike_for_known_and_unknown_addresses(standalone_app, visit):
    """Unknown addresses talk to the mail server too: an outage tells no address apart."""
    app = standalone_app(MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_user("kim", "Kim", "K", "kim@example.org", sm.find_role("Listener"), PASSWORD)
        sm.add_register_user("pat", "Pat", "P", "pat@example.org", PASSWORD)
    visitor = visit(app)
    for form, known in [("/forgot-password/form", "kim@example.org"),
                        ("/register/resend/form", "pat@example.org")]:  # fmt: skip
        answers = [
            visitor.submit(form, {"email": email}).status_code
            for email in (known, "nobody@example.org")
        ]
        assert answers == [503, 503], form


def test_password_forms_state_the_policy_they_enforce(login_as, users):
    """FAB's "this application does not check this for you" sits above our own check: gone."""
    admin = login_as("Admin")
    for url in ["/resetmypassword/form", "/users/add", "/resetpassword/form?pk=1"]:
        page = admin.get(url).get_data(as_text=True)
        assert "does not check this for you" not in page, url
        assert "A few unrelated words make a strong password" in page, url


def set_active(app, username: str, active: bool) -> None:
    """Deactivate or reactivate an account, as an admin would."""
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.find_user(username=username)
        user.active = active
        sm.update_user(user)


def test_a_deactivated_account_gets_no_reset_email(app, browser, own_account, inbox):
    """Same answer as for anyone, but no link reaches a deactivated account."""
    set_active(app, own_account, False)
    response = browser.submit("/forgot-password/form", {"email": "olivia@example.org"})
    assert "Check your email" in response.get_data(as_text=True)
    assert inbox.to("olivia@example.org") == []


def test_a_reset_link_dies_when_its_account_is_deactivated(app, browser, own_account, inbox):
    """A link sent before the account was deactivated no longer opens, nor sets a password."""
    link = reset_link(browser, inbox)
    set_active(app, own_account, False)
    assert browser.get(link).status_code == 404
    assert not browser.login(own_account, NEW_PASSWORD)


def test_a_silent_mail_server_costs_a_request_only_mail_timeout(standalone_app, visit):
    """A server that accepts but never answers: registration, resend and forgot-password each
    give up after MAIL_TIMEOUT with the readable 503, instead of hanging a worker."""
    silent = SilentServer()
    try:
        app = standalone_app(MAIL_PORT=silent.port, MAIL_TIMEOUT=1)
        with app.app_context():
            sm = app.appbuilder.sm
            sm.add_user("kim", "Kim", "K", "kim@example.org", sm.find_role("Listener"), PASSWORD)
            sm.add_register_user("pat", "Pat", "P", "pat@example.org", PASSWORD)
        visitor = visit(app)
        for form, fields in [
            ("/register/form", registration()),
            ("/register/resend/form", {"email": "pat@example.org"}),
            ("/forgot-password/form", {"email": "kim@example.org"}),
        ]:
            started = time.monotonic()
            response = visitor.submit(form, fields)
            assert response.status_code == 503, form
            assert "We could not send the email" in response.get_data(as_text=True), form
            # One connection attempt, one MAIL_TIMEOUT: far below a hung worker's minutes.
            assert time.monotonic() - started < 10, form
    finally:
        silent.close()
