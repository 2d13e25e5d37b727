"""App passwords: made by the command line, kept encrypted (the table never holds one in
clear), opened only with the configured key, listed and revoked; production needs a key."""

import re

import pytest
from sqlalchemy import text

from app.extensions import db
from app.security.app_passwords import by_token, cipher_for, clear_password, create, live
from config import load_config
from tests.subsonic.conftest import token_params

FORMAT = re.compile(r"([a-z2-9]{4}-){5}[a-z2-9]{4}")


def test_command_prints_a_password_the_api_accepts_then_lists_and_revokes_it(
    runner, subsonic, users
):
    """`flask catalog app-password create` prints one password, in the typed-easily form;
    `list` shows it with its last client; `revoke` stops it."""
    lisa = users["Listener"]
    made = runner.invoke(args=["catalog", "app-password", "create", lisa, "Car stereo"])
    assert made.exit_code == 0, made.output
    password = made.output.strip()
    assert FORMAT.fullmatch(password)
    assert subsonic.call("ping", c="DSub", **token_params(lisa, password))["status"] == "ok"
    listed = runner.invoke(args=["catalog", "app-password", "list", lisa]).output
    assert "Car stereo" in listed
    assert "by DSub" in listed
    assert password not in listed
    password_id = listed.split("\t")[0]
    gone = runner.invoke(args=["catalog", "app-password", "revoke", lisa, password_id])
    assert gone.exit_code == 0
    assert "Revoked" in gone.output
    assert subsonic.call("ping", u=lisa, p=password)["error"]["code"] == 40


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["create", "nobody", "Phone"], "No user named"),
        (["create", "lisa", "   "], "name of 1 to 100"),
        (["create", "lisa", "x" * 101], "name of 1 to 100"),
        (["revoke", "lisa", "999999"], "No such live app password"),
        (["revoke", "lisa"], "or use --all"),
    ],
)
def test_command_refusals(runner, users, arguments, message):
    """Unknown users, bad names and unknown ids are refused with a reason (exit 1)."""
    done = runner.invoke(args=["catalog", "app-password", *arguments])
    assert done.exit_code == 1
    assert message in done.output


def test_the_table_holds_no_password_in_clear(app, app_password):
    """Every column of every app_password row, read with plain SQL, is free of the
    password (and of its enc: form); only the key opens what is stored."""
    password = app_password("Listener")
    with app.app_context():
        rows = db.session.execute(text("SELECT * FROM app_password")).all()
        assert len(rows) == 1
        stored = " ".join(str(value) for value in rows[0])
        assert password not in stored
        assert password.encode().hex() not in stored
        assert password.replace("-", "") not in stored
        row = live(db.session, rows[0].user_id)[0]
        assert clear_password(cipher_for(app.config), row) == password
        other_key = {"SECRET_KEY": "another", "CATALOG_APP_PASSWORD_KEY": ""}
        assert clear_password(cipher_for(other_key), row) is None


def test_keys_can_be_changed_without_losing_passwords(app, users):
    """With a new key listed first, old passwords still open; new ones use the new key."""
    old = {"SECRET_KEY": "s", "CATALOG_APP_PASSWORD_KEY": "old-key"}
    both = {"SECRET_KEY": "s", "CATALOG_APP_PASSWORD_KEY": "new-key, old-key"}
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=users["Listener"])
        row, password = create(db.session, cipher_for(old), user.id, "Old phone")
        salted = token_params(user.username, password)
        assert by_token(db.session, cipher_for(both), user.id, salted["t"], salted["s"]) == row
        newer, _ = create(db.session, cipher_for(both), user.id, "New phone")
        assert clear_password(cipher_for(old), newer) is None
        only_new = {"SECRET_KEY": "s", "CATALOG_APP_PASSWORD_KEY": "new-key"}
        assert clear_password(cipher_for(only_new), newer) is not None


def test_production_refuses_a_missing_weak_or_reused_key(production_env, monkeypatch):
    """Production will not start without a random CATALOG_APP_PASSWORD_KEY of its own."""
    good = "kQ7v-Lr2Nw_h5Jd8Xz3Ub1Ps6Mf9Ta0Ye4Ci"
    for value in ("", "changeme", "a" * 40, f"{good},short", production_env["SECRET_KEY"]):
        monkeypatch.setenv("CATALOG_APP_PASSWORD_KEY", value)
        with pytest.raises(RuntimeError, match="CATALOG_APP_PASSWORD_KEY"):
            load_config("production")
    monkeypatch.setenv("CATALOG_APP_PASSWORD_KEY", good)
    assert load_config("production").CATALOG_APP_PASSWORD_KEY == good
