"""FAB's login view with bounded fields, and a logout that only a form of ours can trigger;
over plain http:// to a server with Secure cookies, it says that sign-in needs HTTPS."""

from flask import flash, g, redirect, request
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import no_cache
from flask_appbuilder.security.views import AuthDBView
from flask_appbuilder.utils.base import get_safe_redirect
from flask_login import login_user
from flask_wtf.csrf import CSRFError

from app.security.forms import LoginForm
from app.security.https import (
    SIGN_IN_NEEDS_HTTPS,
    USE_HTTPS,
    cookies_lost_over_http,
    sign_in_needs_https_page,
)
from app.views.errors import form_expired


class CatalogAuthDBView(AuthDBView):
    """FAB's login with our LoginForm (bounded name and password; FAB's takes any length);
    logging out takes a POST with its CSRF token: a link or an image elsewhere cannot."""

    def create_blueprint(self, appbuilder, endpoint=None, static_folder=None):
        """FAB's blueprint, whose failed CSRF check over http:// (the session cookie was
        Secure, so it never came back) says that sign-in needs HTTPS."""
        blueprint = super().create_blueprint(appbuilder, endpoint, static_folder)
        blueprint.register_error_handler(CSRFError, self.csrf_failed)
        return blueprint

    @staticmethod
    def csrf_failed(error: CSRFError):
        """Sign-in needs HTTPS, if that is why; else the app's own expired-form page."""
        page = sign_in_needs_https_page()
        if page is not None:
            return page
        return form_expired(error)

    @expose("/login/", methods=["GET", "POST"])
    @no_cache
    def login(self):
        """FAB's login, word for word but for the form."""
        if g.user is not None and g.user.is_authenticated:
            return redirect(self._get_safe_next_url())
        form = LoginForm()
        if request.method == "GET" and cookies_lost_over_http():
            flash(f"{SIGN_IN_NEEDS_HTTPS}: {USE_HTTPS}", "danger")
        if form.validate_on_submit():
            next_url = get_safe_redirect(request.args.get("next", ""))
            user = self.appbuilder.sm.auth_user_db(form.username.data, form.password.data)
            if not user:
                flash(str(self.invalid_login_message), "warning")
                return redirect(self.appbuilder.get_url_for_login_with(next_url))
            login_user(user, remember=False)
            return redirect(next_url)
        return self.render_template(
            self.login_template, title=self.title, form=form, appbuilder=self.appbuilder
        )

    @expose("/logout/", methods=["GET", "POST"])
    def logout(self):
        """POST logs out; GET (an old link) only offers the button."""
        if request.method == "POST":
            return super().logout()
        return self.render_template("setlist/logout.html")
