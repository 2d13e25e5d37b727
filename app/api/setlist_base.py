"""What the setlist resource's endpoints share: the API's answers and CSRF rule, who is
asking, finding a setlist under the rules, translating the rules' refusals, the rows' JSON.

The rules live in app/setlists/ (Flask-free); this door only translates requests into
their calls and their results and refusals into answers.
"""

import functools
from datetime import UTC, datetime

from flask import url_for
from flask_appbuilder.api import BaseApi
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from sqlalchemy.exc import IntegrityError

from app.api.base import UNKNOWN_FIELD, CatalogApi, SessionOrBearer
from app.api.setlist_spec import EntrySchema, SetlistDetail, SetlistSchema
from app.database import as_integer
from app.extensions import db
from app.fab.widgets import MAX_PAGE_SIZE
from app.security.roles import SETLIST_VIEW
from app.security.setlist_access import Actor, current_actor
from app.setlists import rules
from app.web.json_answers import MORE_RESPONSES, NOT_JSON, NOT_VALID, json_error, json_object

#: The 404 of a setlist that is not there or not the caller's to see (the same words).
NOT_FOUND = _("There is no such setlist, or it is not yours to see.")
CHANGED_MEANWHILE = _("The setlist changed meanwhile (a song or entry went): try again.")


class Refused(Exception):
    """An answer to give instead of going on (raised by the helpers, answered by `answered`)."""

    def __init__(self, response) -> None:
        super().__init__()
        self.response = response


def answered(endpoint):
    """Answer a helper's Refused with its response and the rules' refusals as 400s (an
    entry not in the setlist as a 404), nothing half-done kept."""

    @functools.wraps(endpoint)
    def answering(self, *args, **kwargs):
        try:
            return endpoint(self, *args, **kwargs)
        except Refused as refused:
            db.session.rollback()
            return refused.response
        except rules.SetlistRefused as refused:
            db.session.rollback()
            return refusal(refused, 404 if refused.field == "entry" else 400)

    return answering


def refusal(refused: rules.SetlistRefused, status: int = 400):
    """The rules' refusal as the API's error, its message in the caller's language."""
    message = gettext(refused.message, **refused.values)
    return json_error(status, message, {refused.field: [message]})


def in_utc(moment: datetime) -> datetime:
    """A stored time with its zone (SQLite gives the UTC it keeps back without one)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def owner_name(setlist) -> str:
    """The owner's name as people see it."""
    owner = setlist.owner
    return f"{owner.first_name} {owner.last_name}".strip() or owner.username


def setlist_row(setlist, actor: Actor, totals: tuple[int, float] | None = None) -> dict:
    """A setlist as JSON, with whether the caller owns and may change it."""
    row = {
        "id": setlist.id,
        "name": setlist.name,
        "description": setlist.description,
        "visibility": setlist.visibility,
        "owner": {"id": setlist.owner_id, "name": owner_name(setlist)},
        "created_at": in_utc(setlist.created_at),
        "updated_at": in_utc(setlist.updated_at),
        "mine": actor.user_id is not None and setlist.owner_id == actor.user_id,
        "may_edit": rules.may_edit(setlist, *actor.as_editor()),
        "page_url": url_for("SetlistModelView.show", pk=setlist.id),
    }
    if totals is None:
        return SetlistSchema().dump(row)
    return SetlistDetail().dump({**row, "entry_count": totals[0], "duration": totals[1]})


def entry_row(entry, number: int) -> dict:
    """An entry as JSON: its song (album, author) and its place `number` (from 1)."""
    song = entry.song
    album = song.album
    return EntrySchema().dump(
        {
            "id": entry.id,
            "position": number,
            "song_id": song.id,
            "title": song.title,
            "album": {"id": album.id, "title": album.title},
            "author": {"id": album.author.id, "name": album.author.name},
            "duration": song.duration,
            "note": entry.note,
            "added_at": in_utc(entry.added_at),
        }
    )


class SetlistApiBase(SessionOrBearer, BaseApi):
    """The API's conventions for a resource that is no FAB model view: permissions of the
    setlist pages, JSON errors, CSRF for session writes, outages as 503s."""

    resource_name = "setlist"
    class_permission_name = SETLIST_VIEW
    page_size = 25
    max_page_size = MAX_PAGE_SIZE
    responses = {**BaseApi.responses, **MORE_RESPONSES}
    method_permission_name = {
        "get_list": "list",
        "get": "show",
        "entries": "show",
        "post": "add",
        "put": "edit",
        "add_entries": "edit",
        "move_entry": "edit",
        "annotate_entry": "edit",
        "remove_entry": "edit",
        "delete": "delete",
    }
    # The catalog resources' answers: the same JSON errors, a 503 for an outage.
    response_400 = CatalogApi.response_400
    response_401 = CatalogApi.response_401
    response_403 = CatalogApi.response_403
    response_404 = CatalogApi.response_404
    response_422 = CatalogApi.response_422
    response_500 = CatalogApi.response_500

    # --- the helpers each endpoint calls (they raise Refused with the answer) ----------

    @staticmethod
    def actor() -> Actor:
        """Who is asking."""
        return current_actor()

    @staticmethod
    def visible(pk, actor: Actor):
        """The setlist `pk` if the caller may see it; a 404 alike for a missing one and
        for someone else's private one."""
        setlist_id = as_integer(pk)
        if setlist_id is None:
            raise Refused(json_error(404, NOT_FOUND))
        try:
            return rules.find(db.session, setlist_id, *actor.as_viewer())
        except rules.SetlistNotFound:
            raise Refused(json_error(404, NOT_FOUND)) from None

    def editable(self, pk, actor: Actor):
        """The setlist `pk` if the caller may change it: 404 when they may not see it,
        403 when they see it only."""
        setlist = self.visible(pk, actor)
        if not rules.may_edit(setlist, *actor.as_editor()):
            raise Refused(self.response_403())
        return setlist

    @staticmethod
    def sent(allowed: tuple[str, ...]) -> dict:
        """The request's JSON object, with no field but `allowed`."""
        data = json_object()
        if data is None:
            raise Refused(json_error(400, NOT_JSON))
        unknown = [name for name in data if name not in allowed]
        if unknown:
            raise Refused(json_error(422, NOT_VALID, {name: [UNKNOWN_FIELD] for name in unknown}))
        return data

    @staticmethod
    def commit() -> None:
        """Keep the change; a row that went meanwhile (a song deleted) is a 409."""
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            raise Refused(json_error(409, CHANGED_MEANWHILE)) from None
