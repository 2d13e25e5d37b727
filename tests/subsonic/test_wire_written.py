"""Parts written ahead (wire.Written) read back as if written with the rest of the answer,
and no text in an answer can pass for one."""

import json
import xml.etree.ElementTree as ET

from app.subsonic.wire import NAMESPACE, answer, write

HOSTILE = ["\x000\x00", 'x"\x000\x00', "\x00\x00", "a\x001\x00b", "0"]


def test_a_written_part_reads_as_the_data_it_was_written_from():
    """An index with one letter written ahead answers the same in JSON and XML as written
    whole, and texts shaped like the placeholder stay texts, NULs dropped as XML drops them."""
    letter = {"name": "B", "artist": [{"id": "ar-1", "name": 'Björk & <The> "Sugarcubes"'}]}
    payload = {"artists": {"index": [write("index", letter), {"name": "C", "artist": []}]}}
    payload["artists"]["hostile"] = [{"name": text} for text in HOSTILE]
    read = json.loads(answer(payload, wants_json=True).get_data(as_text=True))
    artists = read["subsonic-response"]["artists"]
    assert artists["index"] == [letter, {"name": "C", "artist": []}]
    assert [h["name"] for h in artists["hostile"]] == ["0", 'x"0', "", "a1b", "0"]
    document = ET.fromstring(answer(payload, wants_json=False).get_data())  # noqa: S314 - ours
    found = document.find(f"{{{NAMESPACE}}}artists")
    names = [a.get("name") for a in found.iter(f"{{{NAMESPACE}}}artist")]
    assert names == ['Björk & <The> "Sugarcubes"']
    assert [h.get("name") for h in found.iter(f"{{{NAMESPACE}}}hostile")] == [
        h["name"] for h in artists["hostile"]
    ]


def test_written_parts_nest():
    """A written part may hold written parts (an index letter holds its written artists)."""
    inner = write("artist", {"id": "ar-2", "name": "Zaz", "starred": None})
    outer = write("index", {"name": "Z", "artist": [inner, inner]})
    read = json.loads(answer({"artists": {"index": [outer]}}, True).get_data(as_text=True))
    assert read["subsonic-response"]["artists"]["index"] == [
        {"name": "Z", "artist": [{"id": "ar-2", "name": "Zaz"}] * 2}
    ]
    assert (
        outer.xml
        == '<index name="Z"><artist id="ar-2" name="Zaz"/><artist id="ar-2" name="Zaz"/></index>'
    )
