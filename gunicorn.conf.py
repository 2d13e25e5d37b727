"""gunicorn's settings for Setlist in production, read from the environment.

Run `gunicorn` from the project folder (it reads this file); see README, "Production".
"""

import logging
import os
import re
from urllib.parse import quote, unquote_plus

from gunicorn.glogging import Logger

from config import env_int

#: The application: the configuration comes from CATALOG_CONFIG (production).
wsgi_app = "app:create_app()"

# Loopback by default: a proxy on the same host reaches the app, nobody else does. With the
# proxy on another machine, set HOST to this machine's private address (or 0.0.0.0) and let
# only the proxy reach PORT (a firewall): with CATALOG_TRUSTED_PROXIES set, anyone reaching
# the port directly could choose their own X-Forwarded-For and dodge per-address limits.
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Each worker serves requests on threads: a long one (a CSV export of the whole catalog,
# an upload over a slow link) holds a thread, not the process. At most
# CATALOG_EXPORTS_PER_PROCESS of them export at once, so the others stay free for pages
# and logins.
worker_class = "gthread"
threads = env_int("GUNICORN_THREADS", 4)
_exports = env_int("CATALOG_EXPORTS_PER_PROCESS", 1)
if threads <= _exports:
    raise SystemExit(
        f"GUNICORN_THREADS ({threads}) must be more than CATALOG_EXPORTS_PER_PROCESS "
        f"({_exports}): exports could take every thread and leave none for logins."
    )
#: Seconds a worker may go without answering gunicorn's master (its process stuck) before
#: it is restarted. With threads, one long request (an upload over a slow link) does not
#: count: the worker's main loop answers while its threads work.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Upload bodies are spooled to temporary files, not held in memory (Werkzeug's form parser).
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None

#: A secret in an address (a share link's token, a password reset or account activation
#: link's): the same routes deploy/nginx.conf's map masks, checked against the app's by
#: tests/operations/test_secret_paths_in_logs.py. Slashes may be doubled (the app merges them).
SECRET_IN_PATH = re.compile(
    r"/+(shared|reset-password|register/+activation)/+[^/?#\s\"']+", re.IGNORECASE
)


#: A Subsonic request's query (/rest/<method>?...), whose sign-in parameters are secrets
#: (t, s, p, apiKey) or say who signed in (u): app/subsonic/auth.py.
SUBSONIC_QUERY = re.compile(r"(/+rest/[^\s?#\"']*\?)([^\s#\"']*)", re.IGNORECASE)
SUBSONIC_SIGN_IN = frozenset({"u", "t", "s", "p", "apikey"})


def masked_query(query: str) -> str:
    """A query string with the value of each Subsonic sign-in parameter written as
    <masked>, judged by its decoded name (%70=... is p to the app too)."""
    pieces = []
    for piece in query.split("&"):
        name, equals, _value = piece.partition("=")
        secret = equals and unquote_plus(name).casefold() in SUBSONIC_SIGN_IN
        pieces.append(f"{name}=<masked>" if secret else piece)
    return "&".join(pieces)


def masked(text: str) -> str:
    """Text with the secret of every secret-holding address in it written as <token>, and
    Subsonic's sign-in parameters as <masked>."""
    text = SECRET_IN_PATH.sub(lambda found: f"/{found[1]}/<token>", text)
    return SUBSONIC_QUERY.sub(lambda found: found[1] + masked_query(found[2]), text)


class MaskedSecrets(logging.Filter):
    """Masks secrets in a record's whole message (any format, the referrer's header too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep the record, its message masked."""
        message = record.getMessage()
        if SECRET_IN_PATH.search(message) or SUBSONIC_QUERY.search(message):
            record.msg, record.args = masked(message), ()
        return True


class MaskedAccessLogger(Logger):
    """gunicorn's logger whose lines never hold a share, reset or activation token: the
    request line is judged by the path the app routes on (%-escapes decoded), so
    /%73hared/... is masked too, and every line is filtered as text (the referrer's too)."""

    def setup(self, cfg) -> None:
        """gunicorn's logs, each with the masking filter (once, also after a reload)."""
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(known, MaskedSecrets) for known in log.filters):
                log.addFilter(MaskedSecrets())

    def atoms(self, resp, req, environ, request_time) -> dict:
        """gunicorn's atoms; for a secret path, the request line and path rebuilt masked."""
        atoms = super().atoms(resp, req, environ, request_time)
        path = environ.get("PATH_INFO") or ""
        if re.match(r"/+rest/", path, re.IGNORECASE) and environ.get("QUERY_STRING"):
            query = masked_query(environ["QUERY_STRING"])
            uri = quote(path, safe="/") + f"?{query}"
            atoms["r"] = f"{atoms['m']} {uri} {atoms['H']}"
            atoms["q"], atoms["{raw_uri}e"] = query, uri
        if SECRET_IN_PATH.match(path):
            query = environ.get("QUERY_STRING")
            # Escaped again: the decoded path may hold line breaks a raw one cannot.
            uri = quote(masked(path), safe="/<>") + (f"?{query}" if query else "")
            atoms["r"] = f"{atoms['m']} {uri} {atoms['H']}"
            atoms["U"] = atoms["{path_info}e"] = masked(path)
            atoms["{raw_uri}e"] = uri
        return atoms


logger_class = MaskedAccessLogger

# Setlist logs one line per request itself (with its request id, user and duration), so
# gunicorn's own access log is off unless asked for. Its lines, like nginx's, show a share,
# reset or activation link's secret as <token> (MaskedAccessLogger), whatever the format.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = os.environ.get(
    "GUNICORN_ACCESS_LOG_FORMAT",
    '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s',
)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "setlist"

# gunicorn 25.1+ serves `gunicornc` on a control socket whose default path is one per user
# ($XDG_RUNTIME_DIR/gunicorn.ctl, else ~/.gunicorn/gunicorn.ctl): a second server of the same
# user takes that path over and the first to stop deletes it. Off unless
# GUNICORN_CONTROL_SOCKET names a path of this server's own.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
