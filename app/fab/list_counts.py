"""How many rows a filtered list has: counted exactly up to a cap, estimated beyond it.

Counting every match costs as much as the catalog is big (a title filter at 1,000,000 songs
reads a million rows). Counting up to CATALOG_LIST_EXACT_COUNT_CAP (TEXT_COUNT_CAP for a
text filter alone) reads at most that many matches; past it, the list estimates from the
matches among a bounded sample of ids, spread over the table, and says "about"; unless the
sample shows the matches added together (in a few of its ranges), which it cannot estimate:
those are counted on, up to CLUSTERED_COUNT_CAP. The sample, not PostgreSQL's planner
estimate: the same figure on both databases, no dependence on fresh statistics (a
bulk-loaded catalog has none until autovacuum runs), and a "contains" filter's planner
estimate is a fixed guess per pattern.
"""

from flask import current_app
from sqlalchemy import func, select, union_all

from app.catalog_tallies import whole_count
from app.fab.filters import KeyFilter
from app.search.substrings import TRIGRAM_WALK, walked_from_trigrams

#: Matching rows a filtered list counts exactly, unless the app sets CATALOG_LIST_EXACT_COUNT_CAP.
EXACT_COUNT_CAP = 10_000
#: The cap of a list filtered by text alone (a title or name), when lower. Counting its
#: matches reads their rows: 10,001 of River's 51,850 titles lay on 3,000 pages at 1,000,000
#: songs (24-41 ms on PostgreSQL), 1,001 took 5-9 ms. Its matches lie across the table as titles
#: do, so the sample's "about" is close; an album's or author's songs were added together,
#: which no sample spread over the table estimates (and an index counts them cheaply).
TEXT_COUNT_CAP = 1_000
#: Ids the estimate samples at least (a larger cap samples as many).
SAMPLE_IDS = 10_000
#: Id ranges the sample takes, evenly spread (old and new rows alike).
SLICES = 10
#: The cap of a list whose sample shows its rows added together (added_together).
CLUSTERED_COUNT_CAP = 50_000


class EstimatedCount(int):
    """A list's count that was estimated, not counted (pages say "about")."""

    estimated = True

    def __new__(cls, value: int, past_the_end: bool = False):
        """The estimate; past_the_end: the page asked for was found empty."""
        count = super().__new__(cls, value)
        count.past_the_end = past_the_end
        return count


def count_rows(session, model, filters, matching) -> int:
    """How many rows a list has: all of a table's (a catalog table's kept count), or a
    filtered list's up to a cap, estimated beyond it (the same few rows at any size)."""
    if filters is None or not filters.filters:
        # A catalog table's from its kept counter: counting a million songs is most of a
        # page's time. Others by count(*), which SQLite answers from the table's b-tree.
        kept = whole_count(session, model)
        if kept is not None:
            return kept
        return session.scalar(select(func.count()).select_from(model))
    cap = exact_count_cap(filters.filters)
    counted = capped_count(session, walked(matching), cap)
    if counted <= cap:
        return counted
    found, scale = sampled_counts(session, model, matching, max(cap, SAMPLE_IDS))
    estimate = round(sum(found) * scale)
    if added_together(found, estimate, cap + 1):
        # A sample spread over the table misses or overweighs rows added together (an
        # author's import): counted on instead, from the filter's index, where they lie
        # together too (15,050 of an author's songs at 1,000,000 songs: 1.6 ms on SQLite).
        counted = capped_count(session, walked(matching), CLUSTERED_COUNT_CAP)
        if counted <= CLUSTERED_COUNT_CAP:
            return counted
        cap = CLUSTERED_COUNT_CAP
    return EstimatedCount(about(estimate, cap + 1))


def exact_count_cap(filters) -> int:
    """How many matching rows a list with these filters counts before it estimates."""
    cap = int(current_app.config.get("CATALOG_LIST_EXACT_COUNT_CAP", EXACT_COUNT_CAP))
    if all(isinstance(applied, KeyFilter) for applied in filters):
        return min(cap, TEXT_COUNT_CAP)
    return cap


def walked(matching):
    """The query to count: from the substring index's matches when a "contains" filter
    found many there (SQLite, app/fab/filters.py KeyContains). Counting them up to the cap
    in title order scans every title until cap + 1 match: 94-106 ms for "velvet e" (2,892
    matches) at 1,000,000 songs, against 3.6 ms. The sample keeps `matching`: ten walks of
    1,000 ids."""
    walk = matching.get_execution_options().get(TRIGRAM_WALK)
    return matching if walk is None else walked_from_trigrams(matching, *walk)


def capped_count(session, matching, cap: int) -> int:
    """How many rows the `matching` query selects, counted up to cap + 1."""
    limited = matching.limit(cap + 1).subquery()
    return session.scalar(select(func.count()).select_from(limited))


def sampled_counts(session, model, matching, sample: int) -> tuple[list[int], float]:
    """The rows `matching` selects in each of SLICES ranges of about `sample` ids in all,
    spread from the lowest id to the highest, and the factor from their sum to the whole
    id range (gaps taken as evenly spread)."""
    # Two subqueries: SQLite reads min() or max() alone from the index's end, both at
    # once by scanning it (1.6 s at 1,000,000 songs).
    ends = (
        select(func.min(model.id)).scalar_subquery(),
        select(func.max(model.id)).scalar_subquery(),
    )
    low, high = session.execute(select(*ends)).one()
    if low is None:
        return [0], 0.0
    span = high - low + 1
    if span <= sample:
        ranges = [(low, high)]
    else:
        width, step = max(sample // SLICES, 1), span // SLICES
        ranges = [(low + n * step, low + n * step + width - 1) for n in range(SLICES)]
    # A count per range: each is a walk of 1,000 primary keys. Their OR in one WHERE let
    # PostgreSQL AND them with the text's whole trigram bitmap, which grows with the
    # catalog (11 ms against 2.6 ms for River at 1,000,000 songs).
    counts = [
        select(func.count().label("found")).select_from(
            matching.filter(model.id.between(a, b)).subquery()
        )
        for a, b in ranges
    ]
    found = session.scalars(union_all(*counts) if len(counts) > 1 else counts[0]).all()
    return found, span / sum(b - a + 1 for a, b in ranges)


def added_together(found: list[int], estimate: int, known: int) -> bool:
    """Whether the sample's matches lie in a few of its ranges (more in one than chance
    spreads: over four standard deviations of the mean), or it saw fewer than are `known`
    to match: rows that cluster by id, which the sample cannot estimate."""
    mean = sum(found) / len(found)
    return estimate < known or max(found) > mean + 4 * mean**0.5 + 3


def about(value: int, floor: int) -> int:
    """An estimate to two significant figures ("about 84,000", not 84,317), never below floor
    (rows known to be there: rounded up from it)."""
    rounded = round_figures(max(value, floor), round)
    return rounded if rounded >= floor else round_figures(floor, ceiling)


def round_figures(value: int, rounding) -> int:
    """A whole number to two significant figures, by `rounding` (round or ceiling)."""
    unit = 10 ** max(len(str(value)) - 2, 0)
    return rounding(value / unit) * unit


def ceiling(value: float) -> int:
    """The smallest whole number not below value."""
    return -int(-value // 1)


def after_page(count: EstimatedCount, page: int, page_size: int | None, shown: int):
    """The estimate corrected by the page just read: the exact count on the list's last page
    (fewer rows than a page), at least the rows seen on a full one, flagged past the end on
    an empty one (kept above the page so the list flags no page of its own)."""
    if page_size is None:
        return count
    if shown == 0 and page > 0:
        return EstimatedCount(max(count, page * page_size + 1), past_the_end=True)
    if shown < page_size:
        return page * page_size + shown
    return EstimatedCount(about(count, (page + 1) * page_size + 1))
