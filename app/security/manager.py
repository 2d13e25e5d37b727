"""Our FAB security manager: registration, recovery and login limits, session rotation."""

import logging

import click
from flask import current_app, session
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.views import (
    PermissionModelView,
    PermissionViewModelView,
    RegisterUserModelView,
    UserGroupModelView,
    ViewMenuModelView,
)
from flask_login import current_user, user_logged_in

from app.database import as_integer
from app.fab.request_filters import with_request_filters
from app.security.audit import audit
from app.security.authviews import CatalogAuthDBView
from app.security.lockout import (
    captcha_passed,
    limit_logins,
    login_account,
    login_captcha,
    note_failure,
)
from app.security.music_apps import MusicAppsView
from app.security.passwords import check_password_policy, password_problem
from app.security.passwordviews import ChangeMyPasswordView, SetUserPasswordView
from app.security.permissions import RequestPermissionCache
from app.security.recovery import ForgotPasswordView, ResetForgottenPasswordView
from app.security.registration import CatalogRegisterView, ResendActivationView
from app.security.sessions import (
    end_login_session,
    end_sessions,
    signed_in_user,
    start_login_session,
)
from app.security.tokens import TokenLoginApi, bearer_token_sent, token_user, user_from_request
from app.security.users import (
    CatalogRoleModelView,
    CatalogUserDBModelView,
    CatalogUserInfoEditView,
)

log = logging.getLogger(__name__)
#: app.extensions key: what the operator should hear about when a server starts.
SETUP_WARNINGS = "setup_warnings"

#: What survives the session rotation at login: who is logged in, and the language.
SESSION_KEYS_KEPT_AT_LOGIN = ("_user_id", "_fresh", "_id", "_remember", "locale")


def rotate_session(sender, user, **extra) -> None:
    """Drop everything from before the login (CSRF token, history) but the login itself,
    which gets its own server-side record."""
    kept = {key: session[key] for key in SESSION_KEYS_KEPT_AT_LOGIN if key in session}
    session.clear()
    session.update(kept)
    session.permanent = True
    start_login_session(user)


class CatalogSecurityManager(RequestPermissionCache, SecurityManager):
    """FAB's manager with our registration, password recovery, extra limits and cached checks."""

    registeruserdbview = CatalogRegisterView
    authdbview = CatalogAuthDBView
    resetmypasswordview = ChangeMyPasswordView
    resetpasswordview = SetUserPasswordView
    userdbmodelview = CatalogUserDBModelView
    userinfoeditview = CatalogUserInfoEditView
    # FAB's admin lists keep their filters per request, like every list (threads).
    registerusermodelview = with_request_filters(RegisterUserModelView)
    groupmodelview = with_request_filters(UserGroupModelView)
    permissionmodelview = with_request_filters(PermissionModelView)
    viewmenumodelview = with_request_filters(ViewMenuModelView)
    permissionviewmodelview = with_request_filters(PermissionViewModelView)
    rolemodelview = CatalogRoleModelView
    security_api = TokenLoginApi
    # FAB's "User's Statistics" chart loads Google's chart library from www.gstatic.com.
    userstatschartview = None

    def __init__(self, appbuilder) -> None:
        super().__init__(appbuilder)
        app = current_app._get_current_object()
        app.config["FAB_PASSWORD_COMPLEXITY_VALIDATOR"] = check_password_policy
        user_logged_in.connect(rotate_session, app)
        # API clients sign requests with a bearer token instead of a session cookie.
        self.lm.request_loader(user_from_request)
        app.add_template_global(login_captcha)
        registration_without_captcha = (
            self.auth_user_registration and not app.config["RECAPTCHA_ENABLED"]
        )
        # Only this machine reaches a development server on loopback (run.py says so): no
        # stranger can register there, so nothing needs fixing yet.
        reachable = not app.config.get("CATALOG_LOOPBACK_ONLY")
        if registration_without_captcha and reachable and not app.testing:
            # Said once when a server starts (app.warn_about_setup), not by every command.
            app.extensions.setdefault(SETUP_WARNINGS, []).append(
                "Self-registration is on without reCAPTCHA keys: "
                "set RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY before going live."
            )

    def auth_user_db(self, username, password):
        """FAB's password check, with a captcha for accounts guessed at from many addresses."""
        account = login_account(username)
        if not captcha_passed(account):
            audit("login", username=username, account=account, outcome="captcha-required")
            return None
        user = super().auth_user_db(username, password)
        if user is None:
            note_failure(account)
        audit("login", username=username, account=account, outcome="success" if user else "failed")
        return user

    def add_user(self, username, first_name, last_name, email, role=None, password="",
                 hashed_password="", groups=None, commit=True):  # fmt: skip
        """FAB's add_user, refusing a password against the policy (`flask fab create-admin`
        and `create-user` exit with the reason; forms check it before getting here)."""
        problem = password and not hashed_password and password_problem(password, username, email)
        if problem:
            if click.get_current_context(silent=True) is not None:
                raise click.ClickException(problem)
            log.warning("User %s not added: %s", username, problem)
            return None
        return super().add_user(
            username, first_name, last_name, email, role, password, hashed_password, groups, commit
        )

    def load_user(self, pk):
        """The signed-in user, while this browser's login lasts and the account is active.

        A request with a bearer token is the token's alone (user_from_request), whatever
        session cookie comes with it.
        """
        if bearer_token_sent():
            return None
        user = signed_in_user(self.user_model, int(pk))
        return user if user is not None and user.is_active else None

    def load_user_jwt(self, _jwt_header, jwt_data):
        """The user of a token, while its login lasts and the account is active."""
        return token_user(self.user_model, jwt_data)

    def on_user_logout(self, user) -> None:
        """Logging out ends the login on the server: a copied cookie stops working."""
        end_login_session()
        audit("logout", user=user.username)

    def reset_password(self, userid, password) -> None:
        """Change a password and end the user's other logins (all of them, for an admin's reset)."""
        super().reset_password(userid, password)
        # FAB's admin form passes the id as the text of its ?pk= argument.
        user_id = as_integer(userid)
        own = current_user.is_authenticated and current_user.id == user_id
        audit(
            "password-changed",
            user_id=user_id,
            via=None if current_user.is_authenticated else "link",
        )
        end_sessions(user_id, keep_current=own)

    def register_views(self) -> None:
        """FAB's security views, our account views, and a per-account login limit."""
        super().register_views()
        if self.auth_user_registration:
            self.appbuilder.add_view_no_menu(ResendActivationView())
        self.appbuilder.add_view_no_menu(ForgotPasswordView())
        self.appbuilder.add_view_no_menu(ResetForgottenPasswordView())
        self.appbuilder.add_view_no_menu(MusicAppsView())
        if current_app.config["AUTH_RATE_LIMITED"]:
            token_login = next(
                view for view in self.appbuilder.baseviews if isinstance(view, TokenLoginApi)
            )
            limit_logins(self.limiter, (self.auth_view, token_login))

    @property
    def is_auth_limited(self) -> bool:
        """False to FAB, which would give its login form a budget of its own: register_views
        gives the form and the token login one budget (lockout.limit_logins)."""
        return False
