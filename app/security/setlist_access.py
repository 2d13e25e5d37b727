"""Who is asking, in the terms app/setlists/rules.py decides by: every door that reaches
setlists (pages, the JSON API, share links, later Subsonic) builds its Actor here."""

from dataclasses import dataclass

from flask import current_app
from flask_login import current_user

from app.security.roles import SETLIST_VIEW


@dataclass(frozen=True)
class Actor:
    """The signed-in user (user_id None: a visitor) and what their roles let them do."""

    user_id: int | None
    is_admin: bool
    may_browse: bool
    may_publish: bool
    may_edit_own: bool

    def as_viewer(self) -> tuple:
        """(user_id, is_admin, may_browse): the arguments of rules.find and visible_filter."""
        return self.user_id, self.is_admin, self.may_browse

    def as_editor(self) -> tuple:
        """(user_id, is_admin, may_publish): the arguments of rules.may_edit and
        editable_filter."""
        return self.user_id, self.is_admin, self.may_publish


def current_actor() -> Actor:
    """The actor of the current request (session cookie or API bearer token)."""
    sm = current_app.appbuilder.sm
    signed_in = current_user.is_authenticated
    admin_role = current_app.config["AUTH_ROLE_ADMIN"]
    return Actor(
        user_id=current_user.id if signed_in else None,
        is_admin=signed_in and any(role.name == admin_role for role in current_user.roles),
        may_browse=sm.has_access("can_list", SETLIST_VIEW),
        may_publish=sm.has_access("can_publish", SETLIST_VIEW),
        may_edit_own=signed_in and sm.has_access("can_edit", SETLIST_VIEW),
    )
