"""What a song upload answers while the file store cannot be reached (an object store that
is down, an upload folder that cannot be written): nothing kept, the failure logged with the
request id, a 503 with Retry-After and a plain message, on every door a file comes in by."""

import logging

from flask import after_this_request, jsonify
from flask_babel import lazy_gettext as _

from app.logs import current_request_id
from app.web.outages import RETRY_AFTER, roll_back

log = logging.getLogger(__name__)

STORE_DOWN = _(
    "File storage is unavailable for a moment, so nothing was saved. Please try again in a minute."
)
REFERENCE = _("Reference for an administrator: %(reference)s")


def store_down(failure: Exception) -> None:
    """Undo the request's database changes and log why nothing was saved (every log line
    carries the request id, which the answer names too)."""
    roll_back()
    log.error("Song not saved, the file store is unavailable: %s", failure)


def outage_message() -> str:
    """The message a form shows next to its file, with the request's reference."""
    return f"{STORE_DOWN} {REFERENCE % {'reference': current_request_id()}}"


def retry_later() -> dict[str, str]:
    """The header that tells a client when to try again."""
    return {"Retry-After": str(RETRY_AFTER)}


def answer_later() -> None:
    """Make this request's answer (a form shown again, values and all) a 503."""

    @after_this_request
    def unavailable(response):
        response.status_code = 503
        response.headers.update(retry_later())
        return response


def store_down_json(failure: Exception, **details):
    """The JSON answer, logged: 503 with Retry-After, the message and the request's id."""
    store_down(failure)
    body = {"message": str(STORE_DOWN), "request_id": current_request_id(), **details}
    return jsonify(body), 503, retry_later()
