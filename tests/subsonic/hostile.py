"""What the hostile sweep of every Subsonic method sends and checks: hostile values, a small
world of real rows to aim them at, the parameters a method reads, and the contract every
answer keeps (never a server error; Subsonic's envelope and codes unless it is a stream)."""

import json
import logging
import time
from contextlib import contextmanager
from xml.etree import ElementTree

from app.subsonic.params import MAX_VALUE, Params
from app.subsonic.wire import NAMESPACE

#: Subsonic 1.16.1's error codes with OpenSubsonic's 43 and 44.
SPEC_CODES = {0, 10, 20, 30, 40, 41, 42, 43, 44, 50, 60, 70}
#: Parameters of Subsonic methods (1.16.1 and OpenSubsonic), whether or not Setlist reads them.
KNOWN_PARAMETERS = (
    "id", "albumId", "artistId", "songId", "playlistId", "songIdToAdd", "songIndexToRemove",
    "size", "offset", "count", "type", "fromYear", "toYear", "genre", "query", "artistCount",
    "artistOffset", "albumCount", "albumOffset", "songCount", "songOffset", "maxBitRate",
    "format", "timeOffset", "submission", "time", "rating", "current", "position", "name",
    "comment", "public", "username", "musicFolderId", "ifModifiedSince", "estimateContentLength",
    "converted", "artist", "title", "includeNotPresent", "description", "url", "index",
)  # fmt: skip
#: Parameters the framework reads itself (sign-in, format, version, client).
FRAMEWORK = {"u", "p", "t", "s", "apiKey", "f", "v", "c"}


def hostile_values(world: dict) -> list[str]:
    """Values no parameter should turn into a server error."""
    return [
        "", " ", "-1", "0", str(2**63), "9" * 40, "NaN", "1e309", " 7 ", "1_0", "²", "١٢",
        "3.5", "TRUE", "x" * MAX_VALUE, "\x00", "\x01\x08\x0b\x1f\x7f", "\ufffe\u202eevil",
        "Björk ☃ 𝄞 ﷽", "' OR 1=1 --", "%_\\", "<x>&amp;</x>", "al-1", "tr-0", "tr-01",
        "tr-999999999", "ar-" + "9" * 18, "tr-" + "9" * 19, world["album"], world["artist"],
        world["song"], world["playlist"],
    ]  # fmt: skip


def good_values(world: dict, username: str) -> dict[str, str]:
    """A value each parameter takes gladly (ids of the world's rows)."""
    return {
        "id": world["song"], "albumId": world["album"], "artistId": world["artist"],
        "songId": world["song"], "playlistId": world["playlist"],
        "songIdToAdd": world["song"], "songIndexToRemove": "0", "size": "5", "offset": "0",
        "count": "5", "type": "newest", "fromYear": "1900", "toYear": "2100", "genre": "Rock",
        "query": "tone", "artistCount": "5", "artistOffset": "0", "albumCount": "5",
        "albumOffset": "0", "songCount": "5", "songOffset": "0", "maxBitRate": "128",
        "format": "raw", "timeOffset": "0", "submission": "true",
        "time": str(int(time.time() * 1000)), "rating": "3", "current": world["song"],
        "position": "0", "name": "Mix", "comment": "Made by the sweep", "public": "false",
        "username": username, "musicFolderId": "1", "ifModifiedSince": "0",
        "estimateContentLength": "true", "converted": "false",
    }  # fmt: skip


@contextmanager
def reads_recorded():
    """Collect the names of the parameters methods read, while the block runs."""
    read: set[str] = set()
    originals = {}
    for getter in ("get", "has", "required", "all", "integer", "boolean"):
        original = getattr(Params, getter)
        originals[getter] = original

        def recording(self, name, *args, _original=original, **kwargs):
            read.add(name)
            return _original(self, name, *args, **kwargs)

        setattr(Params, getter, recording)
    try:
        yield read
    finally:
        for getter, original in originals.items():
            setattr(Params, getter, original)


def subsonic_content(response, wants_json: bool, outage: bool = False) -> dict | None:
    """The answer's subsonic-response content after checking the contract (None: a stream);
    with `outage`, the app's 503 is expected among the answers."""
    where = f"{response.request.method} {response.request.url[:300]}"
    allowed = response.status_code < 500 or (outage and response.status_code == 503)
    assert allowed, (where, response.status_code, response.get_data()[:500])
    content_type = response.content_type or ""
    if content_type.startswith("application/json"):
        assert wants_json, where
        content = json.loads(response.get_data(as_text=True))["subsonic-response"]
        assert content["openSubsonic"] is True, where
    elif content_type.startswith("text/xml"):
        assert not wants_json or response.status_code == 413, (where, response.get_data()[:300])
        root = ElementTree.fromstring(response.get_data())  # noqa: S314 - the app's own answer
        assert root.tag == f"{{{NAMESPACE}}}subsonic-response", where
        content = dict(root.attrib)
        error = root.find(f"{{{NAMESPACE}}}error")
        if error is not None:
            content["error"] = dict(error.attrib)
    else:
        # A stream, a download or a cover: an answer only a 2xx/3xx/416 may be.
        assert response.status_code in (200, 206, 304, 416), (where, response.status_code)
        return None
    assert content["version"] == "1.16.1", where
    assert content["status"] in ("ok", "failed"), where
    if content["status"] == "failed":
        assert int(content["error"]["code"]) in SPEC_CODES, (where, content)
        assert content["error"]["message"], where
    else:
        assert response.status_code == 200, where
    return content


def tracebacks(records) -> list[str]:
    """The log records of a failure: any error, any record carrying a traceback."""
    return [
        f"{record.name}: {record.getMessage()[:300]}"
        for record in records
        if record.exc_info or record.levelno >= logging.ERROR or "Traceback" in record.getMessage()
    ]
