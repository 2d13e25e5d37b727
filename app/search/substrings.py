"""Which rows' keys hold a text anywhere, from an index on both databases.

PostgreSQL answers `key LIKE '%text%'` from the pg_trgm GIN indexes on the key columns
(migration 0003). SQLite has no index for it; migration 0024 gives each keyed table an
FTS5 table with the trigram tokenizer over its key (`<table>_key_trigrams`, external
content: the key is stored once, in the table), kept in step by triggers on every insert,
update and delete, whatever door the change came in by.
"""

from sqlalchemy import Select, column, func, literal_column, select, table

#: The FTS5 tables' (and their shadow tables') names: <table>_key_trigrams[_...].
TRIGRAM_TABLE_SUFFIX = "_key_trigrams"

#: FTS5's trigram tokenizer indexes three characters at a time: shorter text cannot use it.
TRIGRAM = 3

#: The execution option of a query that names (key column, key) for walked_from_trigrams.
TRIGRAM_WALK = "setlist_trigram_walk"

#: The keyed tables migration 0024 gave an FTS5 table (setlist names have none).
TRIGRAM_KEYED = frozenset({"author", "album", "song"})


def trigram_table(keyed_table: str) -> str:
    """The FTS5 table over a keyed table's search key (SQLite)."""
    return keyed_table + TRIGRAM_TABLE_SUFFIX


def has_trigrams(key_column) -> bool:
    """Whether SQLite keeps an FTS5 trigram table over this key column's table."""
    return key_column.table.name in TRIGRAM_KEYED


def phrase(text: str) -> str:
    """An FTS5 query for text as one substring (quotes doubled, so no operator applies)."""
    return '"' + text.replace('"', '""') + '"'


def containing_ids(key_column, key: str, dialect: str) -> Select:
    """Ids of the rows whose `key_column` holds `key` anywhere (unordered, unlimited)."""
    keyed = key_column.table
    if dialect == "postgresql":
        return select(keyed.c.id).where(key_column.contains(key, autoescape=True))
    if len(key) < TRIGRAM:
        # One or two characters: nearly every key holds them, so a scan stops early.
        return select(keyed.c.id).where(func.instr(key_column, key) > 0)
    trigrams, matching = trigram_matches(keyed, key)
    return select(trigrams.c.rowid).where(matching)


def walked_from_trigrams(statement, key_column, key: str):
    """`statement` on the key's table, joined to its FTS5 table's rows holding `key` (SQLite,
    key of at least TRIGRAM characters): SQLite then walks the substring index's matches
    instead of every row, and a LIMIT stops the walk (the FTS5 ids are checked by the
    statement's own conditions)."""
    keyed = key_column.table
    trigrams, matching = trigram_matches(keyed, key)
    return statement.join(trigrams, trigrams.c.rowid == keyed.c.id).filter(matching)


def trigram_matches(keyed, key: str) -> tuple:
    """(a keyed table's FTS5 table, its condition for rows holding `key` as one substring)."""
    name = trigram_table(keyed.name)
    return table(name, column("rowid")), literal_column(name).op("MATCH")(phrase(key))


def is_trigram_table(name: str) -> bool:
    """Whether a table is an FTS5 trigram table or one of its shadow tables (SQLite): no
    model declares them (a virtual table has no SQLAlchemy form), so schema comparisons
    leave them out (app/database.py objects_of_dialect)."""
    return TRIGRAM_TABLE_SUFFIX in name
