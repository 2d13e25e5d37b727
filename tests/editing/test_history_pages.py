"""Recent changes and "My changes" as people read them: records as links while they exist,
short file hashes, empty values in words, the command line named, each editor's own list,
and list queries that stay small however long the history grows."""

import re

from sqlalchemy import select

from app.extensions import db
from app.models import Author, Song
from app.views.editing.history import COUNT_CAP
from tests.editing.test_history import added_id

HASH = re.compile(r"[0-9a-f]{64}")


def text_of(html: str) -> str:
    """A page's visible text (tags and their attributes dropped; words inside a line's
    inline tags stay joined to their neighbours)."""
    inline = re.sub(r"</?(del|ins|span|a|code)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inline))


def row_of(page: str, label: str) -> str:
    """The first table row of a list page that mentions a label."""
    return next(row for row in page.split("<tr")[1:] if label in row)


def test_records_link_while_they_exist_and_files_show_short_hashes(app, editor, login_as, audio):
    """A song added with its file, an author whose biography is set then cleared, an author
    deleted: the song and living author link to their pages, the deleted one is plain text;
    the file line shows 12 characters of its hash (all 64 on hover); "set to" and
    "cleared" instead of "— →"."""
    song_id = added_id(
        editor.submit("/songs/add", {"album": "", "audio_file": audio("morning-light.mp3")})
    )
    author_id = added_id(editor.submit("/authors/add", {"name": "Poet"}))
    editor.submit(f"/authors/edit/{author_id}", {"name": "Poet", "biography": "Born <here>."})
    editor.submit(f"/authors/edit/{author_id}", {"name": "Poet", "biography": ""})
    gone_id = added_id(editor.submit("/authors/add", {"name": "Gone Band"}))
    editor.submit("/authors/list/", {}, post_url=f"/authors/delete/{gone_id}")
    with app.app_context():
        song = db.session.get(Song, song_id)
        title, digest = song.title, song.sha256

    page = login_as("Admin").get("/changes/list/").get_data(as_text=True)
    song_row = row_of(page, f'"/songs/show/{song_id}"')
    assert f'<a href="/songs/show/{song_id}">{title}</a>' in song_row
    assert f'<code class="file-hash" title="SHA-256 {digest}">{digest[:12]}…</code>' in song_row
    assert HASH.search(text_of(page)) is None  # no 64-character hash in the text read
    assert f'<a href="/authors/show/{author_id}">Poet</a>' in page

    text = text_of(page)
    assert "Biography set to “Born &lt;here&gt;.”" in text
    assert "Biography cleared (was “Born &lt;here&gt;.”)" in text
    assert "— →" not in text
    assert "→ —" not in text
    gone_rows = [row for row in page.split("<tr")[1:] if "Gone Band" in row]
    assert len(gone_rows) == 2  # created and deleted: both plain text now
    assert all(f"/authors/show/{gone_id}" not in row for row in gone_rows)
    assert "Name was “Gone Band”" in text_of(gone_rows[0])


def test_the_command_line_is_named_in_the_viewers_words(app, login_as):
    """A change made outside any request reads "command line" through the translations."""
    with app.app_context():
        db.session.add(Author(name="Imported"))
        db.session.commit()
    admin = login_as("Admin")
    row = row_of(admin.get("/changes/list/").get_data(as_text=True), "Imported")
    assert "command line" in text_of(row)
    admin.get("/lang/es")
    row = row_of(admin.get("/changes/list/").get_data(as_text=True), "Imported")
    assert "Autor" in text_of(row)  # the page is Spanish; the words come through gettext


def test_editors_have_a_list_of_their_own_changes(app, editor, login_as, users):
    """The editor's menu offers "My changes": their changes, newest first, none of the
    admin's or the command line's; the admins' Recent changes stays closed to them."""
    mine_id = added_id(editor.submit("/authors/add", {"name": "Editor Made"}))
    editor.submit(f"/authors/edit/{mine_id}", {"name": "Editor Made", "country": "Chile"})
    admin = login_as("Admin")
    admin.submit("/authors/add", {"name": "Admin Made"})
    with app.app_context():
        db.session.add(Author(name="Script Made"))
        db.session.commit()

    home = editor.get("/").get_data(as_text=True)
    assert 'href="/changes/mine/list/"' in home
    assert "/changes/list/" not in home
    page = editor.get("/changes/mine/list/").get_data(as_text=True)
    assert "My changes" in page
    assert "Admin Made" not in page
    assert "Script Made" not in page
    rows = [row for row in page.split("<tr")[1:] if "Editor Made" in row]
    assert len(rows) == 2
    assert "Changed" in text_of(rows[0])
    assert "Created" in text_of(rows[1])
    assert "Country set to “Chile”" in text_of(rows[0])
    # Another user's id in the address changes nothing: the list is the viewer's.
    other = editor.get("/changes/mine/list/?_flt_0_user_name=alice").get_data(as_text=True)
    assert "Admin Made" not in other
    assert editor.get("/changes/list/").status_code in (302, 403)
    listener = login_as("Listener")
    assert listener.get("/changes/mine/list/").status_code in (302, 403)
    admin_own = admin.get("/changes/mine/list/").get_data(as_text=True)
    assert "Admin Made" in admin_own
    assert "Editor Made" not in admin_own


def test_change_lists_never_count_the_whole_history(app, login_as, statements):
    """Each list page counts at most COUNT_CAP matching changes and asks which records
    still exist for its own rows only."""
    with app.app_context():
        db.session.add_all(Author(name=f"Author {n}") for n in range(3))
        db.session.commit()
    admin = login_as("Admin")
    statements.clear()
    assert admin.get("/changes/list/").status_code == 200
    on_changes = [s for s in statements if re.search(r"\bFROM change\b", s)]
    counts = [s for s in on_changes if "count(" in s.lower()]
    assert counts, on_changes
    assert all("LIMIT" in s.upper() for s in counts), counts
    assert str(COUNT_CAP) in str(statements) or all("LIMIT ?" in s or "%(" in s for s in counts)
    lookups = [s for s in statements if re.search(r"FROM author\s+WHERE author.id IN", s)]
    assert len(lookups) == 1
    with app.app_context():
        assert db.session.scalar(select(Author.id).where(Author.name == "Author 0"))


def test_a_history_longer_than_the_cap_says_or_more(app, login_as, monkeypatch):
    """Past the count's cap, Recent changes says "of N or more" above and below the list,
    not a total it never counted; under the cap, the plain total."""
    from tests.catalog.test_list_pager import summaries

    with app.app_context():
        db.session.add_all(Author(name=f"Capped {n}") for n in range(4))
        db.session.commit()
    admin = login_as("Admin")
    assert summaries(admin.get("/changes/list/")) == ["1–4 of 4"]
    monkeypatch.setattr("app.views.editing.history.COUNT_CAP", 3)
    monkeypatch.setattr("app.views.editing.history.ChangeModelView.page_size", 2)
    assert summaries(admin.get("/changes/list/")) == ["1–2 of 3 or more"] * 2
