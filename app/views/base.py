"""What every catalog ModelView shares."""

from flask_appbuilder import ModelView


class CatalogModelView(ModelView):
    """A ModelView without FAB's generic download route.

    FAB's `/download/<filename>` serves any file in UPLOAD_FOLDER to anyone with
    `can_download` on the view; songs expose their own, per-row checked route.
    Defining `download` without `@expose` removes both the route and the permission.
    """

    page_size = 25
    #: (relationship, message): rows that must be gone before this one may be deleted.
    #: Refusing, rather than cascading, means no child's file is ever left behind.
    delete_blocked_by: tuple[str, str] | None = None

    def pre_delete(self, item) -> None:
        """Refuse to delete a row that still has children, saying what to do instead."""
        if self.delete_blocked_by is None:
            return
        relationship, message = self.delete_blocked_by
        children = getattr(item, relationship)
        if children:
            # FAB shows the exception text as an error message (escaped).
            raise ValueError(str(message).format(name=item, count=len(children)))

    def get_redirect(self) -> str:
        """Back to where the user came from, else this view's list (not the home page)."""
        url = super().get_redirect()
        if url == self.appbuilder.get_url_for_index:
            return self.get_default_url()
        return url

    def download(self, *args, **kwargs):
        """Not a route: see the class docstring."""
        raise NotImplementedError
