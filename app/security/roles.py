"""Roles and their permissions, defined here and synced into FAB's tables."""

import logging
import secrets
from contextlib import contextmanager

from flask import Flask
from flask_appbuilder import AppBuilder
from flask_appbuilder import const as fab_messages

log = logging.getLogger(__name__)

EDITOR_ROLE = "Editor"
LISTENER_ROLE = "Listener"

CATALOG_VIEWS = ("AuthorModelView", "AlbumModelView", "SongModelView")
CATALOG_MENUS = ("Catalog", "Authors", "Albums", "Songs")
BROWSE = ("can_list", "can_show")
EDIT = ("can_add", "can_edit", "can_delete")

#: What every signed-in user may do with their own account.
OWN_ACCOUNT = frozenset(
    {
        ("can_userinfo", "UserDBModelView"),
        ("resetmypassword", "UserDBModelView"),
        ("userinfoedit", "UserDBModelView"),
        ("logouteverywhere", "UserDBModelView"),
        ("can_this_form_get", "ResetMyPasswordView"),
        ("can_this_form_post", "ResetMyPasswordView"),
        ("can_this_form_get", "UserInfoEditView"),
        ("can_this_form_post", "UserInfoEditView"),
        # "Connect a music app": one's own app passwords (app/security/music_apps.py).
        ("can_list", "MusicAppsView"),
        ("can_add", "MusicAppsView"),
        ("can_delete", "MusicAppsView"),
    }
)


def catalog_permissions(permissions: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    """The given permissions on every catalog view."""
    return frozenset((perm, view) for perm in permissions for view in CATALOG_VIEWS)


CATALOG_MENU_ACCESS = frozenset(("menu_access", menu) for menu in CATALOG_MENUS)
BROWSE_CATALOG = catalog_permissions(BROWSE) | CATALOG_MENU_ACCESS
LISTEN = frozenset({("can_stream", "SongModelView"), ("can_download", "SongModelView")})
LISTENER_PERMISSIONS = BROWSE_CATALOG | LISTEN | OWN_ACCOUNT
#: Editors see the list of their own changes ("My changes", app.views.editing.history).
OWN_CHANGES = frozenset({("can_list", "MyChangesView"), ("menu_access", "My changes")})
#: Setlists (app/setlists/rules.py decides which rows: these only open the doors).
SETLIST_VIEW = "SetlistModelView"
SETLIST_MENU = "Setlists"
READ_SETLISTS = frozenset(
    {("can_list", SETLIST_VIEW), ("can_show", SETLIST_VIEW), ("menu_access", SETLIST_MENU)}
)
#: Listeners build, change and delete their own setlists.
OWN_SETLISTS = READ_SETLISTS | frozenset((perm, SETLIST_VIEW) for perm in EDIT)
#: Editors publish setlists to the catalog and edit catalog setlists.
PUBLISH_SETLISTS = frozenset({("can_publish", SETLIST_VIEW)})
#: Every listener keeps their own favourites, ratings and plays (app/views/listening).
OWN_LISTENING = frozenset(
    {("can_keep", "ListenerDataView")}
    | {
        ("menu_access", menu)
        for menu in ("My music", "My favourites", "Recently played", "Most played")
    }
)
LISTENER_PERMISSIONS = LISTENER_PERMISSIONS | OWN_SETLISTS | OWN_LISTENING
EDITOR_PERMISSIONS = (
    LISTENER_PERMISSIONS | catalog_permissions(EDIT) | OWN_CHANGES | PUBLISH_SETLISTS
)


def role_permissions(
    public_role: str, public_browse: bool
) -> dict[str, frozenset[tuple[str, str]]]:
    """The exact (permission, view) pairs of each non-admin role."""
    return {
        EDITOR_ROLE: EDITOR_PERMISSIONS,
        LISTENER_ROLE: LISTENER_PERMISSIONS,
        public_role: BROWSE_CATALOG | READ_SETLISTS if public_browse else frozenset(),
    }


def sync_roles(appbuilder: AppBuilder, public_browse: bool) -> None:
    """Create every view's permissions and give each role exactly its own set.

    Admin gets every permission. Edits made to these roles in the UI are reset
    here, so this module stays the single source of truth. Permissions of views and menus
    that no longer exist are removed (from every role, custom ones included).
    """
    sm = appbuilder.sm
    admin = sm.find_role(sm.auth_role_admin) or sm.add_role(sm.auth_role_admin)
    appbuilder.add_permissions(update_perms=True)
    with quiet_about_old_names_already_gone():
        appbuilder.security_cleanup()
    admin.permissions = sm.session.query(sm.permissionview_model).all()
    for role_name, pairs in role_permissions(sm.auth_role_public, public_browse).items():
        role = sm.find_role(role_name) or sm.add_role(role_name)
        role.permissions = [find_permission_view(sm, *pair) for pair in sorted(pairs)]
    sm.session.commit()


#: FAB's warnings for a delete that finds nothing to delete.
NOTHING_TO_DELETE = frozenset(
    {fab_messages.LOGMSG_WAR_SEC_DEL_PERMISSION, fab_messages.LOGMSG_WAR_SEC_DEL_VIEWMENU}
)
FAB_SECURITY_LOGGER = "flask_appbuilder.security.sqla.manager"


class OldNamesAlreadyGone(logging.Filter):
    """Drops FAB's "Refused to delete, … does not exist" warnings, keeping what they name.

    FAB's cleanup converges renamed views and actions (a `class_permission_name` such as
    our user views', an action mapped to `can_edit`) by deleting their old names, and
    warns for each old name the database does not hold: on every database that never had
    them, every sync. Nothing is wrong then; every other warning still shows.
    """

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        """False (drop) for a nothing-to-delete warning."""
        if record.msg in NOTHING_TO_DELETE:
            self.names.append(str(record.args[0] if record.args else ""))
            return False
        return True


@contextmanager
def quiet_about_old_names_already_gone():
    """While FAB cleans up permissions, log its nothing-to-delete warnings as one debug line."""
    fab_log, gone = logging.getLogger(FAB_SECURITY_LOGGER), OldNamesAlreadyGone()
    fab_log.addFilter(gone)
    try:
        yield
    finally:
        fab_log.removeFilter(gone)
    if gone.names:
        log.debug("Old permission and view names already gone: %s", ", ".join(sorted(gone.names)))


def find_permission_view(sm, permission: str, view: str):
    """The stored permission-on-view; a missing one means a typo in this module."""
    found = sm.find_permission_view_menu(permission, view)
    if found is None:
        raise LookupError(f"No permission {permission!r} on {view!r} to grant")
    return found


def ensure_initial_admin(app: Flask) -> None:
    """On an empty development database, create `admin` and print its password once."""
    sm = app.appbuilder.sm
    if sm.count_users() > 0:
        return
    password = secrets.token_urlsafe(12)
    user = sm.add_user(
        "admin", "Setlist", "Admin", "admin@localhost", sm.find_role(sm.auth_role_admin), password
    )
    if not user:
        log.error("Could not create the initial admin user")
        return
    banner = "*" * 64
    # print, not log: the newcomer must see this whatever the log level is.
    print(
        f"\n{banner}\n  Setlist: first start, an admin account was created.\n"
        f"  Username: admin\n  Password: {password}\n"
        f"  Change it after logging in (it is not shown again).\n{banner}\n",
        flush=True,
    )
