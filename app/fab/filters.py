"""List filters that scale: folded text matching and relations compared by foreign key."""

from flask_appbuilder.models.filters import BaseFilter, FilterRelation
from flask_appbuilder.models.sqla.filters import SQLAFilterConverter
from flask_babel import lazy_gettext
from sqlalchemy import false, not_, select

from app.search.keys import search_key
from app.search.matching import key_contains, key_starts_with, probed_contains
from app.search.substrings import TRIGRAM_WALK


class KeyFilter(BaseFilter):
    """A filter on a text column that compares its folded search key, as /search/ does."""

    def key_column(self):
        """The search key column kept for this filter's text column."""
        return getattr(self.model, self.model.search_keys[self.column_name])

    def apply(self, query, value):
        """Keep the rows whose key satisfies this filter's condition."""
        return query.filter(self.condition(self.key_column(), search_key(value)))

    def condition(self, key_column, key: str):
        """The SQL condition on the key column."""
        raise NotImplementedError


# arg_names are our own: FAB keeps one global arg_name -> filter class map for its REST API.
class KeyContains(KeyFilter):
    """Text contains the value, ignoring case, accents and punctuation."""

    name = lazy_gettext("contains")
    arg_name = "key_ct"

    def apply(self, query, value):
        """The key contains the folded value: few matches by their ids from the substring
        index (a title search then reads no other song), many by the key itself, and the
        query then names the index for its count to walk (app/fab/list_counts.py)."""
        key_column, key = self.key_column(), search_key(value)
        condition, many = probed_contains(self.datamodel.session, key_column, key)
        query = query.filter(condition)
        if many and TRIGRAM_WALK not in query.get_execution_options():
            query = query.execution_options(**{TRIGRAM_WALK: (key_column, key)})
        return query


class KeyStartsWith(KeyFilter):
    """Text starts with the value, ignoring case, accents and punctuation."""

    name = lazy_gettext("starts with")
    arg_name = "key_sw"

    def condition(self, key_column, key: str):
        """The key starts with the folded value."""
        return key_starts_with(key_column, key)


class KeyEqual(KeyFilter):
    """Text equals the value, ignoring case, accents and punctuation."""

    name = lazy_gettext("is exactly")
    arg_name = "key_eq"

    def condition(self, key_column, key: str):
        """The key equals the folded value."""
        return key_column == key


class KeyNotContains(KeyFilter):
    """Text does not contain the value, ignoring case, accents and punctuation."""

    name = lazy_gettext("does not contain")
    arg_name = "key_nct"

    def condition(self, key_column, key: str):
        """The key does not contain the folded value."""
        return not_(key_contains(key_column, key))


class ForeignKeyFilter(FilterRelation):
    """A many-to-one relation compared by its foreign key: no query for the related row."""

    def apply(self, query, value):
        """Keep the rows whose foreign key satisfies this filter's condition."""
        try:
            related_id = int(value)
        except (TypeError, ValueError):
            return query.filter(false())
        foreign_key = self.datamodel.get_relation_fk(self.column_name)
        return query.filter(self.condition(foreign_key, related_id))

    def condition(self, foreign_key, related_id: int):
        """The SQL condition on the foreign key."""
        raise NotImplementedError


class ForeignKeyEqual(ForeignKeyFilter):
    """The row belongs to the chosen related row."""

    name = lazy_gettext("is")
    arg_name = "fk_eq"

    def condition(self, foreign_key, related_id: int):
        """The foreign key is the chosen id."""
        return foreign_key == related_id


class ForeignKeyNotEqual(ForeignKeyFilter):
    """The row belongs to another related row than the chosen one."""

    name = lazy_gettext("is not")
    arg_name = "fk_neq"

    def condition(self, foreign_key, related_id: int):
        """The foreign key is another id."""
        return foreign_key != related_id


class ThroughRelationEqual(BaseFilter):
    """The row's related row belongs to the chosen one (a song by its album's author)."""

    name = lazy_gettext("is")
    arg_name = "via_eq"

    def apply(self, query, value):
        """Keep the rows whose related row has the chosen id as its own relation."""
        try:
            chosen_id = int(value)
        except (TypeError, ValueError):
            return query.filter(false())
        own_key, related_id, related_key = self.datamodel.through_relations[self.column_name]
        return query.filter(own_key.in_(select(related_id).where(related_key == chosen_id)))


class CatalogFilterConverter(SQLAFilterConverter):
    """FAB's filters per column type, with ours for keyed text and many-to-one relations."""

    conversion_table = (
        ("is_search_keyed", [KeyContains, KeyStartsWith, KeyEqual, KeyNotContains]),
        ("is_relation_many_to_one", [ForeignKeyEqual, ForeignKeyNotEqual]),
        ("is_through_relation", [ThroughRelationEqual]),
        *SQLAFilterConverter.conversion_table,
    )

    def convert(self, col_name: str) -> list | None:
        """The column's filters, made once per datamodel.

        FAB converts every column of the model again on each list request (~150 filter
        objects); the filters hold no request state, so they are shared.
        """
        made = self.datamodel.__dict__.setdefault("converted_filters", {})
        if col_name not in made:
            made[col_name] = super().convert(col_name)
        # A copy: FAB extends a column's list in place with a view's search_filters.
        return None if made[col_name] is None else list(made[col_name])
