"""Password forms of signed-in people: one's own change asks for the current password, and
the policy compares a new password with the account it is for (not the admin typing it)."""

from flask import request
from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget
from flask_appbuilder.forms import DynamicForm
from flask_appbuilder.security.sqla.models import User
from flask_appbuilder.security.views import ResetMyPasswordView, ResetPasswordView
from flask_babel import lazy_gettext as _
from flask_login import current_user
from werkzeug.security import check_password_hash
from wtforms import PasswordField, ValidationError
from wtforms.validators import DataRequired

from app.database import as_integer
from app.extensions import db
from app.security.forms import new_password_fields


class CurrentPassword:
    """Form validator: the field holds the signed-in user's password."""

    def __call__(self, form, field) -> None:
        """Refuse anything but the current password."""
        if not check_password_hash(current_user.password or "", field.data or ""):
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


class ChangeMyPasswordView(ResetMyPasswordView):
    """FAB's "Reset my password", asking for the current password first."""

    class_permission_name = "ResetMyPasswordView"
    form = ChangeMyPasswordForm
    form_title = _("Change my password")


class SetUserPasswordView(ResetPasswordView):
    """FAB's admin "Reset password" of a user, with the policy checked against that user."""

    class_permission_name = "ResetPasswordView"
    form = SetUserPasswordForm
