"""The audit log: one `key=value` line per sign-in, sign-out and account change, no secrets."""

import logging

import pytest

from app.security.audit import audit
from tests.support.apps import PASSWORD
from tests.support.forms import Browser, registration_form

NEW_PASSWORD = "copper meadow listens twice"


@pytest.fixture
def audit_lines(caplog):
    """The audit lines written while the test runs."""
    caplog.set_level(logging.INFO, logger="app.audit")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "app.audit"]


def test_sign_ins_sign_outs_and_password_changes_are_logged(app, own_account, audit_lines):
    """Each line names the event, the account as typed, the address and the outcome."""
    visitor = Browser(app.test_client())
    assert not visitor.login(own_account, "not the password")
    assert visitor.login(own_account)
    visitor.submit(
        "/resetmypassword/form",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "conf_password": NEW_PASSWORD},
    )
    visitor.logout()
    lines = audit_lines()
    assert lines[0].startswith(f"event=login username={own_account} account=user:")
    assert lines[0].endswith("outcome=failed address=127.0.0.1")
    assert lines[1].endswith("outcome=success address=127.0.0.1")
    assert "event=password-changed user_id=" in lines[2]
    assert f"by={own_account}" in lines[2]
    assert lines[3] == f"event=logout user={own_account} address=127.0.0.1"
    assert not any(secret in line for line in lines for secret in (PASSWORD, NEW_PASSWORD))


def test_a_typed_newline_cannot_forge_a_line(app, audit_lines):
    """What a visitor types is quoted: one attempt, one line."""
    Browser(app.test_client()).login("mallory\nevent=login outcome=success", "x" * 12)
    (line,) = audit_lines()
    assert '"mallory\\nevent=login outcome=success"' in line
    assert line.endswith("outcome=failed address=127.0.0.1")


def test_a_long_value_is_shortened_in_its_line(app, audit_lines):
    """Whatever a value's length, its line quotes the first 320 characters and says how
    many more there were (the forms bound what visitors type; this bounds the rest)."""
    with app.test_request_context("/"):
        audit("login", username="u" * 100_000, outcome="failed")
    (line,) = audit_lines()
    assert f'username="{"u" * 320}…[99680 more characters]" outcome=failed' in line
    assert len(line) < 1000


def test_limits_registrations_and_admin_changes_are_logged(
    app, standalone_app, visit, login_as, own_account, audit_lines
):
    """429s, registrations and an admin's changes to users each leave a line."""
    limited = visit(standalone_app(RATELIMIT_FORGOT="1 per hour"))
    for email in ("a@example.org", "b@example.org"):
        limited.submit("/forgot-password/form", {"email": email})
    visit(app).submit("/register/form", registration_form())
    lines = audit_lines()
    assert any(line.startswith("event=rate-limited path=/forgot-password/form") for line in lines)
    assert any(line.startswith("event=registration username=") for line in lines)
    with app.app_context():
        user_id = app.appbuilder.sm.find_user(username=own_account).id
    admin = login_as("Admin")
    admin.submit(f"/users/show/{user_id}", {}, post_url=f"/users/action/endsessions/{user_id}")
    assert f"event=sessions-ended user={own_account} count=0 address=127.0.0.1 by=alice" in (
        audit_lines()
    )
