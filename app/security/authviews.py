"""FAB's login view with a logout that only a form of ours can trigger."""

from flask import request
from flask_appbuilder import expose
from flask_appbuilder.security.views import AuthDBView


class CatalogAuthDBView(AuthDBView):
    """Logging out takes a POST with its CSRF token: a link or an image elsewhere cannot."""

    @expose("/logout/", methods=["GET", "POST"])
    def logout(self):
        """POST logs out; GET (an old link) only offers the button."""
        if request.method == "POST":
            return super().logout()
        return self.render_template("setlist/logout.html")
