"""Self-registration: one answer for every address, expiring single-use activation links."""

import logging
import uuid
from datetime import datetime, timedelta

from flask import current_app, request
from flask_appbuilder import expose
from flask_appbuilder.security.registerviews import RegisterUserDBView
from flask_appbuilder.utils.limit import Limit
from flask_babel import lazy_gettext as _
from flask_limiter.util import get_remote_address
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.security.audit import audit
from app.security.emails import MailNotSent, external_url, rehearse_email, send_email
from app.security.form_layout import AccountForm
from app.security.forms import ActivationForm, RegisterForm
from app.security.mail_answers import EmailRequestView, check_your_email, email_not_sent
from app.security.throttling import configured, post_limits
from app.web.pages import message_page

log = logging.getLogger(__name__)


def registration_expired(registration) -> bool:
    """Whether an activation link is older than CATALOG_ACTIVATION_MAX_AGE."""
    # FAB stores registration_date as naive local time (datetime.now()).
    age = datetime.now() - registration.registration_date
    return age > current_app.config["CATALOG_ACTIVATION_MAX_AGE"]


def pending_registration(sm, **criteria):
    """The pending registration matching username or email (case-insensitive)."""
    model = sm.registeruser_model
    ((column, value),) = criteria.items()
    query = select(model).where(func.lower(getattr(model, column)) == value.casefold())
    return sm.session.scalars(query).first()


def send_activation(registration, deliver=send_email) -> None:
    """Email the activation link of a pending registration (or rehearse it, see emails)."""
    deliver(
        registration.email,
        _("Activate your Setlist account"),
        "activation",
        first_name=registration.first_name,
        username=registration.username,
        url=external_url(
            "CatalogRegisterView.activation", activation_hash=registration.registration_hash
        ),
        hours=int(current_app.config["CATALOG_ACTIVATION_MAX_AGE"] / timedelta(hours=1)),
    )


def hash_and_forget(password: str) -> None:
    """Spend the time of hashing a password, as storing a registration does."""
    generate_password_hash(
        password,
        method=current_app.config.get("FAB_PASSWORD_HASH_METHOD", "scrypt"),
        salt_length=current_app.config.get("FAB_PASSWORD_HASH_SALT_LENGTH", 16),
    )


def register_account(sm, form) -> None:
    """Create a pending registration, or tell the address's owner why not, by email.

    Whatever exists already, the visitor sees the same answer; only the mailbox
    owner learns that the address or username is taken. Raises MailNotSent.
    """
    email, username = form.email.data.strip(), form.username.data.strip()
    address_taken = sm.find_user(email=email) is not None
    earlier = pending_registration(sm, email=email)
    holder = pending_registration(sm, username=username)
    username_taken = sm.find_user(username=username) or (holder and holder is not earlier)
    outcome = "address-taken" if address_taken else "username-taken" if username_taken else "new"
    audit("registration", username=username, email=email, outcome=outcome)
    if address_taken or username_taken:
        # A new registration hashes its password: so does every other answer, or the
        # time it takes would tell which addresses and usernames exist.
        hash_and_forget(form.password.data)
    if address_taken:
        send_email(
            email,
            _("Your Setlist account"),
            "account_exists",
            login_url=external_url("CatalogAuthDBView.login"),
            reset_url=external_url("ForgotPasswordView.this_form_get"),
        )
        return
    if username_taken:
        send_email(
            email,
            _("Choose another Setlist username"),
            "username_taken",
            username=username,
            register_url=external_url("CatalogRegisterView.this_form_get"),
        )
        return
    if earlier:
        # Registering again replaces the old pending request (and kills its link).
        sm.del_register_user(earlier)
    registration = sm.add_register_user(
        username,
        form.first_name.data.strip(),
        form.last_name.data.strip(),
        email,
        form.password.data,
    )
    if registration is None:
        log.error("Could not store a registration for %s", email)
        return
    try:
        send_activation(registration)
    except MailNotSent:
        # Leave nothing behind that would block a retry with the same details.
        sm.del_register_user(registration)
        raise


def activation_failed(title, status: int):
    """An unusable activation link, with a way to get a new one."""
    return message_page(
        title,
        _("Activation links work once and for a limited time. Ask for a new one below."),
        status=status,
        level="warning",
        action=(
            external_url("ResendActivationView.this_form_get"),
            _("Send me a new activation email"),
        ),
    )


class CatalogRegisterView(AccountForm, RegisterUserDBView):
    """FAB's registration view without account enumeration and with link expiry."""

    form = RegisterForm
    form_title = _("Create your listener account")
    submit_label = _("Create my account")
    limits = [
        *post_limits("RATELIMIT_REGISTER", "RATELIMIT_REGISTER_ACCOUNT"),
        Limit(
            configured("RATELIMIT_ACTIVATION"),
            key_func=get_remote_address,
            exempt_when=lambda: request.endpoint != "CatalogRegisterView.activation",
        ),
    ]

    def form_get(self, form) -> None:
        """Show the form as is: FAB would add "already exists" checks here."""

    def form_post(self, form):
        """Register, and give the same answer whatever already exists."""
        try:
            register_account(self.appbuilder.sm, form)
        except MailNotSent:
            return email_not_sent()
        return check_your_email(form.email.data.strip())

    @expose("/activation/<string:activation_hash>", methods=["GET", "POST"])
    def activation(self, activation_hash: str):
        """Turn a pending registration into a Listener account, once, before it expires,
        for whoever knows the password chosen when registering.

        Anyone may register with someone else's address; asking for the password means
        the address's owner cannot be led to activate an account somebody else chose.
        """
        sm = self.appbuilder.sm
        registration = sm.find_register_user(activation_hash)
        if registration is None:
            return activation_failed(_("This activation link is not valid"), 404)
        if registration_expired(registration):
            sm.del_register_user(registration)
            return activation_failed(_("This activation link has expired"), 410)
        form = ActivationForm()
        chose_this = form.validate_on_submit() and check_password_hash(
            registration.password, form.password.data
        )
        if not chose_this:
            if form.is_submitted():
                form.password.errors = [_("That is not the password chosen when registering.")]
            return self.render_template(
                "setlist/activate.html",
                form=form,
                first_name=registration.first_name,
                username=registration.username,
            )
        user = sm.add_user(
            username=registration.username,
            email=registration.email,
            first_name=registration.first_name,
            last_name=registration.last_name,
            role=sm.find_role(sm.auth_user_registration_role),
            hashed_password=registration.password,
        )
        sm.del_register_user(registration)
        if not user:
            return activation_failed(_("This activation link is not valid"), 409)
        audit("activation", user=user.username, user_id=user.id)
        return message_page(
            _("Your account is active"),
            _(
                "Welcome, %(name)s. You can now log in as %(username)s.",
                name=user.first_name,
                username=user.username,
            ),
            action=(external_url("CatalogAuthDBView.login"), _("Log in")),
        )


class ResendActivationView(EmailRequestView):
    """Send a fresh activation link to a pending registration."""

    route_base = "/register/resend"
    form_title = _("Send a new activation email")
    submit_label = _("Send the email")
    limits = post_limits("RATELIMIT_RESEND", "RATELIMIT_RESEND_ACCOUNT")

    def send_to(self, email: str) -> None:
        """Renew and resend the link if the address has a pending registration."""
        sm = self.appbuilder.sm
        registration = pending_registration(sm, email=email)
        if registration is None:
            # As long as a resend takes: timing must not tell pending addresses apart.
            send_activation(sm.registeruser_model(email=email, first_name="", username="",
                                                  registration_hash=str(uuid.uuid4())),
                            deliver=rehearse_email)  # fmt: skip
            return
        registration.registration_hash = str(uuid.uuid4())
        registration.registration_date = datetime.now()
        sm.session.commit()
        send_activation(registration)


def purge_registrations(sm, older_than: timedelta) -> int:
    """Delete pending registrations older than the given age; return how many."""
    model = sm.registeruser_model
    cutoff = datetime.now() - older_than
    result = sm.session.execute(delete(model).where(model.registration_date < cutoff))
    sm.session.commit()
    return result.rowcount
