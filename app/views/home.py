"""The landing page, one-message pages, and the error pages people can reach."""

from flask import current_app, g, render_template, request
from flask_appbuilder import IndexView
from flask_appbuilder.utils.base import is_safe_redirect_url
from flask_babel import lazy_gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, TooManyRequests

from app.security.audit import audit
from app.views.jsonapi import json_error, json_requested


class HomeView(IndexView):
    """The landing page: what Setlist is and where to go next."""

    index_template = "index.html"


def readable_size(size: float) -> str:
    """A byte count as people say it: 512 bytes, 20 KB, 200 MB, 1.5 GB."""
    for unit in ("bytes", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def referring_page() -> str | None:
    """The page the user came from, when it is one of ours."""
    referrer = request.referrer
    return referrer if referrer and is_safe_redirect_url(referrer) else None


def message_page(
    title,
    message,
    status: int = 200,
    level: str = "info",
    action: tuple[str, str] | None = None,
    back: bool = False,
):
    """One message inside the normal layout, with an optional button and a way back."""
    appbuilder = current_app.appbuilder
    # Errors raised while CSRF reads the form come before FAB's before_request
    # has set g.user, which the menu in the page layout needs.
    g.setdefault("user", current_user)
    action_url, action_label = action or (None, None)
    page = render_template(
        "message.html",
        appbuilder=appbuilder,
        base_template=appbuilder.base_template,
        # str(): Flask-Babel's lazy strings claim to be safe HTML (__html__), yet they are
        # often formatted with user data; as plain text Jinja escapes them.
        title=str(title),
        message=str(message),
        level=level,
        action_url=action_url,
        action_label=action_label,
        back_url=(referring_page() or appbuilder.get_url_for_index) if back else None,
    )
    return page, status


def upload_too_large(error: RequestEntityTooLarge):
    """A readable page for an upload over MAX_CONTENT_LENGTH, instead of a bare 413."""
    limit = readable_size(current_app.config["MAX_CONTENT_LENGTH"])
    return message_page(
        _("That file is too large"),
        _("Uploads may be at most %(limit)s. Nothing was saved.", limit=limit),
        status=413,
        level="danger",
        back=True,
    )


def form_expired(error: CSRFError):
    """A readable page for a missing or stale CSRF token (e.g. a form left open too long)."""
    return message_page(
        _("This form has expired"),
        _("Nothing was saved. Go back, reload the page and submit the form again."),
        status=400,
        level="danger",
        back=True,
    )


def too_many_requests(error: TooManyRequests):
    """A readable 429 page, or JSON from a JSON endpoint (Flask-Limiter adds Retry-After)."""
    audit("rate-limited", path=request.path, limit=error.description)
    title, advice = _("Too many attempts"), _("Please wait a few minutes before trying again.")
    if json_requested():
        return json_error(429, f"{title}. {advice}")
    return message_page(title, advice, status=429, level="warning")


def bad_request(error: BadRequest):
    """A readable 400 page (or JSON from a JSON endpoint) saying what was wrong."""
    title = _("That request is not valid")
    if json_requested():
        return json_error(400, error.description)
    return message_page(title, error.description, status=400, level="warning", back=True)
