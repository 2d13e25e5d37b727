"""Other sites' pages calling the API and the search, for the origins an operator lists.

Off unless CORS_ORIGINS names origins; each must be exact (scheme, host, port): a
wildcard with credentials would let any site act with its visitors' logins.
"""

import re
from urllib.parse import urlsplit

from flask import Flask
from flask_cors import CORS

#: What pages of listed origins may call: the JSON API, the search and the pickers' choices.
#: JSON endpoints only, matched whole: an HTML page (the search results, an error page)
#: carries the session's CSRF token, which a listed origin could then read and write with.
CORS_PATHS = (re.compile(r"/api/.*"), re.compile(r"/search/(?:[^/]+/choices)?\Z"))
#: Headers their scripts send: a token, a JSON body, the CSRF token of a session.
CORS_HEADERS = ["Authorization", "Content-Type", "X-CSRFToken"]


def allowed_origins(value: str) -> list[str]:
    """The origins CORS_ORIGINS lists (comma-separated); anything else stops the start."""
    origins = [part.strip().rstrip("/") for part in value.split(",") if part.strip()]
    for origin in origins:
        parts = urlsplit(origin)
        exact = parts.scheme in ("http", "https") and parts.hostname and not parts.path
        if not exact or "*" in origin or parts.query or parts.fragment:
            raise RuntimeError(
                "CORS_ORIGINS lists exact origins, comma-separated, such as "
                f"https://radio.example.org or http://127.0.0.1:8080; not {origin!r}."
            )
    return origins


def register_cors(app: Flask) -> None:
    """Answer cross-origin requests (preflights included) from the listed origins only."""
    origins = allowed_origins(app.config["CORS_ORIGINS"])
    if not origins:
        return
    CORS(
        app,
        resources={path: {"origins": origins} for path in CORS_PATHS},
        supports_credentials=True,
        allow_headers=CORS_HEADERS,
        methods=["GET", "POST", "PUT", "DELETE"],
        vary_header=True,
        max_age=600,
    )
