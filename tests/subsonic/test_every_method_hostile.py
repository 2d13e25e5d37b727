"""Every registered Subsonic method (read from the registry when the tests are collected, so
a method added later is swept too) and unknown names, in XML and JSON, by GET and by form
POST, with no parameters, with every parameter Subsonic knows set to a hostile value, and
with each parameter the method reads made hostile in turn beside good values for the rest:
never a server error, always a well-formed Subsonic answer (or the stream asked for), and
no traceback in the app's log."""

import itertools
import logging

import pytest
from werkzeug.datastructures import MultiDict

from app.subsonic import methods as _methods  # noqa: F401  (fills the registry)
from app.subsonic.registry import METHODS
from tests.subsonic.hostile import (
    FRAMEWORK,
    KNOWN_PARAMETERS,
    good_values,
    hostile_values,
    reads_recorded,
    subsonic_content,
    tracebacks,
)
from tests.subsonic.lists_building import album_and_artist, setlist
from tests.subsonic.media_building import embedded_cover, stored_song

#: (JSON?, POST?) for every format and verb; cases take them in turn to keep the sweep fast.
WAYS = [(False, False), (True, False), (False, True), (True, True)]
#: Every known parameter at once takes every third hostile value (each parameter a method
#: reads takes them all, one at a time): the sweep stays well under a minute a database.
ALL_AT_ONCE_STEP = 3


class Sender:
    """Sends a method's parameters signed in by apiKey (of the first key unless told) and
    checks the answer's contract."""

    def __init__(self, client, *keys: str) -> None:
        self.client, self.keys = client, keys
        self.sent = 0
        self.problems: list[str] = []

    def __call__(self, name: str, pairs, way: tuple[bool, bool], key: int = 0) -> dict | None:
        """Send (name, value) pairs one way; the checked subsonic-response (None: a stream)."""
        wants_json, post = way
        values = MultiDict(pairs)
        values.setlist("apiKey", [self.keys[key % len(self.keys)]])
        if wants_json:
            values.setlist("f", ["json"])
        self.sent += 1
        if post:
            response = self.client.post(f"/rest/{name}", data=values)
        else:
            response = self.client.get(f"/rest/{name}", query_string=values)
        with response:
            try:
                return subsonic_content(response, wants_json)
            except AssertionError as broken:  # every broken answer is reported at the end
                sent = {k: v[:40] for k, v in values.items() if k != "apiKey"}
                self.problems.append(f"{name} {sent}: {str(broken)[:300]}")
                return {"status": "failed"}


@pytest.fixture
def world(app, users) -> dict:
    """Real rows to aim at: a stored song with a cover, its album and artist, and a playlist
    of the Listener holding it (Subsonic ids)."""
    song = stored_song(app, cover=(embedded_cover(), "jpg", "image/jpeg"))
    album, artist = album_and_artist(app, song.id)
    playlist = setlist(app, users["Listener"], "Swept", [song.id])
    return {"song": song.id, "album": album, "artist": artist, "playlist": playlist}


@pytest.fixture
def sender(client, app_password) -> Sender:
    """A Sender signed in as the Listener, or as the Admin (key=1: methods go further for
    an admin, e.g. another user's lists)."""
    return Sender(client, app_password("Listener"), app_password("Admin"))


@pytest.fixture
def logged(caplog):
    """The log records of the test (every logger, warnings and up)."""
    caplog.set_level(logging.WARNING)
    return caplog


def ok(content: dict | None) -> bool:
    """Whether an answer was a success (a stream counts)."""
    return content is None or content["status"] == "ok"


def baseline(send: Sender, name: str, good: dict, world: dict) -> tuple[dict, set[str]]:
    """Good values for what the method reads (found by following its reads, and trying each
    kind of id), and the names of the parameters it read."""
    with reads_recorded() as read:
        send(name, {}, WAYS[0])
        chosen: dict[str, str] = {}
        for _ in range(3):
            chosen = {p: good[p] for p in sorted(read - FRAMEWORK) if p in good}
            for kind in ("song", "album", "artist", "playlist"):
                if "id" in chosen:
                    chosen["id"] = world[kind]
                if ok(send(name, chosen, WAYS[0])):
                    break
    return chosen, read - FRAMEWORK


@pytest.mark.parametrize("name", sorted(METHODS))
def test_hostile_arguments_never_break_a_method(name, app, users, world, sender, logged):
    """No parameters (each way); all known parameters hostile at once; each parameter the
    method reads hostile beside good values; each read parameter repeated."""
    for way in WAYS:
        sender(name, {}, way)
    hostile = hostile_values(world)
    for number, value in enumerate(hostile[::ALL_AT_ONCE_STEP]):
        sender(name, [(p, value) for p in KNOWN_PARAMETERS], WAYS[number % 4], key=number // 4)
    chosen, read = baseline(sender, name, good_values(world, users["Listener"]), world)
    for turn, parameter in enumerate(sorted(read)):
        for number, value in enumerate(hostile):
            # Each value one way and as one of the two users, in turn: fast, yet all covered.
            sender(name, {**chosen, parameter: value}, WAYS[(number + turn) % 4], key=number // 4)
        kept = [(p, v) for p, v in chosen.items() if p != parameter]
        twice = chosen.get(parameter, world["song"])
        sender(name, [*kept, (parameter, twice), (parameter, twice)], WAYS[turn % 4])
        sender(name, [*kept, (parameter, twice), (parameter, "\x00")], WAYS[(turn + 1) % 4])
    assert sender.problems == []
    assert tracebacks(logged.records) == []


UNKNOWN_NAMES = [
    "noSuchMethod", "getsong", "GETSONG", ".view", "ping.view.view", "ping/extra", "../ping",
    "%00", "ping%00", "x" * 1500, "Björk☃", "<script>", "getSong;DROP", "__init__",
    "subsonic_method", "METHODS", "ping.json",
]  # fmt: skip


@pytest.mark.parametrize("way", WAYS)
def test_unknown_method_names_are_error_0_with_404(client, app_password, logged, way):
    """Names no method has, however odd: error 0 with HTTP 404, in the format asked."""
    send = Sender(client, app_password("Listener"))
    for name in UNKNOWN_NAMES:
        response = client.get(f"/rest/{name}", query_string={"f": "json" if way[0] else "xml"})
        with response:
            content = subsonic_content(response, way[0])
        assert (response.status_code, content["error"]["code"]) in ((404, 0), (404, "0"))
        content = send(name, {"id": "tr-1"}, way)
        assert int(content["error"]["code"]) == 0
    assert tracebacks(logged.records) == []


#: What the framework reads itself, hostile: format, version, client and each credential.
FRAMEWORK_VALUES = ["", "\x00", "x" * 2000, "jsonp", "JSON", "1e309", "Björk ☃", "enc:zz", "enc:ff"]


@pytest.mark.parametrize("name", ["getSong", "getOpenSubsonicExtensions", "stream"])
def test_hostile_sign_in_format_and_version(name, client, users, app_password, world, logged):
    """f, v, c, u, p, t, s and apiKey each hostile (alone, beside a good apiKey, a token and
    a password): an answer in Subsonic's form (XML when the format is not one), never a server
    error. Each request comes from its own address, so the failure budget never cuts it short."""
    key = app_password("Listener")
    listener = users["Listener"]
    addresses = (f"10.7.{n // 250}.{n % 250}" for n in itertools.count())
    for number, value in enumerate([*FRAMEWORK_VALUES, "1.99.0", "0.1", "1", "1.16.1.9"]):
        for parameter in ("f", "v", "c", "u", "p", "t", "s", "apiKey"):
            alone = {"id": world["song"], parameter: value}
            with_key = {"id": world["song"], "apiKey": key, parameter: value}
            token = {"id": world["song"], "u": listener, "t": "0" * 32, "s": "s", parameter: value}
            password = {"id": world["song"], "u": listener, "p": "wrong", parameter: value}
            for sent in (alone, with_key, token, password):
                wants_json = sent.get("f", "").lower() == "json"
                post = number % 2 == 1
                opened = client.post if post else client.get
                argument = "data" if post else "query_string"
                address = {"REMOTE_ADDR": next(addresses)}
                response = opened(f"/rest/{name}", **{argument: sent}, environ_base=address)
                with response:
                    subsonic_content(response, wants_json)
    assert tracebacks(logged.records) == []
