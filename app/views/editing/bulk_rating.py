"""The bulk "Set rating" change: a choice of 1 to 5 stars or no rating, checked on the
server, and summaries in whole sentences for one song or many."""

from flask_babel import lazy_gettext as _
from flask_babel import ngettext
from wtforms import RadioField
from wtforms.validators import StopValidation

from app.models.catalog import RATING_MAX, RATING_MIN
from app.views.editing.bulk import BulkChange

#: The choice that removes the rating.
NO_RATING = "none"
NO_RATING_LABEL = _("No rating (clear it)")
CHOOSE_A_RATING = _("Choose a rating, or “No rating” to clear it.")
NOT_A_RATING = _("Choose one of the ratings offered: 1 to 5 stars, or no rating.")


def stars(rating: int) -> str:
    """ "4 stars", in the user's language."""
    return ngettext("%(num)d star", "%(num)d stars", rating)


class RatingChoiceField(RadioField):
    """One of 5..1 stars or "no rating"; nothing chosen or any other value is refused with
    a message next to the field (WTForms' own says "Not a valid choice")."""

    def __init__(self, label=None, **kwargs) -> None:
        choices = [(str(n), stars(n)) for n in range(RATING_MAX, RATING_MIN - 1, -1)]
        super().__init__(label, choices=[*choices, (NO_RATING, str(NO_RATING_LABEL))], **kwargs)

    def pre_validate(self, form) -> None:
        """Refuse anything but the choices offered, saying which."""
        if self.data in (None, "", "None"):
            raise StopValidation(str(CHOOSE_A_RATING))
        if self.data not in {value for value, _label in self.choices}:
            raise StopValidation(str(NOT_A_RATING))


def stored_rating(value: str) -> int | None:
    """The chosen rating as the song keeps it (None: no rating)."""
    return None if value == NO_RATING else int(value)


def rated(count: int, rating: int | None) -> str:
    """What changed: "2 songs now rated 4 stars." or "Rating cleared on 2 songs." """
    if rating is None:
        return ngettext("Rating cleared on %(num)d song.", "Rating cleared on %(num)d songs.",
                        count)  # fmt: skip
    return ngettext("%(num)d song now rated %(stars)s.", "%(num)d songs now rated %(stars)s.",
                    count, stars=stars(rating))  # fmt: skip


def rated_already(count: int, rating: int | None) -> str:
    """What stayed: "1 song was rated 4 stars already." or "1 song had no rating already." """
    if rating is None:
        return ngettext("%(num)d song had no rating already.",
                        "%(num)d songs had no rating already.", count)  # fmt: skip
    return ngettext("%(num)d song was rated %(stars)s already.",
                    "%(num)d songs were rated %(stars)s already.", count,
                    stars=stars(rating))  # fmt: skip


def rating_change() -> BulkChange:
    """The "Set rating" bulk change of the song list."""
    return BulkChange(
        "set_rating",
        _("Set rating"),
        "rating",
        lambda: RatingChoiceField(_("Rating")),
        rated,
        rated_already,
        stored=stored_rating,
    )
