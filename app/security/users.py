"""FAB's user admin with sessions that can be ended: by the user, by an admin, by deactivation."""

from flask import abort, flash, g, redirect, url_for
from flask_appbuilder import expose
from flask_appbuilder.actions import action
from flask_appbuilder.security.decorators import has_access
from flask_appbuilder.security.views import RoleModelView, UserDBModelView, UserInfoEditView
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_login import current_user, logout_user

from app.fab.request_filters import RequestFilters
from app.fab.table_rows import PhoneLayout
from app.security.adminlists import AdminListMixin, names, permission_count, yes_or_no
from app.security.audit import audit
from app.security.forms import UserInfoForm, new_password_fields
from app.security.sessions import end_sessions
from app.web.pages import local_datetime


class CatalogUserInfoEditView(UserInfoEditView):
    """FAB's "Edit user" of one's own names, bounded at their fields."""

    class_permission_name = "UserInfoEditView"
    route_base = "/userinfoeditview"
    form = UserInfoForm


class CatalogUserDBModelView(AdminListMixin, RequestFilters, UserDBModelView):
    """Users, with "End all sessions" for admins and "Log out everywhere" on one's own page."""

    # FAB's name, so the permissions roles hold on FAB's user view apply here.
    class_permission_name = "UserDBModelView"
    # Our policy, checked against the new user's username and email (FAB's hook would
    # compare with the admin's own).
    add_form_extra_fields = dict(
        zip(("password", "conf_password"), new_password_fields(), strict=True)
    )
    # Dates as the user's language writes them, to the second (FAB shows microseconds).
    formatters_columns = dict.fromkeys(("last_login", "created_on", "changed_on"), local_datetime)
    list_formatters = {"active": yes_or_no, "roles": names, "groups": names}
    phone_layout = PhoneLayout(primary="username")

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        """A user's page: FAB's, plus the action that signs that user out everywhere."""
        return self.page_with_actions(pk, "show", ("resetpasswords", "endsessions"))

    @expose("/userinfo/")
    @has_access
    def userinfo(self):
        """One's own page: FAB's, plus "Log out everywhere"."""
        return self.page_with_actions(
            g.user.id, "userinfo", ("resetmypassword", "userinfoedit", "logouteverywhere")
        )

    def page_with_actions(self, pk, page: str, names: tuple[str, ...]):
        """Render a user's show or own page with the given action buttons."""
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        actions = {name: self.actions.get(name) for name in names}
        extra = {"show_fieldsets": self.user_show_fieldsets} if page == "userinfo" else {}
        widgets = self._get_show_widget(pk, item, actions=actions, **extra)
        self.update_redirect()
        title = self.user_info_title if page == "userinfo" else self.show_title
        # One's own page adds a link to "Connect a music app" below FAB's.
        template = "setlist/userinfo.html" if page == "userinfo" else self.show_template
        return self.render_template(
            template, pk=pk, title=title, widgets=widgets, appbuilder=self.appbuilder
        )

    @action(
        "endsessions",
        _("End all sessions"),
        _("Sign this user out on every device?"),
        "fa-sign-out",
        multiple=False,
    )
    def endsessions(self, item):
        """Sign a user out everywhere (a lost laptop, a shared password)."""
        ended = sign_out_everywhere(item)
        flash(gettext("%(user)s is signed out everywhere (%(count)d sessions ended).",
                      user=item.username, count=ended), "info")  # fmt: skip
        return redirect(url_for(".show", pk=item.id))

    @action(
        "logouteverywhere",
        _("Log out everywhere"),
        _("Sign out on every device, this one included?"),
        "fa-sign-out",
        multiple=False,
    )
    def logouteverywhere(self, _item):
        """End every login of the signed-in user, whichever row the form named."""
        sign_out_everywhere(current_user)
        logout_user()
        flash(gettext("You are signed out on every device."), "info")
        return redirect(self.appbuilder.get_url_for_login)

    def post_add(self, item) -> None:
        """Note the new account in the audit log."""
        audit("user-added", **account_fields(item))

    def post_update(self, item) -> None:
        """Note the change; a deactivated account is signed out everywhere at once."""
        audit("user-changed", **account_fields(item))
        if not item.active:
            end_sessions(item.id)

    def post_delete(self, item) -> None:
        """Note the deleted account in the audit log."""
        audit("user-deleted", user=item.username, user_id=item.id)


class CatalogRoleModelView(AdminListMixin, RequestFilters, RoleModelView):
    """FAB's roles, with every change in the audit log."""

    class_permission_name = "RoleModelView"
    list_formatters = {"permissions": permission_count}

    def post_add(self, item) -> None:
        """Note the new role."""
        audit("role-added", role=item.name, permissions=len(item.permissions))

    def post_update(self, item) -> None:
        """Note the changed role."""
        audit("role-changed", role=item.name, permissions=len(item.permissions))

    def post_delete(self, item) -> None:
        """Note the deleted role."""
        audit("role-deleted", role=item.name)


def sign_out_everywhere(user) -> int:
    """End every login of a user, noted in the audit log; how many ended."""
    ended = end_sessions(user.id)
    audit("sessions-ended", user=user.username, count=ended)
    return ended


def account_fields(user) -> dict:
    """What the audit log says about an account: never its password."""
    return {
        "user": user.username,
        "user_id": user.id,
        "active": user.active,
        "roles": ",".join(role.name for role in user.roles),
    }
