"""The new-setlist and edit forms: fields as people fill them, saved only through the rules
(app/setlists/rules.py), so the owner is always the signed-in user and no field but name,
description and visibility can be set; each refusal shown next to its field."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import RadioField, StringField, TextAreaField

from app.models.setlists import NAME_LENGTH, Setlist
from app.security.setlist_access import Actor
from app.setlists import rules
from app.setlists.rules import DESCRIPTION_LENGTH, SetlistRefused
from app.views.setlists.page_list import VISIBILITY_LABELS

#: The order the visibility choices are offered in.
VISIBILITY_ORDER = ("private", "link", "catalog")
VISIBILITY_HINTS = {
    "private": _("Only you (and administrators) can see it."),
    "link": _("Whoever has a link you create can open it; it is not listed."),
    "catalog": _("Everyone who may browse the catalog sees it (editors publish)."),
}


class SetlistForm(FlaskForm):
    """Name, description, visibility (and the CSRF token). The rules check the values: the
    form only carries them, so a refusal reads the same from every door."""

    name = StringField(_("Name"), render_kw={"maxlength": NAME_LENGTH, "required": True})
    description = TextAreaField(
        _("Description"), render_kw={"maxlength": DESCRIPTION_LENGTH, "rows": 5}
    )
    # Not limited to the offered choices here: a refused choice gets the rules' own words.
    # None when not sent: a form without the choice leaves the visibility as it is.
    visibility = RadioField(
        _("Visibility"), choices=[(value, value) for value in VISIBILITY_ORDER],
        default=None, validate_choice=False,
    )  # fmt: skip


def offered_visibilities(person: Actor, setlist: Setlist | None = None) -> list[tuple]:
    """(value, label, hint) of the choices shown: the catalog only to those who may
    publish, or when the setlist is there already (leaving it stays possible)."""
    current = setlist.visibility if setlist is not None else None
    return [
        (value, VISIBILITY_LABELS[value], VISIBILITY_HINTS[value])
        for value in VISIBILITY_ORDER
        if value != "catalog" or person.may_publish or current == "catalog"
    ]


def refuse(form: SetlistForm, refusal: SetlistRefused) -> None:
    """Put a refusal's message, translated, under the field it is about."""
    field = getattr(form, refusal.field, None) or form.name
    field.errors = [*field.errors, gettext(refusal.message, **refusal.values)]


def checked(form: SetlistForm, check, field) -> bool:
    """Run one rule on one field; False (with its message shown) when refused."""
    try:
        check(field.data)
    except SetlistRefused as refusal:
        refuse(form, refusal)
        return False
    return True


def create_from(session: Session, form: SetlistForm, person: Actor) -> Setlist | None:
    """A new setlist of the signed-in user's, or None with every refusal on the form."""
    form.name.errors, form.description.errors, form.visibility.errors = [], [], []
    fields_ok = checked(form, rules.checked_name, form.name)
    fields_ok = checked(form, rules.checked_description, form.description) and fields_ok
    if not fields_ok:
        return None
    try:
        return rules.create(
            session,
            person.user_id,
            form.name.data,
            form.description.data,
            form.visibility.data or "private",
            may_publish=person.may_publish,
        )
    except SetlistRefused as refusal:
        session.rollback()
        refuse(form, refusal)
        return None


def save_into(session: Session, form: SetlistForm, setlist: Setlist, person: Actor) -> bool:
    """Apply the form to a setlist the person may edit; False (nothing kept) when any field
    is refused, each refusal on its field."""
    form.name.errors, form.description.errors, form.visibility.errors = [], [], []
    changes = (
        (lambda name: rules.rename(setlist, name), form.name),
        (lambda text: rules.describe(setlist, text), form.description),
        (
            lambda value: rules.change_visibility(setlist, value, person.may_publish),
            form.visibility,
        ),
    )
    if form.visibility.data is None:
        changes = changes[:2]
    saved = True
    for change, field in changes:
        saved = checked(form, change, field) and saved
    if not saved:
        session.rollback()
    return saved
