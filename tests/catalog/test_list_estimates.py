"""A filtered list counts its rows up to CATALOG_LIST_EXACT_COUNT_CAP and estimates past it: the
summary says "about", the pages still go on, "Last page" shows the truly last rows, a page
past the real end says so, and a filtered page costs the same statements at any size."""

import html
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.fab import list_counts
from app.models import Album, Song
from tests.api.test_api_resources import listing
from tests.catalog.test_list_pager import SORTED, summaries, text_of
from tests.catalog.test_scale import link_named, listed_titles, statements_for

#: A cap a few hundred generated songs exceed ("a" is in most titles, "river" in few).
CAP = 50
MANY = "/songs/list/?_flt_0_title=a&" + SORTED
FEW = "/songs/list/?_flt_0_title=river&" + SORTED


@pytest.fixture
def small_cap(app, monkeypatch):
    """Lists count at most CAP matching rows exactly."""
    monkeypatch.setitem(app.config, "CATALOG_LIST_EXACT_COUNT_CAP", CAP)


def matching_titles(app, text: str) -> list[str]:
    """Every title containing `text`, in the list's order (title, then id)."""
    with app.app_context():
        query = select(Song.title).where(Song.title_key.contains(text))
        return db.session.scalars(query.order_by(Song.title_key, Song.id)).all()


def estimate_in(summary: str) -> int:
    """The N of "... of about N"."""
    return int(re.search(r"of about ([\d,]+)$", summary).group(1).replace(",", ""))


def link_of(response, rel: str) -> str:
    """The address of the pager's previous or next link."""
    return html.unescape(re.search(rf'<a href="([^"]*)" rel="{rel}"', response.text).group(1))


def test_a_long_filtered_list_says_about_and_still_reaches_its_last_page(
    app, login_as, generated_catalog, small_cap
):
    """Filter → "1-25 of about N"; next page; "Last page" shows the truly last matching
    rows in the list's order; previous from there; a jump; a page past the real end."""
    generated_catalog(400)
    titles = matching_titles(app, "a")
    assert len(titles) > CAP
    listener = login_as("Listener")
    first = listener.get(MANY)
    top, bottom = summaries(first)
    assert top == bottom
    assert top.startswith("1–25 of about ")
    assert estimate_in(top) > CAP
    assert listed_titles(first) == titles[:25]
    assert "of about" in text_of(first)  # the jump box: "Page [1] of about N"

    second = listener.get(link_of(first, "next"))
    assert summaries(second)[0].startswith("26–50 of about ")
    assert listed_titles(second) == titles[25:50]

    last = listener.get(link_named(second, "Last page"))
    assert summaries(last)[0] == f"The last 25 of about {estimate_in(top):,}"
    assert listed_titles(last) == titles[-25:]
    assert 'rel="next"' not in last.text  # nothing after the last page
    before_last = listener.get(link_of(last, "prev"))
    assert listed_titles(before_last) == titles[-50:-25]
    assert summaries(before_last)[0].startswith("50–26 from the end, of about ")

    jumped = listener.get(f"{MANY}&jump_SongModelView=3", follow_redirects=True)
    assert listed_titles(jumped) == titles[50:75]

    beyond = len(titles) // 25 + 3  # a page after the real end, whatever the estimate
    past = listener.get(f"{MANY}&page_SongModelView={beyond}")
    assert past.status_code == 200
    assert f"There is no page {beyond + 1:,}: the list ends before it." in text_of(past)
    assert listed_titles(past) == []
    assert listed_titles(listener.get(link_named(past, "Go to its last page"))) == titles[-25:]


def test_the_real_last_page_of_an_estimated_list_counts_exactly(
    app, login_as, generated_catalog, small_cap
):
    """Reaching the list's end by page numbers turns "about" into the exact count."""
    generated_catalog(400)
    titles = matching_titles(app, "a")
    listener = login_as("Listener")
    last_page = (len(titles) - 1) // 25
    page = listener.get(f"{MANY}&page_SongModelView={last_page}")
    count = len(titles)
    assert summaries(page)[0] == f"{last_page * 25 + 1:,}–{count:,} of {count:,}"


def test_a_filter_under_the_cap_is_counted_exactly(app, login_as, generated_catalog, small_cap):
    """Few matches: the exact count, no "about", no "Last page" (its number is shown)."""
    generated_catalog(400)
    titles = matching_titles(app, "river")
    assert 5 < len(titles) <= CAP
    page = login_as("Listener").get(f"{FEW}&psize_SongModelView=5")  # a full first page
    assert summaries(page)[0] == f"1–5 of {len(titles)}"
    assert "about" not in text_of(page)
    assert "Last page" not in page.text


def test_a_filtered_page_costs_the_same_statements_at_any_size(
    app, login_as, generated_catalog, statements, small_cap
):
    """The same statements for a filtered page (estimated) at 400 and at 2,000 songs."""
    generated_catalog(400)
    listener = login_as("Listener")
    deep = f"{MANY}&page_SongModelView=3"
    small = statements_for(listener, statements, deep)
    assert "about" in summaries(listener.get(deep))[0]
    generated_catalog(2_000)
    assert statements_for(listener, statements, deep) == small
    counts = [s for s in statements if "count(" in s.lower()]
    # Each count reads a bounded set: up to the cap (LIMIT) or the sample's id ranges.
    assert counts
    assert all("LIMIT" in s or "BETWEEN" in s for s in counts)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Song)) >= 2_000


def test_the_api_says_when_its_count_is_an_estimate(login_as, generated_catalog, small_cap):
    """The JSON list of the same filters: an estimated count is flagged, an exact one not,
    and the whole list's count (from the counters) is exact."""
    generated_catalog(400)
    editor = login_as("Editor")
    answers = [
        listing(editor, "song", filters=[{"col": "title", "opr": "key_ct", "value": text}])
        for text in ("a", "river")
    ] + [listing(editor, "song")]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    many, few, whole = (answer.json for answer in answers)
    assert (many["count_estimated"], few["count_estimated"]) == (True, False)
    assert many["count"] > CAP
    assert few["count"] == len(few["ids"]) <= CAP
    assert (whole["count"], whole["count_estimated"]) == (400, False)


def test_a_text_filter_estimates_past_a_thousand_and_an_album_counts_on(
    app, login_as, generated_catalog
):
    """At the default caps: a title filter with over a thousand matches says "about" (a
    figure within 5 % of the truth) and its next page goes on; one album's 2,400 songs, added
    together, are counted exactly, on their list and on the album's page."""
    generated_catalog(2_400, songs_per_album=2_400)
    titles = matching_titles(app, "a")
    assert 1_000 < len(titles) < 2_400
    listener = login_as("Listener")
    first = listener.get(MANY)
    assert summaries(first)[0].startswith("1–25 of about ")
    assert abs(estimate_in(summaries(first)[0]) - len(titles)) <= len(titles) * 0.05
    assert listed_titles(listener.get(link_of(first, "next"))) == titles[25:50]
    with app.app_context():
        album_id = db.session.scalar(select(Song.album_id).limit(1))
    album_songs = listener.get(f"/songs/list/?_flt_0_album={album_id}&{SORTED}")
    assert summaries(album_songs)[0] == "1–25 of 2,400"
    assert "2,400 songs" in text_of(listener.get(f"/albums/show/{album_id}"))


def test_a_sample_in_slices_adds_up_every_slice(
    app, login_as, generated_catalog, monkeypatch, small_cap
):
    """A sample of ten slices of 20 ids spread over 2,400 songs: the title filter's estimate
    adds up every slice's matches, within a quarter of the truth."""
    monkeypatch.setattr(list_counts, "SAMPLE_IDS", 200)
    generated_catalog(2_400)
    titles = matching_titles(app, "a")
    first = login_as("Listener").get(MANY)
    assert abs(estimate_in(summaries(first)[0]) - len(titles)) <= len(titles) / 4


def test_songs_added_together_are_counted_where_a_sample_would_misjudge_them(
    app, login_as, generated_catalog, monkeypatch, small_cap
):
    """1,200 songs, then an album of 150 added at once, then 1,200 more, sampled in ten
    slices of 20 ids (one of which falls in the album, so it read "about 260"): the album's
    list and its author's say "1-25 of 150", then "26-50 of 150", and end on "126-150";
    a title filter over the whole catalog still says "about"."""
    monkeypatch.setattr(list_counts, "SAMPLE_IDS", 200)
    generated_catalog(1_200)
    generated_catalog(150, songs_per_album=150)
    generated_catalog(1_200)
    with app.app_context():
        album = db.session.scalar(
            select(Album).join(Song).group_by(Album.id).having(func.count() == 150)
        )
        filters = {"album": album.id, "author": album.author_id}
        titles = db.session.scalars(
            select(Song.title).where(Song.album_id == album.id).order_by(Song.title_key, Song.id)
        ).all()
    listener = login_as("Listener")
    for column, value in filters.items():
        address = f"/songs/list/?_flt_0_{column}={value}&{SORTED}"
        first = listener.get(address)
        assert (summaries(first)[0], listed_titles(first)) == ("1–25 of 150", titles[:25])
        second = listener.get(link_of(first, "next"))
        assert (summaries(second)[0], listed_titles(second)) == ("26–50 of 150", titles[25:50])
        last = listener.get(f"{address}&page_SongModelView=5")
        assert (summaries(last)[0], listed_titles(last)) == ("126–150 of 150", titles[125:])
    assert summaries(listener.get(MANY))[0].startswith("1–25 of about ")
