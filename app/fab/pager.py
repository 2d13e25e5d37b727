"""A list's pager: which rows a page shows, the page numbers around it, a jump to any page.

Built from what the list page already knows (page, page size and the count FAB's query
returned): no statement of its own. FAB numbers pages from 0 in `page_<View>`; people
number them from 1, so the jump form sends `jump_<View>` (1-based) and
app.fab.list_arguments turns it into FAB's argument.

A count estimated past a cap (app/fab/list_counts.py) is said to be one ("about"); its
pager adds "Last page", the list's last rows found from its end (`last_<View>=1`, 2 the
page before...) without counting, and says so when a page lies past the list's real end.
"""

import re
from dataclasses import dataclass
from functools import cached_property, wraps
from urllib.parse import urlencode

from flask import request
from flask_babel import format_decimal

from app.database import as_integer
from app.fab.list_links import PAGE_ARGUMENT, link_page, this_page_url

#: The jump form's page number (1-based): jump_<View>.
JUMP_ARGUMENT = re.compile(r"^jump_(?P<view>\w+)$")
#: A page counted from the list's end (1: its last rows), in the list's order: last_<View>.
FROM_END_ARGUMENT = re.compile(r"^last_(?P<view>\w+)$")
#: Pages shown either side of the current one (the first and last are always shown).
NEARBY = 2


def page_window(current: int, pages: int, nearby: int = NEARBY) -> list[int | None]:
    """The 0-based pages a pager offers: the first, the last, `nearby` either side of the
    current one; None where pages are left out ("…")."""
    shown = {0, pages - 1, *range(max(current - nearby, 0), min(current + nearby, pages - 1) + 1)}
    window: list[int | None] = []
    for number in sorted(shown):
        if window and number - window[-1] == 2:
            window.append(number - 1)  # "…" would hide a single page: show it instead
        elif window and number - window[-1] > 2:
            window.append(None)
        window.append(number)
    return window


@dataclass(frozen=True)
class PageLink:
    """One entry of the pager: a page (0-based) or a gap (number None)."""

    number: int | None
    url: str
    current: bool


def once(method):
    """A Pager method whose answer is kept: a list page asks for the same numbers and
    addresses from its top and bottom pagers and summaries (built four times, they cost
    half a millisecond a page)."""

    @wraps(method)
    def kept_answer(self):
        answers = self.__dict__.setdefault("_answers", {})
        if method.__name__ not in answers:
            answers[method.__name__] = method(self)
        return answers[method.__name__]

    return kept_answer


@dataclass(frozen=True)
class Pager:
    """What the top and bottom pagers of a list show."""

    view: str
    page: int
    page_size: int
    count: int

    @cached_property
    def estimated(self) -> bool:
        """Whether the count is an estimate ("about"), not counted."""
        return getattr(self.count, "estimated", False)

    @cached_property
    def from_end(self) -> int:
        """Which page from the end the list shows (1: the last rows), 0 from the start."""
        return as_integer(request.args.get(f"last_{self.view}", "")) or 0

    @cached_property
    def pages(self) -> int:
        """How many pages the list has."""
        return max((self.count + self.page_size - 1) // self.page_size, 1)

    @cached_property
    def current(self) -> int | None:
        """The 0-based page shown (None: a page from the end, or past the real end, of an
        estimated list, whose number is not known)."""
        if self.estimated and (self.from_end or self.past_the_end):
            return None
        if not self.from_end:
            return self.page
        return max(self.last_row - 1, 0) // self.page_size

    @cached_property
    def past_the_end(self) -> bool:
        """Whether the page lies after the last one (it shows no rows)."""
        if self.from_end:
            return False
        found_empty = getattr(self.count, "past_the_end", False)
        return found_empty or self.page * self.page_size >= self.count

    @property
    def first_row(self) -> int:
        """The 1-based number of the page's first row (from the end: counting back)."""
        if self.from_end:
            return max(self.count - self.from_end * self.page_size + 1, 1)
        return min(self.page * self.page_size + 1, self.count)

    @property
    def last_row(self) -> int:
        """The 1-based number of the page's last row."""
        if self.from_end:
            return max(self.count - (self.from_end - 1) * self.page_size, 0)
        return min((self.page + 1) * self.page_size, self.count)

    @once
    def summary(self) -> dict[str, str]:
        """The numbers of "1-25 of 20,007" (with an en dash), in the visitor's language;
        from the end of an estimated list, the rows counted back from it ("far" to "near")."""
        return {
            "first": format_decimal(self.first_row),
            "last": format_decimal(self.last_row),
            "count": format_decimal(self.count),
            "pages": format_decimal(self.pages),
            "far": format_decimal(self.from_end * self.page_size),
            "near": format_decimal((self.from_end - 1) * self.page_size + 1),
            "rows": format_decimal(self.page_size),
            "asked": format_decimal(self.page + 1),
        }

    @once
    def links(self) -> list[PageLink]:
        """The page numbers around the current page, each with its address (from the end
        of an estimated list: the first page, then "…")."""
        if self.current is None:
            return [PageLink(0, self.page_url(0), False), PageLink(None, "", False)]
        return [
            PageLink(
                number,
                "" if number is None else self.page_url(number),
                number == self.current,
            )
            for number in page_window(self.current, self.pages)
        ]

    def page_url(self, number: int) -> str:
        """A page's address (0-based), counted from the start."""
        if not self.from_end:
            return link_page(number, self.view)
        return self.list_url(f"page_{self.view}", number)

    def from_end_url(self, pages: int) -> str:
        """The address of a page counted from the end (1: the last rows)."""
        return self.list_url(f"last_{self.view}", pages)

    def list_url(self, name: str, value: int) -> str:
        """This list's address with one page argument, the other arguments kept."""
        arguments = [(n, v) for n, v in request.args.items(multi=True) if kept(n, self.view)]
        return f"{this_page_url()}?{urlencode([*arguments, (name, value)])}"

    @once
    def previous_url(self) -> str | None:
        """The previous page's address (None on the first page; the last past the end)."""
        if self.from_end:
            if self.from_end * self.page_size >= self.count:
                return None
            return self.from_end_url(self.from_end + 1)
        if self.past_the_end and self.estimated:
            return self.from_end_url(1)
        if self.past_the_end and self.count:
            return link_page(self.pages - 1, self.view)
        return link_page(self.page - 1, self.view) if self.page > 0 else None

    @once
    def next_url(self) -> str | None:
        """The next page's address (None on the last page)."""
        if self.from_end:
            return self.from_end_url(self.from_end - 1) if self.from_end > 1 else None
        return link_page(self.page + 1, self.view) if self.page + 1 < self.pages else None

    def jump_action(self) -> str:
        """Where the jump form goes: this page."""
        return this_page_url()

    @once
    def jump_kept(self) -> list[tuple[str, str]]:
        """The address's arguments the jump keeps (filters, order, page size, other lists'
        pages): all but this list's page and a jump."""
        return [
            (name, value) for name, value in request.args.items(multi=True) if kept(name, self.view)
        ]


def kept(name: str, view: str) -> bool:
    """Whether an argument stays when a list jumps: not a jump, nor a page of that list
    (from its start or its end)."""
    page = PAGE_ARGUMENT.search(name) or FROM_END_ARGUMENT.match(name)
    return not JUMP_ARGUMENT.match(name) and not (page and page["view"] == view)
