"""What every catalog ModelView shares."""

from flask_appbuilder import ModelView


class CatalogModelView(ModelView):
    """A ModelView without FAB's generic download route.

    FAB's `/download/<filename>` serves any file in UPLOAD_FOLDER to anyone with
    `can_download` on the view; songs expose their own, per-row checked route.
    Defining `download` without `@expose` removes both the route and the permission.
    """

    page_size = 25

    def get_redirect(self) -> str:
        """Back to where the user came from, else this view's list (not the home page)."""
        url = super().get_redirect()
        if url == self.appbuilder.get_url_for_index:
            return self.get_default_url()
        return url

    def download(self, *args, **kwargs):
        """Not a route: see the class docstring."""
        raise NotImplementedError
