"""FAB's reading of the API's `?q=` arguments: parsed without server errors, filter values
as a list page sends them, and its schemas checked once.

FAB parses `q` with prison, whose recursion fails past Python's limit ("!(" 5,000 times:
a server error); here that is a parse error like any other (FAB's 400).

FAB's schema lets a filter's value be a number, a boolean or a list of them, then hands it
to filters written for the text a list page sends: `"%" + 5` or `search_key(True)` were
server errors. Here a number becomes its text and a filter gets what it takes: one value,
or a list for `in`/`not_in`; anything else is a 400 naming the filter.

FAB validates every rison argument with jsonschema.validate(), which first checks the
schema itself against its meta-schema: on every request, most of an API list's time
(measured at 100,000 songs: a song list 31 → 10 ms, an album list 18 → 6 ms). Here each
schema is checked once and its validator kept; the answers are the same.
"""

import json

import jsonschema
import prison
from flask_appbuilder import api as fab_api
from flask_babel import lazy_gettext as _

from app.web.json_answers import RefusedArgument

#: FAB's filters that take a list of values; every other one takes one value.
LIST_OPERATIONS = ("in", "not_in")
ONE_VALUE = _(
    "Filter %(number)d (%(column)s %(operation)s) takes one text or number, not %(value)s."
)
LIST_OF_VALUES = _(
    "Filter %(number)d (%(column)s %(operation)s) takes a list of texts or numbers, not %(value)s."
)
#: How much of a refused value the message repeats.
SHOWN_VALUE = 60


class RisonParsedSafely:
    """The part of the `prison` module FAB's rison decorator uses: a value nested too deeply
    to parse is a ParserException (FAB answers 400), not a RecursionError (a 500)."""

    decoder = prison.decoder

    @staticmethod
    def loads(text: str):
        """Parse rison text."""
        try:
            return prison.loads(text)
        except RecursionError:
            raise prison.decoder.ParserException("nested too deeply") from None


def as_text(value) -> str | None:
    """A filter value as a list page sends it: text, a number as its text; else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def check_filter_values(filters: list[dict]) -> None:
    """Turn each filter's value into text (a list of texts for `in`/`not_in`), in place;
    a 400 names the first filter whose value is not that."""
    for number, flt in enumerate(filters, start=1):
        value = flt["value"]
        if flt["opr"] in LIST_OPERATIONS:
            message = LIST_OF_VALUES
            checked = [as_text(item) for item in value] if isinstance(value, list) else [None]
            refused = None in checked
        else:
            message = ONE_VALUE
            checked = as_text(value)
            refused = checked is None
        if refused:
            shown = json.dumps(value, ensure_ascii=False)[:SHOWN_VALUE]
            details = {"number": number, "column": flt["col"], "operation": flt["opr"]}
            raise RefusedArgument(str(message % {**details, "value": shown}))
        flt["value"] = checked


class ValidatorsMadeOnce:
    """The part of the `jsonschema` module FAB's rison decorator uses, validators kept."""

    ValidationError = jsonschema.ValidationError

    def __init__(self) -> None:
        self.validators: dict[int, jsonschema.protocols.Validator] = {}

    def validate(self, instance, schema) -> None:
        """Raise the best ValidationError for `instance`, as jsonschema.validate() does;
        then make a list's filter values what its filters take (see the module)."""
        validator = self.validators.get(id(schema))
        if validator is None:
            kind = jsonschema.validators.validator_for(schema)
            kind.check_schema(schema)
            validator = self.validators[id(schema)] = kind(schema)
        error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error
        if schema is fab_api.get_list_schema:
            check_filter_values(instance.get("filters", []))


def check_rison_arguments_quickly() -> None:
    """Give FAB's API module the safe parser and the validators made once (idempotent)."""
    fab_api.prison = RisonParsedSafely
    if not isinstance(fab_api.jsonschema, ValidatorsMadeOnce):
        fab_api.jsonschema = ValidatorsMadeOnce()
