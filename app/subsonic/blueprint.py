"""/rest/<method> and /rest/<method>.view: the door music apps knock on.

GET and form-encoded POST alike, no cookies, no session, no CSRF token (clients send
none; the session cookie a browser may send is ignored, see `cookies_ignored`). Pages of
any other origin may call it (music apps in a browser): CORS with `*` and no credentials,
as the sign-in is in the parameters, never in a cookie. Every answer is Subsonic's: XML
unless f=json; f=jsonp is refused (a callback named by the caller is a cross-site
scripting vector). An unknown method is error 0 with HTTP 404 ("not implemented" is no
Subsonic code: 70 is for data not found). Errors are HTTP 200 as clients expect, save two:
the database or file store being down is error 0 with HTTP 503 and Retry-After (the app's
outage answer: a client keeps its offline copy and tries again, monitoring sees it), and a
bug is error 0 with HTTP 500 and the request's reference.
"""

import logging

from flask import Blueprint, Flask, Response, current_app, g, request
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from app.extensions import csrf
from app.logs import current_request_id
from app.media.file_store import StoreUnavailable
from app.subsonic.auth import authenticate
from app.subsonic.params import Params
from app.subsonic.registry import METHODS, Call
from app.subsonic.wire import (
    API_VERSION,
    CLIENT_MUST_UPGRADE,
    GENERIC,
    MISSING_PARAMETER,
    NOT_AUTHORIZED,
    SERVER_MUST_UPGRADE,
    SubsonicError,
    answer,
    error_answer,
)
from app.web.outages import CATALOG_UNAVAILABLE, RETRY_AFTER, outage_behind, roll_back

log = logging.getLogger(__name__)
PREFIX = "/rest"
FORMATS = ("xml", "json")
#: Parameters that make a request a signed-in one.
CREDENTIALS = ("u", "p", "t", "s", "apiKey")

#: On every /rest/ answer, errors included: any origin may read it, but never with the
#: visitor's cookies (no Allow-Credentials: a browser then sends none, and none is read).
#: Exposed, what a player in a page needs to stream by ranges and save a download.
CORS_ANSWER = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Content-Range, Content-Length, Accept-Ranges, "
    "Content-Disposition",
}
#: A preflight's answer. `*` admits any other header a client sends, but not Authorization
#: (which must be named) and not in browsers before 2019 (which read the names).
PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, Range, *",
    "Access-Control-Max-Age": "86400",
}

subsonic = Blueprint("subsonic", __name__, url_prefix=PREFIX)


def register_subsonic(app: Flask) -> None:
    """Serve the Subsonic API under /rest/, without CSRF (clients post plain forms), to
    pages of any origin."""
    from app.subsonic import methods  # noqa: F401  (registers every method)

    csrf.exempt(subsonic)
    app.register_blueprint(subsonic)
    # On the app, not the blueprint: answers no /rest/ view made (a 405, a 429, a 500)
    # need the headers too, or the page's script cannot read them.
    app.after_request(allow_any_origin)


def is_subsonic_path(path: str) -> bool:
    """Whether an address is the Subsonic API's."""
    return path == PREFIX or path.startswith(f"{PREFIX}/")


def allow_any_origin(response: Response) -> Response:
    """Let pages of any origin read a /rest/ answer."""
    if is_subsonic_path(request.path):
        response.headers.update(CORS_ANSWER)
    return response


@subsonic.url_value_preprocessor
def cookies_ignored(endpoint: str | None, values: dict | None) -> None:
    """Sign no one in from the session or remember cookie: only the request's parameters
    sign in here. A url_value_preprocessor runs before every before_request hook (the
    app's too), so nothing (an audit line, a rate-limit key, the request log) loads the
    cookie's user first; after authenticate the app password's user replaces this one."""
    g._login_user = current_app.login_manager.anonymous_user()


@subsonic.route("/", methods=["OPTIONS"])
@subsonic.route("/<path:name>", methods=["OPTIONS"])
def preflight(name: str = ""):
    """A browser asking whether a page of another origin may call: yes, without cookies.
    An OPTIONS that is no preflight gets the methods allowed, as HTTP has it."""
    if "Access-Control-Request-Method" not in request.headers:
        return Response(status=204, headers={"Allow": "GET, POST, OPTIONS"})
    return Response(status=204, headers=PREFLIGHT)


def answer_format() -> bool:
    """True for JSON, False for XML; a refused format is answered in XML."""
    wanted = (request.values.get("f") or "xml").lower()
    if wanted == "jsonp":
        raise SubsonicError(GENERIC, "JSONP is not supported: use f=json or f=xml.")
    if wanted not in FORMATS:
        raise SubsonicError(GENERIC, "Unknown format: use f=xml or f=json.")
    return wanted == "json"


def check_version(version: str | None) -> None:
    """Refuse a client speaking another major version, or a newer 1.x (errors 20, 30)."""
    if version is None:
        return
    try:
        major, minor, *_ = (int(part) for part in version.split("."))
    except ValueError:
        raise SubsonicError(GENERIC, "Parameter v must be a version such as 1.16.1.") from None
    if major < 1:
        raise SubsonicError(CLIENT_MUST_UPGRADE, f"Client must upgrade to {API_VERSION}.")
    if major > 1 or minor > int(API_VERSION.split(".")[1]):
        raise SubsonicError(SERVER_MUST_UPGRADE, f"Server speaks {API_VERSION}.")


@subsonic.route("/<path:name>", methods=["GET", "POST"], provide_automatic_options=False)
def call_method(name: str):
    """Authenticate the request and answer it with its method."""
    # Kept for the error handlers: an error raised before the format is read answers XML.
    g.subsonic_json = False
    g.subsonic_json = answer_format()
    method = METHODS.get(name.removesuffix(".view"))
    if method is None:
        raise SubsonicError(GENERIC, f"Unknown method: {name[:100]}", http_status=404)
    params = Params.of(request)
    check_version(params.get("v"))
    if method.public and not any(params.has(name) for name in CREDENTIALS):
        return answer(method.function(Call(params, None, None, g.subsonic_json)), g.subsonic_json)
    identity = authenticate(params)
    # Flask-Login's current user for this request alone (the request log, audit lines,
    # has_access); nothing is written to a session.
    g._login_user = identity.user
    call = Call(params, identity.user, identity.app_password, g.subsonic_json)
    if method.needs is not None and not call.may(*method.needs):
        raise SubsonicError(NOT_AUTHORIZED, "User is not authorized for the given operation.")
    result = method.function(call)
    if result is None or isinstance(result, dict):
        return answer(result, g.subsonic_json)
    return result


@subsonic.route("/", methods=["GET", "POST"], provide_automatic_options=False)
def no_method():
    """/rest/ alone: error 10, the method is the missing parameter."""
    raise SubsonicError(MISSING_PARAMETER, "Required parameter is missing: the method name.")


def asked_json() -> bool:
    """The format of an error answer: as the call read it; for a request refused before
    (the site's checks run first: a NUL, a body too large), f as sent, if it can be read."""
    if "subsonic_json" in g:
        return g.subsonic_json
    try:
        wanted = request.values.get("f")
    except HTTPException:  # the body itself was refused: the query alone
        wanted = request.args.get("f")
    return (wanted or "").lower() == "json"


@subsonic.errorhandler(SubsonicError)
def subsonic_error(error: SubsonicError):
    """Subsonic's error answer, in the format asked when it could be read."""
    return error_answer(error, asked_json())


#: The site answers these with its own pages, registered by code, which Flask prefers to a
#: handler registered by class: named here so /rest/ answers them in Subsonic's format.
HTTP_CODES = (400, 404, 405, 413, 429, 431)


@subsonic.errorhandler(HTTPException)
def http_error(error: HTTPException):
    """A refused request (body too large, bad form) as error 0 with its HTTP status."""
    refused = SubsonicError(GENERIC, error.description or error.name, error.code or 400)
    return error_answer(refused, asked_json())


for _code in HTTP_CODES:
    subsonic.register_error_handler(_code, http_error)


@subsonic.errorhandler(DBAPIError)
@subsonic.errorhandler(StoreUnavailable)
def outage_or_bug(error: Exception):
    """The database or file store down: error 0, HTTP 503. Any other failure: a bug."""
    if not outage_behind(error):
        return server_error(error)
    current_app.logger.error("Subsonic answer failed, a service is down: %s", type(error).__name__)
    roll_back()
    down = SubsonicError(
        GENERIC, f"{CATALOG_UNAVAILABLE}. Try again in a minute.", 503,
        {"Retry-After": str(RETRY_AFTER)},
    )  # fmt: skip
    return error_answer(down, asked_json())


@subsonic.errorhandler(Exception)
def server_error(error: Exception):
    """A bug: logged with its traceback, answered as error 0 with HTTP 500."""
    log.error("Subsonic method failed", exc_info=error)
    roll_back()
    bug = SubsonicError(GENERIC, f"Server error (reference {current_request_id()}).", 500)
    return error_answer(bug, asked_json())
