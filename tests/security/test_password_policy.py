"""The password policy where people change passwords: their own (with the current one asked
for), an admin setting a user's; never the user's own name or address."""

from tests.support.apps import PASSWORD
from tests.support.forms import NEW_ACCOUNT_PASSWORD

GOOD_PASSWORD = NEW_ACCOUNT_PASSWORD


def test_password_policy_on_change_password(browser, own_account):
    """Changing one's own password follows the same policy."""
    assert browser.login(own_account)
    listener = browser
    refused = listener.submit(
        "/resetmypassword/form",
        {"current_password": PASSWORD, "password": "password1234", "conf_password": "password1234"},
    )
    assert "This password is too common" in refused.get_data(as_text=True)
    accepted = listener.submit(
        "/resetmypassword/form",
        {"current_password": PASSWORD, "password": GOOD_PASSWORD, "conf_password": GOOD_PASSWORD},
    )
    assert accepted.status_code == 302


def test_ones_new_password_may_not_be_ones_username_or_email(app, browser):
    """Both identities are refused, whatever the case of the password or of the stored
    identity; they are long enough to pass every other rule, so only this one can refuse them."""
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_user("victoria-the-listener", "Vic", "Toria", "Victoria.Long@Example.org",
                    sm.find_role("Listener"), PASSWORD)  # fmt: skip
    assert browser.login("victoria-the-listener")
    for identity in ("Victoria-The-Listener", "victoria.long@example.org"):
        fields = {"current_password": PASSWORD, "password": identity, "conf_password": identity}
        refused = browser.submit("/resetmypassword/form", fields)
        assert "Do not use your username or email address" in refused.get_data(as_text=True)


def test_changing_ones_password_asks_for_the_current_one(browser, own_account):
    """Someone at an unattended, signed-in browser cannot change the owner's password."""
    assert browser.login(own_account)
    new = {"password": GOOD_PASSWORD, "conf_password": GOOD_PASSWORD}
    missing = browser.submit("/resetmypassword/form", new)
    wrong = browser.submit("/resetmypassword/form", {**new, "current_password": "a guess"})
    assert "That is not your current password." in wrong.get_data(as_text=True)
    assert missing.status_code == wrong.status_code == 200
    browser.logout()
    assert browser.login(own_account, PASSWORD)


def test_admins_password_policy_is_about_the_user_not_the_admin(app, login_as):
    """Adding a user or setting their password refuses that user's own name, not the admin's."""
    admin = login_as("Admin")
    with app.app_context():
        listener_role = str(app.appbuilder.sm.find_role("Listener").id)
    user = {"first_name": "Quinn", "last_name": "Q", "username": "quinn.listener",
            "email": "quinn@example.org", "roles": listener_role, "active": "y"}  # fmt: skip
    same_as_name = {"password": "quinn.listener", "conf_password": "quinn.listener"}
    refused = admin.submit("/users/add", {**user, **same_as_name})
    assert "Do not use your username or email" in refused.get_data(as_text=True)
    # The admin's own username is no concern of the new user's password.
    admins_name = {"password": "alice" * 3, "conf_password": "alice" * 3}
    assert admin.submit("/users/add", {**user, **admins_name}).status_code == 302
    with app.app_context():
        quinn = app.appbuilder.sm.find_user(username="quinn.listener").id
    form = f"/resetpassword/form?pk={quinn}"
    email_as_password = {"password": "quinn@example.org", "conf_password": "quinn@example.org"}
    refused = admin.submit(form, email_as_password)
    assert "Do not use your username or email" in refused.get_data(as_text=True)
    assert (
        admin.submit(form, {"password": "alice" * 3, "conf_password": "alice" * 3}).status_code
        == 302
    )
