"""The audit log: who signed in, out, or changed accounts, one `key=value` line each.

Lines go to the `app.audit` logger (route it where operators keep such records). Values
a visitor typed are quoted and shortened, so a username with a newline cannot forge a
second line nor a long one fill a disk; passwords and tokens are never passed here.
"""

import json
import logging
import re

from flask import has_request_context, request
from flask_login import current_user

from app.logs import shortened

audit_log = logging.getLogger("app.audit")
PLAIN = re.compile(r"[\w.@:/+-]+")
#: The longest value an audit line quotes (an email address has at most 320 characters).
MAX_VALUE = 320


def quoted(value) -> str:
    """A value as written in a line: bare when plain, else JSON-quoted (escaping newlines);
    at most MAX_VALUE characters of it (a visitor decides how long a typed username is)."""
    text = shortened(str(value), MAX_VALUE)
    return text if PLAIN.fullmatch(text) else json.dumps(text, ensure_ascii=False)


def audit(event: str, **fields) -> None:
    """Write one audit line, with the client address and the acting user when there is one."""
    if has_request_context():
        fields.setdefault("address", request.remote_addr)
        if current_user.is_authenticated:
            fields.setdefault("by", current_user.username)
    else:
        fields.setdefault("by", "command line")
    pairs = " ".join(
        f"{name}={quoted(value)}" for name, value in fields.items() if value is not None
    )
    audit_log.info("event=%s %s", event, pairs)
