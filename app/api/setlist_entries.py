"""A setlist's entries through the API: read a page in order, add one song or many, move,
annotate and remove an entry; app/setlists/entries.py does each under the rules."""

from flask_appbuilder.api import expose, protect, rison, safe
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from sqlalchemy import func, select, tuple_

from app.api.setlist_base import Refused, SetlistApiBase, answered, entry_row
from app.api.setlist_spec import ENTRY_LIST_ARGUMENTS, MAX_PLACED
from app.database import INTEGER_RANGE, as_integer
from app.extensions import db
from app.models.setlists import SetlistEntry
from app.setlists import entries
from app.setlists.rules import N_, SetlistRefused
from app.web.json_answers import json_error

NO_SONGS = _("Send song_id (one song) or song_ids (a list of song ids), not both.")
SONG_IDS = _("Send the songs as a list of song ids (at least one).")
UNKNOWN_SONGS = _("No song has the id %(ids)s: nothing was added.")
BAD_POSITION = _("Send a position from 1, or null to add at the end.")
TOO_MANY_PLACED = _(
    "At most %(most)d songs go in at a chosen position at once; send more without a position "
    "(at the end), then move them."
)
BAD_PLACE = _("Move to a position from 1 to %(most)d, or up, down, top, bottom.")
NO_ENTRY = _("This setlist has no such entry.")
REMOVED = _("Removed.")
#: How many unknown ids the message names (the answer lists them all).
NAMED_IDS = 20


def whole_number(value) -> bool:
    """A JSON integer (true and false are no numbers)."""
    return isinstance(value, int) and not isinstance(value, bool)


def song_ids_sent(data: dict) -> tuple[str, list[int]]:
    """The field the songs came in and their ids, in order."""
    if ("song_id" in data) == ("song_ids" in data):
        raise Refused(json_error(400, NO_SONGS, {"song_ids": [NO_SONGS]}))
    field = "song_id" if "song_id" in data else "song_ids"
    ids = [data[field]] if field == "song_id" else data[field]
    if not isinstance(ids, list) or not ids or not all(whole_number(i) for i in ids):
        raise Refused(json_error(400, SONG_IDS, {field: [SONG_IDS]}))
    return field, ids


def unknown_songs(field: str, unknown: list[int]):
    """The refusal naming the ids that are no song."""
    shown = ", ".join(str(song_id) for song_id in unknown[:NAMED_IDS])
    if len(unknown) > NAMED_IDS:
        shown += ", …"
    message = gettext(UNKNOWN_SONGS, ids=shown)
    return json_error(400, message, {field: [message]}, unknown_song_ids=unknown)


def place_of(entry: SetlistEntry) -> int:
    """The entry's place in its setlist's order, from 1 (one count on the order index)."""
    before = db.session.scalar(
        select(func.count(SetlistEntry.id)).where(
            SetlistEntry.setlist_id == entry.setlist_id,
            tuple_(SetlistEntry.position, SetlistEntry.id) < tuple_(entry.position, entry.id),
        )
    )
    return before + 1


def entry_id_of(entry_id) -> int:
    """An entry id from the path; a 404 for one that is no id."""
    number = as_integer(entry_id)
    if number is None:
        raise Refused(json_error(404, NO_ENTRY))
    return number


class SetlistEntryRoutes(SetlistApiBase):
    """The entries' endpoints under /api/v1/setlist/<pk>/entries/."""

    @expose("/<pk>/entries/", methods=["GET"])
    @protect()
    @safe
    @rison(ENTRY_LIST_ARGUMENTS)
    @answered
    def entries(self, pk, **kwargs):
        """A page of a setlist's entries in order, with the count and playing time.
        ---
        get:
          description: >-
            Each entry names its song, album and author, its note and its position.
        """
        setlist = self.visible(pk, self.actor())
        page = kwargs["rison"].get("page", 0)
        size = kwargs["rison"].get("page_size", self.page_size)
        count, seconds = setlist.totals
        rows = entries.page(db.session, setlist.id, offset=page * size, limit=size)
        result = [entry_row(entry, page * size + n) for n, entry in enumerate(rows, start=1)]
        return self.response(
            200, count=count, duration=seconds, page=page, page_size=size, result=result
        )

    @expose("/<pk>/entries/", methods=["POST"])
    @protect()
    @safe
    @answered
    def add_entries(self, pk):
        """Add songs to a setlist, in the order sent (repeats kept).
        ---
        post:
          description: >-
            All or nothing: ids that name no song are listed in unknown_song_ids and
            nothing is added.
        """
        actor = self.actor()
        setlist = self.editable(pk, actor)
        data = self.sent(("song_id", "song_ids", "position", "note"))
        field, ids = song_ids_sent(data)
        position = data.get("position")
        if position is not None and not (whole_number(position) and position >= 1):
            raise Refused(json_error(400, BAD_POSITION, {"position": [BAD_POSITION]}))
        if position is not None and len(ids) > MAX_PLACED:
            message = gettext(TOO_MANY_PLACED, most=MAX_PLACED)
            raise Refused(json_error(400, message, {"position": [message]}))
        # An id no column can hold names no song (and would fail in the database).
        storable = [song_id for song_id in ids if song_id in INTEGER_RANGE]
        try:
            added = entries.add_songs(
                db.session, setlist, storable, actor.user_id, data.get("note")
            )
        except SetlistRefused as refused:
            if refused.field != "songs":
                raise
            raise SetlistRefused(field, refused.message, **refused.values) from None
        found = {entry.song.id for entry in added.entries}
        if len(added.entries) < len(ids):
            raise Refused(unknown_songs(field, sorted({i for i in ids if i not in found})))
        count = setlist.entry_count
        if position is not None and position <= count - len(added.entries):
            for offset, entry in enumerate(added.entries):
                entries.move(db.session, setlist, entry.id, position - 1 + offset)
        new_ids = [entry.id for entry in added.entries]
        self.commit()
        return self.response(201, added=len(new_ids), ids=new_ids, count=count)

    @expose("/<pk>/entries/<entry_id>/move", methods=["POST"])
    @protect()
    @safe
    @answered
    def move_entry(self, pk, entry_id):
        """Move an entry up, down, to the top, the bottom or a position.
        ---
        post:
          description: >-
            Costs the same in a setlist of 25 entries or 5,000.
        """
        setlist = self.editable(pk, self.actor())
        number = entry_id_of(entry_id)
        to = self.sent(("to",)).get("to")
        if not (to in entries.MOVES or (whole_number(to) and 1 <= to <= entries.MAX_ENTRIES)):
            message = gettext(BAD_PLACE, most=entries.MAX_ENTRIES)
            raise Refused(json_error(400, message, {"to": [message]}))
        entry = entries.move(db.session, setlist, number, to if isinstance(to, str) else to - 1)
        return self.entry_answer(entry)

    @expose("/<pk>/entries/<entry_id>", methods=["PUT"])
    @protect()
    @safe
    @answered
    def annotate_entry(self, pk, entry_id):
        """Set or clear an entry's note ("segue", "talk-over").
        ---
        put:
          description: >-
            null or blank clears the note.
        """
        setlist = self.editable(pk, self.actor())
        number = entry_id_of(entry_id)
        data = self.sent(("note",))
        if "note" not in data:
            raise SetlistRefused("note", N_("Send a note, or null to clear it."))
        entry = entries.annotate(db.session, setlist, number, data["note"])
        return self.entry_answer(entry)

    @expose("/<pk>/entries/<entry_id>", methods=["DELETE"])
    @protect()
    @safe
    @answered
    def remove_entry(self, pk, entry_id):
        """Take an entry out of a setlist.
        ---
        delete:
          description: >-
            The song stays in the catalog and the other entries keep their order.
        """
        setlist = self.editable(pk, self.actor())
        entries.remove(db.session, setlist, entry_id_of(entry_id))
        self.commit()
        return self.response(200, message=str(REMOVED))

    def entry_answer(self, entry: SetlistEntry):
        """Keep the change and answer with the entry at its place."""
        row = entry_row(entry, place_of(entry))
        self.commit()
        return self.response(200, id=row["id"], result=row)
