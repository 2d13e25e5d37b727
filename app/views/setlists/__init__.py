"""Setlists' pages: each module registers its own views; all of them share the
SetlistModelView permission name, so roles (app/security/roles.py) grant them together."""

from flask_appbuilder import AppBuilder

from app.security.roles import SETLIST_VIEW
from app.views.setlists import adding, entry_routes, files, pages, playing, sharing

#: Permissions on SetlistModelView that no single view declares (see app.security.roles).
EXTRA_PERMISSIONS = ("can_publish",)


def register_setlist_views(appbuilder: AppBuilder) -> None:
    """Add every setlist view, then give each one the views' whole permission set."""
    for module in (pages, entry_routes, adding, playing, files, sharing):
        module.register(appbuilder)
    # FAB's permission sync drops from a view name every permission that the last view
    # registered under it lacks: every view sharing the name declares the whole set.
    sharing_name = [
        view for view in appbuilder.baseviews if view.class_permission_name == SETLIST_VIEW
    ]
    whole = sorted(
        {perm for view in sharing_name for perm in view.base_permissions} | set(EXTRA_PERMISSIONS)
    )
    for view in sharing_name:
        view.base_permissions = whole
