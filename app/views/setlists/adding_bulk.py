"""The page the songs list's bulk action "Add to setlist" opens: the ticked songs go, in
the order they were ticked on the list, to a setlist chosen from mine or named anew."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.models import Song
from app.security.setlist_access import current_actor
from app.setlists import entries, rules
from app.views.setlists.adding_choices import (
    MAX_QUERY_LENGTH,
    NotAdding,
    ids_in_text,
    my_setlists,
    possible,
)

#: Song titles named on the page (the rest are counted).
SHOWN_TITLES = 10


def chosen_setlist(actor, choice: str):
    """The setlist the form chose (an id of mine), or a new one named in the form."""
    if choice == "new":
        return rules.create(db.session, actor.user_id, request.form.get("name", ""))
    if not (choice.isascii() and choice.isdigit() and 0 < int(choice) < 2**31):
        raise NotAdding("setlist", _("Choose a setlist, or name a new one."))
    setlist = rules.find(db.session, int(choice), *actor.as_viewer())
    if not rules.may_edit(setlist, *actor.as_editor()):
        raise rules.SetlistNotFound(choice)  # the form only offers setlists one may edit
    return setlist


def add_chosen(actor, song_ids: list[int]):
    """Add the songs to the chosen setlist and commit; (setlist id, what to say)."""
    setlist = chosen_setlist(actor, request.form.get("setlist", ""))
    added = entries.add_songs(db.session, setlist, possible(song_ids), actor.user_id)
    said = done_message(setlist, added)
    db.session.commit()
    return setlist.id, said


def done_message(setlist, added: entries.Added) -> str:
    """ "Added 3 songs to “Road trip”." and how many ids named no song."""
    message = ngettext("Added %(num)d song to “%(setlist)s”.",
                       "Added %(num)d songs to “%(setlist)s”.",
                       len(added.entries), setlist=setlist.name)  # fmt: skip
    if added.dropped:
        message += " " + ngettext(
            "%(num)d song is no longer in the catalog and was left out.",
            "%(num)d songs are no longer in the catalog and were left out.",
            added.dropped,
        )
    return message


def bulk_page(view):
    """GET: the form for the songs in ?ids=; POST: add them, then open the setlist."""
    actor = current_actor()
    error = None
    try:
        sent = request.form if request.method == "POST" else request.args
        song_ids = ids_in_text(sent.get("ids", ""))
    except NotAdding as bad:
        song_ids, error = [], str(bad.message)
    if request.method == "POST" and song_ids:
        try:
            setlist_id, said = add_chosen(actor, song_ids)
        except (NotAdding, rules.SetlistRefused, rules.SetlistNotFound) as bad:
            db.session.rollback()
            if isinstance(bad, rules.SetlistRefused):
                error = gettext(bad.message, **bad.values)
            elif isinstance(bad, rules.SetlistNotFound):
                error = gettext("There is no such setlist.")
            else:
                error = str(bad.message)
        except SQLAlchemyError:
            db.session.rollback()
            error = gettext("The setlist changed meanwhile; nothing was added.")
        else:
            flash(said, "success")
            return redirect(url_for("SetlistModelView.show", pk=setlist_id))
    text = request.args.get("q", "")[:MAX_QUERY_LENGTH]
    setlists, more = my_setlists(db.session, actor, text)
    first = song_ids[:SHOWN_TITLES]
    query = select(Song.id, Song.title).where(Song.id.in_(possible(first)))
    named = dict(db.session.execute(query).all())
    titles = [named[song_id] for song_id in first if song_id in named]
    if not song_ids and error is None:
        error = gettext("Select at least one song first.")
    return (
        view.render_template(
            "setlists/add_bulk.html",
            title=gettext("Add to setlist"),
            ids=",".join(str(song_id) for song_id in song_ids),
            count=len(song_ids),
            titles=titles,
            setlists=setlists,
            more=more,
            q=text,
            error=error,
            name=request.form.get("name", ""),
            chosen=request.form.get("setlist", str(setlists[0].id) if setlists else "new"),
        ),
        400 if error and request.method == "POST" else 200,
    )
