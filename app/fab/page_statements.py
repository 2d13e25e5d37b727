"""A list page's statement: the page's ids in the list's order (no joins for the rows an
OFFSET skips), then those rows with the relations they show, in one statement.

Building it cost more than running it: SQLAlchemy sets up the ORM columns of the ids'
subquery and the statement's cache key anew each time (about 0.6 ms of a 8 ms album list).
An unfiltered list's statement is the same on every request but for the page's place, a
bound parameter, so it is built once per data model, order and direction.
"""

from sqlalchemy import bindparam, select

#: Statements kept per data model: the orders its lists offer, both ways. An address or
#: API call may name any column (sorted by id then); past this many, they are built anew.
KEPT_STATEMENTS = 64


def page_bounds(page: int | None, page_size: int | None) -> dict[str, int]:
    """The bound parameters of a page's place (none for a list shown whole)."""
    if not page_size:
        return {}
    return {"page_start": (page or 0) * page_size, "page_rows": page_size}


def page_statement(datamodel, matching, order_column: str, order_direction: str,
                   limited: bool, plain: bool):  # fmt: skip
    """The statement of a page of the rows whose ids `matching` selects (`limited`: a page,
    not the whole list); `plain`: `matching` has no filter, so the statement is kept."""
    if not plain:
        return build_page_statement(datamodel, matching, order_column, order_direction, limited)
    kept = datamodel.page_statements
    key = (order_column, order_direction, limited)
    statement = kept.get(key)
    if statement is None:
        statement = build_page_statement(
            datamodel, matching, order_column, order_direction, limited
        )
        if len(kept) < KEPT_STATEMENTS:
            kept[key] = statement
    return statement


def build_page_statement(datamodel, matching, order_column: str, order_direction: str,
                         limited: bool):  # fmt: skip
    """The page's ids, ordered by the list's sort keys then the id, joined to their rows in
    the same order; the page's place comes as page_start and page_rows (page_bounds)."""
    model = datamodel.obj
    matching, keys, direction = datamodel.sort_keys(matching, order_column, order_direction)
    labelled = [key.label(f"sort_key_{number}") for number, key in enumerate(keys)]
    ordered = matching.add_columns(*labelled).order_by(
        *(direction(key) for key in keys), direction(model.id)
    )
    if limited:
        ordered = ordered.offset(bindparam("page_start")).limit(bindparam("page_rows"))
    page_ids = ordered.subquery()
    return (
        select(model)
        .join(page_ids, model.id == page_ids.c.id)
        .order_by(*(direction(page_ids.c[key.name]) for key in labelled))
        .order_by(direction(page_ids.c.id))
        .options(*datamodel.list_load)
    )
