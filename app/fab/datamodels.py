"""FAB's data interface for catalogs of any size: pages in three statements, filters checked,
refusals in words, rows and their files deleted together (see file_rows.py for songs and
albums)."""

from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext
from sqlalchemy import asc, desc, func
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import aliased

from app.database import as_integer
from app.fab.filters import CatalogFilterConverter, ForeignKeyEqual
from app.fab.list_arguments import pages_from_end
from app.fab.list_counts import after_page, count_rows
from app.fab.page_statements import page_bounds, page_statement
from app.media.file_store import FileStore
from app.web.json_answers import RefusedArgument
from app.web.outages import outage_behind

BAD_FILTER = lazy_gettext("A filter value does not fit its column (a whole number, no NUL).")
DATABASE_REFUSED = lazy_gettext(
    "The database refused the change, so nothing was saved. "
    "Check for a conflicting record and try again."
)
DATABASE_UNREACHABLE = lazy_gettext(
    "The database could not be reached, so nothing was saved. Please try again in a minute."
)


def why_not_saved(error: SQLAlchemyError):
    """What to tell a user whose change the database did not take."""
    return DATABASE_UNREACHABLE if outage_behind(error) else DATABASE_REFUSED


class CatalogDataModel(SQLAInterface):
    """SQLAInterface for catalogs of any size, whose add errors read as a sentence.

    A list page costs the same few statements whatever the page number or catalog size:
    the count (a filtered one up to a cap, two more to estimate past it), then the page's
    ids in order (no joins for the rows an OFFSET skips) with the relations they show.
    """

    filter_converter_class = CatalogFilterConverter
    # FAB's related views (an album's songs) filter with this: by foreign key, no lookup.
    FilterRelationOneToManyEqual = ForeignKeyEqual

    def __init__(
        self,
        obj,
        session=None,
        list_load: tuple = (),
        computed=None,
        list_computed=None,
        through_relations=None,
    ) -> None:
        super().__init__(obj, session)
        #: Filter name -> (own foreign key, related id, related foreign key): rows filtered
        #: by a relation of a related row (songs by their album's author).
        self.through_relations = through_relations or {}
        #: Loader options for the relations a list shows (one query per page, not per row).
        self.list_load = list_load
        #: Column name -> function of the row: what pages show that is no model data.
        self.computed = computed or {}
        #: The same, on list pages only (a row's title linking to its own page).
        self.list_computed = {**self.computed, **(list_computed or {})}
        #: (order, direction, paged) -> an unfiltered list's page statement (page_statement).
        self.page_statements = {}

    def value_of(self, item, column: str, computed: dict | None = None):
        """A column's value for a row: computed by the view, or read from the model."""
        compute = (self.computed if computed is None else computed).get(column)
        if compute:
            return compute(item)
        value = item
        for name in column.split("."):  # "album.title": through a relation
            value = getattr(value, name, None)
            if value is None:
                return None
        return value() if callable(value) else value

    def get_values(self, lst, list_columns):
        """Each row's values for a list page."""
        computed = self.list_computed
        lst = list(lst)
        for column in list_columns:
            # A column that looks a page's rows up at once (the user's hearts), not per row.
            prefetch = getattr(computed.get(column), "prefetch", None)
            if prefetch:
                prefetch(lst)
        for item in lst:
            yield {column: self.value_of(item, column, computed) for column in list_columns}

    def get_values_item(self, item, show_columns):
        """One row's values for a show page."""
        return [self.value_of(item, column) for column in show_columns]

    def get(self, id, filters=None, select_columns=None, outer_default_load=False):
        """A row by id; an id no row can have (text, out of range) finds nothing (a 404)."""
        row_id = as_integer(id)
        if row_id is None:
            return None
        return super().get(row_id, filters, select_columns, outer_default_load)

    def apply_filters(self, query, filters):
        """FAB's filters, once their values fit their columns (else a 400).

        A number filter left blank is not applied (it was a server error on PostgreSQL).
        """
        if filters:
            kept = []
            for flt, value in zip(filters.filters, filters.values, strict=True):
                value = self.checked_filter_value(flt.column_name, value)
                if value not in ("", []):
                    kept.append((flt, value))
            # FAB joins the filters into a new object per request: changing it is safe.
            filters.filters, filters.values = [f for f, _ in kept], [v for _, v in kept]
        return super().apply_filters(query, filters)

    def checked_filter_value(self, column: str, value):
        """A filter's value (one, or a list from a repeated argument) without blank numbers;
        a 400 for text with NUL or a number no column holds."""
        if isinstance(value, list):
            checked = (self.checked_filter_value(column, item) for item in value)
            return [item for item in checked if item != ""]
        numeric = self.is_numeric(column)
        if numeric and not str(value).strip():
            return ""
        if "\x00" in str(value) or (numeric and as_integer(value) is None):
            raise RefusedArgument(str(BAD_FILTER))
        return value

    def is_numeric(self, column: str) -> bool:
        """Whether a column's filter values must be whole numbers (integers, foreign keys)."""
        if self.is_through_relation(column):
            return True
        return self.is_integer(column) or self.is_relation_many_to_one(column)

    def get_filters(self, search_columns=None, search_filters=None):
        """FAB's filters, which take only model columns from the address, plus ours."""
        filters = super().get_filters(search_columns, search_filters)
        for column in self.through_relations:
            filters._all_filters[column] = self.filter_converter_class(self).convert(column)
        return filters

    def is_through_relation(self, column: str) -> bool:
        """Whether the filter follows a relation of a related row (see through_relations)."""
        return column in self.through_relations

    def is_search_keyed(self, col_name: str) -> bool:
        """Whether the column is text with a search key (matched and sorted folded)."""
        return col_name in getattr(self.obj, "search_keys", {})

    def query(
        self,
        filters=None,
        order_column: str = "",
        order_direction: str = "",
        page: int | None = None,
        page_size: int | None = None,
        select_columns=None,
        outer_default_load: bool = False,
    ):
        """(number of matching rows, the requested page of them): a filtered list's count
        is exact up to a cap, else an EstimatedCount (app/fab/list_counts.py)."""
        matching = self.apply_filters(self.session.query(self.obj.id), filters)
        count = count_rows(self.session, self.obj, filters, matching)
        if not count:
            return 0, []
        # apply_filters kept only the filters it applied.
        plain = filters is None or not filters.filters
        from_end = pages_from_end(self)
        if from_end:
            # The last pages without counting: the list in reverse, shown in its own order.
            reverse = "asc" if order_direction == "desc" else "desc"
            rows = self.page_of(matching, order_column, reverse, from_end - 1, page_size, plain)
            return count, rows[::-1]
        rows = self.page_of(matching, order_column, order_direction, page, page_size, plain)
        if getattr(count, "estimated", False):
            count = after_page(count, page or 0, page_size, len(rows))
        return count, rows

    def page_of(self, matching, order_column: str, order_direction: str, page, page_size,
                plain: bool = False):  # fmt: skip
        """One page of the rows whose ids `matching` selects, in the list's order, in one
        statement (app/fab/page_statements.py; `plain`: `matching` has no filter)."""
        statement = page_statement(
            self, matching, order_column, order_direction, bool(page_size), plain
        )
        return list(self.session.scalars(statement, page_bounds(page, page_size)).unique())

    def files_of(self, item) -> list[tuple[FileStore, str]]:
        """The stored files that go with a row (none by default)."""
        return []

    def delete_all(self, items) -> None:
        """Delete rows in one transaction, then their files once it is committed (none when
        it fails: every row and file stays as it was)."""
        files = [(store, name) for item in items for store, name in self.files_of(item) if name]
        try:
            for item in items:
                self.session.delete(item)
            self.session.commit()
        except SQLAlchemyError as error:
            self.session.rollback()
            raise DatabaseException(str(why_not_saved(error))) from error
        for store, name in files:
            store.delete(name)

    def set_all(self, items, column: str, value) -> None:
        """Set one column on every row, in one transaction."""
        try:
            for item in items:
                setattr(item, column, value)
            self.session.commit()
        except SQLAlchemyError as error:
            self.session.rollback()
            raise DatabaseException(str(why_not_saved(error))) from error

    def all_rows(self, filters, order_column: str, order_direction: str, batch_rows: int):
        """Every matching row in the list's order, loaded batch by batch (for exports: the
        database streams them, memory stays flat)."""
        query = self.apply_filters(self.session.query(self.obj), filters)
        query, keys, direction = self.sort_keys(query, order_column, order_direction)
        query = query.order_by(*(direction(key) for key in keys), direction(self.obj.id))
        return query.options(*self.list_load).yield_per(batch_rows)

    def sort_keys(self, query, order_column: str, order_direction: str):
        """(query, columns, asc or desc): order by a column (text by its search key) or a
        related one (the query gains its join); by id when the column is not sortable.

        A related column is followed by the related row's id: rows then come in the order
        of the related table's (key, id) index and its children's (parent id, id) index,
        which the database walks without sorting every row (songs by album title).
        """
        direction = desc if order_direction == "desc" else asc
        model, column_name = self.obj, order_column
        if "." in order_column:
            relation, column_name = order_column.split(".", 1)
            if not self.is_relation_many_to_one(relation):
                return query, [self.obj.id], direction
            model = self.get_related_model(relation)
        column_name = getattr(model, "search_keys", {}).get(column_name, column_name)
        if column_name not in model.__table__.columns:
            return query, [self.obj.id], direction
        if model is self.obj:
            return query, [getattr(model, column_name)], direction
        related = aliased(model)
        link = getattr(self.obj, relation)
        # A required relation joins inner, which lets the database start from the related
        # table's index; an optional one keeps the rows that have none.
        required = not any(column.nullable for column in link.property.local_columns)
        query = query.join(related, link) if required else query.outerjoin(related, link)
        return query, [getattr(related, column_name), related.id], direction

    def add(self, item, commit: bool = True) -> None:
        """Add a row; a database refusal becomes a user-readable DatabaseException."""
        try:
            super().add(item, commit)
        except SQLAlchemyError as error:
            raise DatabaseException(str(why_not_saved(error))) from error


class CappedDataModel(CatalogDataModel):
    """A list counted only up to a cap (no request counts a whole long table), whose view
    may add a base filter of its own: a function giving the signed-in user's id."""

    def checked_filter_value(self, column: str, value):
        """Checked as the catalog's filters are; a view's own filter (a function) is not from
        the address and needs no check."""
        if callable(value):
            return value
        return super().checked_filter_value(column, value)

    #: Where `query` stops counting (None: it counts every row, as the catalog's lists do).
    count_cap: int | None = None

    def query(self, filters=None, order_column="", order_direction="", page=None,
              page_size=None, select_columns=None, outer_default_load=False):  # fmt: skip
        """(matching rows up to count_cap, the requested page of them)."""
        if self.count_cap is None:
            return super().query(filters, order_column, order_direction, page, page_size)
        count, matching = self.capped_count(filters, self.count_cap)
        if not count:
            return 0, []
        return count, self.page_of(matching, order_column, order_direction, page, page_size)

    def capped_count(self, filters, cap: int):
        """(how many rows match, counted up to cap; the query of the matching ids)."""
        matching = self.apply_filters(self.session.query(self.obj.id), filters)
        count = (
            self.session.query(func.count()).select_from(matching.limit(cap).subquery()).scalar()
        )
        return count, matching
