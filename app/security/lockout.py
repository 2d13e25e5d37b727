"""Login limits that slow a password guesser without locking the account's owner out.

A limit per account alone hands attackers a lockout: ten wrong passwords from anywhere
and the owner is refused. So the per-account budget is per (account, address): a guesser
exhausts only their own addresses. Guessing from many addresses is caught by counting an
account's failures everywhere; past RATELIMIT_LOGIN_FAILURES the login form asks for a
captcha for that account (when reCAPTCHA is configured), which the owner can solve and
a script cannot. The account is the user whether typed as username or email.
"""

from flask import current_app, flash, g, request, session
from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext as _
from flask_limiter.util import get_remote_address
from flask_wtf import FlaskForm
from limits import parse
from markupsafe import Markup
from sqlalchemy import func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from wtforms import ValidationError

from app.extensions import db
from app.security.captcha import BoundedRecaptcha, captcha_field
from app.security.forms import MAX_LOGIN_NAME
from app.security.throttling import configured, own_count, own_keys

#: Set in the session when the next login form must show the captcha.
CAPTCHA_KEY = "login_captcha"
FAILURES = "login-failures"
#: What the log says the rate-limit store missed while it was down.
FAILURES_UNREAD, FAILURE_UNCOUNTED = "Login failures not read", "Login failure not counted"
NOT_A_ROBOT = _("Many wrong passwords were tried for this account: confirm you are not a robot.")


def user_account(user_id: int) -> str:
    """The name a known user's login failures are counted under."""
    return f"user:{user_id}"


def login_account(typed: str) -> str:
    """The account a login names: its user (by username or email, any case), else the text.

    Asked twice per login post (the limit's key, then the password check): looked up once.
    """
    folded = typed.strip().casefold()
    if len(folded) > MAX_LOGIN_NAME:
        # Longer than any username or email: no account, and nothing to look up.
        return f"name:{folded[:MAX_LOGIN_NAME]}"
    known = g.setdefault("login_accounts", {})
    if folded not in known:
        user_id = db.session.scalar(
            select(User.id).where(
                or_(func.lower(User.username) == folded, func.lower(User.email) == folded)
            )
        )
        known[folded] = user_account(user_id) if user_id is not None else f"name:{folded}"
    return known[folded]


def typed_username() -> str:
    """The username a login posts: in the login form, or in a token login's JSON."""
    if request.is_json:
        data = request.get_json(silent=True)
        username = data.get("username") if isinstance(data, dict) else None
        return username if isinstance(username, str) else ""
    return request.form.get("username", "")


def account_at_address() -> str:
    """The key of the per-(account, address) login limit."""
    typed = typed_username()
    try:
        account = login_account(typed)
    except SQLAlchemyError:
        # The database is down: the login then answers its 503 page. Raised from here,
        # Flask-Limiter would take it for its own store failing and count in memory.
        db.session.rollback()
        account = f"name:{typed.strip().casefold()[:MAX_LOGIN_NAME]}"
    return f"login:{account}@{get_remote_address()}"


def limit_logins(limiter, views) -> None:
    """One login budget for every door (the login form and the token login): per address
    (AUTH_RATE_LIMIT) and per (account, address) (RATELIMIT_LOGIN_ACCOUNT), counted on
    their login routes' POSTs together, so a second door is no second budget."""
    logins = {f"{view.blueprint.name}.login" for view in views}

    def not_a_login() -> bool:
        return request.endpoint not in logins

    for setting, key_func in (
        ("AUTH_RATE_LIMIT", get_remote_address),
        ("RATELIMIT_LOGIN_ACCOUNT", account_at_address),
    ):
        shared = limiter.shared_limit(
            configured(setting),
            scope=setting.lower(),
            key_func=key_func,
            methods=["POST"],
            exempt_when=not_a_login,
        )
        for view in views:
            shared(view.blueprint)


def failures_limit():
    """How many failures, from anywhere, put an account under the captcha."""
    return parse(current_app.config["RATELIMIT_LOGIN_FAILURES"])


def under_attack(account: str) -> bool:
    """Whether an account has had more failures than its budget, from anywhere (in this
    process alone while Redis is down; not at all when the count cannot be read)."""
    keys = own_keys(FAILURES, account)
    room = own_count(lambda strategy: strategy.test(failures_limit(), *keys), True, FAILURES_UNREAD)
    return not room


def note_failure(account: str) -> None:
    """Count a failed login against its account."""
    keys = own_keys(FAILURES, account)
    own_count(lambda strategy: strategy.hit(failures_limit(), *keys), None, FAILURE_UNCOUNTED)


def captcha_passed(account: str) -> bool:
    """False (with a message) when an account under attack is tried without a solved captcha."""
    if not current_app.config["RECAPTCHA_ENABLED"] or not under_attack(account):
        return True
    session[CAPTCHA_KEY] = True
    if not request.form.get("g-recaptcha-response"):
        flash(str(NOT_A_ROBOT), "warning")
        return False
    try:
        BoundedRecaptcha()(None, None)
    except ValidationError as refused:
        flash(str(refused), "warning")
        return False
    return True


class LoginCaptchaForm(FlaskForm):
    """The captcha the login form shows for an account under attack."""

    recaptcha = captcha_field()


def login_captcha() -> Markup | None:
    """The captcha for the login form, once an account under attack was tried here."""
    if not session.get(CAPTCHA_KEY) or not current_app.config["RECAPTCHA_ENABLED"]:
        return None
    return LoginCaptchaForm(meta={"csrf": False}).recaptcha()
