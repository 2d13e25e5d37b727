"""search2/search3 rank as the site's search box does, from bounded index probes: the same
order whether a rank is sorted whole or walked, pages by offset that continue each other, and
a rare or missing text costs the same at 600 songs as at 6,000 (it reads its few matches
from the substring index instead of walking every key)."""

import pytest

from app.extensions import db
from app.models import Album, Author, Song
from app.search import matching
from tests.search.test_search_at_scale import expected_ids
from tests.subsonic import browsing

library, listener = browsing.library, browsing.listener
#: Each part's Subsonic id prefix, its model and the keys search3 matches it on.
PARTS = {
    "artist": ("ar", Author, (Author.name_key,)),
    "album": ("al", Album, (Album.title_key,)),
    "song": ("tr", Song, (Song.title_key,)),
}


def searched(subsonic, listener, text: str, part: str, count: int, offset: int = 0) -> list:
    """The ids of one part of search3's answer (the other parts asked for none)."""
    sizes = {f"{other}Count": 0 for other in PARTS if other != part}
    params = {f"{part}Count": count, f"{part}Offset": offset, **sizes}
    answer = subsonic.call("search3", query=text, **params, **listener())["searchResult3"]
    return [entry["id"] for entry in answer.get(part, [])]


@pytest.mark.parametrize("candidates", [3, 1000])
@pytest.mark.parametrize("text", ["river", "iv", "cafe", "night moon", "zzqx"])
def test_search3_ranks_and_pages_as_the_search_box(
    app, subsonic, listener, generated_catalog, monkeypatch, candidates, text
):
    """Each part gives the order worked out in Python from every row (exact, prefix, then
    anywhere; key order, ties by id), then its next two pages of seven at their offsets,
    whether ranks are sorted from a probe's ids (1000) or walked (3)."""
    monkeypatch.setattr(matching, "CANDIDATES", candidates)
    generated_catalog(600)
    for part, (prefix, model, keys) in PARTS.items():
        wanted = [f"{prefix}-{number}" for number in expected_ids(app, model, keys, text)]
        assert searched(subsonic, listener, text, part, 50) == wanted[:50], part
        for offset in (7, 14):
            page = searched(subsonic, listener, text, part, 7, offset)
            assert page == wanted[offset : offset + 7], (part, offset)


def test_a_rare_text_costs_the_same_in_a_larger_catalog(
    app, subsonic, listener, generated_catalog, vm_steps
):
    """A text no title holds, and one a single title holds, take about as many steps at
    6,000 songs as at 600 (at most twice, for deeper indexes): a walk of the title index in
    order took nine times as many."""
    with app.app_context():
        album = Album(title="Nocturnes", author=Author(name="Zyxwv Ensemble"))
        name = "zyxwv.ogg"
        song = Song(title="Zyxwv Nocturne", album=album, audio_file=name, original_filename=name)
        db.session.add(song)
        db.session.commit()
        song_id = song.id

    found = {"xwv noc": [f"tr-{song_id}"], "zzqx": []}

    def steps(text: str) -> int:
        vm_steps.clear()
        assert searched(subsonic, listener, text, "song", 20) == found[text]
        return sum(work for _statement, work in vm_steps)

    generated_catalog(600)
    small = {text: steps(text) for text in found}
    generated_catalog(5_400)
    large = {text: steps(text) for text in found}
    for text, before in small.items():
        assert large[text] <= before * 2, (text, small, large)
