"""Bulk actions on lists: delete selected rows in one transaction, files after the commit."""

import io
import re

from sqlalchemy import select

from app.extensions import db
from app.media.file_store import LocalStore
from app.models import Album, Author, Song
from tests.support.apps import row_count
from tests.support.faults import commits_fail


def make_catalog(app, upload_folder) -> dict[str, int]:
    """Two authors; "Full" has an album with two stored songs, "Empty" an album with none.
    Returns ids by name."""
    store = LocalStore(upload_folder)
    with app.app_context():
        full = Album(title="Full Album", author=Author(name="Full"))
        empty = Album(title="Empty Album", author=Author(name="Empty"),
                      cover_file=store.area("covers").save_bytes(b"cover", "jpg"))  # fmt: skip
        songs = [
            Song(
                title=title,
                album=full,
                original_filename=f"{title}.ogg",
                audio_file=store.save(io.BytesIO(title.encode()), f"{title}.ogg"),
            )
            for title in ("One", "Two", "Three")
        ]
        db.session.add_all([empty, *songs])
        db.session.commit()
        ids = {song.title: song.id for song in songs}
        ids.update({"Full Album": full.id, "Empty Album": empty.id})
        ids.update({"Full": full.author_id, "Empty": empty.author_id})
        return ids


def act(visitor, view: str, rows: list[int]):
    """Post "Delete selected" for some rows from a list page, as its action menu does."""
    fields = {"action": "delete_selected", "rowid": [str(row) for row in rows]}
    return visitor.submit(f"/{view}/list/", fields, post_url=f"/{view}/action_post")


def messages(visitor, response) -> str:
    """The page the action leads to (with its flashed summary)."""
    assert response.status_code == 302
    return visitor.get(response.headers["Location"]).get_data(as_text=True)


def stored(upload_folder) -> set[str]:
    """Every stored file name (songs and covers)."""
    return {path.name for path in upload_folder.rglob("*") if path.is_file()}


def test_editors_delete_selected_songs_and_their_files(app, editor, upload_folder):
    """Two of three songs go, with their files (after the commit); one summary."""
    ids = make_catalog(app, upload_folder)
    with app.app_context():
        files = {s.title: s.audio_file for s in db.session.scalars(select(Song))}
    page = messages(editor, act(editor, "songs", [ids["One"], ids["Two"]]))
    assert "2 song(s) deleted." in page
    with app.app_context():
        assert db.session.scalars(select(Song.title)).all() == ["Three"]
    assert files["Three"] in stored(upload_folder)
    assert not {files["One"], files["Two"]} & stored(upload_folder)


def test_albums_with_songs_are_refused_each_with_its_reason(app, editor, upload_folder):
    """The empty album goes (cover too); the full one stays, and the summary says why."""
    ids = make_catalog(app, upload_folder)
    before = stored(upload_folder)
    page = messages(editor, act(editor, "albums", [ids["Full Album"], ids["Empty Album"]]))
    assert "1 album(s) deleted." in page
    assert "1 not deleted:" in page
    assert "still has 3 song(s)" in page
    with app.app_context():
        assert db.session.scalars(select(Album.title)).all() == ["Full Album"]
    assert len(before - stored(upload_folder)) == 1  # the empty album's cover


def test_authors_with_albums_are_refused(app, editor, upload_folder):
    """Only authors without albums may go."""
    ids = make_catalog(app, upload_folder)
    act(editor, "albums", [ids["Empty Album"]])
    page = messages(editor, act(editor, "authors", [ids["Full"], ids["Empty"]]))
    assert "1 author(s) deleted." in page
    assert "still has 1 album(s)" in page
    with app.app_context():
        assert db.session.scalars(select(Author.name)).all() == ["Full"]


def test_a_failed_commit_keeps_every_row_and_file(app, editor, upload_folder):
    """When the database refuses, nothing is deleted: no row, no file."""
    ids = make_catalog(app, upload_folder)
    before = stored(upload_folder)
    with commits_fail():
        response = act(editor, "songs", [ids["One"], ids["Two"], ids["Three"]])
    page = messages(editor, response)
    assert "The database refused the change" in page
    assert row_count(app, Song) == 3
    assert stored(upload_folder) == before


def test_listeners_neither_see_nor_run_bulk_actions(app, login_as, editor, upload_folder):
    """The action needs the delete permission: listeners get no menu item and their post
    fails (they tick rows for "Add to setlist" only)."""
    ids = make_catalog(app, upload_folder)
    listener = login_as("Listener")
    listed = listener.get("/songs/list/").get_data(as_text=True)
    assert "delete_selected_menu_item" not in listed
    assert "add_to_setlist_menu_item" in listed
    assert "delete_selected_menu_item" in editor.get("/songs/list/").get_data(as_text=True)
    act(listener, "songs", [ids["One"]])
    assert row_count(app, Song) == 3


def test_nothing_selected_says_so(app, editor, upload_folder):
    """Rows that no longer exist (deleted in another tab) are skipped with a message."""
    make_catalog(app, upload_folder)
    page = messages(editor, act(editor, "songs", [987654]))
    assert "Select at least one row first." in page
    assert row_count(app, Song) == 3


def change(visitor, view: str, name: str, rows: list[int], value: str):
    """Pick a bulk change for some rows on the list, then send its form with a value."""
    fields = {"action": name, "rowid": [str(row) for row in rows]}
    to_form = visitor.submit(f"/{view}/list/", fields, post_url=f"/{view}/action_post")
    assert to_form.status_code == 302
    return visitor.submit(to_form.headers["Location"], {"value": value})


def test_set_rating_and_genre_on_selected_songs(app, editor, upload_folder):
    """Selected songs get the value, the others keep theirs; the form named them first;
    songs that had the value already are told apart from those that changed."""
    ids = make_catalog(app, upload_folder)
    fields = {"action": "set_rating", "rowid": [str(ids["One"]), str(ids["Two"])]}
    form_page = editor.get(
        editor.submit("/songs/list/", fields, post_url="/songs/action_post").headers["Location"]
    ).get_data(as_text=True)
    assert "2 selected:" in form_page
    assert re.findall(r'<span class="bulk-row">([^<]*)</span>', form_page) == ["One", "Two"]
    page = messages(editor, change(editor, "songs", "set_rating", [ids["One"], ids["Two"]], "4"))
    assert "2 songs now rated 4 stars." in page
    page = messages(
        editor, change(editor, "songs", "set_rating", [ids["One"], ids["Three"]], "4")
    )  # "One" has that rating: only "Three" changes, and the message says so
    assert "1 song now rated 4 stars." in page
    assert "1 song was rated 4 stars already." in page
    page = messages(editor, change(editor, "songs", "set_genre", [ids["Two"]], "<b>Jazz</b>"))
    assert "now in genre “&lt;b&gt;Jazz&lt;/b&gt;”" in page
    with app.app_context():
        songs = {s.title: (s.rating, s.genre) for s in db.session.scalars(select(Song))}
    assert songs == {"One": (4, None), "Two": (4, "<b>Jazz</b>"), "Three": (4, None)}
    change(editor, "songs", "set_genre", [ids["Two"]], "")  # empty: no genre, not ""
    with app.app_context():
        assert db.session.get(Song, ids["Two"]).genre is None


def test_move_songs_to_an_album_and_albums_to_an_author(app, editor, upload_folder):
    """The searchable choice gives the id; the rows follow."""
    ids = make_catalog(app, upload_folder)
    page = messages(
        editor, change(editor, "songs", "move_to_album", [ids["One"]], str(ids["Empty Album"]))
    )
    assert "1 song(s) moved to “Empty Album (Empty)”." in page
    page = messages(
        editor, change(editor, "albums", "move_to_author", [ids["Full Album"]], str(ids["Empty"]))
    )
    assert "1 album(s) moved to “Empty”." in page
    with app.app_context():
        assert db.session.get(Song, ids["One"]).album_id == ids["Empty Album"]
        assert db.session.get(Album, ids["Full Album"]).author_id == ids["Empty"]


def test_a_failed_bulk_change_changes_no_row(app, editor, upload_folder):
    """One transaction: when the database refuses, every row keeps its value."""
    ids = make_catalog(app, upload_folder)
    with commits_fail():
        response = change(editor, "songs", "set_rating", [ids["One"], ids["Two"]], "5")
    assert "The database refused the change" in messages(editor, response)
    with app.app_context():
        assert db.session.scalars(select(Song.rating)).all() == [None, None, None]


def test_listeners_cannot_change_rows_in_bulk(app, login_as, upload_folder):
    """Neither the action nor its form opens for a role without can_edit."""
    ids = make_catalog(app, upload_folder)
    listener = login_as("Listener")
    assert "set_rating" not in listener.get("/songs/list/").get_data(as_text=True)
    assert listener.get(f"/songs/bulk/set_rating?ids={ids['One']}").status_code in (302, 403)
    fields = {"action": "set_rating", "rowid": [str(ids["One"])]}
    listener.submit("/songs/list/", fields, post_url="/songs/action_post")
    with app.app_context():
        assert db.session.get(Song, ids["One"]).rating is None


def test_moving_albums_refuses_only_titles_the_author_has(app, editor, upload_folder):
    """Albums whose title the new author already uses (or another moved album brings) stay,
    each named; the others move in the same change."""
    ids = make_catalog(app, upload_folder)
    with app.app_context():
        full = db.session.get(Author, ids["Full"])
        elsewhere = Author(name="Elsewhere")
        twins = [Album(title="Twin", author=elsewhere), Album(title="twin", author=full)]
        clash = Album(title="EMPTY ALBUM", author=elsewhere)
        db.session.add_all([*twins, clash])
        db.session.commit()
        # Selected too: an album the author already has, newer than the one that clashes.
        late_copy = Album(title="late arrival", author=elsewhere)
        db.session.add(late_copy)
        db.session.commit()
        late = Album(title="Late Arrival", author_id=ids["Empty"])
        db.session.add(late)
        db.session.commit()
        moving = [ids["Full Album"], clash.id, late_copy.id, late.id, *(a.id for a in twins)]
        twin_ids = sorted(album.id for album in twins)
    page = messages(editor, change(editor, "albums", "move_to_author", moving, str(ids["Empty"])))
    assert "2 album(s) moved to “Empty”." in page
    assert "1 album(s) were by “Empty” already." in page
    assert "3 not changed: “EMPTY ALBUM”: Empty already has an album with this title." in page
    assert "“late arrival”: Empty already has an album with this title." in page
    assert "“twin”: Empty already has an album with this title." in page
    with app.app_context():
        authors = dict(db.session.execute(select(Album.id, Album.author_id)).all())
    assert authors[ids["Full Album"]] == ids["Empty"]
    assert authors[clash.id] != ids["Empty"]
    assert (authors[late.id], authors[late_copy.id] == ids["Empty"]) == (ids["Empty"], False)
    assert [authors[twin] == ids["Empty"] for twin in twin_ids] == [True, False]


def test_list_actions_do_not_run_on_one_row(app, login_as, editor, upload_folder):
    """FAB's one-row route (/<view>/action/<name>/<id>, for a record page's buttons) called
    a list action with one row instead of a list: a server error. Refused, nothing changed."""
    ids = make_catalog(app, upload_folder)
    for view, name, row in [
        ("songs", "delete_selected", ids["One"]),
        ("songs", "set_rating", ids["One"]),
        ("songs", "set_genre", ids["One"]),
        ("songs", "move_to_album", ids["One"]),
        ("albums", "delete_selected", ids["Empty Album"]),
        ("albums", "move_to_author", ids["Full Album"]),
        ("authors", "delete_selected", ids["Empty"]),
    ]:
        response = editor.submit(f"/{view}/list/", {}, post_url=f"/{view}/action/{name}/{row}")
        assert response.status_code == 404, (view, name)
    assert (row_count(app, Song), row_count(app, Album), row_count(app, Author)) == (3, 2, 2)
    admin = login_as("Admin")
    with app.app_context():
        role_id = app.appbuilder.sm.find_role("Listener").id
        roles = len(app.appbuilder.sm.get_all_roles())
    response = admin.submit("/roles/list/", {}, post_url=f"/roles/action/copyrole/{role_id}")
    assert response.status_code == 404
    with app.app_context():
        assert len(app.appbuilder.sm.get_all_roles()) == roles


def test_one_row_actions_do_not_run_on_a_list(app, login_as, users):
    """A user's own-row actions (end sessions, reset password…) posted as a list action
    (a server error: FAB hands them a list) are refused; the listener stays signed in."""
    listener = login_as("Listener")
    admin = login_as("Admin")
    with app.app_context():
        listener_id = app.appbuilder.sm.find_user(username=users["Listener"]).id
    for name in ("endsessions", "logouteverywhere", "resetpasswords", "userinfoedit"):
        fields = {"action": name, "rowid": [str(listener_id)]}
        response = admin.submit("/users/list/", fields, post_url="/users/action_post")
        assert response.status_code == 404, name
    assert listener.get("/songs/list/").status_code == 200
    assert admin.get("/users/list/").status_code == 200
