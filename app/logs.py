"""Logging: every line carries its request's id; one line per page (its static files at
DEBUG); text or JSON lines.

A request keeps the id a proxy sent in X-Request-ID (when it looks like one) or gets a new
one, and answers with it, so a line in the proxy's log, the app's log and the reference on
an error page lead to each other.

Messages hold what visitors send (paths, usernames): every record is written as one line of
at most MAX_MESSAGE characters, its control characters escaped, so nobody can forge a line
or fill a disk through the log; a traceback's own lines are indented under it.
"""

import json
import logging
import re
import time
import uuid

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import inspect

from app.static_files import FILE_ENDPOINTS

REQUEST_ID_HEADER = "X-Request-ID"
#: What a forwarded request id may look like (anything else could forge log lines).
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@-]{1,128}")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
#: Fields a request line adds to a JSON log line.
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "user_id")
#: Path parts that must not reach a log: one-time secrets in addresses.
SECRET_ARGUMENTS = ("token", "hash")

#: The most characters of a record's message a line shows (a request line is ~150).
MAX_MESSAGE = 2000
#: The most characters of a request's path its line (and its JSON field) shows.
MAX_PATH = 1000
#: Characters a terminal or a log reader could take for a line break or a command.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

request_log = logging.getLogger("app.requests")


def shortened(text: str, limit: int) -> str:
    """Text cut to `limit` characters, saying how many more there were."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…[{len(text) - limit} more characters]"


def printable(text: str) -> str:
    """Text with its control characters written as escapes (a newline as \\n)."""
    return CONTROL_CHARACTERS.sub(lambda found: found[0].encode("unicode_escape").decode(), text)


def one_line(record: logging.LogRecord) -> str:
    """A record's message as one bounded line: shortened first (escaping could not then
    grow it past four times the bound), control characters escaped."""
    return printable(shortened(record.getMessage(), MAX_MESSAGE))


def configure_logging(app: Flask) -> None:
    """Our modules at LOG_LEVEL, as text or JSON lines (LOG_FORMAT), with request ids."""
    logging.getLogger("app").setLevel(app.config["LOG_LEVEL"])
    formatter = JsonFormatter() if app.config["LOG_FORMAT"] == "json" else TextFormatter()
    root = logging.getLogger()
    if not root.handlers:  # a host that set up logging (gunicorn's tests, pytest) keeps it
        handler = logging.StreamHandler()
        handler.setFormatter(formatter)
        root.addHandler(handler)
    install_request_ids()
    quiet_fab_redirect_warning()
    # Flask-Limiter warns when Redis is lost; its "recovered" line is INFO: show both.
    logging.getLogger("flask-limiter").setLevel(logging.INFO)


def quiet_fab_redirect_warning() -> None:
    """Keep FAB's "Invalid redirect" warning for a real unsafe `next`, not for every login."""
    fab_utils = logging.getLogger("flask_appbuilder.utils.base")
    if not any(isinstance(f, NoNextIsNoWarning) for f in fab_utils.filters):
        fab_utils.addFilter(NoNextIsNoWarning())


class NoNextIsNoWarning(logging.Filter):
    """Drops FAB's redirect warning when the request named no `next` at all (FAB warns
    then too, so operators saw one warning per login and learnt to ignore it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """False (drop) for the redirect warning of a request without `next`."""
        if not record.getMessage().startswith("Invalid redirect detected"):
            return True
        return has_request_context() and bool(request.args.get("next"))


def install_request_ids() -> None:
    """Give every log record the id of the request it was logged in ("-" outside one)."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "adds_request_id", False):
        return

    def record_with_request_id(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        record.request_id = current_request_id()
        return record

    record_with_request_id.adds_request_id = True
    logging.setLogRecordFactory(record_with_request_id)


def current_request_id() -> str:
    """The id of the request being handled, or "-"."""
    if has_request_context():
        return g.get("request_id", "-")
    return "-"


def trace_lines(formatter: logging.Formatter, record: logging.LogRecord) -> list[str]:
    """The lines of a record's traceback, each bounded and escaped like a message."""
    trace = formatter.formatException(record.exc_info)
    return [printable(shortened(part, MAX_MESSAGE)) for part in trace.splitlines()]


class TextFormatter(logging.Formatter):
    """One readable line: time, level, logger, [request id], message."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        """The record as a line; one made before the ids were installed shows "-"."""
        record.__dict__.setdefault("request_id", "-")
        record.message = one_line(record)
        record.asctime = self.formatTime(record, self.datefmt)
        line = self.formatMessage(record)
        if record.exc_info:
            # Indented, a traceback's lines (an exception's message among them) can never
            # pass for a record of their own.
            line += "".join(f"\n    {part}" for part in trace_lines(self, record))
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line (an exception as its formatted traceback)."""
        line = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": one_line(record),
            "request_id": getattr(record, "request_id", "-"),
        }
        line.update(
            {field: getattr(record, field) for field in REQUEST_FIELDS if hasattr(record, field)}
        )
        if record.exc_info:
            line["exception"] = "\n".join(trace_lines(self, record))
        return json.dumps(line, ensure_ascii=False)


def register_request_log(app: Flask) -> None:
    """Give each request an id and log one line when it is answered."""
    app.before_request(start_request)
    app.after_request(log_request)


def start_request() -> None:
    """Take the proxy's request id (when valid) or make one; start the clock."""
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = offered if VALID_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def log_request(response):
    """Answer with the request id and log method, path, status, duration and user."""
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers[REQUEST_ID_HEADER] = request_id
    started = g.get("request_started")
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    user_id = loaded_user_id()
    path = shortened(logged_path(), MAX_PATH)
    # A page's stylesheets, scripts and icon would bury its own line under twenty more.
    level = logging.DEBUG if request.endpoint in FILE_ENDPOINTS else logging.INFO
    request_log.log(
        level,
        "%s %s %s %sms user=%s",
        request.method,
        path,
        response.status_code,
        duration_ms,
        user_id if user_id is not None else "-",
        extra={
            "method": request.method,
            "path": path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "user_id": user_id,
        },
    )
    return response


def loaded_user_id() -> int | None:
    """The signed-in user's id if this request loaded the user already (a static file costs
    no query), read from the identity map: after a rollback the user's attributes are
    expired, and reading `id` would query a database that may be gone."""
    user = g.get("_login_user")
    state = inspect(user, raiseerr=False)
    if state is None:
        return getattr(user, "id", None)  # the anonymous user: None
    identity = state.identity
    return identity[0] if identity else None


def logged_path() -> str:
    """The request's path, or its route's pattern when the path holds a one-time secret."""
    arguments = request.view_args or {}
    if request.url_rule and any(
        secret in name for name in arguments for secret in SECRET_ARGUMENTS
    ):
        return request.url_rule.rule
    if request.url_rule is None:
        return masked_unrouted(request.path)
    return request.path


def masked_unrouted(path: str) -> str:
    """A path no route took (a pasted link with a slash too many, a redirect to the clean
    spelling) with the segment after a secret route's prefix (/shared/, …) masked."""
    prefixes = current_app.extensions.get("secret_path_prefixes")
    if prefixes is None:
        prefixes = current_app.extensions["secret_path_prefixes"] = secret_prefixes(current_app)
    clean = re.sub("/{2,}", "/", path)
    for prefix in prefixes:
        if clean.startswith(prefix):
            rest = clean[len(prefix) :].partition("/")
            return prefix + "<token>" + rest[1] + rest[2]
    return path


def secret_prefixes(app: Flask) -> tuple[str, ...]:
    """The fixed start of every route whose first argument is a one-time secret."""
    found = set()
    for rule in app.url_map.iter_rules():
        start, _, argument = rule.rule.partition("<")
        if any(secret in argument.split(">")[0] for secret in SECRET_ARGUMENTS):
            found.add(start)
    return tuple(sorted(found, key=len, reverse=True))


#: Terminal colour codes, which Werkzeug puts in its start lines (a log file shows them raw).
ANSI_ESCAPES = re.compile(r"\x1b\[[0-9;]*m")
DEVELOPMENT_SERVER_WARNING = "WARNING: This is a development server"


class DevelopmentServerLines(logging.Filter):
    """Werkzeug's start lines without colour codes and without its "This is a development
    server" warning: `make run` is meant to be the development server, so a newcomer could
    do nothing about it (production runs gunicorn, see deploy/)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """The record reduced to its other lines, or False (drop) when none is left."""
        message = ANSI_ESCAPES.sub("", record.getMessage())
        lines = [line for line in message.splitlines() if DEVELOPMENT_SERVER_WARNING not in line]
        if not lines:
            return False
        record.msg, record.args = " ".join(lines), ()
        return True


def quiet_development_server() -> None:
    """Give Werkzeug's development server the plain start lines of `make run`."""
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, DevelopmentServerLines) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(DevelopmentServerLines())
