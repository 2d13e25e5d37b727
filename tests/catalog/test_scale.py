"""Pages that cost the same at any catalog size: constant SQL, no whole table in any page."""

import html
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.media.audio import format_duration
from app.models import Album, Author, Song

#: A list page's budget: user, permissions, count, the page's rows (+4 spare).
MAX_LIST_STATEMENTS = 8
LIST_PAGES = [
    "/songs/list/",
    "/songs/list/?_flt_0_rating=3",
    "/songs/list/?_flt_0_title=river",
    "/songs/list/?_oc_SongModelView=album.title&_od_SongModelView=desc",
    "/albums/list/",
    "/albums/list/?_oc_AlbumModelView=author.name&_od_AlbumModelView=asc",
    "/authors/list/",
]


def statements_for(visitor, statements, url: str) -> int:
    """How many SQL statements one page view sends."""
    statements.clear()
    response = visitor.get(url)
    assert response.status_code == 200, url
    return len(statements)


def first_id(app, model) -> int:
    """The smallest id of a table."""
    with app.app_context():
        return db.session.scalar(select(model.id).order_by(model.id).limit(1))


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_statements_do_not_grow_with_page_size_or_catalog(
    app, login_as, generated_catalog, statements, url
):
    """The same few statements at 25 or 100 rows a page, at 100 or 10,000 songs."""
    editor = login_as("Editor")
    generated_catalog(100)
    bigger_page = f"{url}{'&' if '?' in url else '?'}psize_{view_of(url)}=100"
    small = statements_for(editor, statements, url)
    assert small <= MAX_LIST_STATEMENTS
    assert statements_for(editor, statements, bigger_page) == small
    generated_catalog(9_900)
    assert statements_for(editor, statements, url) == small
    assert statements_for(editor, statements, bigger_page) == small


def view_of(url: str) -> str:
    """The FAB view class serving a list URL."""
    return {"songs": "SongModelView", "albums": "AlbumModelView", "authors": "AuthorModelView"}[
        url.split("/")[1]
    ]


def test_deep_pages_show_the_right_rows_with_the_same_statements(
    app, login_as, generated_catalog, statements
):
    """Page 200 runs what page 1 runs and shows the 25 songs sorted after page 199's."""
    listener = login_as("Listener")
    generated_catalog(10_000)
    first = statements_for(listener, statements, "/songs/list/")
    deep_url = "/songs/list/?page_SongModelView=199"
    assert statements_for(listener, statements, deep_url) == first
    with app.app_context():
        expected = db.session.scalars(
            select(Song.title).order_by(Song.title_key, Song.id).offset(199 * 25).limit(25)
        ).all()
    assert listed_titles(listener.get(deep_url)) == expected


def listed_titles(response) -> list[str]:
    """The title column of a song list (the cell after each row's buttons, and after its
    tick box when the list has actions), as text."""
    rows = re.findall(r"<tr>(.*?)</tr>", response.get_data(as_text=True), re.DOTALL)
    cells = (re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL) for row in rows)
    cells = (row[1:] if row and 'name="rowid"' in row[0] else row for row in cells)
    return [re.sub(r"<[^>]+>", "", row[1]) for row in cells if len(row) > 1]


def link_named(response, label: str) -> str:
    """The address of the page's first link whose text starts with `label`, as followed."""
    page = response.get_data(as_text=True)
    return html.unescape(re.search(rf'<a href="([^"]*)">\s*{re.escape(label)}\b', page).group(1))


def test_pager_and_sort_links_keep_every_filter(app, login_as, generated_catalog):
    """Page 2 of a list filtered twice on one column, sorted by a header link, is right."""
    listener = login_as("Listener")
    generated_catalog(300)
    with app.app_context():
        both = select(Song.title).where(Song.title_key.contains("a"), Song.title_key.contains("e"))
        expected = db.session.scalars(
            both.order_by(Song.title_key.desc(), Song.id.desc()).offset(25).limit(25)
        ).all()
    filtered = listener.get("/songs/list/?_flt_0_title=a&_flt_0_title=e")
    ascending = listener.get(link_named(filtered, "Title"))
    # Sorted by title ascending: its header reverses the order, another header sorts ascending.
    assert "_od_SongModelView=asc" in link_named(ascending, "Rating")
    descending = listener.get(link_named(ascending, "Title"))
    second_page = listener.get(link_named(descending, "2"))
    assert listed_titles(second_page) == expected
    assert len(expected) == 25


def test_sorting_by_title_ignores_case_and_accents(app, login_as):
    """Titles sort as people read them, not by capital letters first."""
    with app.app_context():
        album = Album(title="Sorted", author=Author(name="Sorter"))
        for index, title in enumerate(["banana", "Apple", "Éclair", "cherry", "Date"]):
            db.session.add(
                Song(title=title, album=album, audio_file=f"s{index}.mp3", original_filename="x")
            )
        db.session.commit()
    listener = login_as("Listener")
    assert listed_titles(listener.get("/songs/list/")) == [
        "Apple",
        "banana",
        "cherry",
        "Date",
        "Éclair",
    ]
    descending = listener.get("/songs/list/?_oc_SongModelView=title&_od_SongModelView=desc")
    assert listed_titles(descending) == ["Éclair", "Date", "cherry", "banana", "Apple"]


OPTION = re.compile(r"<option\b")


@pytest.mark.parametrize(
    "url",
    [
        "/songs/list/",
        "/songs/list/?_flt_0_album={album}",
        "/albums/list/",
        "/albums/list/?_flt_0_author={author}",
        "/songs/add",
        "/songs/edit/{song}",
        "/albums/add",
        "/albums/edit/{album}",
        "/albums/show/{album}",
        "/authors/show/{author}",
    ],
)
def test_no_page_lists_every_album_or_author(app, login_as, generated_catalog, url):
    """At 10,000 albums and 2,000 authors, pages carry a handful of options, not a table."""
    generated_catalog(10_000, songs_per_album=1)
    ids = {
        "album": first_id(app, Album),
        "author": first_id(app, Author),
        "song": first_id(app, Song),
    }
    response = login_as("Admin").get(url.format(**ids))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert len(OPTION.findall(page)) < 20
    assert len(page) < 100 * 1024


def test_album_page_counts_songs_in_sql(app, login_as, generated_catalog, statements):
    """An album of 2,000 songs shows its totals and one page of songs, in a few statements."""
    generated_catalog(2_000, songs_per_album=2_000)
    album_id = first_id(app, Album)
    with app.app_context():
        total = sum(db.session.scalars(select(Song.duration).where(Song.album_id == album_id)))
    listener = login_as("Listener")
    count = statements_for(listener, statements, f"/albums/show/{album_id}")
    page = listener.get(f"/albums/show/{album_id}").get_data(as_text=True)
    assert f"2,000 songs, {format_duration(total)}" in page
    assert page.count("/songs/stream/") == 25
    assert count <= MAX_LIST_STATEMENTS + 2
    # "FROM song" itself (not song_mark, the page's hearts, looked up by their keys).
    whole = re.compile(r"FROM song\b")
    assert not any(whole.search(s) and "LIMIT" not in s and "count" not in s for s in statements)


def test_refused_delete_counts_children_without_loading_them(
    app, login_as, generated_catalog, statements
):
    """Deleting an album with 500 songs is refused, naming the count; no song is loaded."""
    generated_catalog(500, songs_per_album=500)
    album_id = first_id(app, Album)
    editor = login_as("Editor")
    statements.clear()
    response = editor.submit("/albums/list/", {}, post_url=f"/albums/delete/{album_id}")
    assert response.status_code == 302
    assert not any(s.lstrip().startswith("SELECT song.id, song.") for s in statements)
    page = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert "still has 500 song(s)" in page
    assert len(OPTION.findall(page)) < 20


def test_songs_sorted_by_album_keep_each_album_together(app, login_as):
    """Two albums with one title: sorted by album, each one's songs come together, both ways."""
    with app.app_context():
        albums = [Album(title="Greatest Hits", author=Author(name=name)) for name in "AB"]
        for number in range(1, 3):  # added in turns: A1, B1, A2, B2
            for album in albums:
                name = f"{album.author.name}{number}"
                db.session.add(Song(title=name, album=album, audio_file=f"{name}.ogg",
                                    original_filename=f"{name}.ogg"))  # fmt: skip
        db.session.commit()
    listener = login_as("Listener")
    by_album = "/songs/list/?_oc_SongModelView=album.title&_od_SongModelView="
    assert listed_titles(listener.get(by_album + "asc")) == ["A1", "A2", "B1", "B2"]
    assert listed_titles(listener.get(by_album + "desc")) == ["B2", "B1", "A2", "A1"]
