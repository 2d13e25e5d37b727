"""A record's page headed by the record's own name (a song's title, an author's name), with
its kind ("Song", "Album") beside it: the heading and the browser tab tell pages apart."""

from flask import g
from flask_appbuilder import expose, has_access


class NamedRecordPage:
    """Mixed into a catalog ModelView: its show page is titled by the record."""

    #: The record's attribute that names it on its page.
    name_attribute = "title"

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        """FAB's record page, titled by the record's name (the view's title if none)."""
        pk = self._deserialize_pk_if_composite(pk)
        widgets = self._show(pk)
        record = g.get("shown_record")
        name = getattr(record, self.name_attribute, None) if record is not None else None
        return self.render_template(
            self.show_template,
            pk=pk,
            title=name or self.show_title,
            kind=self.show_title,
            widgets=widgets,
            related_views=self._related_views,
        )

    def _get_show_widget(self, pk, item, *args, **kwargs):
        """The record page's widget; the record is kept for the page's heading."""
        g.shown_record = item
        return super()._get_show_widget(pk, item, *args, **kwargs)
