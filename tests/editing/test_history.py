"""Change history: every create, update and delete of a record, who made it, what changed."""

import re

from sqlalchemy import select

from app.extensions import db
from app.models import Author, Change, Song
from tests.editing.test_bulk_actions import change, make_catalog
from tests.support.apps import add_role_users
from tests.support.faults import commits_fail
from tests.support.forms import Browser


def changes_of(app, kind: str, record_id: int) -> list[tuple[str, str, dict]]:
    """(action, who, changes) of a record, oldest first."""
    with app.app_context():
        rows = db.session.scalars(
            select(Change)
            .where(Change.kind == kind, Change.record_id == record_id)
            .order_by(Change.id)
        )
        return [(row.action, row.user_name, row.changes) for row in rows]


def added_id(response) -> int:
    """The id in the address a form sent the browser to after adding."""
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_creating_changing_and_deleting_through_the_pages(app, editor, users):
    """Each step is one change, by the editor, with the fields' before and after."""
    created = editor.submit("/authors/add", {"name": "Queen", "country": "UK"})
    author_id = added_id(created)
    editor.submit(f"/authors/edit/{author_id}", {"name": "Queen", "country": "United Kingdom"})
    editor.submit("/authors/list/", {}, post_url=f"/authors/delete/{author_id}")
    assert changes_of(app, "author", author_id) == [
        ("created", users["Editor"], {"name": [None, "Queen"], "country": [None, "UK"]}),
        ("updated", users["Editor"], {"country": ["UK", "United Kingdom"]}),
        (
            "deleted",
            users["Editor"],
            {"name": ["Queen", None], "country": ["United Kingdom", None]},
        ),
    ]


def test_a_new_file_is_named_by_its_original_name_and_hash(app, editor, audio):
    """Replacing a song's file records the names people know, never the stored names."""
    song_id = added_id(
        editor.submit("/songs/add", {"album": "", "audio_file": audio("morning-light.mp3")})
    )
    with app.app_context():
        song = db.session.get(Song, song_id)
        old_stored, old_hash, album_id = song.audio_file, song.sha256, song.album_id
    editor.submit(f"/songs/edit/{song_id}", {"title": "Renamed", "album": str(album_id),
                                              "audio_file": audio("tone.flac")})  # fmt: skip
    with app.app_context():
        song = db.session.get(Song, song_id)
        new_stored, new_hash = song.audio_file, song.sha256
    [created, updated] = changes_of(app, "song", song_id)
    assert created[2]["file"] == [None, f"morning-light.mp3 (SHA-256 {old_hash})"]
    assert updated[2]["file"] == [
        f"morning-light.mp3 (SHA-256 {old_hash})",
        f"tone.flac (SHA-256 {new_hash})",
    ]
    assert updated[2]["title"] == ["Morning Light", "Renamed"]
    assert old_stored not in str(created) + str(updated)
    assert new_stored not in str(updated)


def test_bulk_changes_are_recorded_per_row(app, editor, upload_folder, users):
    """A bulk rating records one change for each song it rated, none for the others."""
    ids = make_catalog(app, upload_folder)
    change(editor, "songs", "set_rating", [ids["One"], ids["Two"]], "4")
    for title in ("One", "Two"):
        assert changes_of(app, "song", ids[title])[-1] == (
            "updated",
            users["Editor"],
            {"rating": [None, 4]},
        )
    assert [action for action, _who, _changes in changes_of(app, "song", ids["Three"])] == [
        "created"
    ]


def test_imports_are_recorded_as_the_command_line(app, runner, audio_dir, tmp_path):
    """`flask catalog import` has no user: its changes say "command line"."""
    library = tmp_path / "library"
    library.mkdir()
    (library / "morning-light.mp3").write_bytes((audio_dir / "morning-light.mp3").read_bytes())
    assert runner.invoke(args=["catalog", "import", str(library)]).exit_code == 0
    with app.app_context():
        rows = db.session.execute(select(Change.kind, Change.user_name, Change.action)).all()
    assert sorted(rows) == [
        ("album", "command line", "created"),
        ("author", "command line", "created"),
        ("song", "command line", "created"),
    ]


def test_changes_nobody_signed_in_to_name_their_request(standalone_app):
    """A role that lets anonymous visitors add authors: their changes say "anonymous
    request" and the request id the response (and the request log) carries, never
    "command line"; the admin's Recent changes shows it."""
    app = standalone_app()
    with app.app_context():
        sm = app.appbuilder.sm
        public = sm.find_role(app.config["AUTH_ROLE_PUBLIC"])
        for permission in ("can_add", "can_list"):
            sm.add_permission_role(
                public, sm.find_permission_view_menu(permission, "AuthorModelView")
            )
    added = Browser(app.test_client()).submit("/authors/add", {"name": "Walk-in Band"})
    assert added.status_code == 302
    request_id = added.headers["X-Request-ID"]
    with app.app_context():
        rows = db.session.execute(select(Change.user_name, Change.user_id, Change.action)).all()
    assert rows == [(f"anonymous request {request_id}", None, "created")]
    admin = Browser(app.test_client())
    assert admin.login(add_role_users(app)["Admin"])
    recent = admin.get("/changes/list/").get_data(as_text=True)
    assert f"anonymous request {request_id}" in recent
    assert "command line" not in recent


def test_a_failed_commit_records_nothing(app, editor):
    """The history is written in the change's own transaction."""
    with commits_fail():
        editor.submit("/authors/add", {"name": "Never Saved"})
    with app.app_context():
        assert db.session.scalars(select(Change)).all() == []


def test_record_pages_show_history_to_editors_only_and_escaped(app, editor, login_as):
    """Markup typed into a field is shown as text; listeners see no history."""
    author_id = added_id(editor.submit("/authors/add", {"name": "<b>Bold</b> Band"}))
    page = editor.get(f"/authors/show/{author_id}").get_data(as_text=True)
    history = page.split('class="record-history"')[1]
    assert "&lt;b&gt;Bold&lt;/b&gt; Band" in history
    assert "<b>Bold</b>" not in history
    assert "eddie" in history
    listener_page = login_as("Listener").get(f"/authors/show/{author_id}").get_data(as_text=True)
    assert "record-history" not in listener_page
    recent = login_as("Admin").get("/changes/list/").get_data(as_text=True)
    assert "&lt;b&gt;Bold&lt;/b&gt; Band" in recent
    assert "<b>Bold</b>" not in recent


def test_recent_changes_is_for_admins_and_outlives_the_record(app, editor, login_as, users):
    """Admins see every change, filter by user, and keep a deleted record's history."""
    author_id = added_id(editor.submit("/authors/add", {"name": "Short Lived"}))
    editor.submit("/authors/list/", {}, post_url=f"/authors/delete/{author_id}")
    with app.app_context():
        db.session.add(Author(name="Made Elsewhere"))
        db.session.commit()
    admin = login_as("Admin")
    page = admin.get("/changes/list/").get_data(as_text=True)
    rows = [row for row in page.split("<tr")[1:] if "Short Lived" in row]
    assert len(rows) == 2  # created and deleted
    assert "Made Elsewhere" in page
    mine = admin.get(f"/changes/list/?_flt_0_user_name={users['Editor']}").get_data(as_text=True)
    assert "Short Lived" in mine
    assert "Made Elsewhere" not in mine
    assert editor.get("/changes/list/").status_code in (302, 403)
    assert "/changes/list/" not in re.sub(r"\s+", " ", editor.get("/").get_data(as_text=True))
