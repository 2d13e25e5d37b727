"""Ranked matching on search keys: exact matches first, then prefixes, then the rest.

Each rank is found in at most three bounded statements, whatever the catalog's size: a probe
reads at most CANDIDATES + 1 ids from each key's index (B-tree for exact and prefix; for
"contains", pg_trgm on PostgreSQL and an FTS5 trigram table on SQLite, app/search/substrings.py).
A key with fewer matches gives them all; a key with more is dense, so walking the key index
in order meets the few rows a page wants after about wanted * rows / CANDIDATES entries,
without collecting and sorting every match; a last statement orders what the two gave.
"""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, func, literal, not_, or_, select, union_all
from sqlalchemy.orm import Session

from app.search.keys import search_key
from app.search.substrings import TRIGRAM, containing_ids, has_trigrams

#: Sorts after any character a key holds: closes the range of keys sharing a prefix,
#: which a B-tree index answers on both databases (LIKE 'x%' would need special operators).
PREFIX_END = "\U0010ffff"

#: Ids a probe reads at most. Below it a rank is sorted from its ids; above it matches are
#: at least CANDIDATES of the table, so a walk in key order finds a page's rows quickly:
#: 10 wanted at 1,000,000 rows reads about 10,000 index entries at worst, never a million.
CANDIDATES = 1000

EXACT, PREFIX, CONTAINS = range(3)


def key_contains(key_column, key: str) -> ColumnElement:
    """The key holds `key` anywhere (PostgreSQL answers it from the trigram index)."""
    return key_column.contains(key, autoescape=True)


def probed_contains(session: Session, key_column, key: str) -> tuple[ColumnElement, bool]:
    """The key holds `key` anywhere, written for how many rows match (SQLite), and whether
    the substring index found more than CANDIDATES matches.

    SQLite's planner knows nothing of the FTS5 trigram tables, so a bounded probe of one
    (app/search/substrings.py) tells: few matches (at most CANDIDATES) become their ids,
    read by primary key instead of scanning every key; many keep key_contains, which a
    walk of the list's order meets after a few rows (and a count best walks the index's
    matches: walked_from_trigrams). PostgreSQL's planner already weighs its trigram index
    against that walk (pg_trgm estimates how many rows match), so it keeps key_contains.
    """
    sqlite = session.get_bind().dialect.name == "sqlite"
    if not sqlite or not has_trigrams(key_column) or len(key) < TRIGRAM:
        # Under three letters there is no trigram: the probe itself would scan.
        return key_contains(key_column, key), False
    probe = containing_ids(key_column, key, "sqlite").limit(CANDIDATES + 1)
    ids = session.scalars(probe).all()
    if len(ids) > CANDIDATES:
        return key_contains(key_column, key), True
    # FTS5 folds the case of every alphabet, LIKE only ASCII's: the ids are a superset
    # (a key keeps the Greek capital of a bold mathematical letter), checked by the key.
    return and_(key_column.table.c.id.in_(ids), key_contains(key_column, key)), False


def key_starts_with(key_column, key: str) -> ColumnElement:
    """The key begins with `key`."""
    return and_(key_column >= key, key_column < key + PREFIX_END)


def text_contains(model, column_name: str, text: str) -> ColumnElement:
    """A model's text column contains `text`, folded: "cafe" finds "Café"."""
    key_column = getattr(model, model.search_keys[column_name])
    return key_contains(key_column, search_key(text))


def walked_contains(key_column, key: str, dialect: str) -> ColumnElement:
    """The key holds `key`, written so no substring index answers it: the planner then walks
    the key index in order and stops at the page's last row instead of sorting every match."""
    position = func.strpos if dialect == "postgresql" else func.instr
    return position(key_column, key) > 0


def key_condition(column, rank: int, key: str, dialect: str | None = None) -> ColumnElement:
    """A key matches `key` at a rank; `dialect` asks for "contains" in its walked form."""
    if rank == EXACT:
        return column == key
    if rank == PREFIX:
        return key_starts_with(column, key)
    return walked_contains(column, key, dialect) if dialect else key_contains(column, key)


@dataclass(frozen=True)
class Matcher:
    """How rows of a model are found by typed text: the key columns it matches on.

    The first key orders the results; joins bring in keys of related tables.
    """

    model: type
    keys: tuple
    joins: tuple = ()

    def ordered(self, condition=None):
        """The model's rows (matching a condition) in key order, ties broken by id."""
        statement = select(self.model)
        for join in self.joins:
            statement = statement.join(join)
        if condition is not None:
            statement = statement.where(condition)
        return statement.order_by(self.keys[0], self.model.id)

    def relation_to(self, column):
        """The relationship reaching a key of another table (None for the model's own)."""
        if column.table is self.model.__table__:
            return None
        return next(j for j in self.joins if j.property.mapper.local_table is column.table)

    def key_matches(self, column, rank: int, key: str, dialect: str | None = None):
        """One key matches `key` at a rank (a related row's key as EXISTS, so no join stops
        the planner walking the model's key index); `dialect` asks for the walked form."""
        condition = key_condition(column, rank, key, dialect)
        relation = self.relation_to(column)
        return condition if relation is None else relation.has(condition)

    def any_key(self, rank: int, key: str, dialect: str | None = None) -> ColumnElement:
        """Some key matches `key` at a rank."""
        return or_(*(self.key_matches(column, rank, key, dialect) for column in self.keys))

    def rank_condition(self, rank: int, key: str, dialect: str | None = None) -> ColumnElement:
        """Rows of exactly this rank: a key matches at it, none at a better one."""
        if rank == EXACT:
            return self.any_key(EXACT, key, dialect)
        return and_(self.any_key(rank, key, dialect), not_(self.any_key(rank - 1, key, dialect)))

    def probe(self, column, rank: int, key: str, dialect: str) -> Select:
        """Ids of rows one key matches at a rank or better, read from that key's index."""
        if rank == CONTAINS:
            ids = containing_ids(column, key, dialect)
        else:
            ids = select(column.table.c.id).where(key_condition(column, rank, key))
        relation = self.relation_to(column)
        if relation is not None:
            # Rows of the model whose related row matched (album by its author's name).
            # A join, not IN: the matched related rows are read only until the LIMIT.
            foreign_key = next(iter(relation.property.local_columns))
            matched = ids.subquery()
            ids = select(self.model.id).join(matched, foreign_key == matched.c[0])
        return ids.limit(CANDIDATES + 1)

    def probed(self, session: Session, columns: list, rank: int, key: str, dialect: str) -> list:
        """Per key, the ids its probe read (more than CANDIDATES: that key's matches are dense)."""
        probes = [self.probe(column, rank, key, dialect) for column in columns]
        if len(probes) < 2:
            return [list(session.scalars(probe)) for probe in probes]
        # One statement; each probe keeps its LIMIT inside a subquery (SQLite refuses it bare).
        tagged = union_all(
            *(select(p.subquery().c[0], literal(index)) for index, p in enumerate(probes))
        )
        ids: list[list] = [[] for _ in probes]
        for row_id, index in session.execute(tagged):
            ids[index].append(row_id)
        return ids

    def walk(self, column, rank: int, key: str, dialect: str, wanted: int, entity) -> Select:
        """The first `wanted` rows (as `entity`) of a rank that one key matches, in key order:
        the model's key index is walked (only a range of it when that key orders the rows)."""
        condition = self.key_matches(column, rank, key, dialect)
        if rank > EXACT:
            condition = and_(condition, not_(self.any_key(rank - 1, key, dialect)))
        statement = select(entity).where(condition)
        return statement.order_by(self.keys[0], self.model.id).limit(wanted)

    def rank_rows(self, session: Session, rank: int, key: str, wanted: int, entity) -> list:
        """The first `wanted` rows (as `entity`: the model, or its id) of a rank in key order,
        ties by id.

        The ordering key's own exact and prefix matches are a range of its index, walked;
        other keys are probed: few matches give all their ids, many a walk's first `wanted`.
        Together they hold the rank's first `wanted`, which one last statement orders.
        """
        dialect = session.get_bind().dialect.name
        ranged = rank < CONTAINS and self.relation_to(self.keys[0]) is None
        walked = [self.keys[0]] if ranged else []
        probed = [column for column in self.keys if column not in walked]
        ids: list = []
        for column, found in zip(
            probed, self.probed(session, probed, rank, key, dialect), strict=True
        ):
            if len(found) > CANDIDATES:
                walked.append(column)
            else:
                ids += found
        walks = [self.walk(column, rank, key, dialect, wanted, entity) for column in walked]
        if not ids and len(walks) == 1:
            return list(session.scalars(walks[0]))
        if walks:
            ids += session.scalars(union_all(*(select(w.subquery().c.id) for w in walks))).all()
        if not ids:
            return []
        chosen = and_(self.model.id.in_(ids), self.rank_condition(rank, key, dialect))
        statement = select(entity).where(chosen)
        return list(session.scalars(statement.order_by(self.keys[0], self.model.id).limit(wanted)))

    def find(self, session: Session, text: str, offset: int, limit: int, ids: bool = False) -> list:
        """Rows matching `text`, best first, skipping `offset`; every row when text is empty.
        `ids` gives their ids alone (a caller loading a page with its relations by id)."""
        key = search_key(text)
        entity = self.model.id if ids else self.model
        if not key:
            every = self.ordered()
            every = every.with_only_columns(entity) if ids else every
            return list(session.scalars(every.offset(offset).limit(limit)))
        found: list = []
        for rank in (EXACT, PREFIX, CONTAINS):
            wanted = offset + limit - len(found)
            rows = self.rank_rows(session, rank, key, wanted, entity)
            # Ranks come one after another: a rank shorter than the offset is skipped whole.
            skipped = min(offset, len(rows))
            found.extend(rows[skipped:])
            offset -= skipped
            if len(found) >= limit:
                break
        return found[:limit]
