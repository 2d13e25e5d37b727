"""A setlist's entries on its page, and the routes that change them: move, remove, note,
undo. Each answers JSON to a script's fetch (the app's JSON style) and, to a plain form,
redirects back to the page it came from with a flashed message (works without scripts).

The rules decide who may do it: rules.find (404 when the setlist is not one the person may
see) then rules.may_edit (403 when they may see but not change it); FAB's @has_access
checks can_edit on SetlistModelView first.
"""

from flask import abort, flash, jsonify, make_response, redirect, request
from flask_appbuilder import AppBuilder, BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.models import SetlistEntry
from app.security.roles import SETLIST_VIEW
from app.security.setlist_access import current_actor
from app.setlists import entries, rules
from app.setlists import undo as undoing
from app.setlists.rules import N_, SetlistNotFound, SetlistRefused
from app.views.setlists import entry_undo
from app.views.setlists.entry_section import PAGE_ARGUMENT, PER_PAGE, entries_section, page_url
from app.web.json_answers import json_error, json_object

__all__ = ["SetlistEntriesView", "entries_section", "register"]

#: The largest id an address may carry (an INTEGER column's); larger ones are 404s.
HIGHEST_ID = 2**31 - 1
MOVED = N_("Moved “%(title)s” to position %(position)d.")
REMOVED = N_("Removed “%(title)s”.")
NOTED = N_("Saved the note of “%(title)s”.")
OUT_OF_RANGE = N_("Choose a position from 1 to %(count)d.")
WHERE = N_("Move up, down, to the top, to the bottom, or to a position from 1 to %(count)d.")
NOT_ALLOWED = _("You may see this setlist but not change it.")
NO_SETLIST = _("There is no such setlist.")


def wants_json() -> bool:
    """Whether a script asked (a JSON body or Accept), rather than a plain form."""
    return request.is_json or request.accept_mimetypes.best == "application/json"


def sent() -> dict:
    """The request's fields, from its JSON object or its form."""
    if request.is_json:
        return json_object() or {}
    return request.form.to_dict()


def shown_page() -> int:
    """The entries' page the request came from (to go back to it), 1 if unsaid."""
    value = str(sent().get(PAGE_ARGUMENT, ""))
    return int(value) if value.isascii() and value.isdigit() and len(value) < 9 else 1


def stop(status: int, message) -> None:
    """End the request: a JSON error to a script, the app's error page to a form."""
    if wants_json():
        abort(make_response(json_error(status, message)))
    abort(status, message)


def setlist_for(pk: int, editing: bool):
    """The setlist, if the actor may see it (404) and, editing, change it (403)."""
    actor = current_actor()
    try:
        if pk > HIGHEST_ID:
            raise SetlistNotFound(pk)
        setlist = rules.find(db.session, pk, *actor.as_viewer())
    except SetlistNotFound:
        stop(404, NO_SETLIST)
    if editing and not rules.may_edit(setlist, *actor.as_editor()):
        stop(403, NOT_ALLOWED)
    return setlist, actor


def done(setlist, message: str, values: dict, **data):
    """A change's answer: JSON with the message, or back to the page with it flashed."""
    text = gettext(message, **values)
    if wants_json():
        return jsonify({"message": text, "undo": entry_undo.can_undo(setlist.id), **data})
    flash(text, "success")
    return redirect(page_url(setlist.id, shown_page()), code=303)


def refused(setlist, problem: SetlistRefused, status: int = 400):
    """A refusal: the JSON error style, or back to the page with the reason flashed."""
    db.session.rollback()
    text = gettext(problem.message, **problem.values)
    if wants_json():
        return json_error(status, text, {problem.field: [text]})
    flash(text, "danger")
    return redirect(page_url(setlist.id, shown_page()), code=303)


def entry_count(setlist_id: int) -> int:
    """How many entries the setlist has (one statement, on the order index)."""
    return db.session.scalar(
        select(func.count(SetlistEntry.id)).where(SetlistEntry.setlist_id == setlist_id)
    )


def where_to(value, setlist_id: int):
    """up/down/top/bottom, or a position counted from 1 turned into a place from 0."""
    if value in entries.MOVES:
        return value
    text = str(value).strip() if isinstance(value, str | int) else ""
    count = entry_count(setlist_id)
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise SetlistRefused("to", WHERE, count=count)
    if not 1 <= int(text) <= count:
        raise SetlistRefused("to", OUT_OF_RANGE, count=count)
    return int(text) - 1


def entry_answer(setlist, entry, message: str):
    """The answer after an entry moved or changed: its place and page now."""
    position = undoing.place(db.session, setlist.id, entry)
    # A move read the title without the song (entries.move): no query for it again.
    title = entry.song_title or entry.song.title
    return done(
        setlist,
        message,
        {"title": title, "position": position},
        entry=entry.id,
        position=position,
        page=(position - 1) // PER_PAGE + 1,
    )


class SetlistEntriesView(BaseView):
    """The entries' section (for scripts to redraw) and the changes to entries."""

    route_base = "/setlists/entries"
    class_permission_name = SETLIST_VIEW
    method_permission_name = {
        "section": "show",
        "move": "edit",
        "remove": "edit",
        "note": "edit",
        "undo": "edit",
    }
    default_view = "section"

    @expose("/<int:pk>/section")
    @has_access
    def section(self, pk: int):
        """One page of the entries as HTML (?entries_page=N), for the page's script."""
        setlist, actor = setlist_for(pk, editing=False)
        response = make_response(entries_section(setlist, actor))
        response.headers["Cache-Control"] = "no-store"
        return response

    @expose("/<int:pk>/move/<int:entry_id>", methods=["POST"])
    @has_access
    def move(self, pk: int, entry_id: int):
        """Move an entry up, down, to the top or bottom, or to position N (from 1)."""
        setlist, _actor = setlist_for(pk, editing=True)
        try:
            before = undoing.prior(db.session, setlist, min(entry_id, HIGHEST_ID))
            entry = entries.move(db.session, setlist, entry_id, where_to(sent().get("to"), pk))
            db.session.flush()
            entry_undo.push(setlist.id, undoing.step(db.session, before))
            answer = entry_answer(setlist, entry, MOVED)
        except SetlistRefused as problem:
            return refused(setlist, problem, 404 if problem.field == "entry" else 400)
        db.session.commit()
        return answer

    @expose("/<int:pk>/remove/<int:entry_id>", methods=["POST"])
    @has_access
    def remove(self, pk: int, entry_id: int):
        """Take an entry out of the setlist."""
        setlist, _actor = setlist_for(pk, editing=True)
        try:
            before = undoing.prior(db.session, setlist, min(entry_id, HIGHEST_ID))
            entry = entries.entry_of(db.session, setlist, entry_id)
            title = entry.song.title
            entries.remove(db.session, setlist, entry_id)
            db.session.flush()
            entry_undo.push(setlist.id, undoing.step(db.session, before))
        except SetlistRefused as problem:
            return refused(setlist, problem, 404)
        db.session.commit()
        return done(setlist, REMOVED, {"title": title}, entry=entry_id)

    @expose("/<int:pk>/note/<int:entry_id>", methods=["POST"])
    @has_access
    def note(self, pk: int, entry_id: int):
        """Set or clear an entry's note."""
        setlist, _actor = setlist_for(pk, editing=True)
        try:
            before = undoing.prior(db.session, setlist, min(entry_id, HIGHEST_ID))
            entry = entries.annotate(db.session, setlist, entry_id, sent().get("note"))
            db.session.flush()
            entry_undo.push(setlist.id, undoing.step(db.session, before))
            answer = done(setlist, NOTED, {"title": entry.song.title}, entry=entry_id)
        except SetlistRefused as problem:
            return refused(setlist, problem, 404 if problem.field == "entry" else 400)
        db.session.commit()
        return answer

    @expose("/<int:pk>/undo", methods=["POST"])
    @has_access
    def undo(self, pk: int):
        """Undo the newest change the person made to the setlist's entries."""
        setlist, actor = setlist_for(pk, editing=True)
        try:
            undone = undoing.undo(db.session, setlist, entry_undo.pop(setlist.id), actor.user_id)
        except SetlistRefused as problem:
            return refused(setlist, problem, 409)
        db.session.commit()
        return done(setlist, undone.message, undone.values, entry=undone.entry_id)


def register(appbuilder: AppBuilder) -> None:
    """Add the entries' routes (no menu entry: they live on the setlist's page)."""
    appbuilder.add_view_no_menu(SetlistEntriesView)
