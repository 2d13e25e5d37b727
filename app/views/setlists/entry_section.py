"""A setlist's entries on its page: one page of 25 in order, read from the order index, with
a pager; the editing controls for those who may edit. Three statements whatever the
setlist's length: the totals, the page (songs, albums and authors joined), who added them."""

from dataclasses import dataclass

from flask import render_template, request, url_for
from flask_appbuilder.security.sqla.models import User
from flask_babel import format_decimal
from markupsafe import Markup
from sqlalchemy import select

from app.extensions import db
from app.fab.pager import page_window
from app.media.audio import format_duration
from app.setlists import entries, rules
from app.views.catalog.columns import album_link, row_link, song_author_link, song_player
from app.views.setlists.entry_undo import can_undo

#: Entries a page shows.
PER_PAGE = 25
#: The address argument of the entries' page, counted from 1.
PAGE_ARGUMENT = "entries_page"


@dataclass(frozen=True)
class EntriesPager:
    """Which page of a setlist's entries is shown, and the pages around it."""

    page: int  # counted from 1
    count: int

    @property
    def pages(self) -> int:
        """How many pages the entries fill (one when there are none)."""
        return max((self.count + PER_PAGE - 1) // PER_PAGE, 1)

    @property
    def offset(self) -> int:
        """How many entries come before this page."""
        return (self.page - 1) * PER_PAGE

    def summary(self) -> dict[str, str]:
        """The numbers of "26-50 of 5,000", in the visitor's language."""
        return {
            "first": format_decimal(min(self.offset + 1, self.count)),
            "last": format_decimal(min(self.offset + PER_PAGE, self.count)),
            "count": format_decimal(self.count),
        }

    def window(self) -> list[int | None]:
        """Page numbers (from 1) the pager offers; None for a gap."""
        return [None if n is None else n + 1 for n in page_window(self.page - 1, self.pages)]


def requested_page(pages: int) -> int:
    """The page asked for (?entries_page=N), kept within 1..pages; anything odd is page 1."""
    value = request.args.get(PAGE_ARGUMENT, "")
    number = int(value) if value.isascii() and value.isdigit() and len(value) < 9 else 1
    return min(max(number, 1), pages)


def page_url(setlist_id: int, page: int) -> str:
    """The setlist page's address at a page of its entries."""
    return url_for("SetlistModelView.show", pk=setlist_id, **{PAGE_ARGUMENT: page}) + "#entries"


def adders(entry_rows) -> dict[int, str]:
    """The names of who added the page's entries, in one statement."""
    ids = {entry.added_by_id for entry in entry_rows if entry.added_by_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())


def entries_section(setlist, actor, page: int | None = None) -> Markup:
    """The setlist page's entries: a page of them in order with position, play control,
    title, album and author links, duration, note and who added it; a pager; for those who
    may edit, the handles and buttons that reorder, annotate and remove."""
    count, seconds = setlist.totals
    pages = max((count + PER_PAGE - 1) // PER_PAGE, 1)
    number = requested_page(pages) if page is None else min(max(page, 1), pages)
    pager = EntriesPager(number, count)
    rows = entries.page(db.session, setlist.id, pager.offset, PER_PAGE)
    editable = rules.may_edit(setlist, *actor.as_editor())
    # The template autoescapes every value it shows.
    return Markup(  # noqa: S704
        render_template(
            "setlists/_entries.html",
            setlist=setlist,
            rows=list(enumerate(rows, start=pager.offset + 1)),
            pager=pager,
            playing_time=format_duration(seconds) if count else "",
            adders=adders(rows),
            editable=editable,
            undoable=editable and can_undo(setlist.id),
            page_url=lambda number: page_url(setlist.id, number),
            song_link=lambda song: row_link("SongModelView.show", song, song.title),
            album_link=album_link,
            author_link=song_author_link,
            player=song_player,
            duration=format_duration,
            base=url_for("SetlistEntriesView.section", pk=setlist.id),
            actions=url_for("SetlistEntriesView.section", pk=setlist.id).removesuffix("/section"),
        )
    )
