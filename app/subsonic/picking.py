"""Reading rows a page at a time without scanning the catalog: by a page of ids kept in
order, by id along the primary key (what sync clients page through), and at random."""

import random

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.search.keys import search_key
from app.search.matching import Matcher

#: Rounds of random ids tried before the database shuffles what is left (sparse ids, filters).
ROUNDS = 3


def by_ids(session: Session, model, ids: list[int]) -> list:
    """The rows with these ids, in the ids' order (missing ones left out)."""
    if not ids:
        return []
    rows = {row.id: row for row in session.scalars(select(model).where(model.id.in_(ids)))}
    return [rows[number] for number in ids if number in rows]


def id_page(session: Session, model, offset: int, limit: int) -> list:
    """Rows in id order, skipping `offset`: the skipping walks the primary key's index alone
    (no row is read until the page is found), so deep pages stay cheap."""
    if limit <= 0:
        return []
    page = select(model.id).order_by(model.id).offset(offset).limit(limit)
    return by_ids(session, model, list(session.scalars(page)))


def matching_page(session: Session, matcher: Matcher, text: str, offset: int, limit: int) -> list:
    """The rows Matcher.find would give (exact, then prefix, then anywhere), found by id
    alone: a deep offset skips ids, not whole rows with their albums and authors."""
    key = search_key(text)
    found: list[int] = []
    for condition in matcher.tiers(key):
        wanted = offset + limit - len(found)
        query = matcher.ordered(condition).with_only_columns(matcher.model.id).limit(wanted)
        ids = list(session.scalars(query))
        # Ranks come one after another: a rank shorter than the offset is skipped whole.
        skipped = min(offset, len(ids))
        found.extend(ids[skipped:])
        offset -= skipped
        if len(found) >= limit:
            break
    return by_ids(session, matcher.model, found[:limit])


def random_rows(session: Session, model, size: int, *conditions) -> list:
    """Up to `size` rows at random (meeting `conditions`): random ids between the lowest and
    highest are tried first, each round one indexed lookup; what is still missing is
    left to ORDER BY random() over the matching rows (a scan, so only for filters and
    for catalogs whose ids have gaps)."""
    low, high = session.execute(select(func.min(model.id), func.max(model.id))).one()
    if low is None or size <= 0:
        return []
    rng = random.Random()  # noqa: S311 - a shuffle, not a secret
    chosen: dict[int, object] = {}
    # Filters, or a page that would cover most of the ids: let the database shuffle at once.
    direct = conditions or size * 2 >= high - low + 1
    for _ in range(0 if direct else ROUNDS):
        wanted = size - len(chosen)
        sample = {rng.randint(low, high) for _ in range(wanted * 2)} - chosen.keys()
        query = select(model).where(model.id.in_(sample)).limit(wanted)
        chosen.update((row.id, row) for row in session.scalars(query))
        if len(chosen) >= size:
            break
    if len(chosen) < size:
        query = select(model).where(*conditions).order_by(func.random()).limit(size - len(chosen))
        if chosen:
            query = query.where(model.id.not_in(list(chosen)))
        chosen.update((row.id, row) for row in session.scalars(query))
    rows = list(chosen.values())
    rng.shuffle(rows)
    return rows
