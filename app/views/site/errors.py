"""Error pages people can reach: in the app's layout, translated, with a way back.

Endpoints that answer JSON (@answers_json) get the same errors as JSON.
"""

import logging

from flask import Flask, request
from flask_babel import lazy_gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import (
    BadRequest,
    Forbidden,
    HTTPException,
    InternalServerError,
    MethodNotAllowed,
    NotFound,
    RequestEntityTooLarge,
    TooManyRequests,
)

from app.logs import current_request_id
from app.request_checks import may_send_files
from app.security.audit import audit
from app.security.https import sign_in_needs_https_page
from app.web.json_answers import API_PREFIX, json_error, json_requested
from app.web.outages import is_outage, outage_behind, roll_back, standalone_page, unavailable_page
from app.web.pages import message_page, readable_size

log = logging.getLogger(__name__)

PAGE_NOT_FOUND = _("Page not found")
NOTHING_HERE = _(
    "There is nothing at this address: it may have been deleted, or the link is mistyped."
)
NOT_ALLOWED = _("Not allowed")
ASK_AN_ADMIN = _(
    "Your account may not open this page. If you need it, ask an administrator for access."
)
WRONG_METHOD = _("That action cannot be done this way")
USE_THE_PAGE = _("Use the buttons and forms on the page rather than typing the address.")
SOMETHING_BROKE = _("Something went wrong")
CSRF_FOR_SCRIPTS = _(
    "The CSRF token is missing or no longer valid; nothing was saved. Send the token of "
    "the page (its csrf-token meta tag) in the X-CSRFToken header."
)
NOT_SAVED = _(
    "Setlist could not finish this request and nothing was changed. "
    "Please try again; if it keeps happening, tell an administrator."
)


def register_error_handlers(app: Flask) -> None:
    """Friendly pages for errors a user can cause (and for our own failures)."""
    app.register_error_handler(400, bad_request)
    app.register_error_handler(403, forbidden)
    app.register_error_handler(404, not_found)
    app.register_error_handler(405, method_not_allowed)
    app.register_error_handler(413, upload_too_large)
    app.register_error_handler(CSRFError, form_expired)
    app.register_error_handler(429, too_many_requests)
    app.register_error_handler(500, server_error)


def error_page(error: HTTPException, title, message, level: str = "warning", reference=None):
    """An error as JSON for JSON endpoints, else as a page in the layout with a way back."""
    if json_requested():
        return json_error(error.code, f"{title}. {message}")
    try:
        return message_page(
            title, message, status=error.code, level=level, back=True, reference=reference
        )
    except Exception as failure:
        # The layout loads the signed-in user and the menu: not while the database is gone.
        if outage_behind(failure):
            return unavailable_page()
        raise


def not_found(error: NotFound):
    """A 404 in the layout."""
    return error_page(error, PAGE_NOT_FOUND, NOTHING_HERE)


def forbidden(error: Forbidden):
    """A 403 in the layout: a signed-in user without the permission."""
    return error_page(error, NOT_ALLOWED, ASK_AN_ADMIN, level="danger")


def method_not_allowed(error: MethodNotAllowed):
    """A 405 in the layout (e.g. a GET to a POST-only address); keeps the Allow header."""
    page, status = error_page(error, WRONG_METHOD, USE_THE_PAGE)
    return page, status, {"Allow": ", ".join(error.valid_methods or ())}


def server_error(error: InternalServerError):
    """A 500 in the layout, after rolling back whatever the failed request left half done.

    Flask has already logged the exception with the request id, which the page shows as
    the reference to quote; if the layout itself cannot be drawn (it loads the signed-in
    user), a page drawn without the database says the same.
    """
    if is_outage(error.original_exception):
        # A lost service caught by code that re-raised something else: still a 503.
        return unavailable_page()
    roll_back()
    reference = current_request_id()
    try:
        return error_page(error, SOMETHING_BROKE, NOT_SAVED, level="danger", reference=reference)
    except Exception:  # the last resort must not fail in turn
        log.exception("The error page itself failed")
        if json_requested():
            return json_error(500, f"{SOMETHING_BROKE}. {NOT_SAVED}")
        return standalone_page(SOMETHING_BROKE, NOT_SAVED), 500


def upload_too_large(error: RequestEntityTooLarge):
    """A readable page for a body over its route's limit (an upload's, or a form's)."""
    limit = readable_size(request.max_content_length)
    if may_send_files(request.endpoint):
        message = _("Uploads may be at most %(limit)s. Nothing was saved.", limit=limit)
        return error_page(error, _("That file is too large"), message, level="danger")
    message = _("This address takes at most %(limit)s. Nothing was saved.", limit=limit)
    return error_page(error, _("That request is too large"), message, level="danger")


def form_expired(error: CSRFError):
    """A readable page for a missing or stale CSRF token (e.g. a form left open too long)."""
    if request.path.startswith(API_PREFIX):
        return json_error(400, CSRF_FOR_SCRIPTS)
    # Over plain http:// production's Secure session cookie never came back: say that.
    needs_https = sign_in_needs_https_page()
    if needs_https is not None:
        return needs_https
    advice = _("Nothing was saved. Go back, reload the page and submit the form again.")
    return error_page(error, _("This form has expired"), advice, level="danger")


class PleaseWait(TooManyRequests):
    """A 429 a view raises itself: its own title and advice, a Retry-After, and the limit
    it met (for the audit log, as Flask-Limiter's refusals give theirs)."""

    def __init__(self, title, advice, retry_after: int, limit: str) -> None:
        super().__init__(description=limit, retry_after=retry_after)
        self.title, self.advice = title, advice


def too_many_requests(error: TooManyRequests):
    """A readable 429 page, or JSON from a JSON endpoint, with the error's Retry-After
    (Flask-Limiter's own refusals get theirs from its after-request headers)."""
    audit("rate-limited", path=request.path, limit=error.description)
    title = getattr(error, "title", _("Too many attempts"))
    advice = getattr(error, "advice", _("Please wait a few minutes before trying again."))
    retry = {name: value for name, value in error.get_headers() if name == "Retry-After"}
    if json_requested():
        body, status = json_error(429, f"{title}. {advice}")
        return body, status, retry
    page, status = message_page(title, advice, status=429, level="warning")
    return page, status, retry


def bad_request(error: BadRequest):
    """A readable 400 page (or JSON from a JSON endpoint) saying what was wrong."""
    title = _("That request is not valid")
    if json_requested():
        return json_error(400, error.description)
    return message_page(title, error.description, status=400, level="warning", back=True)
