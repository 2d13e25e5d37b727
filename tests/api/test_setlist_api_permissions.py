"""Who may do what to a setlist through /api/v1/setlist/: every operation by role by visibility
(one table, like the catalog's), each refused one a JSON 401, 403 or 404 that changes nothing
and never tells someone else's private setlist from a missing one."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Setlist, SetlistEntry
from app.setlists import entries, rules
from tests.setlists.building import make_songs
from tests.support.forms import Browser

API = "/api/v1/setlist/"
ROLES = ("anonymous", "owner", "other", "editor", "admin")
VISIBILITIES = ("private", "link", "catalog")


def sees(role: str, visibility: str) -> bool:
    """The rules' answer: owner and admins always, other signed-in people catalog ones."""
    return role in ("owner", "admin") or (role != "anonymous" and visibility == "catalog")


def edits(role: str, visibility: str) -> bool:
    """Owner and admins always, editors catalog setlists."""
    return role in ("owner", "admin") or (role == "editor" and visibility == "catalog")


def expected(role: str, visibility: str, kind: str, success: int = 200) -> int:
    """The status an operation of `kind` (read, edit, publish) answers."""
    if role == "anonymous":
        return 401
    if not sees(role, visibility):
        return 404
    if kind == "read":
        return 200
    if not edits(role, visibility):
        return 403
    if kind == "publish" and role == "owner" and visibility != "catalog":
        return 400  # a listener may not publish to the catalog
    return success


@pytest.fixture
def visitors(app, users, own_account, login_as) -> dict[str, Browser]:
    """A signed-in browser (or an anonymous one) per role of the table."""
    other = Browser(app.test_client())
    assert other.login(own_account)
    return {
        "anonymous": login_as(None),
        "owner": login_as("Listener"),
        "other": other,
        "editor": login_as("Editor"),
        "admin": login_as("Admin"),
    }


def owners_setlist(app, owner: str, visibility: str) -> tuple[int, list[int], list[int]]:
    """A setlist of the listener's with three entries: (its id, entry ids, song ids)."""
    with app.app_context():
        owner_id = app.appbuilder.sm.find_user(username=owner).id
        setlist = rules.create(
            db.session, owner_id, "Owned", visibility=visibility, may_publish=True
        )
        song_ids = make_songs(3)
        setlist = db.session.get(Setlist, setlist.id)
        added = entries.add_songs(db.session, setlist, song_ids, owner_id)
        entry_ids = [entry.id for entry in added.entries]
        db.session.commit()
        return setlist.id, entry_ids, song_ids


def operations(setlist_id: int, entry_ids: list[int], song_ids: list[int]) -> list[tuple]:
    """(method, url, body, kind, success status) for every setlist endpoint on one setlist;
    deletion last."""
    one = f"{API}{setlist_id}"
    first, second, _third = entry_ids
    return [
        ("GET", one, None, "read", 200),
        ("GET", f"{one}/entries/", None, "read", 200),
        ("PUT", one, {"name": "Renamed"}, "edit", 200),
        ("PUT", one, {"description": "Notes"}, "edit", 200),
        ("POST", f"{one}/entries/", {"song_ids": song_ids}, "edit", 201),
        ("POST", f"{one}/entries/", {"song_id": song_ids[0], "position": 1}, "edit", 201),
        ("POST", f"{one}/entries/{first}/move", {"to": "bottom"}, "edit", 200),
        ("POST", f"{one}/entries/{first}/move", {"to": 1}, "edit", 200),
        ("PUT", f"{one}/entries/{first}", {"note": "segue"}, "edit", 200),
        ("DELETE", f"{one}/entries/{second}", None, "edit", 200),
        ("PUT", one, {"visibility": "catalog"}, "publish", 200),
        ("DELETE", one, None, "edit", 200),
    ]


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_what_the_rules_say(app, users, visitors, role, visibility):
    """Every operation answers the rules' status; refused ones leave the setlist as it was."""
    setlist_id, entry_ids, song_ids = owners_setlist(app, users["Listener"], visibility)
    visitor = visitors[role]
    listed = visitor.api("GET", API)
    if role == "anonymous":
        assert listed.status_code == 401
    else:
        shown = [row["id"] for row in listed.json["result"]]
        assert (setlist_id in shown) == sees(role, visibility), shown
    for method, url, body, kind, success in operations(setlist_id, entry_ids, song_ids):
        answer = visitor.api(method, url, json=body)
        status = expected(role, visibility, kind, success)
        assert answer.status_code == status, (role, visibility, method, url, answer.json)
        assert answer.is_json
        if status >= 400:
            assert answer.json["message"]
    with app.app_context():
        setlist = db.session.get(Setlist, setlist_id)
        count = db.session.scalar(
            select(func.count(SetlistEntry.id)).where(SetlistEntry.setlist_id == setlist_id)
        )
        if edits(role, visibility) and role != "anonymous":
            assert setlist is None  # deleted last
        else:
            assert (setlist.name, setlist.description, count) == ("Owned", None, 3)
            assert setlist.visibility == visibility


def test_a_hidden_setlist_answers_like_a_missing_one(app, users, visitors):
    """Someone else's private setlist and an id that was never used: the same 404 answer."""
    setlist_id, entry_ids, _songs = owners_setlist(app, users["Listener"], "private")
    other = visitors["other"]
    for path in ("{}", "{}/entries/"):
        hidden = other.api("GET", API + path.format(setlist_id))
        missing = other.api("GET", API + path.format(987654))
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json["message"] == missing.json["message"]
    moved = other.api("POST", f"{API}{setlist_id}/entries/{entry_ids[0]}/move", json={"to": 1})
    assert moved.status_code == 404


@pytest.mark.parametrize("role", ["other", "editor"])
def test_creating_is_for_everyone_signed_in(visitors, role):
    """Listeners and editors make their own setlists; visitors get a 401."""
    made = visitors[role].api("POST", API, json={"name": "Mine"})
    assert made.status_code == 201
    assert made.json["result"]["mine"]
    assert visitors["anonymous"].api("POST", API, json={"name": "Mine"}).status_code == 401


def test_an_entry_of_another_setlist_is_not_found(app, users, visitors):
    """An entry id from another setlist of the same owner is refused (404), not moved."""
    first, first_entries, _songs = owners_setlist(app, users["Listener"], "private")
    with app.app_context():
        owner_id = app.appbuilder.sm.find_user(username=users["Listener"]).id
        second = rules.create(db.session, owner_id, "Second").id
        db.session.commit()
    owner = visitors["owner"]
    url = f"{API}{second}/entries/{first_entries[0]}"
    assert owner.api("POST", f"{url}/move", json={"to": "top"}).status_code == 404
    assert owner.api("PUT", url, json={"note": "x"}).status_code == 404
    assert owner.api("DELETE", url).status_code == 404
    assert owner.api("GET", f"{API}{first}/entries/").json["count"] == 3


def test_session_writes_need_the_csrf_token(app, users, visitors):
    """A session's write without X-CSRFToken (another site's form) changes nothing."""
    setlist_id, _entries, _songs = owners_setlist(app, users["Listener"], "private")
    refused = visitors["owner"].api("PUT", f"{API}{setlist_id}", json={"name": "x"}, csrf=False)
    assert refused.status_code == 400
    assert "X-CSRFToken" in refused.json["message"]


def test_writes_are_rate_limited(app, users, visitors, monkeypatch):
    """Setlist writes count against the API's write limit: a JSON 429, reads go on."""
    monkeypatch.setitem(app.config, "RATELIMIT_API_WRITE", "2 per minute")
    owner = visitors["owner"]
    for number in (1, 2):
        assert owner.api("POST", API, json={"name": f"N{number}"}).status_code == 201
    refused = owner.api("POST", API, json={"name": "N3"})
    assert refused.status_code == 429
    assert refused.is_json
    assert owner.api("GET", API).status_code == 200


def test_visitors_read_catalog_setlists_when_the_catalog_is_public(standalone_app, visit):
    """With CATALOG_PUBLIC_BROWSE anonymous visitors read catalog setlists, not the others,
    and write nothing."""
    public = standalone_app(CATALOG_PUBLIC_BROWSE=True)
    with public.app_context():
        sm = public.appbuilder.sm
        owner = sm.add_user(
            "pat", "Pat", "Owner", "pat@example.org", sm.find_role("Editor"), "x" * 12
        )
        shown = rules.create(db.session, owner.id, "Open", visibility="catalog", may_publish=True)
        hidden = rules.create(db.session, owner.id, "Closed", visibility="link")
        db.session.commit()
        shown_id, hidden_id = shown.id, hidden.id
    visitor = visit(public)
    listed = visitor.api("GET", API)
    assert [row["id"] for row in listed.json["result"]] == [shown_id]
    assert visitor.api("GET", f"{API}{shown_id}/entries/").status_code == 200
    assert visitor.api("GET", f"{API}{hidden_id}").status_code == 404
    assert visitor.api("PUT", f"{API}{shown_id}", json={"name": "x"}).status_code == 401
    assert visitor.api("POST", API, json={"name": "x"}).status_code == 401
