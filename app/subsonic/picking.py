"""Reading rows a page at a time without scanning the catalog: by a page of ids kept in
order, by id along the primary key (what sync clients page through), and at random."""

import bisect
import random
import threading
from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.models.changes import latest_changes
from app.search.matching import Matcher

#: Rounds of random ids tried before the database shuffles what is left (sparse ids, filters).
ROUNDS = 3


def by_ids(session: Session, model, ids: list[int]) -> list:
    """The rows with these ids, in the ids' order (missing ones left out)."""
    if not ids:
        return []
    rows = {row.id: row for row in session.scalars(select(model).where(model.id.in_(ids)))}
    return [rows[number] for number in ids if number in rows]


@dataclass
class PageEnds:
    """Where id pages ended, while the catalog stays as it was: offset -> the id just
    before it. Ids only grow, so only a deletion (a catalog change) moves them."""

    fingerprint: tuple
    offsets: list[int] = field(default_factory=list)
    ids: dict[int, int] = field(default_factory=dict)

    def nearest(self, offset: int) -> tuple[int, int | None]:
        """The closest known offset at or before `offset`, and the id just before it."""
        at = bisect.bisect_right(self.offsets, offset)
        return (self.offsets[at - 1], self.ids[self.offsets[at - 1]]) if at else (0, None)

    def add(self, offset: int, last_id: int) -> None:
        """Remember that the row before `offset` has id `last_id`."""
        if offset not in self.ids and len(self.offsets) < MAX_PAGE_ENDS:
            bisect.insort(self.offsets, offset)
            self.ids[offset] = last_id


#: Per process and table. A sync client walks the catalog page after page (offset 999,000
#: of a million songs was 60-100 ms of index walking on PostgreSQL); from the page before's
#: end the next page is one index range. A million songs in pages of 50 is 20,000 ends.
PAGE_ENDS: dict[str, PageEnds] = {}
MAX_PAGE_ENDS = 50_000
PAGE_ENDS_LOCK = threading.Lock()
#: A page further than FAR rows from any known end first marks an end every STEP rows up
#: to it, in one statement: 1.4 times the walk one OFFSET makes (223 ms against 155 ms to
#: offset 999,000 on PostgreSQL), once per catalog change, and no later page walks more
#: than STEP rows.
STEP, FAR = 1000, 4000
#: Each step skips STEP - 1 ids along the primary key from the end before it.
MARKING = """
WITH RECURSIVE marked(n, id) AS (
    SELECT CAST(:start AS BIGINT), CAST(:after AS BIGINT)
    UNION ALL
    SELECT n + :step, (SELECT t.id FROM {table} t WHERE t.id > marked.id ORDER BY t.id
                       LIMIT 1 OFFSET :skip)
    FROM marked WHERE n + :step <= :upto AND marked.id IS NOT NULL
)
SELECT n, id FROM marked WHERE n > :start AND id IS NOT NULL
"""


def page_ends(session: Session, model) -> PageEnds:
    """The page ends known for the model's table, forgotten when the catalog changed."""
    # New rows get higher ids, after every end: only a recorded change can move an end.
    changed = session.execute(select(*latest_changes())).one()
    current = (str(session.get_bind().url), *changed)
    with PAGE_ENDS_LOCK:
        kept = PAGE_ENDS.get(model.__tablename__)
        if kept is None or kept.fingerprint != current:
            kept = PageEnds(current)
            PAGE_ENDS[model.__tablename__] = kept
        return kept


def id_page(session: Session, model, offset: int, limit: int) -> list:
    """Rows in id order, skipping `offset`: from the nearest page end this process has seen
    (see PageEnds), else walking the primary key's index alone (no row is read until the
    page is found), so deep pages stay cheap."""
    if limit <= 0:
        return []
    page = select(model.id).order_by(model.id).limit(limit)
    if not offset:
        return by_ids(session, model, list(session.scalars(page)))
    ends = page_ends(session, model)
    with PAGE_ENDS_LOCK:
        start, after = ends.nearest(offset)
    if offset - start > FAR:
        start, after = mark_ends(session, model, ends, start, after, offset)
    if after is not None:
        page = page.where(model.id > after)
    ids = list(session.scalars(page.offset(offset - start)))
    if ids:
        with PAGE_ENDS_LOCK:
            ends.add(offset + len(ids), ids[-1])
    return by_ids(session, model, ids)


def mark_ends(session: Session, model, ends: PageEnds, start: int, after, upto: int):
    """Mark an end every STEP rows from `start` up to `upto`; the nearest end to `upto`."""
    query = text(MARKING.format(table=model.__table__.name))
    # Ids are positive: 0 stands before the first when no end is known yet.
    values = {"start": start, "after": after or 0, "step": STEP, "skip": STEP - 1, "upto": upto}
    rows = session.execute(query, values).all()
    with PAGE_ENDS_LOCK:
        for offset, last_id in rows:
            ends.add(offset, last_id)
        return ends.nearest(upto)


def matching_page(session: Session, matcher: Matcher, text: str, offset: int, limit: int) -> list:
    """The rows Matcher.find gives (exact, then prefix, then anywhere), each rank read from
    bounded index probes, found by id alone: a deep offset skips ids, not whole rows with
    their albums and authors, and a rare text reads its few matches, not every key."""
    return by_ids(session, matcher.model, matcher.find(session, text, offset, limit, ids=True))


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
