"""Every search key's substring index is in place at the newest migration and follows every
write. On SQLite it is an FTS5 trigram table kept by triggers, which a later migration that
rebuilds the table in batch mode would drop without a word (searches would then miss renamed
and new rows); on PostgreSQL it is a pg_trgm index on the key column."""

import pytest
from sqlalchemy import text

from app.extensions import db
from app.models import Album, Author, Song
from app.search.keys import search_key
from app.search.substrings import containing_ids

#: Each keyed model with its text attribute and key column.
KEYED = ((Author, "name", "name_key"), (Album, "title", "title_key"), (Song, "title", "title_key"))


def finds(model, key_attribute: str, text_part: str) -> list[int]:
    """The ids whose key holds the text, read the way searches and filters read them."""
    key_column = getattr(model, key_attribute)
    query = containing_ids(key_column, search_key(text_part), db.engine.dialect.name)
    return list(db.session.scalars(query))


def substring_index(model, key_attribute: str) -> str:
    """What answers a "contains" read of the key: SQLite's plan for the read, PostgreSQL's
    definitions of the table's indexes (its planner scans a table this small anyway)."""
    if db.engine.dialect.name == "postgresql":
        query = text("SELECT indexdef FROM pg_indexes WHERE tablename = :table")
        return " ".join(db.session.scalars(query, {"table": model.__tablename__}))
    key_column = getattr(model, key_attribute)
    query = containing_ids(key_column, "lantern", "sqlite")
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    return " ".join(row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))


@pytest.mark.parametrize(("model", "attribute", "key"), KEYED, ids=lambda item: str(item))
def test_a_renamed_added_and_deleted_row_is_found_by_its_text_only(
    app, song, model, attribute, key
):
    """A row renamed is found by a piece of its new name, not its old one; the read uses the
    key's substring index; once deleted (plain SQL, as any door would), it is found no more."""
    with app.app_context():
        [row] = db.session.scalars(db.select(model))
        row_id = row.id
        setattr(row, attribute, "Quiet Lantern Harbour")
        db.session.commit()
        assert finds(model, key, "lantern harb") == [row_id]

        setattr(row, attribute, "Bright Meadow")
        db.session.commit()
        assert finds(model, key, "lantern harb") == []
        assert finds(model, key, "ght mead") == [row_id]

        postgresql = db.engine.dialect.name == "postgresql"
        index = f"gin ({key} gin_trgm_ops)" if postgresql else f"{model.__tablename__}_key_trigrams"
        assert index in substring_index(model, key)

        for table in ("song", "album", "author"):  # children first: the foreign keys
            db.session.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - our own names
        db.session.commit()
        assert finds(model, key, "ght mead") == []
