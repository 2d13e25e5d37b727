"""Setlists' pages as people use them: make one, find it, rename it, try to publish it,
an editor's published list reaching another listener, deleting (songs stay); what a page
costs at 25 and at 5,000 entries."""

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Setlist, Song
from app.setlists import entries, rules
from tests.setlists.building import fill, make_songs

PUBLISH_REFUSED = "Only an editor may publish a setlist to the catalog."


def setlist_id_named(app, name: str) -> int:
    """The id of the setlist of that name."""
    with app.app_context():
        return db.session.scalar(select(Setlist.id).where(Setlist.name == name))


def song_count(app) -> int:
    """How many songs the catalog has."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Song))


def error_after(html: str, field: str) -> str | None:
    """The refusal shown under a form field (its help block), if any."""
    match = re.search(rf'id="{field}-error">([^<]*)<', html)
    return match.group(1) if match else None


def test_a_listener_makes_renames_and_cannot_publish_a_setlist(app, login_as):
    """Create -> in "Mine" -> rename -> publishing refused, the rule's words under the
    visibility choice, the catalog not even offered; the setlist stays private."""
    listener = login_as("Listener")
    form = listener.get("/setlists/add").get_data(as_text=True)
    assert 'value="catalog"' not in form, "a listener is offered the catalog"
    made = listener.submit("/setlists/add", {"name": "  Café del Mar  ", "visibility": "private"})
    assert made.status_code == 302
    setlist_id = setlist_id_named(app, "Café del Mar")
    assert made.headers["Location"].endswith(f"/setlists/show/{setlist_id}")
    mine = listener.get("/setlists/list/?tab=mine").get_data(as_text=True)
    assert ">Café del Mar</a>" in mine
    assert "Private" in mine
    # Accents and case do not matter to the search.
    found = listener.get("/setlists/list/?tab=mine&_flt_0_name=CAFE").get_data(as_text=True)
    assert ">Café del Mar</a>" in found
    missed = listener.get("/setlists/list/?tab=mine&_flt_0_name=opera").get_data(as_text=True)
    assert ">Café del Mar</a>" not in missed
    edit_url = f"/setlists/edit/{setlist_id}"
    renamed = listener.submit(edit_url, {"name": "Sunset", "description": "Line one\nLine two"})
    assert renamed.status_code == 302
    page = listener.get(f"/setlists/show/{setlist_id}").get_data(as_text=True)
    assert "Sunset" in page
    assert "Line one\nLine two" in page
    refused = listener.submit(edit_url, {"name": "Sunset", "visibility": "catalog"})
    assert refused.status_code == 200
    assert error_after(refused.get_data(as_text=True), "visibility") == PUBLISH_REFUSED
    blank = listener.submit(edit_url, {"name": "  ", "visibility": "link"})
    assert error_after(blank.get_data(as_text=True), "name") == "Give the setlist a name."
    with app.app_context():
        setlist = db.session.get(Setlist, setlist_id)
        assert (setlist.name, setlist.visibility) == ("Sunset", "private")


def test_an_editors_published_setlist_reaches_others_and_deleting_keeps_songs(
    app, login_as, own_account
):
    """An editor publishes -> another listener finds it under "Catalog", opens it (no Edit)
    -> the editor deletes it after confirming -> its songs are all still there."""
    editor = login_as("Editor")
    assert 'value="catalog"' in editor.get("/setlists/add").get_data(as_text=True)
    editor.submit("/setlists/add", {"name": "Staff picks", "visibility": "catalog"})
    setlist_id = setlist_id_named(app, "Staff picks")
    # A form sent without the choice (a script, an old page) leaves the visibility alone.
    kept = editor.submit(f"/setlists/edit/{setlist_id}", {"name": "Staff picks"})
    assert kept.status_code == 302
    with app.app_context():
        song_ids = make_songs(3)
        setlist = db.session.get(Setlist, setlist_id)
        entries.add_songs(db.session, setlist, song_ids, setlist.owner_id)
        db.session.commit()
    other = login_as(None)
    assert other.login(own_account)
    catalog = other.get("/setlists/list/?tab=catalog").get_data(as_text=True)
    assert ">Staff picks</a>" in catalog
    assert ">Staff picks</a>" not in other.get("/setlists/list/?tab=mine").get_data(as_text=True)
    page = other.get(f"/setlists/show/{setlist_id}").get_data(as_text=True)
    assert "Staff picks" in page
    assert "3:00" in page  # three one-minute songs
    assert f"/setlists/edit/{setlist_id}" not in page
    assert editor.get(f"/setlists/delete/{setlist_id}").status_code == 200  # asks first
    gone = editor.submit(f"/setlists/delete/{setlist_id}", {})
    assert gone.status_code == 302
    assert setlist_id_named(app, "Staff picks") is None
    assert song_count(app) == 3
    assert other.get(f"/setlists/show/{setlist_id}").status_code == 404


def test_admins_see_others_private_setlists_marked_as_such(app, login_as, people):
    """The "All" tab and the page say whose private setlist an admin is looking at."""
    with app.app_context():
        setlist = rules.create(db.session, people["owner"], "Diary")
        db.session.commit()
        setlist_id = setlist.id
    admin = login_as("Admin")
    assert ">Diary</a>" not in admin.get("/setlists/list/?tab=catalog").get_data(as_text=True)
    everything = admin.get("/setlists/list/?tab=all").get_data(as_text=True)
    assert ">Diary</a>" in everything
    assert "Private setlist of " in everything
    assert "Private setlist of " in admin.get(f"/setlists/show/{setlist_id}").get_data(as_text=True)


def test_names_and_descriptions_are_escaped(app, login_as):
    """Markup typed into a name or description shows as text."""
    listener = login_as("Listener")
    listener.submit("/setlists/add", {"name": "<b>bold</b>", "description": "<script>x()</script>"})
    setlist_id = setlist_id_named(app, "<b>bold</b>")
    page = listener.get(f"/setlists/show/{setlist_id}").get_data(as_text=True)
    assert "<script>x()" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    listed = listener.get("/setlists/list/").get_data(as_text=True)
    assert "<b>bold</b>" not in listed


@pytest.mark.parametrize("page", ["show", "list"])
def test_pages_cost_the_same_at_25_and_5000_entries(app, login_as, people, statements, page):
    """The setlist's page and the list send as many statements for 5,000 entries as for 25."""
    with app.app_context():
        song_ids = make_songs(5_000, duration=90.0)
        small = rules.create(db.session, people["owner"], "Small")
        big = rules.create(db.session, people["owner"], "Big")
        db.session.commit()
        fill(small, song_ids[:25])
        small_id, big_id = small.id, big.id
    owner = login_as("Listener")
    urls = {
        "show": (f"/setlists/show/{small_id}", f"/setlists/show/{big_id}"),
        "list": ("/setlists/list/", "/setlists/list/"),
    }[page]
    counts = []
    for number, url in enumerate(urls):
        if number == 1:
            with app.app_context():
                fill(db.session.get(Setlist, big_id), song_ids)
        statements.clear()
        answer = owner.get(url)
        assert answer.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    if page == "show":
        assert "125:00:00" in answer.get_data(as_text=True)  # 5,000 songs of 90 s
