"""One JSON style for every endpoint that answers JSON: its data, or {"message", "errors"}."""

from flask import current_app, jsonify, request
from flask_babel import lazy_gettext as _
from werkzeug.exceptions import BadRequest

from app.logs import current_request_id


def answers_json(view):
    """Mark a view function as a JSON endpoint: its errors (429 included) answer JSON too."""
    view.answers_json = True
    return view


NOT_JSON = _("Send a JSON object (Content-Type: application/json).")
NOT_VALID = _("Some fields are not valid; nothing was saved.")

#: Every address under it answers JSON, errors included (the REST API).
API_PREFIX = "/api/"


class RefusedArgument(BadRequest):
    """A 400 whose text is its description alone (FAB's API answers with str() of it, which
    for a plain BadRequest starts "400 Bad Request: ")."""

    def __str__(self) -> str:
        return str(self.description)


def json_requested() -> bool:
    """Whether the current request went to the API or to an endpoint marked @answers_json."""
    if request.path.startswith(API_PREFIX):
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "answers_json", False)


def json_object() -> dict | None:
    """The request's JSON object, or None when it sent something else."""
    data = request.get_json(silent=True) if request.is_json else None
    return data if isinstance(data, dict) else None


def json_error(status: int, message, errors: dict | None = None, **details):
    """An error answer: {"message": "...", "errors": {"field": ["...", ...]}}, any details
    that help (the song a duplicate upload matches), and the request id to quote."""
    body = {"message": str(message), **details, "request_id": current_request_id()}
    if errors:
        body["errors"] = {field: [str(text) for text in texts] for field, texts in errors.items()}
    return jsonify(body), status


#: The error answer in OpenAPI terms (the API's description).
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "message": {"type": "string"},
        "request_id": {"type": "string", "description": "the reference the log lines carry"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["message"],
}
#: Error answers FAB does not describe, added to its 400, 401, 403, 404, 422 and 500.
MORE_RESPONSES = {
    str(code): {"description": text, "content": {"application/json": {"schema": ERROR_SCHEMA}}}
    for code, text in [
        (405, "Method not allowed"),
        (409, "Conflict: the row has children, or the catalog has this file already"),
        (413, "The upload is larger than the site takes"),
        (429, "Too many requests"),
        (503, "Storage or the database failed; nothing was kept: try again"),
    ]
}
