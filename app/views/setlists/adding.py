"""Add songs to a setlist from wherever people are: the picker's JSON (my setlists, most
recent first, searched as typed), adding songs or a whole album to one, a new setlist
named in the picker, and the page the songs list's bulk action opens (adding_bulk.py).

Every write is a POST with the page's CSRF token; the doors ask app/setlists/rules.py which
setlists the person may add to (404 for one they may not see, 403 for one they may not
change) and app/setlists/entries.py does the adding, a thousand songs in one batch.
"""

from functools import wraps

from flask import current_app, jsonify, request, url_for
from flask_appbuilder import AppBuilder, BaseView, expose, has_access
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import RequestEntityTooLarge

from app.extensions import db
from app.models import Setlist
from app.security.roles import SETLIST_VIEW
from app.security.setlist_access import Actor, current_actor
from app.setlists import entries, rules
from app.views.setlists import adding_bulk
from app.views.setlists.adding_choices import (
    MAX_QUERY_LENGTH,
    NotAdding,
    my_setlists,
    possible,
    wanted_songs,
)
from app.web.json_answers import NOT_JSON, answers_json, json_error, json_object
from app.web.outages import is_outage, roll_back

#: The largest body an add may send: 10,000 ids of up to 10 digits, a name and some room.
MAX_BODY = 160 * 1024
#: The permission every route here needs (its rows are then the rules' to decide).
EDIT = "edit"


def may_add(view_function):
    """Let in those whose roles may change setlists (can_edit on SetlistModelView); others
    get 401 (signed out) or 403 as JSON."""

    @wraps(view_function)
    def checked(self, *args, **kwargs):
        if not current_user.is_authenticated:
            return json_error(401, _("Log in to add songs to a setlist."))
        if not self.appbuilder.sm.has_access(f"can_{EDIT}", SETLIST_VIEW):
            return json_error(403, _("Your account may not change setlists."))
        return view_function(self, *args, **kwargs)

    checked._permission_name = EDIT
    return checked


def described(setlist: Setlist) -> dict:
    """A setlist as the picker lists it."""
    return {
        "id": setlist.id,
        "name": setlist.name,
        "visibility": setlist.visibility,
        "url": url_for("SetlistModelView.show", pk=setlist.id),
    }


def editable(actor: Actor, setlist_id: int) -> Setlist:
    """The setlist if the actor may change it; SetlistNotFound (404) when they may not see
    it, PermissionError (403) when they see it but may not change it."""
    if not 0 < setlist_id < 2**31:
        raise rules.SetlistNotFound(setlist_id)
    setlist = rules.find(db.session, setlist_id, *actor.as_viewer())
    if not rules.may_edit(setlist, *actor.as_editor()):
        raise PermissionError(setlist_id)
    return setlist


def sent_object() -> dict:
    """The request's JSON object, within MAX_BODY; NotAdding otherwise."""
    if (request.content_length or 0) > MAX_BODY or len(request.get_data()) > MAX_BODY:
        raise RequestEntityTooLarge()
    data = json_object()
    if data is None:
        raise NotAdding("", NOT_JSON)
    return data


def what_was_added(added: entries.Added, album) -> str:
    """ "“Song”", "“Album” (12 songs)" or "12 songs": the subject of the message."""
    count = len(added.entries)
    if album is not None:
        return ngettext("“%(title)s” (%(num)d song)", "“%(title)s” (%(num)d songs)", count,
                        title=album.title)  # fmt: skip
    if count == 1:
        return f"“{added.entries[0].song.title}”"
    return ngettext("%(num)d song", "%(num)d songs", count)


def added_answer(setlist: Setlist, song_ids: list[int], added: entries.Added, album) -> dict:
    """What an add did: counts, the ids that named no song, and the sentence. Read before
    the commit, while the entries are loaded (after it, each would be read again)."""
    kept = {entry.song_id for entry in added.entries}
    unknown = sorted({song_id for song_id in song_ids if song_id not in kept})
    if added.entries:
        message = gettext("Added %(what)s to “%(setlist)s”.",
                          what=what_was_added(added, album), setlist=setlist.name)  # fmt: skip
    else:
        message = gettext("Nothing was added to “%(setlist)s”.", setlist=setlist.name)
    if unknown:
        message += " " + ngettext(
            "%(num)d song is no longer in the catalog and was left out.",
            "%(num)d songs are no longer in the catalog and were left out.",
            len(unknown),
        )
    return {
        "setlist": described(setlist),
        "added": len(added.entries),
        "unknown": unknown[:100],
        "unknown_count": len(unknown),
        "message": message,
    }


def refusal(bad: Exception):
    """The JSON error for a refused add."""
    if isinstance(bad, rules.SetlistRefused):
        message = gettext(bad.message, **bad.values)
        return json_error(400, message, {bad.field: [message]})
    if isinstance(bad, NotAdding):
        message = str(bad.message)
        return json_error(400, message, {bad.field: [message]} if bad.field else None)
    if isinstance(bad, rules.SetlistNotFound):
        return json_error(404, _("There is no such setlist."))
    return json_error(403, _("You may not change this setlist."))


REFUSALS = (rules.SetlistRefused, NotAdding, rules.SetlistNotFound, PermissionError)


def add_and_answer(actor: Actor, chosen, status: int = 200):
    """Add the songs `chosen()` names to the setlist it gives (setlist, song ids, album),
    commit, and answer with what was added; a refusal or a change meanwhile keeps nothing."""
    try:
        setlist, song_ids, album = chosen()
        added = entries.add_songs(db.session, setlist, possible(song_ids), actor.user_id)
        done = added_answer(setlist, song_ids, added, album)
        db.session.commit()
    except REFUSALS as bad:
        db.session.rollback()
        return refusal(bad)
    except SQLAlchemyError as error:
        roll_back()
        if is_outage(error):
            raise  # the app's outage page: a 503
        # A song deleted or the setlist gone meanwhile: nothing was kept.
        current_app.logger.warning("adding to a setlist failed", exc_info=True)
        return json_error(409, _("The setlist changed meanwhile; nothing was added."))
    return jsonify(done), status


class SetlistAddingView(BaseView):
    """ "Add to setlist" everywhere: the picker's list, adding to one, making a new one."""

    route_base = "/setlists/adding"
    default_view = "mine"
    class_permission_name = SETLIST_VIEW
    method_permission_name = {"mine": EDIT, "add": EDIT, "create": EDIT, "bulk": EDIT}

    @expose("/mine", methods=["GET"])
    @answers_json
    @may_add
    def mine(self):
        """Up to 20 setlists I may add to, most recently changed first, matching ?q=."""
        text = request.args.get("q", "")
        if len(text) > MAX_QUERY_LENGTH:
            message = _("Search for at most %(count)d characters.", count=MAX_QUERY_LENGTH)
            return json_error(400, message, {"q": [message]})
        found, more = my_setlists(db.session, current_actor(), text)
        response = jsonify({"q": text, "setlists": [described(row) for row in found],
                            "more": more})  # fmt: skip
        response.headers["Cache-Control"] = "no-store"
        return response

    @expose("/<int:setlist_id>", methods=["POST"])
    @answers_json
    @may_add
    def add(self, setlist_id: int):
        """Append {"songs": [ids]} in that order, or {"album": id} in running order."""
        actor = current_actor()

        def chosen():
            # The setlist first: one the caller may not see is a 404 whatever was sent.
            return editable(actor, setlist_id), *wanted_songs(db.session, sent_object())

        return add_and_answer(actor, chosen)

    @expose("/new", methods=["POST"])
    @answers_json
    @may_add
    def create(self):
        """A new private setlist named {"name"}, with the songs or album sent added."""
        actor = current_actor()

        def chosen():
            data = sent_object()
            song_ids, album = wanted_songs(db.session, data)
            return rules.create(db.session, actor.user_id, data.get("name")), song_ids, album

        return add_and_answer(actor, chosen, 201)

    @expose("/bulk", methods=["GET", "POST"])
    @has_access
    def bulk(self):
        """The page the songs list's "Add to setlist" opens: choose or name a setlist."""
        return adding_bulk.bulk_page(self)


def register(appbuilder: AppBuilder) -> None:
    """Add the adding routes (no menu entry: they open from songs, albums and the player)."""
    appbuilder.add_view_no_menu(SetlistAddingView)
