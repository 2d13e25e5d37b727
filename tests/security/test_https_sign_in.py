"""Production over plain http://: its session cookie is Secure, which a browser neither keeps
from nor sends to an http:// page, so signing in cannot work; the login page says so."""

import secrets

import pytest
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from tests.support.apps import MIGRATIONS, PASSWORD
from tests.support.databases import fresh_database_url, redis_url
from tests.support.forms import Browser, csrf_token

# Explicit: Flask's test client takes PREFERRED_URL_SCHEME (https in production) otherwise.
HTTP, HTTPS = "http://setlist.example.org", "https://setlist.example.org"
#: A browser's Referer: Flask-WTF checks it on HTTPS posts.
FROM_LOGIN = {"Referer": f"{HTTPS}/login/"}
NEEDS_HTTPS = "Sign-in needs HTTPS"


@pytest.fixture
def production_app(database_kind, tmp_path, monkeypatch, production_env):
    """The production configuration on a migrated database with synced roles, its own Redis
    key prefix, and an editor, served in-process."""
    url = fresh_database_url(database_kind, tmp_path)
    settings = {"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": str(tmp_path / "uploads")}
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CATALOG_ALLOW_SQLITE", "true")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", redis_url())
    monkeypatch.setenv("RATELIMIT_KEY_PREFIX", f"setlist-test-{secrets.token_hex(6)}")
    migrating = create_app("testing", **settings)
    with migrating.app_context():
        upgrade(directory=str(MIGRATIONS))
        db.engine.dispose()
    # Roles as `flask catalog sync-roles` leaves them on deploy.
    monkeypatch.setenv("FAB_UPDATE_PERMS", "true")
    app = create_app("production", **settings)
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_user("eddie", "Ed", "Itor", "eddie@example.org", sm.find_role("Editor"), PASSWORD)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_signing_in_over_http_says_it_needs_https(production_app):
    """Over http:// the login page warns before anyone types a password; sending the form
    anyway (as a browser would, without the Secure cookie it refused) explains instead of
    "this form has expired". Over https:// (or to localhost, which browsers trust alike)
    there is no warning and the editor signs in."""
    page = production_app.test_client().get("/login/", base_url=HTTP)
    assert page.status_code == 200
    assert NEEDS_HTTPS in page.get_data(as_text=True)
    assert "Secure" in page.headers["Set-Cookie"]
    form = {"csrf_token": csrf_token(page.get_data(as_text=True)), "username": "eddie",
            "password": PASSWORD}  # fmt: skip
    sent = production_app.test_client().post("/login/", data=form, base_url=HTTP)
    text = sent.get_data(as_text=True)
    assert sent.status_code == 400
    assert NEEDS_HTTPS in text
    assert "through its https:// address" in text
    assert "expired" not in text

    secure = Browser(production_app.test_client())
    assert NEEDS_HTTPS not in secure.get("/login/", base_url=HTTPS).get_data(as_text=True)
    signed_in = secure.submit("/login/", {"username": "eddie", "password": PASSWORD},
                              base_url=HTTPS, headers=FROM_LOGIN)  # fmt: skip
    assert signed_in.status_code == 302
    assert "/login/" not in signed_in.headers["Location"]
    assert "eddie" in secure.get("/users/userinfo/", base_url=HTTPS).get_data(as_text=True)
    # Browsers keep Secure cookies from http://localhost: trying on one machine works.
    local = production_app.test_client().get("/login/", base_url="http://localhost:8000")
    assert NEEDS_HTTPS not in local.get_data(as_text=True)


def test_an_expired_form_over_https_is_still_an_expired_form(production_app):
    """The warning is for http:// only: a login form whose session is gone over https://
    gets the usual expired-form page."""
    page = production_app.test_client().get("/login/", base_url=HTTPS)
    form = {"csrf_token": csrf_token(page.get_data(as_text=True)), "username": "eddie",
            "password": PASSWORD}  # fmt: skip
    sent = production_app.test_client().post(
        "/login/", data=form, base_url=HTTPS, headers=FROM_LOGIN
    )
    text = sent.get_data(as_text=True)
    assert sent.status_code == 400
    assert "This form has expired" in text
    assert NEEDS_HTTPS not in text


def test_other_forms_over_http_say_so_too(production_app):
    """Any form sent over http:// (here the add-author form; its session cookie refused as
    the login's was) explains that HTTPS is needed, not that the form expired; over
    https:// a form without its session is the usual expired form."""
    sent = production_app.test_client().post("/authors/add", data={}, base_url=HTTP)
    assert sent.status_code == 400
    assert NEEDS_HTTPS in sent.get_data(as_text=True)
    again = production_app.test_client().post(
        "/authors/add", data={}, base_url=HTTPS, headers=FROM_LOGIN
    )
    assert again.status_code == 400
    assert "This form has expired" in again.get_data(as_text=True)
