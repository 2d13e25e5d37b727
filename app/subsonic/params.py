"""A Subsonic request's parameters: from the query and from a form-encoded POST body
(OpenSubsonic's formPost), bounded, with Subsonic's errors for missing or bad ones."""

from flask import Request
from werkzeug.datastructures import MultiDict

from app.subsonic.wire import GENERIC, MISSING_PARAMETER, SubsonicError

#: The most characters one value may have (a search, a playlist name, a comment).
MAX_VALUE = 2000
#: The most values a request may send (a playlist update sends one songId each).
MAX_VALUES = 1000


class Params:
    """A request's parameters; every getter answers Subsonic's error for a bad value."""

    def __init__(self, values: MultiDict) -> None:
        self.values = values

    @classmethod
    def of(cls, request: Request) -> "Params":
        """The query's and the form body's values together, refused when unbounded."""
        values = MultiDict(request.args)
        if request.method == "POST":
            values.update(request.form)
        if len(values) > MAX_VALUES or sum(len(v) for v in values.listvalues()) > MAX_VALUES:
            raise SubsonicError(GENERIC, f"Too many parameters (at most {MAX_VALUES}).")
        for name, value in values.items(multi=True):
            if len(value) > MAX_VALUE or len(name) > MAX_VALUE:
                raise SubsonicError(
                    GENERIC, f"Parameter {name[:40]!r} is too long (at most {MAX_VALUE})."
                )
        return cls(values)

    def get(self, name: str, default: str | None = None) -> str | None:
        """A parameter's first value, or `default`."""
        return self.values.get(name, default)

    def has(self, name: str) -> bool:
        """Whether the request sent the parameter (even empty)."""
        return name in self.values

    def required(self, name: str) -> str:
        """A parameter that must be sent (error 10 when it is not)."""
        value = self.values.get(name)
        if value is None:
            raise SubsonicError(MISSING_PARAMETER, f"Required parameter is missing: {name}")
        return value

    def all(self, name: str) -> list[str]:
        """Every value of a repeated parameter (id=1&id=2)."""
        return self.values.getlist(name)

    def integer(
        self, name: str, default: int | None = None, low: int | None = None, high: int | None = None
    ) -> int | None:
        """A whole number, `default` when absent, error 0 when not a number or out of
        [low, high] (error 10 when required, i.e. with no default, and absent or empty)."""
        value = self.values.get(name)
        if value is None or value == "":
            if default is None:
                # Sent empty is as good as missing (required() alone would let "" through).
                raise SubsonicError(MISSING_PARAMETER, f"Required parameter is missing: {name}")
            return default
        try:
            number = int(value)
        except ValueError:
            raise SubsonicError(GENERIC, f"Parameter {name} must be a whole number.") from None
        if (low is not None and number < low) or (high is not None and number > high):
            raise SubsonicError(GENERIC, f"Parameter {name} is out of range ({low}-{high}).")
        return number

    def boolean(self, name: str, default: bool = False) -> bool:
        """true/false (any case), `default` when absent."""
        value = self.values.get(name)
        if value is None or value == "":
            return default
        return value.strip().lower() in {"true", "1", "yes"}
