"""The landing page and the error pages people can actually reach."""

from flask import current_app, g, render_template, request
from flask_appbuilder import IndexView
from flask_appbuilder.utils.base import is_safe_redirect_url
from flask_babel import lazy_gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge


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


def back_url(fallback: str) -> str:
    """The page the user came from, when it is one of ours."""
    referrer = request.referrer
    return referrer if referrer and is_safe_redirect_url(referrer) else fallback


def error_page(status: int, title: str, message: str):
    """Render an error inside the normal layout, with a way back."""
    appbuilder = current_app.appbuilder
    # These errors are raised while CSRF reads the form, before FAB's before_request
    # has set g.user, which the menu in the page layout needs.
    g.setdefault("user", current_user)
    page = render_template(
        "errors/message.html",
        appbuilder=appbuilder,
        base_template=appbuilder.base_template,
        title=title,
        message=message,
        back_url=back_url(appbuilder.get_url_for_index),
    )
    return page, status


def upload_too_large(error: RequestEntityTooLarge):
    """A readable page for an upload over MAX_CONTENT_LENGTH, instead of a bare 413."""
    limit = readable_size(current_app.config["MAX_CONTENT_LENGTH"])
    return error_page(
        413,
        _("That file is too large"),
        _("Uploads may be at most %(limit)s. Nothing was saved.", limit=limit),
    )


def form_expired(error: CSRFError):
    """A readable page for a missing or stale CSRF token (e.g. a form left open too long)."""
    return error_page(
        400,
        _("This form has expired"),
        _("Nothing was saved. Go back, reload the page and submit the form again."),
    )
