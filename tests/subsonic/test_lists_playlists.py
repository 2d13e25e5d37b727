"""Playlists through Subsonic are setlists under the site's rules: the shapes in XML and
JSON, a listener's journey (create, replace, update, delete, recorded in the history), who
sees and changes whose, and odd arguments answered as Subsonic errors."""

import pytest

from tests.subsonic.lists_building import (
    entry_ids,
    history,
    listed,
    setlist,
    songs,
    stored,
)
from tests.subsonic.test_system_methods import check_envelope, one, typed


def error_code(answer: dict, f: str) -> int:
    """The error code of a failed answer."""
    check_envelope(answer, f, status="failed")
    return typed(one(answer["error"])["code"], f, int)


def check_playlist(found: dict, f: str, name: str, count: int, owner: str, public: bool):
    """A playlist's required attributes, typed as the 1.16.1 schema has them."""
    assert found["name"] == name
    assert found["owner"] == owner
    assert typed(found["songCount"], f, int) == count
    assert typed(found["duration"], f, int) == 60 * count
    assert typed(found["public"], f, bool) is public
    for moment in (found["created"], found["changed"]):
        assert moment.endswith("Z")
        assert "T" in moment
    assert isinstance(found["id"], str)


@pytest.mark.parametrize("f", ["json", "xml"])
def test_a_listeners_playlist_journey(app, subsonic, app_password, users, f):
    """A Listener creates a playlist with songs, reads it back in order, replaces its songs
    (a reorder), renames and describes it, removes by index, appends, lists it, deletes it;
    every change is the Listener's in the setlist history."""
    key, ids = app_password("Listener"), songs(app, 4)
    made = one(subsonic.call("createPlaylist", f=f, apiKey=key, name="Road", songId=ids[:3]))
    check_playlist(made["playlist"] if f == "json" else one(made["playlist"]),
                   f, "Road", 3, users["Listener"], False)  # fmt: skip
    playlist_id = one(made["playlist"])["id"]
    read = one(subsonic.call("getPlaylist", f=f, apiKey=key, id=playlist_id)["playlist"])
    assert entry_ids(read) == ids[:3]
    assert one(read["entry"] if f == "xml" else read["entry"][0])["coverArt"].startswith("al-")
    assert read["coverArt"].startswith("al-")
    reordered = [ids[2], ids[0], ids[1]]
    replaced = subsonic.call(
        "createPlaylist", f=f, post=True, apiKey=key, playlistId=playlist_id, songId=reordered
    )
    assert entry_ids(one(replaced["playlist"])) == reordered
    updated = subsonic.call(
        "updatePlaylist", f=f, apiKey=key, playlistId=playlist_id, name="Road trip",
        comment="For the car", songIndexToRemove=["0", "2"], songIdToAdd=[ids[3]],
    )  # fmt: skip
    check_envelope(updated, f)
    read = one(subsonic.call("getPlaylist", f=f, apiKey=key, id=playlist_id)["playlist"])
    check_playlist(read, f, "Road trip", 2, users["Listener"], False)
    assert read["comment"] == "For the car"
    assert entry_ids(read) == [ids[0], ids[3]]
    mine = list(listed(subsonic.call("getPlaylists", f=f, apiKey=key)))
    assert [p["id"] for p in mine] == [playlist_id]
    check_envelope(subsonic.call("deletePlaylist", f=f, apiKey=key, id=playlist_id), f)
    assert stored(app, playlist_id) is None
    assert error_code(subsonic.call("getPlaylist", f=f, apiKey=key, id=playlist_id), f) == 70
    recorded = history(app, playlist_id, "Road trip") + history(app, playlist_id, "Road")
    assert {user for _kind, _action, user in recorded} == {users["Listener"]}
    assert ("setlist", "created") in {(kind, action) for kind, action, _user in recorded}
    assert ("setlist", "deleted") in {(kind, action) for kind, action, _user in recorded}
    assert ("setlist_entry", "deleted") in {(kind, action) for kind, action, _user in recorded}


@pytest.fixture
def world(app, users):
    """An Editor's private and catalog setlists and an admin's private one, two songs each."""
    ids = songs(app, 2)
    return {
        "ids": ids,
        "editor_private": setlist(app, users["Editor"], "Eddie's own", ids),
        "catalog": setlist(app, users["Editor"], "Staff picks", ids, visibility="catalog"),
        "admin_private": setlist(app, users["Admin"], "Alice's own", ids),
    }


def attempts(world: dict, target: str) -> dict[str, dict]:
    """Every read and change of a playlist a client may send."""
    playlist_id, song = world[target], world["ids"][0]
    return {
        "read": {"method": "getPlaylist", "id": playlist_id},
        "rename": {"method": "updatePlaylist", "playlistId": playlist_id, "name": "Mine now"},
        "add": {"method": "updatePlaylist", "playlistId": playlist_id, "songIdToAdd": song},
        "replace": {"method": "createPlaylist", "playlistId": playlist_id, "songId": song},
        "delete": {"method": "deletePlaylist", "id": playlist_id},
    }


#: (role, target) -> the error each attempt gets (None: allowed).
MATRIX = {
    ("Listener", "editor_private"): dict.fromkeys(
        ("read", "rename", "add", "replace", "delete"), 70
    ),
    ("Listener", "catalog"): {"read": None, "rename": 50, "add": 50, "replace": 50, "delete": 50},
    ("Editor", "admin_private"): dict.fromkeys(("read", "rename", "add", "replace", "delete"), 70),
    ("Editor", "catalog"): dict.fromkeys(("read", "rename", "add", "replace", "delete")),
    ("Admin", "editor_private"): dict.fromkeys(("read", "rename", "add", "replace", "delete")),
}


@pytest.mark.parametrize(("role", "target"), list(MATRIX))
def test_ownership_matches_the_site(app, subsonic, app_password, world, role, target):
    """Another's private playlist is 70 for every call; a catalog one a Listener reads but
    changes with 50; an Editor changes catalog setlists; an admin changes anyone's. Refused
    calls change nothing."""
    key = app_password(role)
    before = stored(app, world[target])
    for attempt, call in attempts(world, target).items():
        params = dict(call)
        answer = subsonic.call(params.pop("method"), apiKey=key, **params)
        expected = MATRIX[(role, target)][attempt]
        if expected is None:
            assert answer["status"] == "ok", (attempt, answer)
        else:
            assert error_code(answer, "json") == expected, attempt
    after = stored(app, world[target])
    if MATRIX[(role, target)]["delete"] is None:
        assert after is None
    else:
        assert (after.name, after.entry_count) == (before.name, before.entry_count)


def test_who_lists_what(app, subsonic, app_password, users, world):
    """getPlaylists: a Listener lists the catalog's (public) and none of others' private;
    an admin lists their own and the catalog's, and another's own with `username`, which a
    Listener may not ask for (50); an unknown user is 70."""
    listener, admin = app_password("Listener"), app_password("Admin")
    seen = listed(subsonic.call("getPlaylists", apiKey=listener))
    assert [(p["id"], p["public"]) for p in seen] == [(world["catalog"], True)]
    seen = {p["id"] for p in listed(subsonic.call("getPlaylists", apiKey=admin))}
    assert seen == {world["catalog"], world["admin_private"]}
    theirs = listed(subsonic.call("getPlaylists", apiKey=admin, username=users["Editor"]))
    assert {p["id"] for p in theirs} == {world["catalog"], world["editor_private"]}
    refused = subsonic.call("getPlaylists", apiKey=listener, username=users["Editor"])
    assert error_code(refused, "json") == 50
    unknown = subsonic.call("getPlaylists", apiKey=admin, username="nobody-here")
    assert error_code(unknown, "json") == 70


def test_public_means_the_catalog(app, subsonic, app_password, users, world):
    """public=true publishes to the catalog for an Editor; a Listener gets 50 and the
    playlist stays as it was (not renamed either); public=false takes a catalog setlist
    back to private."""
    listener, editor = app_password("Listener"), app_password("Editor")
    own = one(subsonic.call("createPlaylist", apiKey=listener, name="Mine")["playlist"])["id"]
    refused = subsonic.call(
        "updatePlaylist", apiKey=listener, playlistId=own, name="Renamed", public="true"
    )
    assert error_code(refused, "json") == 50
    assert (stored(app, own).visibility, stored(app, own).name) == ("private", "Mine")
    published = subsonic.call(
        "updatePlaylist", apiKey=editor, playlistId=world["editor_private"], public="true"
    )
    assert published["status"] == "ok"
    assert stored(app, world["editor_private"]).visibility == "catalog"
    subsonic.call("updatePlaylist", apiKey=editor, playlistId=world["catalog"], public="false")
    assert stored(app, world["catalog"]).visibility == "private"


@pytest.mark.parametrize(
    ("method", "params", "code"),
    [
        ("getPlaylist", {}, 10),
        ("getPlaylist", {"id": "x"}, 70),
        ("getPlaylist", {"id": "-1"}, 70),
        ("getPlaylist", {"id": "99999999999999999"}, 70),
        ("getPlaylist", {"id": "007"}, 70),
        ("createPlaylist", {}, 10),
        ("createPlaylist", {"name": "   "}, 0),
        ("createPlaylist", {"name": "x" * 201}, 0),
        ("createPlaylist", {"name": "Odd", "songId": "al-1"}, 70),
        ("createPlaylist", {"name": "Odd", "songId": "tr-999999"}, 70),
        ("createPlaylist", {"name": "Odd", "songId": "tr-" + "9" * 18}, 70),
        ("updatePlaylist", {"playlistId": "OWN", "songIdToAdd": "tr-" + "9" * 18}, 70),
        ("createPlaylist", {"playlistId": "999999", "songId": []}, 70),
        ("updatePlaylist", {}, 10),
        ("updatePlaylist", {"playlistId": "OWN", "songIndexToRemove": "5"}, 0),
        ("updatePlaylist", {"playlistId": "OWN", "songIndexToRemove": "-1"}, 0),
        ("updatePlaylist", {"playlistId": "OWN", "songIndexToRemove": "\u00b2"}, 0),
        ("updatePlaylist", {"playlistId": "OWN", "songIdToAdd": "tr-0"}, 70),
        ("updatePlaylist", {"playlistId": "OWN", "name": ""}, 0),
        ("deletePlaylist", {"id": "1.5"}, 70),
    ],
)
def test_odd_arguments_are_subsonic_errors(
    app, subsonic, app_password, users, method, params, code
):
    """Missing, malformed, unknown and out-of-range arguments: Subsonic's error, HTTP 200,
    and the playlist unchanged."""
    own = setlist(app, users["Listener"], "Kept", songs(app, 2))
    params = {name: own if value == "OWN" else value for name, value in params.items()}
    for f in ("json", "xml"):
        response = subsonic.raw(method, apiKey=app_password("Listener"), f=f, **params)
        assert response.status_code == 200
        answer = subsonic.call(method, f=f, apiKey=app_password("Listener"), **params)
        assert error_code(answer, f) == code
    kept = stored(app, own)
    assert (kept.name, kept.entry_count) == ("Kept", 2)
