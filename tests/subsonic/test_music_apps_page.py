""" "Connect a music app": a listener makes a named app password on their account page, sees
it once, uses it from an app, sees its last use and client, and revokes it; only their own."""

import re

from app.extensions import db
from app.models import AppPassword
from tests.subsonic.conftest import token_params

PAGE = "/music-apps/"


def shown_password(html: str) -> str:
    """The password a page shows once (in its success box)."""
    box = html.split('class="app-password"', 1)[1]
    return re.search(r"<code>([^<]+)</code>", box)[1]


def test_a_listeners_journey_from_account_page_to_phone_and_back(login_as, users, subsonic):
    """Account page -> Connect a music app -> make "Phone" -> the app signs in with it ->
    the list shows its last use and client, never the password -> revoke -> refused."""
    lisa = login_as("Listener")
    account = lisa.get("/users/userinfo/").get_data(as_text=True)
    assert re.search(rf'href="{PAGE}"><span[^>]*></span> Connect a music app</a>', account)
    page = lisa.get(PAGE)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<code>lisa</code>" in text
    assert "No app passwords yet." in text
    made = lisa.submit(PAGE, {"name": "Phone"}, post_url="/music-apps/add")
    assert made.status_code == 200
    assert made.headers["Cache-Control"] == "no-store"
    password = shown_password(made.get_data(as_text=True))
    assert (
        subsonic.call("ping", c="Symfonium", **token_params(users["Listener"], password))["status"]
        == "ok"
    )
    listed = lisa.get(PAGE).get_data(as_text=True)
    assert "Phone" in listed
    assert "Symfonium" in listed
    assert password not in listed
    revoke = re.search(r'action="(/music-apps/remove/\d+)"', listed)[1]
    done = lisa.submit(PAGE, {}, post_url=revoke)
    assert done.status_code == 302
    assert "App password revoked" in lisa.get(PAGE).get_data(as_text=True)
    assert subsonic.call("ping", u=users["Listener"], p=password)["error"]["code"] == 40


def test_only_ones_own_passwords_can_be_revoked(app, login_as, app_password, subsonic):
    """A listener posting another user's password id revokes nothing."""
    theirs = app_password("Editor")
    with app.app_context():
        their_id = db.session.query(AppPassword.id).scalar()
    lisa = login_as("Listener")
    answer = lisa.submit(PAGE, {}, post_url=f"/music-apps/remove/{their_id}")
    assert answer.status_code == 302
    assert "already revoked" in lisa.get(PAGE).get_data(as_text=True)
    assert subsonic.call("ping", apiKey=theirs)["status"] == "ok"


def test_names_are_checked_and_escaped(login_as):
    """An empty or overlong name is refused with a reason; a name with markup is shown as
    text, not run."""
    lisa = login_as("Listener")
    for bad in ("   ", "x" * 101):
        refused = lisa.submit(PAGE, {"name": bad}, post_url="/music-apps/add")
        assert refused.status_code == 400
        assert "a name of 1 to 100 characters" in refused.get_data(as_text=True)
    made = lisa.submit(PAGE, {"name": "<b>x</b>"}, post_url="/music-apps/add")
    html = made.get_data(as_text=True)
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<b>x</b>" not in html


def test_the_page_needs_a_sign_in_and_its_forms_a_csrf_token(browser, login_as):
    """Anonymous visitors are sent to the login; a post without the CSRF token is refused."""
    assert browser.get(PAGE).status_code == 302
    assert browser.client.post("/music-apps/add", data={"name": "x"}).status_code in (302, 400)
    lisa = login_as("Listener")
    assert lisa.client.post("/music-apps/add", data={"name": "Phone"}).status_code == 400
    assert "No app passwords yet." in lisa.get(PAGE).get_data(as_text=True)
