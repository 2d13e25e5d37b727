"""Subsonic's wire format: a method's payload as XML (the default) or JSON, and its errors.

A payload is plain data, written once for both formats:
- a dict is an element: its scalar values are attributes, its dicts are child elements,
  its lists are repeated child elements (each dict one element, each scalar one element
  holding it as text), and the key "value" is the element's text;
- None values are left out; booleans are written true/false in XML.
So {"musicFolders": {"musicFolder": [{"id": 1, "name": "Music"}]}} becomes
<musicFolders><musicFolder id="1" name="Music"/></musicFolders> in XML and the same
nesting in JSON, as the 1.16.1 schema and OpenSubsonic's JSON examples have it.
"""

import json
import re
from xml.etree import ElementTree

from flask import Response

NAMESPACE = "http://subsonic.org/restapi"
API_VERSION = "1.16.1"
SERVER_TYPE = "setlist"
SERVER_VERSION = "0.1.0"
XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
#: Characters XML 1.0 cannot hold at all, even escaped (a tag could carry them).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

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


def xml_text(value) -> str:
    """A scalar as XML text: booleans as true/false, characters XML cannot hold dropped."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("", str(value))


def fill(element: ElementTree.Element, data: dict) -> None:
    """Write a payload dict into an element (see the module's docstring)."""
    for key, value in data.items():
        if value is None:
            continue
        if key == "value":
            element.text = xml_text(value)
        elif isinstance(value, dict):
            fill(ElementTree.SubElement(element, key), value)
        elif isinstance(value, list | tuple):
            for item in value:
                child = ElementTree.SubElement(element, key)
                if isinstance(item, dict):
                    fill(child, item)
                else:
                    child.text = xml_text(item)
        else:
            element.set(key, xml_text(value))


def to_xml(content: dict) -> bytes:
    """The whole answer as an XML document in Subsonic's namespace."""
    root = ElementTree.Element("subsonic-response", xmlns=NAMESPACE)
    fill(root, content)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def without_none(data):
    """A payload with its None values left out, as the XML leaves them out."""
    if isinstance(data, dict):
        return {key: without_none(value) for key, value in data.items() if value is not None}
    if isinstance(data, list | tuple):
        return [without_none(item) for item in data]
    return data


def answer(payload: dict | None, wants_json: bool, status: str = "ok", http_status: int = 200):
    """A Flask response for a payload in the asked format."""
    content = envelope(status, payload)
    if wants_json:
        body = json.dumps({"subsonic-response": without_none(content)}, ensure_ascii=False)
        return Response(body, status=http_status, content_type=JSON_TYPE)
    return Response(to_xml(content), status=http_status, content_type=XML_TYPE)


def error_answer(error: SubsonicError, wants_json: bool):
    """A Flask response for an error, with its HTTP status and headers."""
    payload = {"error": {"code": error.code, "message": error.message}}
    response = answer(payload, wants_json, status="failed", http_status=error.http_status)
    response.headers.update(error.headers)
    return response
