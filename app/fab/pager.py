"""A list's pager: which rows a page shows, the page numbers around it, a jump to any page.

Built from what the list page already knows (page, page size and the count FAB's query
returned): no statement of its own. FAB numbers pages from 0 in `page_<View>`; people
number them from 1, so the jump form sends `jump_<View>` (1-based) and
app.fab.list_arguments turns it into FAB's argument.
"""

import re
from dataclasses import dataclass

from flask import request
from flask_babel import format_decimal

from app.fab.list_links import PAGE_ARGUMENT, link_page, this_page_url

#: The jump form's page number (1-based): jump_<View>.
JUMP_ARGUMENT = re.compile(r"^jump_(?P<view>\w+)$")
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


@dataclass(frozen=True)
class Pager:
    """What the top and bottom pagers of a list show."""

    view: str
    page: int
    page_size: int
    count: int

    @property
    def pages(self) -> int:
        """How many pages the list has."""
        return max((self.count + self.page_size - 1) // self.page_size, 1)

    @property
    def past_the_end(self) -> bool:
        """Whether the page lies after the last one (it shows no rows)."""
        return self.page * self.page_size >= self.count

    @property
    def first_row(self) -> int:
        """The 1-based number of the page's first row."""
        return min(self.page * self.page_size + 1, self.count)

    @property
    def last_row(self) -> int:
        """The 1-based number of the page's last row."""
        return min((self.page + 1) * self.page_size, self.count)

    def summary(self) -> dict[str, str]:
        """The numbers of "1-25 of 20,007" (with an en dash), in the visitor's language."""
        return {
            "first": format_decimal(self.first_row),
            "last": format_decimal(self.last_row),
            "count": format_decimal(self.count),
            "pages": format_decimal(self.pages),
        }

    def links(self) -> list[PageLink]:
        """The page numbers around the current page, each with its address."""
        return [
            PageLink(
                number,
                "" if number is None else link_page(number, self.view),
                number == self.page,
            )
            for number in page_window(self.page, self.pages)
        ]

    def previous_url(self) -> str | None:
        """The previous page's address (None on the first page; the last past the end)."""
        if self.past_the_end and self.count:
            return link_page(self.pages - 1, self.view)
        return link_page(self.page - 1, self.view) if self.page > 0 else None

    def next_url(self) -> str | None:
        """The next page's address (None on the last page)."""
        return link_page(self.page + 1, self.view) if self.page + 1 < self.pages else None

    def jump_action(self) -> str:
        """Where the jump form goes: this page."""
        return this_page_url()

    def jump_kept(self) -> list[tuple[str, str]]:
        """The address's arguments the jump keeps (filters, order, page size, other lists'
        pages): all but this list's page and a jump."""
        return [
            (name, value) for name, value in request.args.items(multi=True) if kept(name, self.view)
        ]


def kept(name: str, view: str) -> bool:
    """Whether an argument stays when a list jumps: not a jump, nor a page of that list."""
    page = PAGE_ARGUMENT.search(name)
    return not JUMP_ARGUMENT.match(name) and not (page and page["view"] == view)
