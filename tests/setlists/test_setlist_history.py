"""Setlists in the change history: created, changed, moved, deleted; a song deleted from the
catalog takes its entries with it and the history says so; deleting a setlist touches no
song or file; "Recent changes" shows the new kinds."""

from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.models import Change, Setlist, SetlistEntry, Song
from app.setlists import entries, rules
from tests.setlists.building import order


def changes(kind: str) -> list[tuple[str, str, dict]]:
    """(action, label, changes) of a kind's history rows, oldest first."""
    rows = select(Change).where(Change.kind == kind).order_by(Change.id)
    return [(row.action, row.record_label, row.changes) for row in db.session.scalars(rows)]


def test_setlists_and_entries_are_recorded_like_the_catalog(session, people, songs):
    """Who, when, before and after: a setlist's creation, rename, publication, an entry's
    addition, move, note and removal."""
    ids = songs(2)
    setlist = rules.create(session, people["owner"], "Warm-up", "Doors at 8")
    first, second = entries.add_songs(session, setlist, ids, people["owner"]).entries
    session.commit()
    rules.rename(setlist, "Opening set")
    rules.change_visibility(setlist, "catalog", may_publish=True)
    entries.move(session, setlist, second.id, "top")
    entries.annotate(session, setlist, first.id, "segue")
    session.commit()
    entries.remove(session, setlist, second.id)
    session.commit()
    assert changes("setlist") == [
        ("created", "Warm-up", {
            "name": [None, "Warm-up"], "description": [None, "Doors at 8"],
            "visibility": [None, "private"]}),
        ("updated", "Opening set", {
            "name": ["Warm-up", "Opening set"], "visibility": ["private", "catalog"]}),
    ]  # fmt: skip
    step, a, b = entries.STEP, "Track 00000", "Track 00001"
    assert changes("setlist_entry") == [
        ("created", f"{a} in Warm-up", {"song": [None, a], "position": [None, step]}),
        ("created", f"{b} in Warm-up", {"song": [None, b], "position": [None, 2 * step]}),
        ("updated", f"{b} in Opening set", {"position": [2 * step, 0]}),
        ("updated", f"{a} in Opening set", {"note": [None, "segue"]}),
        ("deleted", f"{b} in Opening set", {"song": [b, None], "position": [0, None]}),
    ]
    assert set(session.scalars(select(Change.user_name))) == {"command line"}


def test_a_song_deleted_from_the_catalog_leaves_its_setlists(session, people, songs):
    """The song's entries go (in every setlist), the setlists stay, the history says so."""
    ids = songs(3)
    one = rules.create(session, people["owner"], "One")
    two = rules.create(session, people["other"], "Two")
    made = entries.add_songs(session, one, [ids[0], ids[1], ids[0]], people["owner"]).entries
    kept = entries.add_songs(session, two, [ids[2], ids[0]], people["other"]).entries
    session.commit()
    session.delete(session.get(Song, ids[0]))
    session.commit()
    assert order(one.id) == [made[1].id]
    assert order(two.id) == [kept[0].id]
    assert session.scalar(select(func.count(Setlist.id))) == 2
    deleted = [
        (label, change["song"]) for action, label, change in changes("setlist_entry")
        if action == "deleted"
    ]  # fmt: skip
    assert sorted(deleted) == [
        ("Track 00000 in One", ["Track 00000", None]),
        ("Track 00000 in One", ["Track 00000", None]),
        ("Track 00000 in Two", ["Track 00000", None]),
    ]


def test_deleting_a_setlist_touches_no_song_or_file(session, people, songs, upload_folder):
    """The setlist and its entries go (the database deletes the entries); songs, their
    files and other setlists stay; the history records the setlist's deletion."""
    ids = songs(3)
    (upload_folder / "bulk-0.ogg").write_bytes(b"OggS")
    doomed = rules.create(session, people["owner"], "Doomed")
    other = rules.create(session, people["owner"], "Other")
    entries.add_songs(session, doomed, ids * 2, people["owner"])
    entries.add_songs(session, other, ids[:1], people["owner"])
    session.commit()
    other_id = other.id
    session.expire_all()
    rules.delete(session, session.get(Setlist, doomed.id))
    session.commit()
    assert session.scalar(select(func.count(Song.id))) == 3
    assert Path(upload_folder / "bulk-0.ogg").read_bytes() == b"OggS"
    assert session.scalar(select(func.count(SetlistEntry.id))) == 1
    assert len(order(other_id)) == 1
    assert changes("setlist")[-1] == (
        "deleted",
        "Doomed",
        {"name": ["Doomed", None], "visibility": ["private", None]},
    )


def test_recent_changes_lists_setlist_kinds(login_as, app, people, songs):
    """The admins' "Recent changes" page shows setlist changes, named as such."""
    with app.app_context():
        ids = songs(1)
        setlist = rules.create(db.session, people["owner"], "Shown <b>here</b>")
        entries.add_songs(db.session, setlist, ids, people["owner"])
        db.session.commit()
    page = login_as("Admin").get("/changes/list/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Setlist entry" in text
    assert "Shown &lt;b&gt;here&lt;/b&gt;" in text
    with app.app_context():
        db.session.execute(Setlist.__table__.delete())
        db.session.commit()
