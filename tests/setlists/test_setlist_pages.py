"""Who may open which setlist page: every page method (list, show, add, edit, delete) for
every role (anonymous, the owner, another listener, an editor, an admin) and visibility
(private, link, catalog), in one table; FAB's generic routes are closed."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Setlist
from app.setlists import rules
from tests.support.forms import csrf_token

VISIBILITIES = ("private", "link", "catalog")
#: Visitor -> the role they log in with (owner and other are both listeners).
ROLES = {"anonymous": None, "owner": "Listener", "other": "other", "editor": "Editor"}
ROLES["admin"] = "Admin"

#: What each visitor gets on a setlist's page, its edit form and its delete page, by its
#: visibility: 200 open, 403 seen but not theirs to change, 404 unseen, 302 to the login.
EXPECTED = {
    "anonymous": {"show": (302, 302, 302), "edit": (302, 302, 302), "delete": (302, 302, 302)},
    "owner": {"show": (200, 200, 200), "edit": (200, 200, 200), "delete": (200, 200, 200)},
    "other": {"show": (404, 404, 200), "edit": (404, 404, 403), "delete": (404, 404, 403)},
    "editor": {"show": (404, 404, 200), "edit": (404, 404, 200), "delete": (404, 404, 200)},
    "admin": {"show": (200, 200, 200), "edit": (200, 200, 200), "delete": (200, 200, 200)},
}
#: Which of the owner's setlists each visitor's list shows (over all its tabs).
LISTED = {
    "anonymous": set(),
    "owner": set(VISIBILITIES),
    "other": {"catalog"},
    "editor": {"catalog"},
    "admin": set(VISIBILITIES),
}


def owners_setlists(app, owner_id: int) -> dict[str, int]:
    """The owner's three setlists, one per visibility (the catalog one put there by the
    rules as an editor would): visibility -> id. Made in an app context of their own: the
    requests that follow must not share it (nor its `g`)."""
    with app.app_context():
        made = {
            visibility: rules.create(
                db.session, owner_id, f"Set {visibility}", visibility=visibility,
                may_publish=True,
            ).id
            for visibility in VISIBILITIES
        }  # fmt: skip
        db.session.commit()
    return made


def setlist_names(app) -> set[str]:
    """The names of every setlist in the database."""
    with app.app_context():
        return set(db.session.scalars(select(Setlist.name)))


@pytest.fixture
def visitor(login_as, own_account, app):
    """Make a visitor by name: "other" is a second listener (own_account)."""

    def make(name: str):
        role = ROLES[name]
        if role == "other":
            browser = login_as(None)
            assert browser.login(own_account)
            return browser
        return login_as(role)

    return make


def listed_names(browser) -> set[str]:
    """The setlist names a visitor's list shows, over every tab."""
    shown = set()
    for tab in ("mine", "catalog", "all"):
        page = browser.get(f"/setlists/list/?tab={tab}")
        if page.status_code != 200:
            return shown
        text = page.get_data(as_text=True)
        shown |= {name for name in VISIBILITIES if f">Set {name}</a>" in text}
    return shown


@pytest.mark.parametrize("who", list(ROLES))
def test_each_visitor_gets_what_the_rules_give(app, people, visitor, who):
    """The table above, method by method; a refused delete deletes nothing, an allowed one
    deletes the setlist."""
    ids = owners_setlists(app, people["owner"])
    browser = visitor(who)
    list_page = browser.get("/setlists/list/")
    assert list_page.status_code == (302 if who == "anonymous" else 200)
    assert listed_names(browser) == LISTED[who]
    add_page = browser.get("/setlists/add")
    assert add_page.status_code == (302 if who == "anonymous" else 200)
    for index, visibility in enumerate(VISIBILITIES):
        setlist_id = ids[visibility]
        for method in ("show", "edit", "delete"):
            expected = EXPECTED[who][method][index]
            answer = browser.get(f"/setlists/{method}/{setlist_id}")
            assert answer.status_code == expected, f"{who} {method} {visibility}"
            if expected == 302:
                assert "/login/" in answer.headers["Location"]
            if expected == 404:
                assert "Set " not in answer.get_data(as_text=True), "a 404 names the setlist"
        allowed = EXPECTED[who]["delete"][index] == 200
        if allowed:
            answer = browser.submit(f"/setlists/delete/{setlist_id}", {})
            assert answer.status_code == 302
        gone = f"Set {visibility}" not in setlist_names(app)
        assert gone == allowed, f"{who} {visibility}"


@pytest.mark.parametrize("who", ["other", "editor"])
def test_refused_posts_change_nothing(app, people, visitor, who):
    """A forged edit or delete POST (with a valid CSRF token) on a setlist not the visitor's
    answers 404 or 403 and changes nothing."""
    ids = owners_setlists(app, people["owner"])
    browser = visitor(who)
    token_page = browser.get("/setlists/add").get_data(as_text=True)
    token = csrf_token(token_page)
    for visibility in ("private", "link"):
        for method in ("edit", "delete"):
            answer = browser.client.post(
                f"/setlists/{method}/{ids[visibility]}",
                data={"csrf_token": token, "name": "Taken", "visibility": "catalog"},
            )
            assert answer.status_code == 404
    assert setlist_names(app) == {f"Set {visibility}" for visibility in VISIBILITIES}


def test_forms_without_their_csrf_token_are_refused(app, login_as):
    """A POST without the page's token (another site's form) saves nothing."""
    answer = login_as("Listener").client.post("/setlists/add", data={"name": "Forged"})
    assert answer.status_code == 400
    assert setlist_names(app) == set()


def test_anonymous_visitors_see_catalog_setlists_when_browsing_is_public(standalone_app, visit):
    """With CATALOG_PUBLIC_BROWSE: the catalog's setlists read-only, nothing else."""
    public_app = standalone_app(CATALOG_PUBLIC_BROWSE=True)
    browser = visit(public_app)
    with public_app.app_context():
        sm = public_app.appbuilder.sm
        owner = sm.add_user("pat", "Pat", "Owner", "pat@example.org", sm.find_role("Listener"))
        owner_id = owner.id
    ids = owners_setlists(public_app, owner_id)
    page = browser.get("/setlists/list/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert ">Set catalog</a>" in text
    assert ">Set private</a>" not in text
    assert ">Set link</a>" not in text
    assert browser.get(f"/setlists/show/{ids['catalog']}").status_code == 200
    assert browser.get(f"/setlists/show/{ids['private']}").status_code == 404
    assert browser.get(f"/setlists/show/{ids['link']}").status_code == 404
    for url in ("/setlists/add", f"/setlists/edit/{ids['catalog']}"):
        answer = browser.get(url)
        assert answer.status_code == 302
        assert "/login/" in answer.headers["Location"]


@pytest.mark.parametrize(
    "url",
    [
        "/setlists/show/abc",
        "/setlists/show/99999999999999999999",
        "/setlists/edit/-1",
        "/setlists/delete/0",
        "/setlists/list/?_oc_SetlistModelView=owner.password&psize_SetlistModelView=100000",
        "/setlists/list/?page_SetlistModelView=-5&tab=nonsense",
        "/setlists/list/?_flt_0_name=%00",
    ],
)
def test_odd_addresses_get_clear_answers(login_as, url):
    """Odd ids and arguments: a 404, a 400 or the list, never a server error."""
    answer = login_as("Admin").get(url)
    assert answer.status_code in (200, 400, 404), url


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/setlists/download/x.ogg"),
        ("POST", "/setlists/action_post"),
        ("GET", "/setlists/action/muldelete/1"),
        ("GET", "/setlists/api/read"),
        ("GET", "/setlists/api"),
        ("POST", "/setlists/api/create"),
    ],
)
def test_fab_generic_routes_are_closed(login_as, method, url):
    """FAB's download, actions and old API routes do not exist on the setlists' view."""
    answer = login_as("Admin").client.open(url, method=method)
    assert answer.status_code in (404, 405), url
