"""An album's songs as a track list: in running order (app/media/tracklist.py), without the
album's own columns, with a Disc column when the album has discs."""

from dataclasses import replace

from sqlalchemy import asc, desc

from app.fab.file_rows import SongDataModel
from app.fab.filters import ForeignKeyEqual
from app.media.tracklist import TRACK_ORDER
from app.models import Song

#: No column has this name, so no sort link or address can ask for it: only
#: SongListDataModel.query picks it, for the songs of one album.
RUNNING_ORDER = "running order"
#: TRACK_ORDER without the id the list's query adds after every order anyway.
RUNNING_ORDER_KEYS = [key for key in TRACK_ORDER if key is not Song.id]


def one_album(filters) -> bool:
    """Whether a list's filters keep the songs of one album (an album's page, or the song
    list filtered by an album): few rows, so an order no index serves costs nothing."""
    chosen = [
        value
        for flt, value in zip(filters.filters, filters.values, strict=True)
        if flt.column_name == "album" and isinstance(flt, ForeignKeyEqual)
    ]
    return len(chosen) == 1


class SongListDataModel(SongDataModel):
    """Songs whose "Track" order, for one album's songs, is the running order: disc by
    disc, numbered tracks first (on SQLite and PostgreSQL alike)."""

    def query(self, filters=None, order_column: str = "", order_direction: str = "", **kwargs):
        """FAB's list query; "by track" within one album means the running order."""
        if order_column == "track_number" and filters is not None and one_album(filters):
            order_column = RUNNING_ORDER
        return super().query(filters, order_column, order_direction, **kwargs)

    def sort_keys(self, query, order_column: str, order_direction: str):
        """The running order's keys (see query), else the usual ones."""
        if order_column == RUNNING_ORDER:
            return query, RUNNING_ORDER_KEYS, desc if order_direction == "desc" else asc
        return super().sort_keys(query, order_column, order_direction)

    def get_values(self, lst, list_columns):
        """Each row's values; a track list may show the disc number too (see track_list)."""
        for item, values in zip(lst, super().get_values(lst, list_columns), strict=True):
            values.setdefault("disc_number", item.disc_number)
            yield values


def track_list(widget, hidden: tuple[str, ...]) -> None:
    """Make an album page's song list a track list: without `hidden` columns (the album
    and its author, the page's own), with a Disc column when any of its rows has a disc."""
    args = widget.template_args
    rows = list(args["value_columns"])  # one page of rows: at most MAX_PAGE_SIZE
    columns = [column for column in args["include_columns"] if column not in hidden]
    if any(row.get("disc_number") for row in rows) and "track_number" in columns:
        columns.insert(columns.index("track_number"), "disc_number")
    args["value_columns"], args["include_columns"] = rows, columns
    # On a phone card the track number says where a song is on its album: keep it there.
    phone = args.get("phone")
    if phone is not None and "track_number" in phone.hidden:
        shown = tuple(column for column in phone.hidden if column != "track_number")
        args["phone"] = replace(phone, hidden=shown)


class RelatedListColumns:
    """Record pages whose related lists leave out the columns naming the record itself."""

    #: Related view class name -> the columns its list leaves out on this record's page.
    related_hidden_columns: dict[str, tuple[str, ...]] = {}

    def _get_related_view_widget(self, item, related_view, *args, **kwargs):
        """A related list, as a track list when it holds an album's songs."""
        widget = super()._get_related_view_widget(item, related_view, *args, **kwargs)
        hidden = self.related_hidden_columns.get(type(related_view).__name__)
        if widget is not None and hidden is not None:
            track_list(widget, hidden)
        return widget
