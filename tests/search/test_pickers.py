"""The pickers' choices (albums, authors) and the list and form fields that use them: the same
matching as /search/, only names the role may list, a picked album kept after an error."""

from app.extensions import db
from app.models import Album, Author


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
