"""The navigation menu, rendered once per set of permissions and language, not per page;
the parts of the layout that are the same for everyone, once per language."""

import secrets

from flask import current_app, render_template
from flask_appbuilder import AppBuilder
from flask_babel import get_locale
from flask_babel import lazy_gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from app.headers import csp_nonce

#: Where a fragment's script tags take each response's CSP nonce: random per process, so
#: no page text can contain it.
NONCE_MARK = f"nonce-{secrets.token_hex(16)}"


def navbar_menu() -> Markup:
    """The menu items the current user may see (FAB's markup), from a per-app cache.

    The menu depends only on the user's permissions and language; FAB asks has_access
    and url_for for every item on every page.
    """
    app = current_app._get_current_object()
    sm = app.appbuilder.sm
    if sm.builtin_roles:
        return render_menu(app)
    user = current_user if current_user.is_authenticated else None
    key = (sm.granted(user), str(get_locale()))
    menus = app.extensions.setdefault("navbar_menus", {})
    if key not in menus:
        menus[key] = render_menu(app)
    return menus[key]


def render_menu(app) -> Markup:
    """FAB's menu markup for the current user (an autoescaped template: safe HTML)."""
    return Markup(render_template("setlist/navbar_menu.html", menu=app.appbuilder.menu))  # noqa: S704


def fragment(template: str) -> Markup:
    """A part of every page that is the same for everyone (stylesheets and scripts, the
    player bar, the search box, the shortcuts), rendered once per language and app instead
    of on every page. Its `nonce` becomes this response's CSP nonce.

    With templates reloading (development), it is rendered every time, so an edited
    static file's new address (app.static_files) shows on the next page.
    """
    app = current_app._get_current_object()
    key = (template, str(get_locale()))
    fragments = app.extensions.setdefault("page_fragments", {})
    if key not in fragments or app.jinja_env.auto_reload:
        html = render_template(template, appbuilder=app.appbuilder, nonce=NONCE_MARK)
        # Markup: an autoescaped template; the parts split at the nonce's places.
        fragments[key] = [Markup(part) for part in html.split(NONCE_MARK)]  # noqa: S704
    parts = fragments[key]
    return parts[0] if len(parts) == 1 else escape(csp_nonce()).join(parts)


def register_api_docs_link(appbuilder: AppBuilder) -> None:
    """ "API documentation" (FAB's Swagger page) in the Security menu, when the page exists.

    The menu shows it to roles holding its menu_access permission: admins, who alone may
    open the page (app.security.roles gives other roles neither).
    """
    config = current_app.config
    if config.get("FAB_API_SWAGGER_UI") and config.get("FAB_ADD_OPENAPI_VIEWS", True):
        appbuilder.add_link(
            "API documentation",
            href="/swagger/v1",
            icon="fa-book",
            label=_("API documentation"),
            category="Security",
        )
