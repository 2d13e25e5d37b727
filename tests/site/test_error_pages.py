"""Error pages are pages of the app: in its layout, in the user's language, with a way back."""

from flask import abort
from sqlalchemy import select

from app.extensions import db
from app.models import Author
from app.web.json_answers import answers_json

#: Only pages drawn in the app's layout carry its navigation bar.
LAYOUT = 'class="navbar'


def test_a_listener_opening_the_add_song_form_gets_a_page_that_says_why(login_as):
    """A 403 in the layout, naming the problem and the way out, not a bare "Forbidden"."""
    listener = login_as("Listener")
    response = listener.get("/songs/add", headers={"Referer": "http://localhost/songs/list/"})
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert LAYOUT in page
    assert "<title>Not allowed · Setlist</title>" in page
    assert "ask an administrator for access" in page
    assert 'href="http://localhost/songs/list/">Go back</a>' in page


def test_error_pages_are_in_the_users_language(spanish_listener):
    """403 and 404 in Spanish after choosing Spanish."""
    forbidden = spanish_listener.get("/songs/add").get_data(as_text=True)
    missing = spanish_listener.get("/songs/show/999999").get_data(as_text=True)
    assert "No permitido" in forbidden
    assert "Página no encontrada" in missing
    assert "Volver" in missing


def test_a_missing_page_is_a_404_in_the_layout(login_as, browser):
    """Unknown addresses and unknown rows, for users and anonymous visitors alike."""
    listener = login_as("Listener")
    for visitor, path in [(listener, "/songs/show/999999"), (browser, "/no/such/page")]:
        response = visitor.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 404
        assert LAYOUT in page
        assert "There is nothing at this address" in page


def test_the_way_back_never_leads_to_another_site(browser):
    """A referrer from elsewhere is not offered as "Go back": the home page is."""
    page = browser.get("/no/such/page", headers={"Referer": "https://evil.example/phish"})
    html = page.get_data(as_text=True)
    assert "evil.example" not in html
    assert 'href="/">Go back</a>' in html
    # A page of this site is offered, so "back" means something.
    ours = browser.get("/no/such/page", headers={"Referer": "http://localhost/songs/list/"})
    assert 'href="http://localhost/songs/list/">Go back</a>' in ours.get_data(as_text=True)


def test_a_wrong_method_is_a_405_page_with_its_allow_header(editor):
    """A GET to a POST-only address says how to do it instead."""
    response = editor.get("/songs/action_post")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}
    assert "Use the buttons and forms on the page" in response.get_data(as_text=True)


def failing_routes(app) -> None:
    """Routes that fail the way a bug would: a half-made change, then a refused one."""

    def half_done():
        db.session.add(Author(name="Half-made author"))
        db.session.flush()
        db.session.add(Author(name=None))  # the database refuses it: the session is spoilt
        db.session.flush()

    def json_half_done():
        return half_done()

    def json_missing():
        abort(404)

    app.add_url_rule("/test/fail", "test_fail", half_done)
    app.add_url_rule("/test/json-fail", "test_json_fail", answers_json(json_half_done))
    app.add_url_rule("/test/json-missing", "test_json_missing", answers_json(json_missing))


def test_a_server_error_is_a_page_in_the_layout_and_changes_nothing(standalone_app, visit):
    """A 500 says nothing was changed, and indeed the half-made row is gone."""
    app = standalone_app(PROPAGATE_EXCEPTIONS=False)
    failing_routes(app)
    response = visit(app).get("/test/fail")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert LAYOUT in page
    assert "nothing was changed" in page
    assert "IntegrityError" not in page
    with app.app_context():
        assert db.session.scalar(select(Author).where(Author.name == "Half-made author")) is None


def test_json_endpoints_fail_in_json(standalone_app, visit):
    """Errors inside an endpoint that answers JSON answer {"message": ...}, never a page."""
    app = standalone_app(PROPAGATE_EXCEPTIONS=False)
    failing_routes(app)
    visitor = visit(app)
    failed, missing = visitor.get("/test/json-fail"), visitor.get("/test/json-missing")
    assert (failed.status_code, missing.status_code) == (500, 404)
    assert "nothing was changed" in failed.json["message"]
    assert missing.json["message"].startswith("Page not found.")
