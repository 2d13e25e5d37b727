"""INSERT ... ON CONFLICT on the databases Setlist runs on: a listener's row written in one
statement, so two devices writing the same new row at once both succeed (a read, then an
insert, lets both insert and one fail)."""

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def upsert(session: Session, model):
    """An INSERT of the model that can say ON CONFLICT, for the session's database."""
    return INSERTS[session.get_bind().dialect.name](model)
