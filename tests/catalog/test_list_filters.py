"""List filters people can read: what is filtered is said above the list, and undone there."""

import html
import re

from app.extensions import db
from app.models import Album, Author, Song
from tests.catalog.test_scale import listed_titles

ACTIVE = re.compile(r'<div class="active-filters" role="status">(.*?)</div>', re.DOTALL)


def second_author_song(app) -> int:
    """A song by another author, on another album."""
    with app.app_context():
        album = Album(title="Other Album", author=Author(name="Another Author"))
        song = Song(
            title="Other Song", album=album, audio_file="other.ogg",
            original_filename="other.ogg", sha256="o" * 64,
        )  # fmt: skip
        db.session.add(song)
        db.session.commit()
        return album.author_id


def summary(response) -> str:
    """The active-filter summary of a list page, as text ('' when there is none)."""
    found = ACTIVE.search(response.get_data(as_text=True))
    if not found:
        return ""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))))


def test_songs_can_be_filtered_by_author(app, login_as, song):
    """An author filter on songs (through their albums), by id as the picker sends it."""
    other_author = second_author_song(app)
    listener = login_as("Listener")
    response = listener.get(f"/songs/list/?_flt_0_author={other_author}")
    assert listed_titles(response) == ["Other Song"]
    assert "Author is “Another Author”" in summary(response)


def test_the_summary_names_each_filter_and_drops_one_or_all(login_as, song):
    """Title and album filters read as a sentence; its cross drops one, "Clear filters" all."""
    listener = login_as("Listener")
    url = f"/songs/list/?_flt_0_title=tone&_flt_0_album={song.album_id}&psize_SongModelView=50"
    response = listener.get(url)
    text = summary(response)
    assert "Title contains “tone”" in text
    assert "Album is “Test Tones (Oscillator)”" in text
    page = response.get_data(as_text=True)
    removes = re.findall(r'<a href="([^"]+)" class="active-filter-remove"', page)
    assert [html.unescape(link) for link in removes] == [
        f"/songs/list/?_flt_0_album={song.album_id}&psize_SongModelView=50",
        "/songs/list/?_flt_0_title=tone&psize_SongModelView=50",
    ]
    clear = re.search(r'<a class="btn btn-xs btn-default" href="([^"]+)">Clear filters', page)
    assert html.unescape(clear.group(1)) == "/songs/list/?psize_SongModelView=50"


def test_an_unfiltered_list_has_no_summary_and_markup_in_values_is_text(login_as, song):
    """No filter, no summary; a filter value with markup is shown as text."""
    listener = login_as("Listener")
    assert summary(listener.get("/songs/list/")) == ""
    page = listener.get("/songs/list/?_flt_0_title=<b>x</b>").get_data(as_text=True)
    assert "“&lt;b&gt;x&lt;/b&gt;”" in page


def test_filter_choices_read_as_words(login_as, song):
    """The filter form offers "contains" first for text, "is" for a related row."""
    page = login_as("Listener").get("/songs/list/").get_data(as_text=True)
    assert '"title": ["contains", "starts with", "is exactly", "does not contain"]' in page
    assert '"album": ["is", "is not"]' in page
    assert '"author": ["is"]' in page


def test_links_read_the_address_as_fab_does(login_as, song):
    """FAB takes `a_flt_0_title`, `xpage_` and `x_oc_` as a filter, a page and a sort: so do
    the list's links (clear filters, export, the sorted column's arrow and its reversal)."""
    listener = login_as("Listener")
    url = (
        f"/songs/list/?_flt_0_album={song.album_id}&a_flt_0_title=tone"
        "&xpage_SongModelView=0&x_oc_SongModelView=title&_od_SongModelView=asc"
    )
    response = listener.get(url)
    assert listed_titles(response) == [song.title]
    page = response.get_data(as_text=True)
    clear = re.search(r'<a class="btn btn-xs btn-default" href="([^"]+)">Clear filters', page)
    assert html.unescape(clear.group(1)) == (
        "/songs/list/?x_oc_SongModelView=title&_od_SongModelView=asc"
    )
    export = re.search(r'<a href="([^"]*export\.csv[^"]*)"', page)
    assert html.unescape(export.group(1)) == (
        f"/songs/export.csv?_flt_0_album={song.album_id}&a_flt_0_title=tone"
        "&x_oc_SongModelView=title&_od_SongModelView=asc"
    )
    assert "× Title contains “tone” ×" in summary(response)
    header = re.search(r'<a href="([^"]+)">Title\s*<i class="fa ([\w-]+)', page)
    assert header.group(2) == "fa-chevron-up"
    assert html.unescape(header.group(1)) == (
        f"/songs/list/?_flt_0_album={song.album_id}&a_flt_0_title=tone"
        "&xpage_SongModelView=0&_od_SongModelView=desc&_oc_SongModelView=title"
    )


def api_list(visitor, query: str):
    """GET the song resource's list with a rison `q` argument."""
    return visitor.api("GET", f"/api/v1/song/?q={query}")


def test_api_filters_take_text_and_numbers_as_the_list_page_does(app, login_as, song):
    """A number is its text ("Take 5"); a boolean, a list where one value goes or one value
    where a list goes are refused with a 400 naming the filter (they were server errors)."""
    with app.app_context():
        db.session.add(
            Song(title="Take 5", album_id=song.album_id, genre="Jazz", audio_file="5.ogg",
                 original_filename="5.ogg", sha256="5" * 64)
        )  # fmt: skip
        db.session.commit()
    listener = login_as("Listener")
    for query, titles in [
        ("(filters:!((col:title,opr:key_ct,value:5)))", ["Take 5"]),
        ("(filters:!((col:title,opr:key_eq,value:'take 5')))", ["Take 5"]),
        ("(filters:!((col:genre,opr:in,value:!(Jazz,5))))", ["Take 5"]),
        ("(filters:!((col:genre,opr:ct,value:5)))", []),
    ]:
        response = api_list(listener, query)
        assert response.status_code == 200, query
        assert [row["title"] for row in response.json["result"]] == titles, query
    for query, named in [
        ("(filters:!((col:title,opr:key_ct,value:!t)))", "Filter 1 (title key_ct)"),
        ("(filters:!((col:title,opr:key_ct,value:x),(col:title,opr:key_sw,value:!(a,b))))",
         "Filter 2 (title key_sw)"),
        ("(filters:!((col:genre,opr:ct,value:!f)))", "Filter 1 (genre ct)"),
        ("(filters:!((col:genre,opr:in,value:Jazz)))", "Filter 1 (genre in)"),
        ("(filters:!((col:rating,opr:not_in,value:!(1,!t))))", "Filter 1 (rating not_in)"),
    ]:  # fmt: skip
        response = api_list(listener, query)
        assert response.status_code == 400, query
        assert response.json["message"].startswith(named), response.json
    not_a_number = api_list(listener, "(filters:!((col:rating,opr:eq,value:high)))")
    assert not_a_number.status_code == 400
    assert not_a_number.json["message"].startswith("A filter value does not fit its column")


def test_api_arguments_nested_too_deeply_are_refused(login_as, song):
    """Rison nested past Python's recursion limit is a 400 (it was a server error)."""
    listener = login_as("Listener")
    deep_value = "(filters:!((col:title,opr:key_ct,value:" + "!(" * 5000
    for query in ["!(" * 5000, "(a:" * 5000, deep_value]:
        for url in ("/api/v1/song/", f"/api/v1/song/{song.id}"):
            response = listener.api("GET", f"{url}?q={query}")
            assert response.status_code == 400, url
            assert response.json["message"] == "Not a valid rison/json argument"
