"""The "Add to setlist" picker through the site, as its script uses it: my setlists most
recent first and searched as typed (accents ignored), adding a row's song, a new setlist
named in the picker, a whole album in running order, and every refusal (someone else's
private setlist is a 404, a catalog setlist a listener may not change a 403)."""

import pytest

from tests.setlists.adding_building import (
    ADDING,
    album_of,
    make_setlist,
    new_songs,
    setlists_of,
    user_id,
)
from tests.setlists.building import songs_in


def names(answer) -> list[str]:
    """The setlist names of a picker answer, in order."""
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return [setlist["name"] for setlist in answer.get_json()["setlists"]]


def test_a_row_song_goes_to_an_existing_setlist_and_the_answer_says_so(app, users, login_as):
    """Open the picker on a row, choose "Road trip", then another row: both in order."""
    listener = login_as("Listener")
    owner = user_id(app, users["Listener"])
    road_trip = make_setlist(app, owner, "Road trip")
    first, second = new_songs(app, 2)

    assert names(listener.get(f"{ADDING}/mine")) == ["Road trip"]
    answer = listener.api("POST", f"{ADDING}/{road_trip}", {"songs": [second]})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["message"] == "Added “Track 00001” to “Road trip”."
    assert body["setlist"]["url"] == f"/setlists/show/{road_trip}"
    assert (body["added"], body["unknown"]) == (1, [])
    listener.api("POST", f"{ADDING}/{road_trip}", {"songs": [first]})
    assert songs_in(app, road_trip) == [second, first]


def test_new_setlist_from_the_picker_holds_the_song(app, users, login_as):
    """ "New setlist…", a name, Create: a private setlist of mine with the song."""
    listener = login_as("Listener")
    (song,) = new_songs(app, 1)
    answer = listener.api("POST", f"{ADDING}/new", {"name": "  Gym mix ", "songs": [song]})
    assert answer.status_code == 201, answer.get_json()
    created = setlists_of(app, user_id(app, users["Listener"]))
    assert list(created) == ["Gym mix"]
    assert answer.get_json()["message"] == "Added “Track 00000” to “Gym mix”."
    assert songs_in(app, created["Gym mix"]) == [song]
    # Now first in the picker, and a blank name is refused with the rule's words.
    assert names(listener.get(f"{ADDING}/mine")) == ["Gym mix"]
    refused = listener.api("POST", f"{ADDING}/new", {"name": " ", "songs": [song]})
    assert refused.status_code == 400
    assert refused.get_json()["errors"] == {"name": ["Give the setlist a name."]}


def test_picker_is_most_recent_first_and_searches_without_accents(app, users, login_as):
    """Recently changed first; "cafe" finds "Café del Mar", "MAR" too; others' never."""
    listener = login_as("Listener")
    owner = user_id(app, users["Listener"])
    make_setlist(app, owner, "Café del Mar", age_minutes=30)
    make_setlist(app, owner, "Road trip", age_minutes=10)
    make_setlist(app, owner, "Señor Coconut", age_minutes=20)
    make_setlist(app, user_id(app, users["Editor"]), "Cafe of the editor")
    assert names(listener.get(f"{ADDING}/mine")) == ["Road trip", "Señor Coconut", "Café del Mar"]
    assert names(listener.get(f"{ADDING}/mine?q=cafe")) == ["Café del Mar"]
    assert names(listener.get(f"{ADDING}/mine?q=MAR")) == ["Café del Mar"]
    assert names(listener.get(f"{ADDING}/mine?q=senor")) == ["Señor Coconut"]
    assert names(listener.get(f"{ADDING}/mine?q=zzz")) == []
    # Adding to the oldest makes it the most recent.
    cafe = setlists_of(app, owner)["Café del Mar"]
    listener.api("POST", f"{ADDING}/{cafe}", {"songs": new_songs(app, 1)})
    assert names(listener.get(f"{ADDING}/mine"))[0] == "Café del Mar"


def test_picker_lists_twenty_and_says_more_follow(app, users, login_as):
    """At most 20 setlists come back; `more` says to type for older ones."""
    listener = login_as("Listener")
    owner = user_id(app, users["Listener"])
    for number in range(22):
        make_setlist(app, owner, f"List {number:02}", age_minutes=number)
    body = listener.get(f"{ADDING}/mine").get_json()
    assert [s["name"] for s in body["setlists"]] == [f"List {n:02}" for n in range(20)]
    assert body["more"] is True
    assert names(listener.get(f"{ADDING}/mine?q=list 21")) == ["List 21"]


def test_editor_adds_to_catalog_setlists_a_listener_may_not(app, users, login_as):
    """Catalog setlists are in an editor's picker; a listener sees them but gets 403."""
    editor, listener = login_as("Editor"), login_as("Listener")
    curated = make_setlist(app, user_id(app, users["Admin"]), "Staff picks", "catalog")
    (song,) = new_songs(app, 1)
    assert names(editor.get(f"{ADDING}/mine")) == ["Staff picks"]
    assert names(listener.get(f"{ADDING}/mine")) == []
    assert editor.api("POST", f"{ADDING}/{curated}", {"songs": [song]}).status_code == 200
    refused = listener.api("POST", f"{ADDING}/{curated}", {"songs": [song]})
    assert refused.status_code == 403
    assert refused.get_json()["message"] == "You may not change this setlist."
    assert songs_in(app, curated) == [song]


def test_another_listeners_private_setlist_is_not_found(app, users, own_account, login_as):
    """Someone else's private setlist answers 404, exactly as an id that does not exist."""
    listener = login_as("Listener")
    theirs = make_setlist(app, user_id(app, own_account), "Olivia's secret")
    (song,) = new_songs(app, 1)
    refused = listener.api("POST", f"{ADDING}/{theirs}", {"songs": [song]})
    missing = listener.api("POST", f"{ADDING}/{theirs + 1000}", {"songs": [song]})
    assert refused.status_code == missing.status_code == 404
    assert refused.get_json()["message"] == missing.get_json()["message"]
    assert "Olivia" not in refused.get_data(as_text=True)
    assert songs_in(app, theirs) == []


def test_add_album_gives_all_thirty_tracks_in_running_order(app, users, login_as):
    """ "Add album" adds every track (not the page shown), disc by disc, track by track."""
    listener = login_as("Listener")
    album_id, running = album_of(app, 30)
    answer = listener.api("POST", f"{ADDING}/new", {"name": "Whole album", "album": album_id})
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["message"] == "Added “Thirty” (30 songs) to “Whole album”."
    created = setlists_of(app, user_id(app, users["Listener"]))["Whole album"]
    assert songs_in(app, created) == running
    assert len(running) == 30
    assert listener.api("POST", f"{ADDING}/{created}", {"album": 999999}).status_code == 400


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"songs": "1,2"}, "songs"),
        ({"songs": [1, "2"]}, "songs"),
        ({"songs": [True]}, "songs"),
        ({"songs": []}, "songs"),
        ({"songs": list(range(1, 10_002))}, "songs"),
        ({"album": "x"}, "album"),
        ({}, "songs"),
        ([1, 2], None),
    ],
)
def test_odd_bodies_get_clear_400s(app, users, login_as, body, field):
    """Anything but a list of at most 10,000 song ids (or an album id) is a 400 that says
    what to send; nothing is added."""
    listener = login_as("Listener")
    mine = make_setlist(app, user_id(app, users["Listener"]), "Mine")
    answer = listener.api("POST", f"{ADDING}/{mine}", body)
    assert answer.status_code == 400
    if field:
        assert field in answer.get_json()["errors"]
    if body == {"songs": list(range(1, 10_002))}:
        assert answer.get_json()["message"] == "Add at most 10,000 songs at a time."
    assert songs_in(app, mine) == []


def test_unknown_and_deleted_songs_are_reported_not_500(app, users, login_as):
    """Ids of songs that are not (or no longer) in the catalog are left out and counted."""
    listener = login_as("Listener")
    mine = make_setlist(app, user_id(app, users["Listener"]), "Mine")
    (song,) = new_songs(app, 1)
    answer = listener.api("POST", f"{ADDING}/{mine}", {"songs": [song, 2**40, song + 5000]})
    assert answer.status_code == 200
    body = answer.get_json()
    assert (body["added"], body["unknown"]) == (1, sorted([2**40, song + 5000]))
    assert "2 songs are no longer in the catalog" in body["message"]
    none = listener.api("POST", f"{ADDING}/{mine}", {"songs": [song + 5000]}).get_json()
    assert none["message"].startswith("Nothing was added to “Mine”.")
    assert songs_in(app, mine) == [song]


def test_doors_refuse_visitors_scripts_without_csrf_and_reads(app, users, login_as, browser):
    """Signed out: 401; no CSRF token: 400; GET on a write: 405; a huge body: 413."""
    listener = login_as("Listener")
    mine = make_setlist(app, user_id(app, users["Listener"]), "Mine")
    assert browser.get(f"{ADDING}/mine").status_code == 401
    assert browser.api("POST", f"{ADDING}/{mine}", {"songs": [1]}, csrf=False).status_code in (
        400,
        401,
    )
    no_token = listener.api("POST", f"{ADDING}/{mine}", {"songs": [1]}, csrf=False)
    assert no_token.status_code == 400
    assert listener.get(f"{ADDING}/{mine}").status_code == 405
    huge = listener.api("POST", f"{ADDING}/{mine}", {"songs": [1], "pad": "x" * 200_000})
    assert huge.status_code == 413
    assert listener.get(f"{ADDING}/mine?q=" + "x" * 201).status_code == 400


def test_admins_and_editors_search_others_setlists_by_the_start_of_their_names(
    app, users, login_as
):
    """Others' setlists (every one for an admin, catalog ones for an editor) are read from
    the indexes in order and found by the start of their names; one's own anywhere."""
    admin, editor = login_as("Admin"), login_as("Editor")
    listener_id = user_id(app, users["Listener"])
    make_setlist(app, listener_id, "Road trip", age_minutes=5)
    make_setlist(app, listener_id, "Sunday catalog", "catalog", age_minutes=3)
    make_setlist(app, user_id(app, users["Admin"]), "My own trip", age_minutes=9)
    assert names(admin.get(f"{ADDING}/mine")) == ["Sunday catalog", "Road trip", "My own trip"]
    assert names(admin.get(f"{ADDING}/mine?q=road")) == ["Road trip"]
    assert names(admin.get(f"{ADDING}/mine?q=trip")) == ["My own trip"]
    assert names(editor.get(f"{ADDING}/mine")) == ["Sunday catalog"]
    assert names(editor.get(f"{ADDING}/mine?q=SUNDAY")) == ["Sunday catalog"]
    assert names(editor.get(f"{ADDING}/mine?q=catalog")) == []
