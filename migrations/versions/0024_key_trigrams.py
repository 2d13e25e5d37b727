"""key trigrams: on SQLite an FTS5 trigram table per search key, kept by triggers, so
"contains" searches read an index instead of every key (PostgreSQL has pg_trgm since 0003)

Revision ID: 0024_key_trigrams
Revises: 0023_catalog_tallies
Create Date: 2026-12-07 06:30:00

"""

# The SQL below is built from our own table and column names, no outside input.
# ruff: noqa: S608
from alembic import op

# revision identifiers, used by Alembic.
revision = "0024_key_trigrams"
down_revision = "0023_catalog_tallies"
branch_labels = None
depends_on = None

#: (table, key column); the FTS5 table is "<table>_key_trigrams" (app/search/substrings.py).
KEYS = (("author", "name_key"), ("album", "title_key"), ("song", "title_key"))


def statements(table: str, key: str) -> list[str]:
    """The FTS5 table over one key (external content: the key is stored once, in the table),
    filled from the rows there are, and the triggers that keep it in step with every change."""
    fts = f"{table}_key_trigrams"
    insert = f"INSERT INTO {fts}(rowid, {key}) VALUES (new.id, new.{key});"
    # External content: FTS5 removes a row's trigrams only when told the text it indexed.
    forget = f"INSERT INTO {fts}({fts}, rowid, {key}) VALUES ('delete', old.id, old.{key});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({key}, content='{table}', "
        "content_rowid='id', tokenize='trigram')",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {forget} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {key} ON {table} BEGIN {forget} {insert} END",
    ]


def upgrade():
    """SQLite only: PostgreSQL's trigram indexes answer "contains" already."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, key in KEYS:
        for statement in statements(table, key):
            op.execute(statement)


def downgrade():
    """Drop the triggers and the FTS5 tables (searches scan the keys again)."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, _key in KEYS:
        fts = f"{table}_key_trigrams"
        for change in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER {fts}_{change}")
        op.execute(f"DROP TABLE {fts}")
