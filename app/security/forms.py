"""The public account forms: register, ask for an email, choose a new password."""

from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget, BS3TextFieldWidget
from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp

from app.security.captcha import captcha_field
from app.security.passwords import MAX_LENGTH, MIN_LENGTH, PasswordPolicy

USERNAME_PATTERN = r"^[\w.@+-]+$"
#: The longest name a login may type: an email address (usernames are shorter).
MAX_LOGIN_NAME = 320


def email_field() -> StringField:
    """An email address field."""
    return StringField(
        _("Email"),
        validators=[DataRequired(), Email(), Length(max=320)],
        widget=BS3TextFieldWidget(),
    )


def name_fields() -> tuple[StringField, StringField]:
    """A person's first and last names, as long as the user table keeps (64 characters)."""
    return tuple(
        StringField(label, validators=[DataRequired(), Length(max=64)], widget=BS3TextFieldWidget())
        for label in (_("First name"), _("Last name"))
    )


def new_password_fields() -> tuple[PasswordField, PasswordField]:
    """A new password under the policy, and its confirmation."""
    password = PasswordField(
        _("Password"),
        description=_(
            "At least %(min)d and at most %(max)d characters. A few unrelated words make a "
            "strong password that is easy to remember.",
            min=MIN_LENGTH,
            max=MAX_LENGTH,
        ),
        validators=[DataRequired(), PasswordPolicy()],
        widget=BS3PasswordFieldWidget(),
    )
    confirmation = PasswordField(
        _("Confirm password"),
        validators=[EqualTo("password", message=_("The two passwords do not match."))],
        widget=BS3PasswordFieldWidget(),
    )
    return password, confirmation


class RegisterForm(DynamicForm):
    """FAB's registration fields, without its "already exists" checks, plus our policy."""

    username = StringField(
        _("Username"),
        validators=[
            DataRequired(),
            Length(max=64),
            Regexp(USERNAME_PATTERN, message=_("Use letters, digits and . @ + - _ only.")),
        ],
        widget=BS3TextFieldWidget(),
    )
    first_name, last_name = name_fields()
    email = email_field()
    password, conf_password = new_password_fields()
    recaptcha = captcha_field()


class LoginForm(DynamicForm):
    """FAB's login fields, bounded: no name or password is longer, so no longer text is
    looked up, hashed or logged."""

    username = StringField(_("User Name"), validators=[DataRequired(), Length(max=MAX_LOGIN_NAME)])
    password = PasswordField(_("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])


class UserInfoForm(DynamicForm):
    """One's own names; FAB's form takes any length, which PostgreSQL then refuses."""

    first_name, last_name = name_fields()


class EmailForm(DynamicForm):
    """An email address (resend activation, forgotten password)."""

    email = email_field()
    recaptcha = captcha_field()


class NewPasswordForm(DynamicForm):
    """A new password for the account a reset link names."""

    password, conf_password = new_password_fields()


class ActivationForm(DynamicForm):
    """The password chosen when registering, asked again by the activation link."""

    password = PasswordField(
        _("The password you chose when registering"),
        validators=[DataRequired()],
        widget=BS3PasswordFieldWidget(),
    )
