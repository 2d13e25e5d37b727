"""A catalog list's count of its whole table comes from the kept counter (issue 29: no
request counts a million songs): right after every add and delete, mended by `flask
catalog recount` after rows written behind the app's back; a filtered list counts its rows."""

import re

from sqlalchemy import text

from app.extensions import db
from tests.catalog.test_list_pager import summaries
from tests.site.test_home_figures import done, made, upload

LISTS = ("/songs/list/", "/albums/list/", "/authors/list/")


def counts(editor) -> list[str]:
    """The count each whole list says ("1-25 of 31" gives "31"), songs, albums, authors."""
    return [summaries(editor.get(path))[0].rsplit(" of ", 1)[1] for path in LISTS]


def test_whole_lists_count_every_change_at_once(app, editor, runner, generated_catalog):
    """Add an author, an album and two songs, delete one song: each list's count follows at
    once; a filtered list counts its own rows; after a song deleted in plain SQL, a recount
    makes the count right again."""
    generated_catalog(30)  # 10 songs an album, 5 albums an author: 3 albums, 1 author
    assert counts(editor) == ["30", "3", "1"]
    author = made(editor, "author", name="Counted Author")
    album = made(editor, "album", title="Counted Album", author_id=author)
    assert counts(editor) == ["30", "4", "2"]
    first = upload(editor, "tone.flac", album)
    upload(editor, "tone.wav", album)
    assert counts(editor) == ["32", "4", "2"]
    done(editor, "DELETE", f"/api/v1/song/{first}")
    assert counts(editor) == ["31", "4", "2"]
    filtered = editor.get(f"/songs/list/?_flt_0_album={album}")
    assert summaries(filtered)[0] == "1–1 of 1"
    with app.app_context():
        db.session.execute(text("DELETE FROM song WHERE id = (SELECT min(id) FROM song)"))
        db.session.commit()
    assert runner.invoke(args=["catalog", "recount"]).exit_code == 0
    assert counts(editor) == ["30", "4", "2"]


def test_a_whole_list_never_counts_its_table(editor, generated_catalog, statements):
    """The song, album and author lists send no count over their tables; filtered, they do."""
    generated_catalog(30)
    for path in LISTS:
        statements.clear()
        editor.get(path)
        counted = [s for s in statements if re.search(r"count\(\*\)", s, re.I)]
        assert not counted, (path, counted)
    statements.clear()
    editor.get("/songs/list/?_flt_0_title=a")
    assert any(re.search(r"count\(\*\)", s, re.I) for s in statements)
