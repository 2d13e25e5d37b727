"""Forgotten passwords: an emailed, signed, single-use link that expires."""

import hashlib
import logging

from flask import current_app, flash, redirect, request
from flask_appbuilder import expose
from flask_appbuilder.baseviews import BaseFormView
from flask_babel import lazy_gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.security.emails import external_url, rehearse_email, send_email
from app.security.form_layout import AccountForm
from app.security.forms import NewPasswordForm
from app.security.mail_answers import EmailRequestView
from app.security.throttling import post_limits
from app.web.pages import message_page

log = logging.getLogger(__name__)

RESET_SALT = "setlist-password-reset"


def reset_serializer() -> URLSafeTimedSerializer:
    """Signs reset tokens with the app's secret key."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def password_fingerprint(user) -> str:
    """A digest of the stored password hash: changing the password kills old tokens."""
    return hashlib.sha256((user.password or "").encode()).hexdigest()[:32]


def make_reset_token(user) -> str:
    """A token naming the user and the password it may replace."""
    return reset_serializer().dumps([user.id, password_fingerprint(user)])


def user_for_reset_token(sm, token: str):
    """The active user a valid, unexpired, unused token names, else None."""
    max_age = current_app.config["CATALOG_RESET_MAX_AGE"].total_seconds()
    try:
        user_id, fingerprint = reset_serializer().loads(token, max_age=max_age)
    except (BadSignature, ValueError, TypeError):
        return None
    user = sm.get_user_by_id(user_id)
    if user is None or not user.is_active or password_fingerprint(user) != fingerprint:
        return None
    return user


class ForgotPasswordView(EmailRequestView):
    """Ask for a reset link by email address; the answer never says if it exists."""

    route_base = "/forgot-password"
    form_title = _("Forgot your password?")
    submit_label = _("Email me a reset link")
    limits = post_limits("RATELIMIT_FORGOT", "RATELIMIT_FORGOT_ACCOUNT")

    def send_to(self, email: str) -> None:
        """Email a reset link to the active account with this address, if there is one."""
        user = self.appbuilder.sm.find_user(email=email)
        known = user is not None and user.is_active
        max_age = current_app.config["CATALOG_RESET_MAX_AGE"]
        # An unknown address costs what a known one does (timing would tell them apart).
        deliver = send_email if known else rehearse_email
        deliver(
            user.email if known else email,
            _("Reset your Setlist password"),
            "password_reset",
            first_name=user.first_name if known else "",
            username=user.username if known else "",
            url=external_url(
                "ResetForgottenPasswordView.reset",
                token=make_reset_token(user) if known else reset_serializer().dumps([0, ""]),
            ),
            minutes=int(max_age.total_seconds() // 60),
        )


class ResetForgottenPasswordView(AccountForm, BaseFormView):
    """Choose a new password through a reset link."""

    route_base = "/reset-password"
    form = NewPasswordForm
    form_title = _("Choose a new password")
    submit_label = _("Set my new password")

    @expose("/<string:token>", methods=["GET", "POST"])
    def reset(self, token: str):
        """Show the form for a valid link; set the password and send the user to log in."""
        sm = self.appbuilder.sm
        user = user_for_reset_token(sm, token)
        if user is None:
            return message_page(
                _("This password reset link is not valid"),
                _("Reset links work once and for a limited time. Ask for a new one below."),
                status=404,
                level="warning",
                action=(external_url("ForgotPasswordView.this_form_get"), _("Send me a new link")),
            )
        self._init_vars()
        form = self.form.refresh()
        form.identities = [user.username, user.email]
        if request.method == "POST" and form.validate_on_submit():
            sm.reset_password(user.id, form.password.data)
            log.info("Password reset through an emailed link for user %s", user.id)
            flash(_("Your password was changed. Log in with your new password."), "success")
            return redirect(self.appbuilder.get_url_for_login)
        return self.render_template(
            self.form_template,
            title=self.form_title,
            widgets=self._get_edit_widget(form=form),
            appbuilder=self.appbuilder,
        )
