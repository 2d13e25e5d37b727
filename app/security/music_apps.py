""" "Connect a music app": one's own app passwords for Subsonic clients (the server address
and username to type, a named password shown once, the list with last use, revoking)."""

from flask import current_app, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _

from app.extensions import db
from app.models.app_passwords import MAX_NAME
from app.security.app_passwords import (
    MAX_PER_USER,
    BadName,
    TooManyAppPasswords,
    cipher_for,
    create,
    live,
    revoke,
)
from app.security.audit import audit
from app.web.pages import local_datetime
from app.web.qr_codes import qr_svg

TEMPLATE = "setlist/music_apps.html"


def server_address() -> str:
    """The address a music app connects to: the site's public one, else this request's."""
    external = current_app.config.get("CATALOG_EXTERNAL_URL") or request.host_url
    return external.rstrip("/")


def connection_text(server: str, username: str, password: str) -> str:
    """What the QR code holds: the three settings as labelled lines of plain text.

    Music apps share no format for a server's settings (DSub, Ultrasonic and Symfonium read
    none; a "subsonic://" link opens no app), so a phone's camera shows this text, from which
    each setting is copied; never a web address, which a camera would open in a browser and
    whose history would keep the password.
    """
    lines = [
        (gettext("Server address"), server),
        (gettext("Username"), username),
        (gettext("Password"), password),
    ]
    return "\n".join(f"{label}: {value}" for label, value in lines)


class MusicAppsView(BaseView):
    """One's own app passwords; every signed-in account may manage its own, only its own."""

    route_base = "/music-apps"
    default_view = "index"
    class_permission_name = "MusicAppsView"
    method_permission_name = {"index": "list", "add": "add", "remove": "delete"}

    def page(self, new_password: str | None = None, new_name: str | None = None, status=200):
        """The page, with a just-made password shown (this answer only, never stored)."""
        rows = [
            {
                "id": row.id,
                "name": row.name,
                "created": local_datetime(row.created_at),
                "used": local_datetime(row.last_used_at),
                "client": row.last_client or "",
            }
            for row in live(db.session, g.user.id)
        ]
        qr = None
        if new_password:
            qr = qr_svg(
                connection_text(server_address(), g.user.username, new_password),
                gettext("QR code of the server address, your username and this app password"),
            )
        response = self.render_template(
            TEMPLATE,
            title=_("Connect a music app"),
            server=server_address(),
            username=g.user.username,
            rows=rows,
            max_name=MAX_NAME,
            full=len(rows) >= MAX_PER_USER,
            new_password=new_password,
            new_name=new_name,
            new_qr=qr,
        )
        # A page showing a password must not be kept by the browser or any cache.
        return response, status, {"Cache-Control": "no-store"}

    @expose("/")
    @has_access
    def index(self):
        """The address, username and one's app passwords."""
        return self.page()

    @expose("/add", methods=["POST"])
    @has_access
    def add(self):
        """Make a named app password and show it once."""
        name = request.form.get("name", "")
        try:
            row, password = create(db.session, cipher_for(current_app.config), g.user.id, name)
        except BadName:
            flash(gettext("Give the app password a name of 1 to %(n)d characters.", n=MAX_NAME),
                  "danger")  # fmt: skip
            return self.page(status=400)
        except TooManyAppPasswords:
            flash(gettext("You have %(n)d app passwords: revoke one first.", n=MAX_PER_USER),
                  "danger")  # fmt: skip
            return self.page(status=409)
        audit("app-password-created", user=g.user.username, name=row.name)
        return self.page(new_password=password, new_name=row.name)

    @expose("/remove/<int:password_id>", methods=["POST"])
    @has_access
    def remove(self, password_id: int):
        """Revoke one of one's own app passwords (another's id changes nothing)."""
        if revoke(db.session, g.user.id, password_id):
            audit("app-password-revoked", user=g.user.username, password_id=password_id)
            flash(gettext("App password revoked: apps using it are signed out."), "info")
        else:
            flash(gettext("That app password was already revoked."), "warning")
        return redirect(url_for(".index"))
