"""Database faults injected into a test: every commit failing, every read of a table failing."""

import re
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.extensions import db


@contextmanager
def commits_fail():
    """Make every database commit fail, as a dropped connection would."""

    def refuse(session):
        raise OperationalError("COMMIT", {}, RuntimeError("injected commit failure"))

    event.listen(Session, "before_commit", refuse)
    try:
        yield
    finally:
        event.remove(Session, "before_commit", refuse)


@contextmanager
def reads_fail(app, table: str):
    """Make every statement reading `table` fail, as a database dropping away would."""

    def refuse(_connection, _cursor, statement, *_args):
        if re.search(rf"\bFROM {table}\b", statement):
            raise OperationalError(statement, {}, RuntimeError("injected query failure"))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", refuse)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", refuse)
