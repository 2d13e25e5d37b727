"""Every live share link, for admins: which setlist, whose, made when, expiring when, last
used when, with a revoke button (Security menu, "Share links"). Paged, newest first."""

from flask import abort, current_app, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext

from app.database import as_integer
from app.extensions import db
from app.setlists import sharing
from app.web.pages import local_datetime

#: Links on one page of the list.
PAGE_SIZE = 50


class SetlistShareAdminView(BaseView):
    """Admins' list of every live link, and their revoke button (admins alone hold this
    view's permissions: app.security.roles gives other roles none)."""

    route_base = "/setlists/share-links"
    default_view = "list"
    method_permission_name = {"list": "list", "revoke": "delete"}

    @expose("/")
    @has_access
    def list(self):
        """One page of live links, newest first (one query; a next page if there is one)."""
        number = as_integer(request.args.get("page", "1"))
        if number is None or number < 1:
            abort(404)
        found = sharing.every_live_link(
            db.session, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1
        )
        links = [
            {
                "prefix": share.token_prefix,
                "setlist": share.setlist.name,
                "setlist_url": url_for("SetlistModelView.show", pk=share.setlist_id),
                "owner": share.setlist.owner.username if share.setlist.owner else "",
                "created": local_datetime(share.created_at),
                "expires": local_datetime(share.expires_at) if share.expires_at else None,
                "last_used": local_datetime(share.last_used_at) if share.last_used_at else None,
                "download": share.allow_download,
                "revoke_url": url_for("SetlistShareAdminView.revoke", share_id=share.id),
            }
            for share in found[:PAGE_SIZE]
        ]
        return self.render_template(
            "setlists/shared_admin.html",
            title=gettext("Share links"),
            links=links,
            sharing_on=bool(current_app.config.get("CATALOG_SHARING")),
            previous_url=url_for(".list", page=number - 1) if number > 1 else None,
            next_url=url_for(".list", page=number + 1) if len(found) > PAGE_SIZE else None,
        )

    @expose("/revoke/<int:share_id>", methods=["POST"])
    @has_access
    def revoke(self, share_id: int):
        """Revoke any live link, then show the list again."""
        share = sharing.live_link(db.session, as_integer(share_id))
        if share is None:
            abort(404)
        sharing.revoke(share)
        db.session.commit()
        flash(gettext("The link was revoked: it opens nothing any more."), "success")
        return redirect(url_for("SetlistShareAdminView.list"))
