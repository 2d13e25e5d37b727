"""Who sees and edits a setlist, as predicates on a loaded row and as SQL filters for lists;
creating one and changing its name, description and visibility."""

from datetime import UTC, datetime

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from app.models.setlists import NAME_LENGTH, NOTE_LENGTH, VISIBILITIES, Setlist

#: The longest description kept (a few paragraphs of liner notes).
DESCRIPTION_LENGTH = 5000


def N_(text: str) -> str:  # the name Babel extracts texts by
    """Mark a text for translation; the door that answers translates it."""
    return text


class SetlistRefused(ValueError):
    """A change the rules do not take; `field` names what is wrong, `message` (English, with
    %(name)s places filled from `values`) says why."""

    def __init__(self, field_name: str, message: str, **values) -> None:
        super().__init__(message % values if values else message)
        self.field, self.message, self.values = field_name, message, values


class SetlistNotFound(LookupError):
    """No such setlist, or none the actor may see: the doors answer both with a plain 404,
    so an id of someone's private setlist reveals nothing."""


def may_see(setlist: Setlist, user_id: int | None, is_admin: bool, may_browse_catalog: bool):
    """Whether a user (None: anonymous) may see a setlist: its owner and admins always,
    everyone who may browse a catalog setlist. A link's holders are let in by the link's
    own check, not here."""
    if is_admin or (user_id is not None and setlist.owner_id == user_id):
        return True
    return setlist.visibility == "catalog" and may_browse_catalog


def may_edit(setlist: Setlist, user_id: int | None, is_admin: bool, may_publish: bool) -> bool:
    """Whether a user may change a setlist and its entries: the owner and admins always;
    editors (those who may publish) a catalog setlist; nobody signed out."""
    if user_id is None:
        return False
    if is_admin or (user_id is not None and setlist.owner_id == user_id):
        return True
    return setlist.visibility == "catalog" and may_publish


def visible_filter(
    user_id: int | None, is_admin: bool, may_browse_catalog: bool
) -> ColumnElement[bool]:
    """may_see as a WHERE clause for list queries (it reads the (visibility, updated_at)
    and (owner_id, updated_at) indexes)."""
    if is_admin:
        return true()
    allowed = [Setlist.owner_id == user_id] if user_id is not None else []
    if may_browse_catalog:
        allowed.append(Setlist.visibility == "catalog")
    return or_(*allowed) if allowed else false()


def in_catalog_filter(is_admin: bool, may_browse_catalog: bool) -> ColumnElement[bool]:
    """visible_filter narrowed to the catalog's setlists, said without the owner's OR: so
    the (visibility, updated_at) index alone answers it (with the OR, SQLite reads every
    catalog row to count them: 12 ms for 10,000)."""
    if is_admin or may_browse_catalog:
        return Setlist.visibility == "catalog"
    return false()


def editable_filter(user_id: int | None, is_admin: bool, may_publish: bool) -> ColumnElement[bool]:
    """may_edit as a WHERE clause ("my setlists" to add a song to, an editor's lists)."""
    if user_id is None:
        return false()
    if is_admin:
        return true()
    if may_publish:
        return or_(Setlist.owner_id == user_id, Setlist.visibility == "catalog")
    return Setlist.owner_id == user_id


def find(
    session: Session, setlist_id: int, user_id: int | None, is_admin: bool, may_browse: bool
) -> Setlist:
    """The setlist if the user may see it, else SetlistNotFound (one statement)."""
    setlist = session.scalars(
        select(Setlist).where(
            Setlist.id == setlist_id, visible_filter(user_id, is_admin, may_browse)
        )
    ).first()
    if setlist is None:
        raise SetlistNotFound(setlist_id)
    return setlist


def checked_name(name) -> str:
    """A name without its outer spaces, if it has 1 to NAME_LENGTH characters."""
    if not isinstance(name, str) or not name.strip():
        raise SetlistRefused("name", N_("Give the setlist a name."))
    name = name.strip()
    if len(name) > NAME_LENGTH:
        raise SetlistRefused(
            "name", N_("A name has at most %(most)d characters."), most=NAME_LENGTH
        )
    return name


def checked_description(description) -> str | None:
    """A description (None when empty), if it has at most DESCRIPTION_LENGTH characters."""
    if description is None or (isinstance(description, str) and not description.strip()):
        return None
    if not isinstance(description, str) or len(description) > DESCRIPTION_LENGTH:
        raise SetlistRefused(
            "description",
            N_("A description has at most %(most)d characters."),
            most=DESCRIPTION_LENGTH,
        )
    return description.strip()


def checked_note(note) -> str | None:
    """A note (None when empty) of at most NOTE_LENGTH characters."""
    if note is None or (isinstance(note, str) and not note.strip()):
        return None
    if not isinstance(note, str) or len(note.strip()) > NOTE_LENGTH:
        raise SetlistRefused(
            "note", N_("A note has at most %(most)d characters."), most=NOTE_LENGTH
        )
    return note.strip()


def touch(setlist: Setlist) -> None:
    """Mark the setlist changed now ("most recent first" lists sort by it)."""
    setlist.updated_at = datetime.now(UTC)


def create(
    session: Session, owner_id: int, name, description=None, visibility: str = "private",
    may_publish: bool = False,
) -> Setlist:  # fmt: skip
    """A new setlist of the owner's (flushed, so it has its id). The caller commits."""
    setlist = Setlist(
        name=checked_name(name),
        description=checked_description(description),
        owner_id=owner_id,
        visibility="private",
    )
    change_visibility(setlist, visibility, may_publish)
    session.add(setlist)
    session.flush()
    return setlist


def rename(setlist: Setlist, name) -> None:
    """Give the setlist a new name (its search key follows)."""
    name = checked_name(name)
    if name != setlist.name:
        setlist.name = name
        touch(setlist)


def describe(setlist: Setlist, description) -> None:
    """Replace the setlist's description (None or blank clears it)."""
    description = checked_description(description)
    if description != setlist.description:
        setlist.description = description
        touch(setlist)


def change_visibility(setlist: Setlist, visibility, may_publish: bool) -> None:
    """Make the setlist private, shared by link, or published to the catalog (the caller
    checked may_edit). Only those who may publish (editors, admins) put one in the catalog:
    its lists are curated. Whoever may edit one takes it out again."""
    if visibility not in VISIBILITIES:
        raise SetlistRefused("visibility", N_("Choose one of: private, catalog, link."))
    if visibility == setlist.visibility:
        return
    if visibility == "catalog" and not may_publish:
        raise SetlistRefused(
            "visibility", N_("Only an editor may publish a setlist to the catalog.")
        )
    setlist.visibility = visibility
    touch(setlist)


def delete(session: Session, setlist: Setlist) -> None:
    """Delete the setlist; the database deletes its entries, no song or file is touched."""
    session.delete(setlist)
