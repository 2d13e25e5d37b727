"""Password forms of signed-in people: one's own change asks for the current password, and
the policy compares a new password with the account it is for (not the admin typing it)."""

from flask import g, request
from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget
from flask_appbuilder.forms import DynamicForm
from flask_appbuilder.security.sqla.models import User
from flask_appbuilder.security.views import ResetMyPasswordView, ResetPasswordView
from flask_appbuilder.utils.limit import Limit
from flask_babel import lazy_gettext as _
from flask_login import current_user
from werkzeug.security import check_password_hash
from wtforms import PasswordField, ValidationError
from wtforms.validators import DataRequired

from app.database import as_integer
from app.extensions import db
from app.security.audit import audit
from app.security.form_layout import AccountForm
from app.security.forms import new_password_fields
from app.security.lockout import note_failure, user_account
from app.security.throttling import configured, user_or_address


class CurrentPassword:
    """Form validator: the field holds the signed-in user's password."""

    def __call__(self, form, field) -> None:
        """Refuse anything but the current password."""
        if not check_password_hash(current_user.password or "", field.data or ""):
            # A wrong guess counts like a failed login: against this form's own limit and
            # the account's failures everywhere (which put the login form under a captcha).
            g.wrong_current_password = True
            note_failure(user_account(current_user.id))
            audit("password_change_refused", account=current_user.username, reason="wrong")
            raise ValidationError(_("That is not your current password."))


class ChangeMyPasswordForm(DynamicForm):
    """The current password, then a new one under the policy."""

    current_password = PasswordField(
        _("Current password"),
        validators=[DataRequired(), CurrentPassword()],
        widget=BS3PasswordFieldWidget(),
    )
    password, conf_password = new_password_fields()

    @property
    def identities(self) -> list[str]:
        """The account the new password is for: one's own."""
        return [current_user.username, current_user.email]


class SetUserPasswordForm(DynamicForm):
    """An admin's new password for the user the page names (`?pk=`)."""

    password, conf_password = new_password_fields()

    @property
    def identities(self) -> list[str]:
        """The account the new password is for: the user named by the page."""
        user_id = as_integer(request.args.get("pk"))
        user = db.session.get(User, user_id) if user_id is not None else None
        return [user.username, user.email] if user else []


def own_account() -> str:
    """The key of the wrong-current-password limit: the signed-in user (limits run before
    the login check, so an anonymous post is keyed by its address, then sent to log in)."""
    return user_or_address("password-check")


class ChangeMyPasswordView(AccountForm, ResetMyPasswordView):
    """FAB's "Reset my password", asking for the current password first; wrong current
    passwords are limited per user (RATELIMIT_PASSWORD_CHECK)."""

    class_permission_name = "ResetMyPasswordView"
    form = ChangeMyPasswordForm
    form_title = _("Change my password")
    submit_label = _("Change my password")
    limits = [
        Limit(
            configured("RATELIMIT_PASSWORD_CHECK"),
            key_func=own_account,
            methods=["POST"],
            # Only wrong guesses use the budget; a weak new password is not a guess.
            deduct_when=lambda _response: g.get("wrong_current_password", False),
        )
    ]


class SetUserPasswordView(ResetPasswordView):
    """FAB's admin "Reset password" of a user, with the policy checked against that user."""

    class_permission_name = "ResetPasswordView"
    form = SetUserPasswordForm
