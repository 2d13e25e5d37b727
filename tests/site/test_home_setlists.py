"""The home page's setlists: "My setlists" and "New in the catalog", each for who may see it."""

import re
from datetime import UTC, datetime, timedelta

from app.extensions import db
from app.models import Setlist
from tests.setlists.building import counted, fill, make_songs


def add_setlist(app, owner: str, name: str, visibility="private", minutes_ago=0, songs=()):
    """A setlist of a user's (by username), last changed `minutes_ago`, with songs."""
    with app.app_context():
        owner_id = app.appbuilder.sm.find_user(username=owner).id
        when = datetime.now(UTC) - timedelta(minutes=minutes_ago)
        setlist = Setlist(name=name, owner_id=owner_id, visibility=visibility, updated_at=when)
        db.session.add(setlist)
        db.session.commit()
        if songs:
            fill(setlist, list(songs))
        return setlist.id


def section(page: str, title: str) -> str:
    """The home page's section under a heading, up to the next section."""
    assert title in page, f"no {title!r} section"
    return page.split(title, 1)[1].split("</section>", 1)[0]


def names(part: str) -> list[str]:
    """The setlist names a section links to, in order."""
    return re.findall(r'<a href="/setlists/show/\d+">([^<]+)</a>', part)


def test_my_setlists_show_the_six_last_changed_with_their_size(app, users, login_as):
    """A listener with eight setlists sees the six changed last, newest first, each with its
    song count and playing time, and a link to all of them; nobody else's private ones."""
    with app.app_context():
        songs = make_songs(3, duration=600.0)
    for number in range(8):
        add_setlist(app, users["Listener"], f"Mine {number}", minutes_ago=number,
                    songs=songs if number == 0 else ())  # fmt: skip
    add_setlist(app, users["Editor"], "Eddie private", minutes_ago=0)
    page = login_as("Listener").get("/").get_data(as_text=True)
    mine = section(page, "My setlists")
    assert names(mine) == [f"Mine {number}" for number in range(6)]
    assert "3 songs · 30 min" in mine
    assert "0 songs</td>" in mine  # no playing time for an empty setlist
    assert 'href="/setlists/list/">All my setlists</a>' in mine
    assert "Eddie private" not in page


def test_the_catalog_s_newest_setlists_for_who_may_browse(app, users, login_as):
    """Published setlists, newest first, on every browser's home page; private and link ones
    never; an admin's "My setlists" holds the admin's own only."""
    for number in range(7):
        add_setlist(app, users["Editor"], f"Show {number}", "catalog", minutes_ago=number)
    add_setlist(app, users["Editor"], "Draft", "private")
    add_setlist(app, users["Editor"], "By link", "link")
    for role in ("Listener", "Admin"):
        page = login_as(role).get("/").get_data(as_text=True)
        assert names(section(page, "New in the catalog")) == [f"Show {n}" for n in range(6)]
        assert names(section(page, "My setlists")) == []
        assert "You have no setlists yet." in page
        assert "Draft" not in page
        assert "By link" not in page


def test_visitors_see_catalog_setlists_only_when_browsing_is_public(
    app, users, visit, standalone_app
):
    """Anonymous: no setlists at all; with CATALOG_PUBLIC_BROWSE the catalog's, no "mine"."""
    add_setlist(app, users["Editor"], "Public show", "catalog")
    page = visit(app).get("/").get_data(as_text=True)
    assert "New in the catalog" not in page
    assert "My setlists" not in page
    public = standalone_app(CATALOG_PUBLIC_BROWSE=True)
    with public.app_context():
        owner = public.appbuilder.sm.add_user(
            "pub", "P", "O", "pub@example.org", public.appbuilder.sm.find_role("Editor"), "x" * 20
        )
        db.session.add(Setlist(name="Open show", owner_id=owner.id, visibility="catalog"))
        db.session.add(Setlist(name="Closed", owner_id=owner.id, visibility="private"))
        db.session.commit()
    page = visit(public).get("/").get_data(as_text=True)
    assert names(section(page, "New in the catalog")) == ["Open show"]
    assert "My setlists" not in page
    assert "Closed" not in page


def test_setlist_names_are_escaped(app, users, login_as):
    """A name with markup shows as text."""
    add_setlist(app, users["Listener"], "<b>Bold</b> & co", "private")
    page = login_as("Listener").get("/").get_data(as_text=True)
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in page
    assert "<b>Bold</b>" not in page


def test_the_home_page_costs_the_same_with_many_setlists(app, users, login_as):
    """Two setlists or sixty, one of 2,000 entries: the same statements (two index reads and
    one grouped count of the shown setlists' entries)."""
    listener = login_as("Listener")
    add_setlist(app, users["Listener"], "First", "catalog")
    add_setlist(app, users["Editor"], "Second", "catalog")
    # The songs first: with none, the home page has no song rows to look hearts up for.
    with app.app_context():
        songs = make_songs(2000)
    listener.get("/")
    with app.app_context(), counted() as few:
        assert listener.get("/").status_code == 200
    add_setlist(app, users["Listener"], "Long", minutes_ago=-1, songs=songs)
    for number in range(60):
        add_setlist(app, users["Listener" if number % 2 else "Editor"], f"N{number}", "catalog")
    with app.app_context(), counted() as many:
        page = listener.get("/").get_data(as_text=True)
    assert len(many) == len(few)
    assert "2,000 songs · 1 day 9 h" in section(page, "My setlists")
