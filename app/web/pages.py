"""One-message pages in the app's layout, the page a person came from, and sizes and times
as people read them: used by every door (views, security, the API)."""

from flask import current_app, g, render_template, request
from flask_appbuilder.utils.base import is_safe_redirect_url
from flask_babel import format_datetime
from flask_login import current_user


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
    reference: str | None = None,
):
    """One message inside the normal layout, with an optional button, a way back and a
    reference to quote (an error's request id, which the log lines carry)."""
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
        reference=reference,
    )
    return page, status


def local_datetime(moment) -> str:
    """A date and time as the user's language writes it, to the second."""
    return format_datetime(moment, "medium") if moment else ""
