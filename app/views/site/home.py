"""The landing page and one-message pages."""

from flask_appbuilder import IndexView, expose

from app.views.site.dashboard import best_rated_songs, catalog_figures, music_duration, newest_songs


class HomeView(IndexView):
    """The landing page: an overview of the catalog for those who may browse it."""

    index_template = "index.html"

    @expose("/")
    def index(self):
        """The overview, or what Setlist is and how to get in."""
        browsing = self.appbuilder.sm.has_access("can_list", "SongModelView")
        overview = None
        if browsing:
            totals, charts = catalog_figures()
            overview = {
                "totals": totals,
                "playing_time": music_duration(totals.seconds),
                "charts": charts,
                "newest": newest_songs(),
                "best": best_rated_songs(),
            }
        return self.render_template(
            self.index_template, appbuilder=self.appbuilder, overview=overview
        )
