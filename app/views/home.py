"""The landing page and one-message pages."""

from flask import current_app, g, render_template, request
from flask_appbuilder import IndexView, expose
from flask_appbuilder.utils.base import is_safe_redirect_url
from flask_login import current_user

from app.views.dashboard import best_rated_songs, catalog_figures, music_duration, newest_songs


class HomeView(IndexView):
    """The landing page: an overview of the catalog for those who may browse it."""

    index_template = "index.html"

    @expose("/")
    def index(self):
        """The overview, or what Setlist is and how to get in."""
        browsing = self.appbuilder.sm.has_access("can_list", "SongModelView")
        overview = None
        if browsing:
            totals, charts = catalog_figures()
            overview = {
                "totals": totals,
                "playing_time": music_duration(totals.seconds),
                "charts": charts,
                "newest": newest_songs(),
                "best": best_rated_songs(),
            }
        return self.render_template(
            self.index_template, appbuilder=self.appbuilder, overview=overview
        )


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
