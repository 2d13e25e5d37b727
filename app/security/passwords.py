"""The password policy: long enough, not common, not the account's own name."""

import gzip
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _
from flask_login import current_user
from wtforms import ValidationError

MIN_LENGTH, MAX_LENGTH = 12, 128
COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt.gz")


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (lower case), read once."""
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip() and line[0] != "#")


def password_problem(password: str, *identities: str | None) -> str | None:
    """Why a password is refused (a sentence saying what to do), or None if it is fine."""
    if len(password) < MIN_LENGTH:
        return str(
            _("Use at least %(min)d characters; a few unrelated words work well.", min=MIN_LENGTH)
        )
    if len(password) > MAX_LENGTH:
        return str(_("Use at most %(max)d characters.", max=MAX_LENGTH))
    folded = password.strip().casefold()
    if folded in common_passwords():
        return str(_("This password is too common; choose something less guessable."))
    if any(identity and folded == identity.strip().casefold() for identity in identities):
        return str(_("Do not use your username or email address as your password."))
    return None


def check_password_policy(password: str) -> None:
    """FAB's password-complexity hook (change/reset password forms) for our policy."""
    identities = (
        (current_user.username, current_user.email) if current_user.is_authenticated else ()
    )
    problem = password_problem(password, *identities)
    if problem:
        raise ValidationError(problem)


class PasswordPolicy:
    """Form validator: the password field obeys the policy, knowing the form's account."""

    def __call__(self, form, field) -> None:
        """Raise the policy's reason as this field's error."""
        identities = [getattr(form, name).data for name in ("username", "email") if name in form]
        # Forms without those fields (password reset) carry the account's own.
        identities += getattr(form, "identities", [])
        problem = password_problem(field.data or "", *identities)
        if problem:
            raise ValidationError(problem)
