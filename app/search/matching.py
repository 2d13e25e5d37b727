"""Ranked matching on search keys: exact matches first, then prefixes, then the rest."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, not_, or_, select
from sqlalchemy.orm import Session

from app.search.keys import search_key

#: Sorts after any character a key holds: closes the range of keys sharing a prefix,
#: which a B-tree index answers on both databases (LIKE 'x%' would need special operators).
PREFIX_END = "\U0010ffff"


def key_contains(key_column, key: str) -> ColumnElement:
    """The key holds `key` anywhere (PostgreSQL answers it from the trigram index)."""
    return key_column.contains(key, autoescape=True)


def key_starts_with(key_column, key: str) -> ColumnElement:
    """The key begins with `key`."""
    return and_(key_column >= key, key_column < key + PREFIX_END)


def text_contains(model, column_name: str, text: str) -> ColumnElement:
    """A model's text column contains `text`, folded: "cafe" finds "Café"."""
    key_column = getattr(model, model.search_keys[column_name])
    return key_contains(key_column, search_key(text))


@dataclass(frozen=True)
class Matcher:
    """How rows of a model are found by typed text: the key columns it matches on.

    The first key orders the results; joins bring in keys of related tables.
    """

    model: type
    keys: tuple
    joins: tuple = ()

    def tiers(self, key: str) -> list[ColumnElement]:
        """Conditions for each rank: equal to the text, starting with it, containing it."""

        def any_key(condition) -> ColumnElement:
            return or_(*(condition(column, key) for column in self.keys))

        exact = any_key(lambda column, text: column == text)
        prefix = any_key(key_starts_with)
        return [exact, and_(prefix, not_(exact)), and_(any_key(key_contains), not_(prefix))]

    def ordered(self, condition=None):
        """The model's rows (matching a condition) in key order, ties broken by id."""
        statement = select(self.model)
        for join in self.joins:
            statement = statement.join(join)
        if condition is not None:
            statement = statement.where(condition)
        return statement.order_by(self.keys[0], self.model.id)

    def find(self, session: Session, text: str, offset: int, limit: int) -> list:
        """Rows matching `text`, best first, skipping `offset`; every row when text is empty."""
        key = search_key(text)
        if not key:
            return list(session.scalars(self.ordered().offset(offset).limit(limit)))
        found: list = []
        for condition in self.tiers(key):
            wanted = offset + limit - len(found)
            rows = list(session.scalars(self.ordered(condition).limit(wanted)))
            # Ranks come one after another: a rank shorter than the offset is skipped whole.
            skipped = min(offset, len(rows))
            found.extend(rows[skipped:])
            offset -= skipped
            if len(found) >= limit:
                break
        return found[:limit]
