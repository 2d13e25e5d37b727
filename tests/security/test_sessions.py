"""Sessions the server ends: a cookie copied before logout, a password change, an admin's
"End all sessions", a deactivation or "Log out everywhere" stops working; logins expire."""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, update

from app.extensions import db
from app.models import LoginSession
from app.security.sessions import PURGE_AT_LOGIN, PURGE_BATCH, utcnow
from tests.security.test_password_recovery import choose_password, reset_link
from tests.support.apps import PASSWORD, add_role_users
from tests.support.forms import Browser

NEW_PASSWORD = "copper meadow listens twice"


def signed_in(visitor: Browser) -> bool:
    """Whether the visitor's cookie still opens their own account page."""
    return visitor.get("/users/userinfo/").status_code == 200


def copy_of(app, visitor: Browser) -> Browser:
    """Another browser holding a copy of the visitor's session cookie (a stolen cookie)."""
    thief = Browser(app.test_client())
    cookie = visitor.client.get_cookie("session")
    thief.client.set_cookie("session", cookie.value, domain=cookie.domain)
    return thief


def second_login(app, username: str) -> Browser:
    """The same account signed in on another device."""
    other = Browser(app.test_client())
    assert other.login(username)
    return other


def user_id(app, username: str) -> int:
    """The id of an account."""
    with app.app_context():
        return app.appbuilder.sm.find_user(username=username).id


def test_a_cookie_copied_before_logout_stops_working(app, own_account):
    """Logging out ends the login on the server, not only in the browser that logged out."""
    owner = Browser(app.test_client())
    assert owner.login(own_account)
    thief = copy_of(app, owner)
    assert signed_in(thief)
    owner.logout()
    assert not signed_in(thief)
    assert not signed_in(owner)


def test_changing_ones_password_ends_the_other_logins(app, own_account):
    """The device that changed the password stays in; every other one is signed out."""
    owner, laptop = Browser(app.test_client()), second_login(app, own_account)
    assert owner.login(own_account)
    thief = copy_of(app, laptop)
    assert signed_in(laptop)
    assert signed_in(thief)
    changed = owner.submit(
        "/resetmypassword/form",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "conf_password": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert signed_in(owner)
    assert not signed_in(laptop)
    assert not signed_in(thief)


def test_a_forgotten_password_reset_ends_every_login(app, browser, own_account, inbox):
    """Whoever held the account before the reset is out after it."""
    laptop = second_login(app, own_account)
    assert signed_in(laptop)
    assert choose_password(browser, reset_link(browser, inbox)).status_code == 302
    assert not signed_in(laptop)


def test_an_admin_ends_all_sessions_of_a_user(app, login_as, own_account):
    """ "End all sessions" on a user's page signs that user out on every device."""
    laptop, phone = second_login(app, own_account), second_login(app, own_account)
    admin = login_as("Admin")
    user_page = f"/users/show/{user_id(app, own_account)}"
    assert "End all sessions" in admin.get(user_page).get_data(as_text=True)
    ended = admin.submit(
        user_page, {}, post_url=f"/users/action/endsessions/{user_id(app, own_account)}"
    )
    assert ended.status_code == 302
    assert "2 sessions ended" in admin.get(ended.headers["Location"]).get_data(as_text=True)
    assert not signed_in(laptop)
    assert not signed_in(phone)
    assert signed_in(admin)


def test_deactivating_a_user_ends_their_logins_for_good(app, login_as, own_account):
    """A deactivated account is out at once, and reactivating it does not revive old cookies."""
    laptop = second_login(app, own_account)
    admin = login_as("Admin")
    edit = f"/users/edit/{user_id(app, own_account)}"
    fields = {"first_name": "Olivia", "last_name": "Owner", "username": own_account,
              "email": "olivia@example.org", "roles": "3"}  # fmt: skip
    with app.app_context():
        fields["roles"] = str(app.appbuilder.sm.find_role("Listener").id)
    assert admin.submit(edit, fields).status_code == 302  # "active" unticked
    assert not signed_in(laptop)
    assert admin.submit(edit, {**fields, "active": "y"}).status_code == 302
    assert not signed_in(laptop)
    assert signed_in(second_login(app, own_account))


def test_log_out_everywhere_from_ones_own_page(app, own_account):
    """The button on one's own page ends this login and every other one."""
    owner, phone = Browser(app.test_client()), second_login(app, own_account)
    assert owner.login(own_account)
    page = owner.get("/users/userinfo/").get_data(as_text=True)
    assert "Log out everywhere" in page
    # The action names a row id; whatever it names, only one's own logins end.
    admin_id = user_id(app, "alice")
    response = owner.submit(
        "/users/userinfo/", {}, post_url=f"/users/action/logouteverywhere/{admin_id}"
    )
    assert response.status_code == 302
    assert not signed_in(owner)
    assert not signed_in(phone)
    assert signed_in(second_login(app, "alice"))


def test_a_login_expires_after_its_absolute_lifetime(app, own_account):
    """However busy, a login ends SESSION_MAX_HOURS after it began."""
    owner = Browser(app.test_client())
    assert owner.login(own_account)
    assert signed_in(owner)
    began = utcnow() - timedelta(hours=app.config["SESSION_MAX_HOURS"], minutes=1)
    with app.app_context():
        db.session.execute(update(LoginSession).values(created_at=began))
        db.session.commit()
    assert not signed_in(owner)
    assert owner.login(own_account, PASSWORD)
    assert signed_in(owner)


def test_only_a_posted_form_logs_out(app, own_account):
    """A link or image pointing at /logout/ (GET, or POST without the token) logs nobody out."""
    owner = Browser(app.test_client())
    assert owner.login(own_account)
    asked = owner.get("/logout/")
    assert asked.status_code == 200
    assert "Log out of Setlist?" in asked.get_data(as_text=True)
    assert signed_in(owner)
    assert owner.client.post("/logout/").status_code == 400
    assert signed_in(owner)
    page = owner.get("/users/userinfo/").get_data(as_text=True)
    assert 'action="/logout/"' in page
    assert owner.logout().status_code == 302
    assert not signed_in(owner)


def test_an_admin_setting_a_password_ends_that_users_logins(app, login_as, own_account):
    """An admin's "Reset Password" for a user signs that user out everywhere, not the admin."""
    laptop = second_login(app, own_account)
    admin = login_as("Admin")
    form = f"/resetpassword/form?pk={user_id(app, own_account)}"
    changed = admin.submit(form, {"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD})
    assert changed.status_code == 302
    assert not signed_in(laptop)
    assert signed_in(admin)


#: Long before any login a test makes: these expired rows are the oldest of all.
LONG_AGO = datetime(2000, 1, 1)


def add_expired_logins(app, username: str, count: int) -> None:
    """`count` logins of a user that began long ago (a minute apart): over, but still rows."""
    rows = [
        {
            "id": secrets.token_urlsafe(32),
            "user_id": user_id(app, username),
            "created_at": LONG_AGO + timedelta(minutes=number),
        }
        for number in range(count)
    ]
    with app.app_context():
        db.session.execute(insert(LoginSession), rows)
        db.session.commit()


def logins_begun_before(app, moment: datetime) -> int:
    """How many login rows began before a moment."""
    with app.app_context():
        query = select(func.count()).where(LoginSession.created_at < moment)
        return db.session.scalar(query)


def test_each_login_removes_a_few_expired_logins(app, own_account, users):
    """A new login deletes up to PURGE_AT_LOGIN expired rows, oldest first: the table
    shrinks back with use, no login pays for the whole backlog, live logins stay."""
    add_expired_logins(app, own_account, 2 * PURGE_AT_LOGIN + 5)
    first_device = second_login(app, own_account)
    assert logins_begun_before(app, datetime(2001, 1, 1)) == PURGE_AT_LOGIN + 5
    second_device = second_login(app, own_account)
    assert logins_begun_before(app, datetime(2001, 1, 1)) == 5
    second_login(app, users["Listener"])  # anyone's login clears anyone's expired rows
    assert logins_begun_before(app, datetime(2001, 1, 1)) == 0
    assert signed_in(first_device)
    assert signed_in(second_device)


def test_purge_sessions_removes_every_expired_login_and_no_live_one(standalone_app):
    """`flask catalog purge-sessions` deletes the whole backlog in batches; signed-in
    browsers stay signed in; a second run finds nothing."""
    app = standalone_app()
    listener = add_role_users(app)["Listener"]
    browser = second_login(app, listener)
    add_expired_logins(app, listener, 2 * PURGE_BATCH + 345)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["catalog", "purge-sessions"])
    assert result.exit_code == 0, result.output
    assert f"Removed {2 * PURGE_BATCH + 345} expired login(s)" in result.output
    assert logins_begun_before(app, utcnow() + timedelta(minutes=1)) == 1
    assert signed_in(browser)
    again = runner.invoke(args=["catalog", "purge-sessions"])
    assert "Removed 0 expired login(s)" in again.output


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
