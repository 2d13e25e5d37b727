"""The audit log: who signed in, out, or changed accounts, one `key=value` line each.

Lines go to the `app.audit` logger (route it where operators keep such records). Values
a visitor typed are quoted, so a username with a newline cannot forge a second line;
passwords and tokens are never passed here.
"""

import json
import logging
import re

from flask import has_request_context, request
from flask_login import current_user

audit_log = logging.getLogger("app.audit")
PLAIN = re.compile(r"[\w.@:/+-]+")


def quoted(value) -> str:
    """A value as written in a line: bare when plain, else JSON-quoted (escaping newlines)."""
    text = str(value)
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
