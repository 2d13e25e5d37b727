"""The "Yours" column: the signed-in listener's heart and own rating on a row, for those who
may keep them (static/js/listener-marks.js sends the changes to /api/v1/mine/...).

A page's rows are looked up in one query (prefetch, called by the data model with the
page's rows), never one per row.
"""

from flask import g
from flask_babel import lazy_gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from app.extensions import db
from app.listening import marks
from app.views.listening.listener_marks import may_keep_own

#: The column's heading.
YOURS = _("Yours")


def page_marks(kind: str) -> dict:
    """The user's marks of this kind looked up so far in this request (id -> Marked)."""
    return g.setdefault("listener_marks", {}).setdefault(kind, {})


def may_mark() -> bool:
    """Whether the user may keep favourites and ratings (asked once per request)."""
    if "may_mark" not in g:
        g.may_mark = may_keep_own()
    return g.may_mark


def mark_controls(kind: str):
    """A column formatter: a row's heart and 1-5 stars for the user ("" for those who may
    not); its `prefetch(rows)` looks up a whole page's marks in one query."""

    def prefetch(rows) -> None:
        """Look up the user's marks on these rows at once (those not looked up already)."""
        known = page_marks(kind)
        ids = [row.id for row in rows if row is not None and row.id not in known]
        if ids and may_mark():
            found = marks.marks_of(db.session, current_user.id, kind, ids)
            known.update({item_id: found.get(item_id, marks.Marked()) for item_id in ids})

    def controls(row) -> Markup:
        """The row's heart and stars, as the user left them."""
        if row is None or not may_mark():
            return Markup("")
        known = page_marks(kind)
        if row.id not in known:  # a record page: its one row
            prefetch([row])
        return controls_html(kind, row, known[row.id])

    controls.prefetch = prefetch
    return controls


def starred_time(kind: str, shown):
    """A column formatter: when the user starred the row, as `shown` writes a time; its
    `prefetch` is the "Yours" column's (the page's marks are looked up once for both)."""

    def starred(row):
        """The row's starred time (looked up with the page's marks)."""
        if row is None or not may_mark():
            return ""
        known = page_marks(kind)
        if row.id not in known:
            starred.prefetch([row])
        moment = known[row.id].starred_at
        return "" if moment is None else shown(moment)

    starred.prefetch = mark_controls(kind).prefetch
    return starred


def controls_html(kind: str, row, marked: marks.Marked) -> Markup:
    """The row's place for its heart and five stars, with what the user left there: a few
    attributes a row (static/js/listener-marks.js draws the buttons, labelled in the page's
    language), so 25 rows add about 3 KiB to a page, not 25."""
    name = escape(getattr(row, "title", None) or getattr(row, "name", ""))
    starred = "true" if marked.starred_at is not None else "false"
    return Markup(  # noqa: S704 - the only text went through escape()
        f'<span class="mine" data-mine-kind="{kind}" data-mine-id="{row.id}" '
        f'data-mine-name="{name}" data-starred="{starred}" data-rating="{marked.rating or 0}">'
        "</span>"
    )


class MarkedRows:
    """Mixed into a catalog ModelView whose list or page shows the "mine" column: those who
    may not keep favourites and ratings (visitors browsing) see no such column at all."""

    def _get_list_widget(self, *args, **kwargs):
        """The list, without the column for those who may not use it."""
        widgets = super()._get_list_widget(*args, **kwargs)
        if not may_mark():
            drop_column(widgets["list"].template_args, "mine")
        return widgets

    def _get_show_widget(self, *args, **kwargs):
        """The record page, without the column's row for those who may not use it."""
        widgets = super()._get_show_widget(*args, **kwargs)
        if not may_mark():
            drop_column(widgets["show"].template_args, "mine", record=True)
        return widgets


def drop_column(args: dict, column: str, record: bool = False) -> None:
    """Leave a column out of a list's or (`record`) a record page's widget arguments: a
    list's rows are dicts by column, a record's values a list in the columns' order."""
    columns = list(args["include_columns"])
    if column in columns:
        if record:
            values = list(args["value_columns"])
            del values[columns.index(column)]
            args["value_columns"] = values
        columns.remove(column)
        args["include_columns"] = columns
