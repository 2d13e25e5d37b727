"""What a request may carry: a small body (a large one only where files are sent), and text
without NUL characters.

A login, a search or a form of names needs a few kilobytes; only the routes a view lists in
its `file_routes` take audio files, from users allowed to use them. Every other request is
refused with 413 as soon as its Content-Length (or, sent in chunks, the bytes read so far)
passes MAX_CONTENT_LENGTH, before a form or JSON parser, a rate limit's key or a log line
sees any of it.
"""

from flask import Flask, Request, abort, current_app, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import lazy_gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

NUL = "\x00"
NO_NUL = _("Text may not contain NUL characters (\\0); nothing was saved.")


def may_send_files(endpoint: str | None) -> bool:
    """Whether a route is one its view lists in `file_routes` and the current user may use
    it (the check FAB's has_access and protect make): an anonymous visitor or a listener
    cannot make a server read a 200 MB body only to refuse it."""
    view_function = current_app.view_functions.get(endpoint or "")
    view = getattr(view_function, "__self__", None)
    name = (endpoint or "").rsplit(".", 1)[-1]
    if name not in getattr(view, "file_routes", ()):
        return False
    permission = (view.method_permission_name or {}).get(name) or view_function._permission_name
    return current_app.appbuilder.sm.has_access(f"can_{permission}", view.class_permission_name)


class BoundedRequest(Request):
    """Flask's request with MAX_UPLOAD_LENGTH on file routes, MAX_CONTENT_LENGTH elsewhere.

    The route is matched before any body is read, so the limit is known in time.
    """

    @property
    def max_content_length(self) -> int | None:
        """The largest body this request's route takes."""
        if self._max_content_length is None and current_app and may_send_files(self.endpoint):
            return current_app.config["MAX_UPLOAD_LENGTH"]
        return Request.max_content_length.fget(self)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def get_data(self, cache: bool = True, as_text: bool = False, parse_form_data: bool = False):
        """Werkzeug's, but a body sent in chunks past the limit is refused (413): Werkzeug
        returns its first MAX_CONTENT_LENGTH bytes as if they were all of it."""
        data = super().get_data(cache=cache, parse_form_data=parse_form_data)
        limit = self.max_content_length
        if self.content_length is None and limit is not None and len(data) >= limit:
            raise RequestEntityTooLarge()
        return data.decode(errors="replace") if as_text else data


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, where a body nested too deeply to parse is invalid JSON (a 400), not a
    RecursionError (a server error): `[` a hundred thousand times is 100 KB."""

    def loads(self, s, **kwargs):
        """Parse JSON text; too deep is a ValueError like any other malformed JSON."""
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


def holds_nul(value) -> bool:
    """Whether a query, form or JSON value (nested lists and objects too) holds a NUL."""
    waiting = [value]
    while waiting:  # a loop, not recursion: JSON may nest as deep as its parser allows
        item = waiting.pop()
        if isinstance(item, str) and NUL in item:
            return True
        if isinstance(item, dict):
            waiting += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            waiting += item
    return False


def refuse_nul_text() -> None:
    """400 for text with a NUL: PostgreSQL cannot store one (it was a server error there),
    and no name, title or password has one."""
    sent = [*request.args.items(multi=True)]
    if request.method in ("POST", "PUT", "PATCH"):
        sent += request.form.items(multi=True)
        if request.is_json:
            sent.append(("", request.get_json(silent=True)))
    if any(holds_nul(name) or holds_nul(value) for name, value in sent):
        abort(400, description=str(NO_NUL))


def register_request_checks(app: Flask) -> None:
    """Bound every request body by its route and refuse NUL characters in text."""
    app.request_class = BoundedRequest
    app.json = BoundedJSONProvider(app)
    app.before_request(refuse_nul_text)
