"""Whatever ends a user's sessions on the site also shuts their music apps out: logging out
everywhere, changing or resetting the password, an admin's "End all sessions", an admin's
password reset and a deactivation each revoke every app password of that user (only theirs)."""

import pytest

from app.extensions import db
from app.security.app_passwords import cipher_for, create
from tests.security.test_password_recovery import choose_password, reset_link
from tests.security.test_sessions import NEW_PASSWORD, user_id
from tests.support.apps import PASSWORD
from tests.support.forms import Browser


@pytest.fixture
def phone(app, own_account, subsonic):
    """Olivia's music app: check() says whether her app password still opens the API."""
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=own_account)
        password = create(db.session, cipher_for(app.config), user.id, "Phone")[1]

    def check() -> bool:
        return subsonic.call("ping", u=own_account, p=password)["status"] == "ok"

    assert check()
    return check


@pytest.fixture
def bystander(app_password, subsonic, users):
    """Another user's music app, which none of Olivia's changes may touch."""
    key = app_password("Listener")
    return lambda: subsonic.call("ping", apiKey=key)["status"] == "ok"


def olivia(app, own_account) -> Browser:
    """Olivia signed in on the site."""
    owner = Browser(app.test_client())
    assert owner.login(own_account)
    return owner


def test_changing_ones_password_revokes_app_passwords(app, own_account, phone, bystander):
    """ "Change my password" on the site: the phone must sign in anew."""
    changed = olivia(app, own_account).submit(
        "/resetmypassword/form",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "conf_password": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert not phone()
    assert bystander()


def test_a_forgotten_password_reset_revokes_app_passwords(browser, own_account, inbox, phone):
    """A reset by email link: whoever set up a music app before is out."""
    assert choose_password(browser, reset_link(browser, inbox)).status_code == 302
    assert not phone()


def test_log_out_everywhere_revokes_app_passwords(app, own_account, phone, bystander):
    """ "Log out everywhere" on one's own page reaches the phone too."""
    response = olivia(app, own_account).submit(
        "/users/userinfo/",
        {},
        post_url=f"/users/action/logouteverywhere/{user_id(app, own_account)}",
    )
    assert response.status_code == 302
    assert not phone()
    assert bystander()


def test_admin_actions_revoke_app_passwords(app, login_as, own_account, phone, bystander):
    """An admin's "End all sessions" revokes them (a new one works again after)."""
    admin = login_as("Admin")
    page = f"/users/show/{user_id(app, own_account)}"
    ended = admin.submit(
        page, {}, post_url=f"/users/action/endsessions/{user_id(app, own_account)}"
    )
    assert ended.status_code == 302
    assert not phone()
    assert bystander()


def test_deactivation_revokes_app_passwords(app, login_as, own_account, phone):
    """Deactivating the account revokes its app passwords for good: reactivating it does
    not bring them back."""
    admin = login_as("Admin")
    edit = f"/users/edit/{user_id(app, own_account)}"
    with app.app_context():
        listener = str(app.appbuilder.sm.find_role("Listener").id)
    fields = {"first_name": "Olivia", "last_name": "Owner", "username": own_account,
              "email": "olivia@example.org", "roles": listener}  # fmt: skip
    assert admin.submit(edit, fields).status_code == 302
    assert admin.submit(edit, {**fields, "active": "y"}).status_code == 302
    assert not phone()


def test_an_admin_reset_revokes_app_passwords(app, login_as, own_account, phone):
    """An admin's "Reset Password" for a user shuts that user's music apps out."""
    admin = login_as("Admin")
    form = f"/resetpassword/form?pk={user_id(app, own_account)}"
    changed = admin.submit(form, {"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD})
    assert changed.status_code == 302
    assert not phone()
