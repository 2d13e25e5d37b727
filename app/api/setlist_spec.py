"""What /api/v1/setlist/ answers and takes, in OpenAPI terms: the rows (marshmallow schemas,
which also dump them) and every operation with the statuses it really sends."""

from marshmallow import Schema, fields

from app.api.openapi import ROW_ID, answer, errors
from app.fab.widgets import MAX_PAGE_SIZE
from app.models.setlists import NAME_LENGTH, NOTE_LENGTH, VISIBILITIES
from app.setlists.entries import MAX_ENTRIES, MOVES
from app.setlists.rules import DESCRIPTION_LENGTH

#: Songs one request may add at a chosen position (each is a move); more go at the end.
MAX_PLACED = 100


class OwnerRef(Schema):
    """Whose setlist it is."""

    id = fields.Integer()
    name = fields.String()


class SetlistSchema(Schema):
    """A setlist, with what the caller may do with it."""

    id = fields.Integer()
    name = fields.String()
    description = fields.String(allow_none=True)
    visibility = fields.String(metadata={"enum": list(VISIBILITIES)})
    owner = fields.Nested(OwnerRef)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    mine = fields.Boolean(metadata={"description": "The caller owns it."})
    may_edit = fields.Boolean(metadata={"description": "The caller may change it."})
    page_url = fields.String()


class SetlistDetail(SetlistSchema):
    """A setlist with its totals."""

    entry_count = fields.Integer()
    duration = fields.Float(metadata={"description": "Playing time in seconds."})


class EntrySchema(Schema):
    """One song at its place in a setlist."""

    id = fields.Integer()
    position = fields.Integer(metadata={"description": "Its place in the order, from 1."})
    song_id = fields.Integer()
    title = fields.String()
    album = fields.Dict(metadata={"description": "{id, title}"})
    author = fields.Dict(metadata={"description": "{id, name}"})
    duration = fields.Float(allow_none=True)
    note = fields.String(allow_none=True)
    added_at = fields.DateTime()


def ref(name: str) -> dict:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def paging(extra: dict) -> dict:
    """The `q` (rison or JSON) argument of a list: a page and its size, plus `extra`."""
    schema = {
        "type": "object",
        "properties": {
            "page": {"type": "integer", "minimum": 0, "maximum": 10_000_000},
            "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            **extra,
        },
        "additionalProperties": False,
    }
    return schema


LIST_ARGUMENTS = paging(
    {
        "name": {"type": "string", "maxLength": NAME_LENGTH},
        "mine": {"type": "boolean"},
    }
)
ENTRY_LIST_ARGUMENTS = paging({})


def query(schema: dict) -> dict:
    """The `q` parameter of a list."""
    return {"in": "query", "name": "q", "content": {"application/json": {"schema": schema}}}


ENTRY_ID = {
    "in": "path",
    "name": "entry_id",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
}
SETLIST_FIELDS = {
    "name": {"type": "string", "maxLength": NAME_LENGTH, "minLength": 1},
    "description": {"type": "string", "nullable": True, "maxLength": DESCRIPTION_LENGTH},
    "visibility": {"type": "string", "enum": list(VISIBILITIES)},
}
NEW_SETLIST = {
    "type": "object",
    "properties": SETLIST_FIELDS,
    "required": ["name"],
    "additionalProperties": False,
}
SETLIST_CHANGES = {"type": "object", "properties": SETLIST_FIELDS, "additionalProperties": False}
SONG_ID = {"type": "integer", "minimum": 1}
ADDED_SONGS = {
    "type": "object",
    "description": "song_id (one song) or song_ids (up to the setlist's limit, in order).",
    "properties": {
        "song_id": SONG_ID,
        "song_ids": {"type": "array", "items": SONG_ID, "minItems": 1, "maxItems": MAX_ENTRIES},
        "position": {
            "type": "integer",
            "nullable": True,
            "minimum": 1,
            "description": f"Where the first song goes (from 1; up to {MAX_PLACED} songs); "
            "null or past the end: at the end.",
        },
        "note": {"type": "string", "nullable": True, "maxLength": NOTE_LENGTH},
    },
    "additionalProperties": False,
}
PLACE = {
    "oneOf": [
        {"type": "string", "enum": list(MOVES)},
        {"type": "integer", "minimum": 1, "maximum": MAX_ENTRIES},
    ],
    "description": "up, down, top, bottom, or a position from 1 (past the end: the bottom).",
}
MOVE = {
    "type": "object",
    "properties": {"to": PLACE},
    "required": ["to"],
    "additionalProperties": False,
}
NOTE = {
    "type": "object",
    "properties": {"note": {"type": "string", "nullable": True, "maxLength": NOTE_LENGTH}},
    "required": ["note"],
    "additionalProperties": False,
}
MESSAGE = {"type": "object", "properties": {"message": {"type": "string"}}, "required": ["message"]}
SETLIST_PAGE = {
    "type": "object",
    "properties": {
        "page": {"type": "integer"},
        "page_size": {"type": "integer"},
        "more": {"type": "boolean", "description": "Another page follows."},
        "result": {"type": "array", "items": ref("SetlistSchema")},
    },
    "required": ["page", "page_size", "more", "result"],
}
ENTRY_PAGE = {
    "type": "object",
    "properties": {
        "count": {"type": "integer"},
        "duration": {"type": "number"},
        "page": {"type": "integer"},
        "page_size": {"type": "integer"},
        "result": {"type": "array", "items": ref("EntrySchema")},
    },
    "required": ["count", "duration", "page", "page_size", "result"],
}
ONE_SETLIST = {
    "type": "object",
    "properties": {"id": {"type": "integer"}, "result": ref("SetlistDetail")},
    "required": ["id", "result"],
}
ONE_ENTRY = {
    "type": "object",
    "properties": {"id": {"type": "integer"}, "result": ref("EntrySchema")},
    "required": ["id", "result"],
}
ADDED = {
    "type": "object",
    "properties": {
        "added": {"type": "integer"},
        "ids": {"type": "array", "items": {"type": "integer"}},
        "count": {"type": "integer", "description": "Entries in the setlist now."},
    },
    "required": ["added", "ids", "count"],
}
READS = (400, 401, 403, 404, 429, 500, 503)
WRITES = (400, 401, 403, 404, 409, 413, 422, 429, 500, 503)


def body(schema: dict) -> dict:
    """A required JSON request body."""
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def operation(method, status, description, schema, params=(), request=None, codes=WRITES):
    """One operation of the resource (FAB's openapi_spec_methods entry)."""
    spec = {
        "parameters": list(params),
        "responses": {str(status): answer(description, schema), **errors(*codes)},
    }
    if request is not None:
        spec["requestBody"] = body(request)
    return {method: spec}


SETLIST_OPERATIONS = {
    "get_list": operation(
        "get", 200, "Setlists the caller may see", SETLIST_PAGE, [query(LIST_ARGUMENTS)], None,
        READS,
    ),
    "get": operation("get", 200, "A setlist", ONE_SETLIST, [ROW_ID], None, READS),
    "post": operation("post", 201, "The new setlist", ONE_SETLIST, (), NEW_SETLIST),
    "put": operation("put", 200, "The setlist changed", ONE_SETLIST, [ROW_ID], SETLIST_CHANGES),
    "delete": operation("delete", 200, "Deleted", MESSAGE, [ROW_ID]),
    "entries": operation(
        "get", 200, "A page of entries in order", ENTRY_PAGE,
        [ROW_ID, query(ENTRY_LIST_ARGUMENTS)], None, READS,
    ),
    "add_entries": operation("post", 201, "The songs added", ADDED, [ROW_ID], ADDED_SONGS),
    "move_entry": operation("post", 200, "The entry moved", ONE_ENTRY, [ROW_ID, ENTRY_ID], MOVE),
    "annotate_entry": operation("put", 200, "The entry", ONE_ENTRY, [ROW_ID, ENTRY_ID], NOTE),
    "remove_entry": operation("delete", 200, "Removed", MESSAGE, [ROW_ID, ENTRY_ID]),
}  # fmt: skip
