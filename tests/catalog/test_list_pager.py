"""A list's pagers: "1-25 of 1,060" (an en dash on the page), pages around the current
one, a jump to any page that keeps the list's filters and order, and a clear message
(never a 500) for a page that cannot be."""

import html
import re
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Song
from app.views.catalog.songs import SongModelView
from tests.catalog.test_scale import listed_titles

SORTED = "_oc_SongModelView=title&_od_SongModelView=asc"


def text_of(response) -> str:
    """A page's visible text, tags dropped and spaces folded."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def summaries(response) -> list[str]:
    """The "first-last of count" lines of a list page (above and below the list)."""
    found = re.findall(r'<p class="list-summary">(.*?)</p>', response.get_data(as_text=True))
    return [html.unescape(line.strip()) for line in found]


def titles_at(app, offset: int, where=None) -> list[str]:
    """The 25 song titles from `offset` in title order (as the list sorts them)."""
    with app.app_context():
        query = select(Song.title).order_by(Song.title_key, Song.id)
        if where is not None:
            query = query.where(where)
        return db.session.scalars(query.offset(offset).limit(25)).all()


def test_jump_lands_on_the_page_with_filters_order_and_size_kept(app, login_as, generated_catalog):
    """Page 3 of a filtered, sorted list of 10 a page, by the jump box; then its next page."""
    generated_catalog(1_060)
    listener = login_as("Listener")
    filtered = f"/songs/list/?_flt_0_title=a&{SORTED}&psize_SongModelView=10"
    first = listener.get(filtered)
    with app.app_context():
        matching = db.session.scalar(select(func.count()).where(Song.title_key.contains("a")))
    assert summaries(first) == [f"1–10 of {matching:,}"] * 2  # above and below the list
    jumped = listener.get(f"{filtered}&page_SongModelView=7&jump_SongModelView=3")
    assert jumped.status_code == 302
    arguments = parse_qsl(urlsplit(jumped.location).query)
    assert ("page_SongModelView", "2") in arguments
    assert ("_flt_0_title", "a") in arguments
    assert ("psize_SongModelView", "10") in arguments
    assert ("_oc_SongModelView", "title") in arguments
    assert not [name for name, _ in arguments if name.startswith("jump_")]
    assert ("page_SongModelView", "7") not in arguments
    third = listener.get(jumped.location)
    assert summaries(third)[0] == f"21–30 of {matching:,}"
    assert listed_titles(third) == titles_at(app, 20, Song.title_key.contains("a"))[:10]
    next_page = html.unescape(re.search(r'<a href="([^"]*)" rel="next"', third.text).group(1))
    assert summaries(listener.get(next_page))[0] == f"31–40 of {matching:,}"


def test_pager_shows_first_last_and_nearby_pages(login_as, generated_catalog):
    """Page 20 of 43: 1 … 18 19 [20] 21 22 … 43, each a link but the current page."""
    generated_catalog(1_060)
    page = login_as("Listener").get(f"/songs/list/?{SORTED}&page_SongModelView=19")
    top = page.text.split('class="list-pager list-pager-top"')[1].split("</ul>")[0]
    shown = re.findall(r"<(?:a href=\"[^\"]*\"|span aria-current=\"page\"|span)>([\d,…]+)<", top)
    assert shown == ["1", "…", "18", "19", "20", "21", "22", "…", "43"]
    assert 'aria-current="page">20<' in top
    assert summaries(page) == ["476–500 of 1,060"] * 2


@pytest.mark.parametrize(
    ("asked", "message", "first_row"),
    [
        ("abc", "“abc” is not a page number", "1"),
        ("1.5", "“1.5” is not a page number", "1"),
        ("", "“” is not a page number", "1"),
        ("0", "Pages are numbered from 1", "1"),
        ("-4", "Pages are numbered from 1", "1"),
        ("44", "There is no page 44: the list ends at page 43.", None),
        ("99999999999999999999", ": the list ends at page 43.", None),
        ("<b>7</b>", "“<b>7</b>” is not a page number", "1"),
    ],
)
def test_a_jump_to_no_page_says_so_and_shows_one(
    login_as, generated_catalog, asked, message, first_row
):
    """Text, nothing, 0, a negative or a page past the last: a page of the list and why."""
    generated_catalog(1_060)
    listener = login_as("Listener")
    response = listener.get(f"/songs/list/?{SORTED}&jump_SongModelView={quote(asked)}")
    assert response.status_code == 302
    landed = listener.get(response.location)
    assert landed.status_code == 200
    assert message in text_of(landed)
    assert "<b>7</b>" not in landed.text  # what was typed comes back escaped
    if first_row is None:  # past the end: no rows, the way back in the pager
        assert summaries(landed) == []
        assert listed_titles(landed) == []
        assert re.search(r'<a href="[^"]*page_SongModelView=42[^"]*">43</a>', landed.text)
    else:
        assert summaries(landed)[0].startswith(f"{first_row}–")


def test_a_page_past_the_last_says_where_the_list_ends(login_as, generated_catalog):
    """An old link to page 50 of a list that now has 43 pages: no rows (exports and scripts
    page until a page is empty), why, and "previous" going to the last page."""
    generated_catalog(1_060)
    listener = login_as("Listener")
    landed = listener.get(f"/songs/list/?{SORTED}&page_SongModelView=49")
    assert landed.status_code == 200
    assert "There is no page 50: the list ends at page 43." in text_of(landed)
    assert listed_titles(landed) == []
    previous = html.unescape(re.search(r'<a href="([^"]*)" rel="prev"', landed.text).group(1))
    last = listener.get(previous)
    assert summaries(last) == ["1,051–1,060 of 1,060"] * 2
    assert len(listed_titles(last)) == 10


def test_a_short_list_has_no_pager_but_says_its_size(login_as, generated_catalog):
    """Seven songs: "1-7 of 7", no page numbers, no jump box."""
    generated_catalog(7)
    page = login_as("Listener").get("/songs/list/")
    assert summaries(page) == ["1–7 of 7"]
    assert "list-pager" not in page.text
    assert "jump_SongModelView" not in page.text


def test_a_capped_count_is_said_to_be_one(app, login_as, generated_catalog, monkeypatch):
    """A view whose count stops at a cap (Recent changes: 10,000) says "or more" at the cap."""
    generated_catalog(60)
    listener = login_as("Listener")
    monkeypatch.setattr(SongModelView, "count_cap", 60, raising=False)
    assert summaries(listener.get("/songs/list/")) == ["1–25 of 60 or more"] * 2
    monkeypatch.setattr(SongModelView, "count_cap", 61, raising=False)
    assert summaries(listener.get("/songs/list/")) == ["1–25 of 60"] * 2
