"""Share links, the owner's side: the setlist page's "Share links" section, and the routes
that create a link (shown once) and revoke one. The link holders' pages are in
shared_pages.py, the admins' list in share_admin.py; the rules in app/setlists/sharing.py."""

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_appbuilder import AppBuilder, BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from markupsafe import Markup

from app.database import as_integer
from app.extensions import db
from app.security.roles import SETLIST_VIEW
from app.security.setlist_access import current_actor
from app.setlists import sharing
from app.setlists.rules import SetlistNotFound, SetlistRefused, find, may_edit
from app.views.setlists.share_admin import SetlistShareAdminView
from app.views.setlists.shared_pages import SharedSetlistView, limit_links
from app.web.pages import local_datetime, referring_page

#: The expiry choices of the form: value -> label.
EXPIRY_CHOICES = (
    ("", _("Never")),
    ("1", _("In 1 day")),
    ("7", _("In 7 days")),
    ("30", _("In 30 days")),
)


def sharing_on() -> bool:
    """Whether links may be made and opened (CATALOG_SHARING)."""
    return bool(current_app.config.get("CATALOG_SHARING"))


def shares_section(setlist, actor) -> Markup:
    """The setlist page's "Share links" section: the form for a new link and the live links
    with their revoke buttons, for whoever may edit the setlist; empty for everyone else or
    when sharing is off."""
    if not sharing_on() or not may_edit(setlist, *actor.as_editor()):
        return Markup("")
    links = [
        {
            "id": share.id,
            "prefix": share.token_prefix,
            "created": local_datetime(share.created_at),
            "expires": local_datetime(share.expires_at) if share.expires_at else None,
            "last_used": local_datetime(share.last_used_at) if share.last_used_at else None,
            "download": share.allow_download,
            "revoke_url": url_for("SetlistShareView.revoke", pk=setlist.id, share_id=share.id),
        }
        for share in sharing.live_links(db.session, setlist.id)
    ]
    page = render_template(
        "setlists/_shares.html",
        setlist=setlist,
        links=links,
        expiry_choices=EXPIRY_CHOICES,
        most=sharing.MAX_LIVE_LINKS,
        today=date.today().isoformat(),
        create_url=url_for("SetlistShareView.create", pk=setlist.id),
    )
    return Markup(page)  # noqa: S704 - autoescaped template


def expiry_from_form():
    """The expiry the form asks for (a date wins over a number of days), or SetlistRefused."""
    until = request.form.get("expires_on", "").strip()
    if until:
        try:
            wanted = date.fromisoformat(until)
        except ValueError:
            wanted = until  # not a date: the rules refuse it with their message
        return sharing.checked_expiry(until=wanted)
    days = request.form.get("expires_days", "").strip()
    return sharing.checked_expiry(days=as_integer(days) if days else None)


class SetlistShareView(BaseView):
    """Create and revoke a setlist's links (its owner, or whoever else may edit it)."""

    route_base = "/setlists/shares"
    class_permission_name = SETLIST_VIEW
    method_permission_name = {"links": "show", "create": "edit", "revoke": "edit"}
    default_view = "links"

    def editable_setlist(self, pk: int):
        """The setlist if the user may edit it and sharing is on, else a plain 404."""
        actor = current_actor()
        setlist_id = as_integer(pk)
        if not sharing_on() or setlist_id is None:
            abort(404)
        try:
            setlist = find(db.session, setlist_id, *actor.as_viewer())
        except SetlistNotFound:
            abort(404)
        if not may_edit(setlist, *actor.as_editor()):
            abort(404)
        return setlist, actor

    @expose("/<int:pk>/")
    @has_access
    def links(self, pk: int):
        """A page of the setlist's links alone (the setlist page shows the same section)."""
        setlist, actor = self.editable_setlist(pk)
        return self.render_template(
            "setlists/shared_links.html",
            title=gettext("Share links: %(name)s", name=setlist.name),
            setlist=setlist,
            section=shares_section(setlist, actor),
        )

    @expose("/<int:pk>/create", methods=["POST"])
    @has_access
    def create(self, pk: int):
        """Make a link and show it, once: its token is kept nowhere but in this answer."""
        setlist, actor = self.editable_setlist(pk)
        try:
            created = sharing.create(
                db.session,
                setlist,
                actor.user_id,
                expires_at=expiry_from_form(),
                allow_download=request.form.get("allow_download") == "y",
            )
        except SetlistRefused as refused:
            db.session.rollback()
            flash(gettext(refused.message, **refused.values), "danger")
            return redirect(url_for("SetlistShareView.links", pk=setlist.id))
        db.session.commit()
        share = created.share
        page = self.render_template(
            "setlists/shared_created.html",
            title=gettext("Link created"),
            setlist=setlist,
            link=url_for("SharedSetlistView.shared", token=created.token, _external=True),
            expires=local_datetime(share.expires_at) if share.expires_at else None,
            download=share.allow_download,
            links_url=url_for("SetlistShareView.links", pk=setlist.id),
        )
        # The token is in this page only: no cache, shared or the browser's, may keep it.
        return page, 200, {"Cache-Control": "no-store"}

    @expose("/<int:pk>/revoke/<int:share_id>", methods=["POST"])
    @has_access
    def revoke(self, pk: int, share_id: int):
        """Revoke one of the setlist's links, then go back to the page the button was on."""
        setlist, _actor = self.editable_setlist(pk)
        share = sharing.share_of(db.session, setlist, as_integer(share_id))
        if share is None:
            abort(404)
        sharing.revoke(share)
        db.session.commit()
        flash(gettext("The link was revoked: it opens nothing any more."), "success")
        return redirect(referring_page() or url_for("SetlistShareView.links", pk=setlist.id))


def register(appbuilder: AppBuilder) -> None:
    """Add the owner's routes, the link holders' pages and the admins' list of links."""
    appbuilder.add_view_no_menu(SetlistShareView)
    limit_links(appbuilder, appbuilder.add_view_no_menu(SharedSetlistView))
    appbuilder.add_view(
        SetlistShareAdminView,
        "Share links",
        label=_("Share links"),
        category="Security",
        icon="fa-link",
    )
