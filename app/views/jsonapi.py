"""One JSON style for every endpoint that answers JSON: its data, or {"message", "errors"}."""

from flask import current_app, jsonify, request


def answers_json(view):
    """Mark a view function as a JSON endpoint: its errors (429 included) answer JSON too."""
    view.answers_json = True
    return view


def json_requested() -> bool:
    """Whether the current request went to an endpoint marked with @answers_json."""
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "answers_json", False)


def json_error(status: int, message, errors: dict | None = None):
    """An error answer: {"message": "...", "errors": {"field": ["...", ...]}}."""
    body = {"message": str(message)}
    if errors:
        body["errors"] = {field: [str(text) for text in texts] for field, texts in errors.items()}
    return jsonify(body), status
