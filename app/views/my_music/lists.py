"""My music: My favourite songs, albums and authors, Recently played and Most played — the
catalog's lists (columns, filters, export) narrowed to the signed-in listener's own rows,
ordered by when they starred or played them, each row with its heart and stars."""

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _

from app.fab.table_rows import PhoneLayout
from app.models import Album, Author, Song
from app.models.listener_data import AlbumMark, AuthorMark, SongMark, SongPlay
from app.views.catalog.albums import AlbumModelView
from app.views.catalog.authors import AuthorModelView
from app.views.catalog.songs import SongModelView
from app.views.listening.mark_column import starred_time
from app.views.my_music.own_rows import MyListView, OwnRowsDataModel, play_column
from app.web.pages import local_datetime

STARRED = _("Starred")
YOUR_RATING = _("Your rating")
PLAYS = _("Plays")
LAST_PLAYED = _("Last played")

#: The songs' columns, filters and export of the catalog's song list, shared by the three.
SONG_COLUMNS = ["title", "album.title", "author", "duration", "player", "mine"]
SONG_ORDERS = ["title", "album.title", "duration"]
SONG_FILTERS = ["title", "album", "author", "genre", "year"]
SONG_EXPORT = tuple(
    pair for pair in SongModelView.export_columns if pair[0] not in ("original_filename", "rating")
)


def song_data(own, own_key, extra: dict, kept=None, own_orders=None) -> OwnRowsDataModel:
    """Songs joined to the user's own rows, shown as the catalog's song list shows them."""
    catalog = SongModelView.datamodel
    return OwnRowsDataModel(
        Song,
        own=own,
        own_key=own_key,
        kept=kept,
        own_orders=own_orders,
        list_load=catalog.list_load,
        computed=catalog.computed,
        list_computed={**catalog.list_computed, **extra},
        through_relations=catalog.through_relations,
    )


class MySongList(MyListView):
    """What the three song lists share with the catalog's song list."""

    show_columns = add_columns = edit_columns = ["title"]
    search_columns = SONG_FILTERS
    search_form_extra_fields = SongModelView.search_form_extra_fields
    formatters_columns = {"duration": SongModelView.formatters_columns["duration"]}
    label_columns = {
        **SongModelView.label_columns,
        "starred_at": STARRED,
        "play_count": PLAYS,
        "last_played_at": LAST_PLAYED,
    }


class MyFavouriteSongsView(MySongList):
    """The songs the user starred, the last starred first."""

    route_base = "/my/favourites/song"
    datamodel = song_data(
        SongMark,
        SongMark.song_id,
        {"starred_at": starred_time("song", local_datetime)},
        kept=SongMark.starred_at.is_not(None),
        own_orders={"starred_at": SongMark.starred_at},
    )
    list_title = _("My favourite songs")
    list_columns = [*SONG_COLUMNS, "starred_at"]
    order_columns = ["starred_at", *SONG_ORDERS]
    base_order = ("starred_at", "desc")
    export_name = "favourite-songs"
    export_columns = (*SONG_EXPORT, ("own.starred_at", STARRED), ("own.rating", YOUR_RATING))
    phone_layout = PhoneLayout(hidden=("duration", "starred_at"))


def played_songs() -> OwnRowsDataModel:
    """Songs joined to the user's plays, with how often and when last."""
    return song_data(
        SongPlay,
        SongPlay.song_id,
        {
            "play_count": play_column("play_count", format_decimal),
            "last_played_at": play_column("last_played_at", local_datetime),
        },
        own_orders={
            "last_played_at": SongPlay.last_played_at,
            "play_count": SongPlay.play_count,
        },
    )


class RecentlyPlayedView(MySongList):
    """The songs the user played, the last played first."""

    route_base = "/my/recent"
    datamodel = played_songs()
    list_title = _("Recently played")
    list_columns = [*SONG_COLUMNS, "last_played_at", "play_count"]
    order_columns = ["last_played_at", "play_count", *SONG_ORDERS]
    base_order = ("last_played_at", "desc")
    export_name = "played-songs"
    export_columns = (
        *SONG_EXPORT,
        ("own.play_count", PLAYS),
        ("own.last_played_at", LAST_PLAYED),
    )
    phone_layout = PhoneLayout(hidden=("duration",))


class MostPlayedView(RecentlyPlayedView):
    """The songs the user played, the most played first."""

    route_base = "/my/most"
    datamodel = played_songs()
    list_title = _("Most played")
    list_columns = [*SONG_COLUMNS, "play_count", "last_played_at"]
    base_order = ("play_count", "desc")


def starred_of(model, mark, own_key, kind: str, catalog) -> OwnRowsDataModel:
    """Albums or authors joined to the user's marks, starred ones only, shown as the
    catalog's list shows them, with when they were starred."""
    return OwnRowsDataModel(
        model,
        own=mark,
        own_key=own_key,
        kept=mark.starred_at.is_not(None),
        own_orders={"starred_at": mark.starred_at},
        list_load=catalog.list_load,
        computed=catalog.computed,
        list_computed={**catalog.list_computed, "starred_at": starred_time(kind, local_datetime)},
    )


class MyFavouriteAlbumsView(MyListView):
    """The albums the user starred, the last starred first."""

    route_base = "/my/favourites/album"
    datamodel = starred_of(Album, AlbumMark, AlbumMark.album_id, "album", AlbumModelView.datamodel)
    list_title = _("My favourite albums")
    label_columns = {**AlbumModelView.label_columns, "starred_at": STARRED}
    list_columns = ["cover", "title", "author.name", "release_year", "mine", "starred_at"]
    order_columns = ["starred_at", "title", "author.name", "release_year"]
    base_order = ("starred_at", "desc")
    search_columns = ["title", "author", "release_year"]
    search_form_extra_fields = AlbumModelView.search_form_extra_fields
    show_columns = add_columns = edit_columns = ["title"]
    export_name = "favourite-albums"
    export_columns = (
        *AlbumModelView.export_columns,
        ("own.starred_at", STARRED),
        ("own.rating", YOUR_RATING),
    )
    phone_layout = AlbumModelView.phone_layout


class MyFavouriteAuthorsView(MyListView):
    """The authors the user starred, the last starred first."""

    route_base = "/my/favourites/author"
    datamodel = starred_of(
        Author, AuthorMark, AuthorMark.author_id, "author", AuthorModelView.datamodel
    )
    list_title = _("My favourite authors")
    label_columns = {**AuthorModelView.label_columns, "starred_at": STARRED}
    list_columns = ["name", "country", "mine", "starred_at"]
    order_columns = ["starred_at", "name", "country"]
    base_order = ("starred_at", "desc")
    search_columns = ["name", "country"]
    show_columns = add_columns = edit_columns = ["name"]
    export_name = "favourite-authors"
    export_columns = (
        *AuthorModelView.export_columns,
        ("own.starred_at", STARRED),
        ("own.rating", YOUR_RATING),
    )


#: The lists, in the order of their tabs and menu: (view, label, menu name, icon).
LISTS = (
    (MyFavouriteSongsView, _("Songs"), "My favourites", "fa-heart"),
    (MyFavouriteAlbumsView, _("Albums"), None, None),
    (MyFavouriteAuthorsView, _("Authors"), None, None),
    (RecentlyPlayedView, _("Recently played"), "Recently played", "fa-clock-o"),
    (MostPlayedView, _("Most played"), "Most played", "fa-bar-chart"),
)
