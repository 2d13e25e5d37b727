"""FAB's login view with bounded fields, and a logout that only a form of ours can trigger;
over plain http:// to a server with Secure cookies, it says that sign-in needs HTTPS.

A page that needs a login sends visitors here with a plain "Log in to see this" (not FAB's
red "Access is Denied") and, once they are in, back to that page. A failed login keeps the
typed name and says the same for every cause, so no answer tells whether an account exists.
"""

import logging

from flask import flash, g, redirect, request, session
from flask_appbuilder import expose
from flask_appbuilder.const import FLAMSG_ERR_SEC_ACCESS_DENIED
from flask_appbuilder.security.decorators import no_cache
from flask_appbuilder.security.views import AuthDBView
from flask_appbuilder.utils.base import is_safe_redirect_url
from flask_babel import lazy_gettext as _
from flask_login import login_user

from app.security.forms import MAX_LOGIN_NAME, LoginForm
from app.security.https import (
    SIGN_IN_NEEDS_HTTPS,
    USE_HTTPS,
    cookies_lost_over_http,
)

log = logging.getLogger(__name__)

#: Said on the login page a protected page sent an anonymous visitor to.
LOG_IN_TO_SEE = _("Log in to see this.")
#: Said after every failed login, whatever the cause: an account that is registered but not
#: activated yet fails like an unknown name or a wrong password, and this is its hint.
JUST_REGISTERED = _("Just registered? Open the link in your email first.")
#: Session key: the name typed in a failed login, shown again in the form (once).
TYPED_NAME = "login_typed_name"


def safe_next_url(url: str | None) -> str | None:
    """The page to go to after login, when it is one of this site's (else None).

    FAB's check lets "/\\host" through, which browsers read as "//host": no backslashes.
    """
    url = (url or "").strip()
    if not url or "\\" in url or not is_safe_redirect_url(url):
        return None
    return url


def replace_access_denied() -> bool:
    """Drop FAB's "Access is Denied" flash (a sign-in is asked for, nothing was refused);
    whether there was one."""
    denied = str(FLAMSG_ERR_SEC_ACCESS_DENIED)
    flashes = session.get("_flashes", [])
    kept = [(level, text) for level, text in flashes if not (level == "danger" and text == denied)]
    if len(kept) != len(flashes):
        session["_flashes"] = kept
    return len(kept) != len(flashes)


class CatalogAuthDBView(AuthDBView):
    """FAB's login with our LoginForm (bounded name and password; FAB's takes any length);
    logging out takes a POST with its CSRF token: a link or an image elsewhere cannot."""

    @expose("/login/", methods=["GET", "POST"])
    @no_cache
    def login(self):
        """FAB's login with our form, our messages and the typed name kept after a failure."""
        next_url = safe_next_url(request.args.get("next"))
        if g.user is not None and g.user.is_authenticated:
            return redirect(next_url or self.appbuilder.get_url_for_index)
        form = LoginForm()
        if request.method == "GET":
            self.greet(next_url)
            form.username.data = session.pop(TYPED_NAME, None)
        if form.validate_on_submit():
            user = self.appbuilder.sm.auth_user_db(form.username.data, form.password.data)
            if not user:
                flash(f"{self.invalid_login_message} {JUST_REGISTERED}", "warning")
                session[TYPED_NAME] = form.username.data[:MAX_LOGIN_NAME]
                return redirect(self.appbuilder.get_url_for_login_with(next_url))
            login_user(user, remember=False)
            if next_url is None and request.args.get("next"):
                # FAB's words, so operators' searches still find a link that tried to lead away.
                log.warning("Invalid redirect detected, falling back to index")
            return redirect(next_url or self.appbuilder.get_url_for_index)
        return self.render_template(
            self.login_template, title=self.title, form=form, appbuilder=self.appbuilder
        )

    @staticmethod
    def greet(next_url: str | None) -> None:
        """The login page's first words: sign-in needs HTTPS, or a page needs a login."""
        if cookies_lost_over_http():
            flash(f"{SIGN_IN_NEEDS_HTTPS}: {USE_HTTPS}", "danger")
        if (replace_access_denied() or next_url) and not session.get(TYPED_NAME):
            flash(str(LOG_IN_TO_SEE), "info")

    @expose("/logout/", methods=["GET", "POST"])
    def logout(self):
        """POST logs out; GET (an old link) only offers the button."""
        if request.method == "POST":
            return super().logout()
        return self.render_template("setlist/logout.html")
