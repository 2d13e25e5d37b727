"""One search that finds what people mean: /search/, the pickers and the list filters."""

import pytest

from app.extensions import db
from app.models import Album, Author, Song
from app.search.keys import search_key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Café", "cafe"),
        ("BJORK", "bjork"),
        ("Björk", "bjork"),
        ("Bjørn", "bjorn"),
        ("Straße", "strasse"),
        ("Don't Stop (Live)", "dont stop live"),
        ("AC/DC", "ac dc"),
        ("  100%_sure  ", "100 sure"),
        ("夜の歌", "夜の歌"),
        ("", ""),
    ],
)
def test_search_key_folds_case_accents_and_punctuation(text, key):
    """Keys compare what people mean, whatever the case, accents or punctuation."""
    assert search_key(text) == key


@pytest.fixture
def catalog(app):
    """A small catalog whose names test ranking, accents and Unicode; name -> id."""
    with app.app_context():
        bjork = Author(name="Björk", country="Iceland")
        cafe = Author(name="Café Tacvba", country="Mexico")
        river_author = Author(name="Rivers Cuomo")
        debut = Album(title="Debut", author=bjork)
        rio = Album(title="Río Grande", author=cafe)
        songs = {
            "river": Song(title="River", album=debut),
            "riverside": Song(title="Riverside", album=debut),
            "moon river": Song(title="Moon River", album=rio),
            "night": Song(title="夜の歌 <b>", album=rio),
            "cafe": Song(title="Café de Flore", album=rio),
        }
        for number, song in enumerate(songs.values()):
            song.audio_file, song.original_filename = f"f{number}.mp3", f"f{number}.mp3"
        db.session.add_all([river_author, *songs.values()])
        db.session.commit()
        ids = {name: song.id for name, song in songs.items()}
        ids.update(bjork=bjork.id, cafe_tacvba=cafe.id, rivers=river_author.id)
        ids.update(debut=debut.id, rio=rio.id)
        return ids


def labels(results: list[dict]) -> list[str]:
    """The labels of a group of search results."""
    return [result["label"] for result in results]


def test_search_ranks_exact_then_prefix_then_contains(login_as, catalog):
    """ "river" finds the song River first, then Riverside, then Moon River; authors too."""
    found = login_as("Listener").get("/search/?q=river").get_json()
    assert labels(found["songs"]) == ["River", "Riverside", "Moon River"]
    assert labels(found["authors"]) == ["Rivers Cuomo"]
    assert found["albums"] == []
    first = found["songs"][0]
    assert first == {
        "id": catalog["river"],
        "label": "River",
        "detail": "Björk — Debut",
        "url": f"/songs/show/{catalog['river']}",
    }


@pytest.mark.parametrize(
    ("query", "group", "expected"),
    [
        ("cafe", "authors", ["Café Tacvba"]),
        ("BJORK", "authors", ["Björk"]),
        ("bjork", "albums", ["Debut"]),
        ("rio", "albums", ["Río Grande"]),
        ("CAFÉ DE", "songs", ["Café de Flore"]),
        ("夜の", "songs", ["夜の歌 <b>"]),
    ],
)
def test_search_ignores_case_and_accents_and_keeps_unicode(
    login_as, catalog, query, group, expected
):
    """Accents and case do not matter; names come back exactly as stored."""
    response = login_as("Listener").get("/search/", query_string={"q": query})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert labels(response.get_json()[group]) == expected
    assert expected[0] in response.get_data(as_text=True)


def test_search_limit_caps_each_group(login_as, generated_catalog):
    """limit caps every group; the default is 10."""
    generated_catalog(300)
    listener = login_as("Listener")
    assert len(listener.get("/search/?q=e").get_json()["songs"]) == 10
    limited = listener.get("/search/?q=e&limit=3").get_json()
    assert [len(limited[group]) for group in ("authors", "albums", "songs")] == [3, 3, 3]
    assert len(listener.get("/search/?q=e&limit=50").get_json()["songs"]) == 50


@pytest.mark.parametrize("limit", ["0", "51", "-1", "ten", "", "2.5", "٣"])
def test_search_refuses_a_bad_limit_with_a_json_error(login_as, catalog, limit):
    """Anything but a whole number from 1 to 50 is a 400 saying what to send."""
    response = login_as("Listener").get("/search/", query_string={"q": "river", "limit": limit})
    assert response.status_code == 400
    body = response.get_json()
    assert body["message"] == "Use a whole number from 1 to 50."
    assert body["errors"] == {"limit": ["Use a whole number from 1 to 50."]}


def test_empty_or_unsearchable_query_finds_nothing(login_as, catalog):
    """No text (or only punctuation) is an empty answer, not the whole catalog."""
    listener = login_as("Listener")
    for query in ("", "   ", "%%", "_"):
        found = listener.get("/search/", query_string={"q": query}).get_json()
        assert found == {"q": query, "authors": [], "albums": [], "songs": []}


def test_overlong_query_is_refused(login_as, catalog):
    """Text longer than any title is a 400, not a slow scan."""
    response = login_as("Listener").get("/search/", query_string={"q": "x" * 201})
    assert response.status_code == 400
    assert "q" in response.get_json()["errors"]


def test_search_follows_the_browsing_rules(app, login_as, catalog, standalone_app, visit):
    """Anonymous visitors get 401 unless the catalog is public; then they see results."""
    anonymous = login_as(None).get("/search/?q=river")
    assert anonymous.status_code == 401
    assert anonymous.get_json()["message"] == "Log in to search the catalog."
    public = visit(standalone_app(CATALOG_PUBLIC_BROWSE=True)).get("/search/?q=anything")
    assert public.status_code == 200
    assert public.get_json()["songs"] == []


def test_search_refuses_a_role_without_catalog_access(app, catalog, visit, password):
    """A signed-in user whose roles cannot browse the catalog gets 403, not results."""
    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.find_role("No catalog") or sm.add_role("No catalog")
        sm.add_user("nocat", "No", "Catalog", "nocat@example.org", role, password)
    visitor = visit(app)
    assert visitor.login("nocat")
    response = visitor.get("/search/?q=river")
    assert response.status_code == 403
    assert response.get_json()["message"] == "Your account may not search the catalog."
    assert visitor.get("/search/albums/choices").status_code == 403


def test_pickers_name_only_rows_of_kinds_the_role_may_list(app, login_as, catalog, visit, password):
    """A custom role that lists songs but not albums or authors cannot read their names by
    id: the pickers' choices refuse it, and a song list filtered by an album or an author
    shows the id it was given, where a Listener sees the names."""
    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.find_role("Songs only") or sm.add_role("Songs only")
        for permission in ("can_list", "can_show"):
            sm.add_permission_role(role, sm.find_permission_view_menu(permission, "SongModelView"))
        hidden = Album(
            title="Unreleased Sessions", author=db.session.get(Author, catalog["rivers"])
        )
        db.session.add(hidden)
        db.session.commit()
        hidden_id = hidden.id
        sm.add_user("songsonly", "Songs", "Only", "songsonly@example.org", role, password)
    songs_only = visit(app)
    assert songs_only.login("songsonly")
    for kind, text in (("albums", "unreleased"), ("authors", "rivers")):
        refused = songs_only.get(f"/search/{kind}/choices?q={text}")
        assert refused.status_code == 403
        assert "Unreleased" not in refused.get_data(as_text=True)
    filtered = f"/songs/list/?_flt_0_album={hidden_id}&_flt_0_author={catalog['rivers']}"
    page = songs_only.get(filtered)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Unreleased Sessions" not in html
    assert "Rivers Cuomo" not in html
    assert f"Album <em>is</em> “{hidden_id}”" in html  # the filter, as it was given
    listener_html = login_as("Listener").get(filtered).get_data(as_text=True)
    assert "Album <em>is</em> “Unreleased Sessions (Rivers Cuomo)”" in listener_html
    assert "Author <em>is</em> “Rivers Cuomo”" in listener_html


def test_search_is_rate_limited_with_a_json_answer(standalone_app, visit, users, password):
    """Past RATELIMIT_SEARCH the answer is 429 JSON with Retry-After."""
    app = standalone_app(RATELIMIT_SEARCH="3 per minute")
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_user("limited", "Li", "Mited", "li@example.org", sm.find_role("Listener"), password)
    visitor = visit(app)
    assert visitor.login("limited")
    answers = [visitor.get("/search/?q=a") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert answers[-1].get_json()["message"].startswith("Too many attempts")
    assert int(answers[-1].headers["Retry-After"]) > 0


def test_album_choices_match_title_or_author_and_page(login_as, catalog, generated_catalog):
    """The album picker finds albums by title or author, 20 a page, page 1 on open."""
    editor = login_as("Editor")
    by_author = editor.get("/search/albums/choices?q=bjork").get_json()
    assert by_author == {
        "results": [{"id": catalog["debut"], "label": "Debut (Björk)"}],
        "more": False,
    }
    generated_catalog(500)
    opened = editor.get("/search/albums/choices").get_json()
    assert len(opened["results"]) == 20
    assert opened["more"] is True
    second = editor.get("/search/albums/choices?page=2").get_json()["results"]
    assert not {choice["id"] for choice in second} & {c["id"] for c in opened["results"]}
    last = editor.get("/search/albums/choices?page=3").get_json()
    assert len(last["results"]) == 52 - 40
    assert last["more"] is False


def test_author_choices_and_unknown_kinds(login_as, catalog):
    """Authors can be picked too; songs and made-up kinds cannot."""
    editor = login_as("Editor")
    found = editor.get("/search/authors/choices?q=CAFE").get_json()["results"]
    assert found == [{"id": catalog["cafe_tacvba"], "label": "Café Tacvba"}]
    for kind in ("songs", "users"):
        response = editor.get(f"/search/{kind}/choices")
        assert response.status_code == 404
        assert response.get_json()["message"] == "Nothing to choose from here."
    assert editor.get("/search/albums/choices?page=0").status_code == 400


def test_choices_need_a_login(login_as, catalog):
    """Anonymous visitors get 401 JSON from the pickers' endpoint."""
    response = login_as(None).get("/search/authors/choices")
    assert response.status_code == 401
    assert response.mimetype == "application/json"


def test_list_title_filter_uses_the_same_matching(login_as, catalog):
    """The song list's title filter finds "Café de Flore" from "cafe", ignoring case."""
    page = login_as("Listener").get("/songs/list/?_flt_0_title=CAFE").get_data(as_text=True)
    assert "Café de Flore" in page
    assert "Moon River" not in page


def test_album_filter_shows_the_chosen_album_and_only_its_songs(login_as, catalog):
    """Filtering songs by album keeps that album in the picker and lists only its songs."""
    page = login_as("Listener").get(f"/songs/list/?_flt_0_album={catalog['debut']}")
    html = page.get_data(as_text=True)
    assert "Riverside" in html
    assert "Moon River" not in html
    # The filter form travels as JSON in the page (tojson escapes < and >).
    assert f'\\u003coption value=\\"{catalog["debut"]}\\"\\u003eDebut (Björk)' in html


def test_song_form_keeps_the_chosen_album_after_an_error(login_as, catalog, audio):
    """A refused song form shows the album that was picked, not an empty picker."""
    response = login_as("Editor").submit(
        "/songs/add",
        {"album": str(catalog["rio"]), "rating": "9", "audio_file": audio("tone.ogg")},
    )
    html = response.get_data(as_text=True)
    assert "Number must be between 1 and 5." in html
    assert f'<option value="{catalog["rio"]}" selected>Río Grande (Café Tacvba)</option>' in html


def test_a_made_up_album_id_is_refused_next_to_the_field(login_as, catalog, audio):
    """An album id that names no album gets a field message and stores nothing."""
    response = login_as("Editor").submit(
        "/songs/add", {"album": "999999", "audio_file": audio("tone.ogg")}
    )
    assert response.status_code == 200
    assert "That choice no longer exists; pick one of the suggestions." in response.get_data(
        as_text=True
    )


def test_the_results_page_groups_matches_and_escapes_them(app, login_as, song):
    """/search/results: every kind that matches, as links, markup shown as text."""
    with app.app_context():
        db.session.get(Song, song.id).title = "Tone <b>bold</b>"
        db.session.commit()
    page = login_as("Listener").get("/search/results?q=tone").get_data(as_text=True)
    assert "<title>Search results for “tone” · Setlist</title>" in page
    assert f'<a href="/songs/show/{song.id}">Tone &lt;b&gt;bold&lt;/b&gt;</a>' in page
    assert f'<a href="/albums/show/{song.album_id}">Test Tones</a>' in page
    assert "<b>bold</b>" not in page


def test_the_results_page_says_when_nothing_matches(login_as, song):
    """A search that finds nothing says so (and an empty one shows just the box)."""
    listener = login_as("Listener")
    assert "Nothing in the catalog matches that." in listener.get(
        "/search/results?q=zzzz"
    ).get_data(as_text=True)
    assert "Nothing in the catalog" not in listener.get("/search/results").get_data(True)


def test_the_results_page_is_for_those_who_may_browse(browser, login_as):
    """Anonymous visitors are sent to log in; an over-long query is a 400 page."""
    response = browser.get("/search/results?q=tone")
    assert response.status_code == 302
    assert "/login/" in response.headers["Location"]
    assert login_as("Listener").get("/search/results?q=" + "x" * 201).status_code == 400
