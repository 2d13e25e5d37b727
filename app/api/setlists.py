"""Setlists as JSON under /api/v1/setlist/: the ones the caller may see, one setlist, new
ones, their name, description and visibility, deleting them; their entries in
app/api/setlist_entries.py. app/setlists/rules.py decides everything; this only translates.

Permissions are the setlist pages' (SetlistModelView: can_list, can_show, can_add, can_edit,
can_delete), so roles need nothing new; which rows a person may see or change is the rules'.
"""

from flask_appbuilder import AppBuilder
from flask_appbuilder.api import expose, protect, rison, safe
from flask_babel import lazy_gettext as _
from sqlalchemy import false, select
from sqlalchemy.orm import joinedload

from app.api.base import limit_writes
from app.api.setlist_base import answered, setlist_row
from app.api.setlist_entries import SetlistEntryRoutes
from app.api.setlist_spec import (
    LIST_ARGUMENTS,
    SETLIST_OPERATIONS,
    EntrySchema,
    OwnerRef,
    SetlistDetail,
    SetlistSchema,
)
from app.extensions import db
from app.models.setlists import Setlist
from app.search.keys import search_key
from app.search.matching import key_contains
from app.security.roles import SETLIST_VIEW
from app.setlists import rules

DELETED = _("Deleted.")
CHANGEABLE = ("name", "description", "visibility")


class SetlistApi(SetlistEntryRoutes):
    """Setlists and their entries, under the same rules as the setlist pages."""

    openapi_spec_component_schemas = (OwnerRef, SetlistSchema, SetlistDetail, EntrySchema)
    openapi_spec_methods = SETLIST_OPERATIONS

    @expose("/", methods=["GET"])
    @protect()
    @safe
    @rison(LIST_ARGUMENTS)
    @answered
    def get_list(self, **kwargs):
        """Setlists the caller may see, most recently changed first.
        ---
        get:
          description: >-
            name finds setlists whose name holds the text (accents and case aside);
            mine keeps the caller's own.
        """
        actor = self.actor()
        args = kwargs["rison"]
        page, size = args.get("page", 0), args.get("page_size", self.page_size)
        query = select(Setlist).where(rules.visible_filter(*actor.as_viewer()))
        if args.get("mine"):
            mine = Setlist.owner_id == actor.user_id if actor.user_id is not None else false()
            query = query.where(mine)
        name = search_key(args.get("name") or "")
        if name:
            query = query.where(key_contains(Setlist.name_key, name))
        # One more row than the page says whether another follows, without counting them all.
        rows = db.session.scalars(
            query.options(joinedload(Setlist.owner))
            .order_by(Setlist.updated_at.desc(), Setlist.id.desc())
            .offset(page * size)
            .limit(size + 1)
        ).all()
        result = [setlist_row(setlist, actor) for setlist in rows[:size]]
        return self.response(200, page=page, page_size=size, more=len(rows) > size, result=result)

    @expose("/<pk>", methods=["GET"])
    @protect()
    @safe
    @answered
    def get(self, pk):
        """A setlist with its entry count and playing time.
        ---
        get:
          description: >-
            A setlist that does not exist and one the caller may not see are both a 404.
        """
        actor = self.actor()
        setlist = self.visible(pk, actor)
        return self.answer(200, setlist, actor)

    @expose("/", methods=["POST"])
    @protect()
    @safe
    @answered
    def post(self):
        """Make a setlist of the caller's.
        ---
        post:
          description: >-
            Private unless told otherwise; only editors publish to the catalog.
        """
        actor = self.actor()
        data = self.sent(CHANGEABLE)
        setlist = rules.create(
            db.session,
            actor.user_id,
            data.get("name"),
            data.get("description"),
            data.get("visibility", "private"),
            may_publish=actor.may_publish,
        )
        self.commit()
        return self.answer(201, setlist, actor)

    @expose("/<pk>", methods=["PUT"])
    @protect()
    @safe
    @answered
    def put(self, pk):
        """Change a setlist's name, description or visibility (the fields sent).
        ---
        put:
          description: >-
            All or nothing; only editors publish to the catalog.
        """
        actor = self.actor()
        setlist = self.editable(pk, actor)
        data = self.sent(CHANGEABLE)
        if "name" in data:
            rules.rename(setlist, data["name"])
        if "description" in data:
            rules.describe(setlist, data["description"])
        if "visibility" in data:
            rules.change_visibility(setlist, data["visibility"], actor.may_publish)
        self.commit()
        return self.answer(200, setlist, actor)

    @expose("/<pk>", methods=["DELETE"])
    @protect()
    @safe
    @answered
    def delete(self, pk):
        """Delete a setlist and its entries (never a song).
        ---
        delete:
          description: >-
            The songs stay in the catalog.
        """
        setlist = self.editable(pk, self.actor())
        rules.delete(db.session, setlist)
        self.commit()
        return self.response(200, message=str(DELETED))

    def answer(self, status: int, setlist: Setlist, actor):
        """A setlist with its totals."""
        totals = setlist.totals
        return self.response(status, id=setlist.id, result=setlist_row(setlist, actor, totals))


def register_setlist_api(appbuilder: AppBuilder) -> None:
    """Add /api/v1/setlist/ with its writes rate-limited, declaring the whole permission set
    of the setlist pages (FAB's sync drops what the last one registered under a name lacks)."""
    api = appbuilder.add_api(SetlistApi)
    pages = [view for view in appbuilder.baseviews if view.class_permission_name == SETLIST_VIEW]
    api.base_permissions = sorted(
        {*api.base_permissions, *(perm for view in pages for perm in view.base_permissions)}
    )
    limit_writes(appbuilder.sm.limiter, api.blueprint)
