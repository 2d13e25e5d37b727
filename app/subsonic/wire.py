"""Subsonic's wire format: a method's payload as XML (the default) or JSON, and its errors.

A payload is plain data, written once for both formats:
- a dict is an element: its scalar values are attributes, its dicts are child elements,
  its lists are repeated child elements (each dict one element, each scalar one element
  holding it as text), and the key "value" is the element's text;
- None values are left out; booleans are written true/false in XML.
So {"musicFolders": {"musicFolder": [{"id": 1, "name": "Music"}]}} becomes
<musicFolders><musicFolder id="1" name="Music"/></musicFolders> in XML and the same
nesting in JSON, as the 1.16.1 schema and OpenSubsonic's JSON examples have it.
A part written ahead (Written, from write()) stands where a child element would.
"""

import json
import re
from dataclasses import dataclass

from flask import Response

NAMESPACE = "http://subsonic.org/restapi"
API_VERSION = "1.16.1"
SERVER_TYPE = "setlist"
SERVER_VERSION = "0.1.0"
XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"

#: Subsonic's error codes (1.16.1, with OpenSubsonic's 43 and 44).
GENERIC = 0
MISSING_PARAMETER = 10
CLIENT_MUST_UPGRADE = 20
SERVER_MUST_UPGRADE = 30
WRONG_CREDENTIALS = 40
TOKEN_NOT_SUPPORTED = 41
MECHANISM_NOT_SUPPORTED = 42
CONFLICTING_MECHANISMS = 43
INVALID_API_KEY = 44
NOT_AUTHORIZED = 50
TRIAL_OVER = 60
NOT_FOUND = 70


class SubsonicError(Exception):
    """An error answer: Subsonic's code and message, with HTTP 200 unless said otherwise."""

    def __init__(self, code: int, message: str, http_status: int = 200, headers=None) -> None:
        super().__init__(message)
        self.code, self.message = code, message
        self.http_status, self.headers = http_status, headers or {}


def envelope(status: str, payload: dict | None) -> dict:
    """The subsonic-response element's content: its required attributes, then the payload."""
    return {
        "status": status,
        "version": API_VERSION,
        "type": SERVER_TYPE,
        "serverVersion": SERVER_VERSION,
        "openSubsonic": True,
        **(payload or {}),
    }


#: One pass per value: characters XML 1.0 cannot hold dropped, markup escaped; attribute
#: values also keep their line breaks and tabs (a parser would fold them into spaces).
DROPPED = {code: None for code in range(0x20) if code not in (0x09, 0x0A, 0x0D)}
DROPPED |= {0xFFFE: None, 0xFFFF: None}
TEXT_TABLE = str.maketrans({**DROPPED, "&": "&amp;", "<": "&lt;", ">": "&gt;"})
ATTRIBUTE_TABLE = str.maketrans(
    {
        **DROPPED,
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)
XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"


def xml_text(value, table: dict = TEXT_TABLE) -> str:
    """A scalar as escaped XML text: booleans as true/false, numbers as written, strings
    without the characters XML cannot hold."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return str(value).translate(table)


@dataclass(frozen=True, slots=True)
class Written:
    """One element already written in both formats: its XML, and its JSON value. Large parts
    that rarely change (the artist index) are kept written instead of written per request."""

    xml: str
    json: str


def write(name: str, data: dict) -> Written:
    """The element `name` holding `data`, written in both formats once."""
    if "value" not in data and all(type(v) in SCALARS for v in data.values()):
        return write_attributes(name, data)
    out: list[str] = []
    write_element(name, data, out)
    return Written("".join(out), to_json(data))


#: json.dumps with an option builds an encoder per call: 5 us an artist.
JSON = json.JSONEncoder(ensure_ascii=False)
NUMBERS = frozenset((int, float, bool))
#: The types an element holding only attributes has (an artist, a song: most of an answer).
SCALARS = frozenset((str, int, float, bool, type(None)))


def write_attributes(name: str, data: dict) -> Written:
    """An element holding attributes only, written in one pass (the general way took 25 us an
    artist: half a second for an index of 20,000)."""
    kept = {k: v for k, v in data.items() if v is not None}
    attributes = "".join(f' {k}="{xml_text(v, ATTRIBUTE_TABLE)}"' for k, v in kept.items())
    for key, value in kept.items():
        if type(value) is str and PLACEHOLDER in value:
            kept[key] = value.replace(PLACEHOLDER, "")
    return Written(f"<{name}{attributes}/>", JSON.encode(kept))


def write_element(name: str, data: dict, out: list[str]) -> None:
    """Append a payload dict as the element `name` (see the module's docstring).

    Written as text directly, each value escaped in one pass: ElementTree took 167 ms of CPU
    for getArtists' 20,000 artists, five times the JSON; element and attribute names are
    the code's own."""
    attributes, children, text = [], [], None
    for key, value in data.items():
        if value is None:
            continue
        if key == "value":
            text = xml_text(value)
        elif isinstance(value, dict | Written):
            children.append((key, value))
        elif isinstance(value, list | tuple):
            children.extend((key, item) for item in value)
        else:
            attributes.append(f' {key}="{xml_text(value, ATTRIBUTE_TABLE)}"')
    out.append(f"<{name}{''.join(attributes)}")
    if not text and not children:
        out.append("/>")
        return
    out.append(">")
    if text:
        out.append(text)
    for key, child in children:
        if isinstance(child, Written):
            out.append(child.xml)
        elif isinstance(child, dict):
            write_element(key, child, out)
        else:
            out.append(f"<{key}>{xml_text(child)}</{key}>")
    out.append(f"</{name}>")


def to_xml(content: dict) -> bytes:
    """The whole answer as an XML document in Subsonic's namespace."""
    out = [XML_DECLARATION]
    write_element("subsonic-response", {"xmlns": NAMESPACE, **content}, out)
    return "".join(out).encode("utf-8")


def without_none(data, written: list[str]):
    """A payload with its None values left out, as the XML leaves them out, and each Written
    part swapped for a placeholder string (its JSON appended to `written`)."""
    if isinstance(data, dict):
        # Numbers and plain texts, most of an answer, are taken as they are (no call each).
        return {
            k: v if type(v) in NUMBERS or (type(v) is str and PLACEHOLDER not in v)
            else without_none(v, written)
            for k, v in data.items() if v is not None
        }  # fmt: skip
    if isinstance(data, list | tuple):
        return [without_none(item, written) for item in data]
    if isinstance(data, Written):
        written.append(data.json)
        return f"{PLACEHOLDER}{len(written) - 1}{PLACEHOLDER}"
    if isinstance(data, str) and PLACEHOLDER in data:
        # A text that could pass for a placeholder: its NULs go, as the XML drops them.
        return data.replace(PLACEHOLDER, "")
    return data


#: Marks a placeholder: a NUL, which json.dumps writes as \u0000 and no text keeps (above).
#: The digits say which part it stands for.
PLACEHOLDER = "\x00"
PLACEHOLDERS = re.compile(r'"\\u0000(\d+)\\u0000"')


def to_json(data) -> str:
    """A payload as JSON text, Written parts put in as written."""
    written: list[str] = []
    body = JSON.encode(without_none(data, written))
    if not written:
        return body
    return PLACEHOLDERS.sub(lambda found: written[int(found[1])], body)


def answer(payload: dict | None, wants_json: bool, status: str = "ok", http_status: int = 200):
    """A Flask response for a payload in the asked format."""
    content = envelope(status, payload)
    if wants_json:
        body = to_json({"subsonic-response": content})
        return Response(body, status=http_status, content_type=JSON_TYPE)
    return Response(to_xml(content), status=http_status, content_type=XML_TYPE)


def error_answer(error: SubsonicError, wants_json: bool):
    """A Flask response for an error, with its HTTP status and headers."""
    payload = {"error": {"code": error.code, "message": error.message}}
    response = answer(payload, wants_json, status="failed", http_status=error.http_status)
    response.headers.update(error.headers)
    return response
