"""Columns a page computes from a row (players, links, thumbnails): view code, not model code."""

from flask import current_app, g
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _
from markupsafe import Markup, escape

from app.fab.list_links import id_url
from app.security.roles import SETLIST_VIEW

DOWNLOAD = _("Download")
PLAY = _("Play")
ADD_TO_QUEUE = _("Add to queue")
PLAY_NEXT = _("Play next")
ADD_TO_SETLIST = _("Add to setlist")
STARS = _("%(rating)d of %(most)d stars")
HOURS_AND_MINUTES = _("%(hours)s h %(minutes)d min")


def translated(text) -> str:
    """A lazy string translated once per request (translation lookups are slow in bulk)."""
    done = g.setdefault("translated", {})
    # Keyed by identity: hashing or comparing a lazy string translates it every time.
    if id(text) not in done:
        done[id(text)] = str(text)
    return done[id(text)]


def may_add_to_setlists() -> bool:
    """Whether the user may add songs to setlists (asked once per request)."""
    if "may_add_to_setlists" not in g:
        g.may_add_to_setlists = current_app.appbuilder.sm.has_access("can_edit", SETLIST_VIEW)
    return g.may_add_to_setlists


class RowTexts:
    """What every row of a page repeats, made once per request: labels translated and
    escaped, URL prefixes (url_for once per endpoint), stars per rating. A list's 25 rows
    then cost a few string joins each, not a translation, url_for and escape per cell."""

    def __init__(self) -> None:
        self.labels: dict[int, Markup] = {}
        self.prefixes: dict[str, Markup] = {}
        self.stars: dict[tuple[int, int], Markup] = {}
        self._may_add: bool | None = None

    def label(self, text) -> Markup:
        """A lazy string, translated and escaped (keyed by identity, as translated())."""
        if id(text) not in self.labels:
            self.labels[id(text)] = escape(translated(text))
        return self.labels[id(text)]

    def prefix(self, endpoint: str) -> Markup:
        """The escaped URL of `endpoint` without its row id (see id_url): add the id."""
        if endpoint not in self.prefixes:
            self.prefixes[endpoint] = escape(id_url(endpoint)(""))
        return self.prefixes[endpoint]

    @property
    def may_add(self) -> bool:
        """Whether this request's user sees "Add to setlist"."""
        if self._may_add is None:
            self._may_add = may_add_to_setlists()
        return self._may_add


def row_texts() -> RowTexts:
    """This request's RowTexts."""
    texts = g.get("row_texts")
    if texts is None:
        texts = g.row_texts = RowTexts()
    return texts


def setlist_button(song, texts: RowTexts | None = None, title: str | None = None) -> str:
    """ "Add to setlist" for one song (static/js/add-to-setlist.js opens the picker), for
    those who may change setlists; escaped HTML (`title`: the song's, escaped already)."""
    texts = texts or row_texts()
    if not texts.may_add:
        return ""
    title = escape(song.title) if title is None else title
    label = f"{texts.label(ADD_TO_SETLIST)}: {title}"
    return (
        '<button type="button" class="btn btn-link btn-sm setlist-add" '
        f'data-setlist-songs="{song.id}" data-setlist-what="{title}" '
        f'aria-haspopup="dialog" aria-label="{label}" title="{label}">'
        '<i class="fa fa-list-ul" aria-hidden="true"></i></button>'
    )


PLAYER_LABELS = (PLAY, ADD_TO_QUEUE, PLAY_NEXT)
#: "Even volume" (static/js/player-sound.js): (attribute, row, its column, decimals).
LOUDNESS_ATTRIBUTES = (
    ("data-track-gain", "song", "track_gain_db", 2),
    ("data-track-peak", "song", "track_peak", 4),
    ("data-album-gain", "album", "album_gain_db", 2),
    ("data-album-peak", "album", "album_peak", 4),
)


def song_player(song) -> Markup:
    """A row's play button for the player bar (static/js/player.js), with "Add to queue"
    and "Play next" beside it. Play queues the row's list from this row; the stream
    endpoint checks permissions."""
    texts = row_texts()
    album = song.album
    # Escaped once: the title shows in seven attributes (escaping is character by
    # character, so "label: title" escaped is the label escaped, ": ", the title escaped).
    title = escape(song.title)
    cover = ""
    if album is not None and album.cover_file:
        cover = f"{texts.prefix('AlbumModelView.cover')}{album.id}"
    author = album.author if album is not None else None
    attributes = (
        f'data-play="{texts.prefix("SongModelView.stream")}{song.id}" data-title="{title}" '
        f'data-album="{escape(album.title) if album is not None else ""}" '
        f'data-author="{escape(author.name) if author is not None else ""}" '
        f'data-cover="{cover}" data-song="{song.id}"'
    )
    # Only values there are, rounded: 25 rows of empty or 17-digit attributes weigh a list.
    # The album is loaded for its title anyway.
    rows = {"song": song, "album": album}
    for name, row, column, places in LOUDNESS_ATTRIBUTES:
        value = getattr(rows[row], column) if rows[row] is not None else None
        if value is not None:
            attributes += f' {name}="{round(value, places)}"'
    label, add, after = (f"{texts.label(text)}: {title}" for text in PLAYER_LABELS)
    return Markup(  # noqa: S704 - every value went through escape()
        '<span class="song-actions">'
        f'<button type="button" class="btn btn-default btn-sm play-button" {attributes} '
        f'aria-label="{label}" title="{label}" aria-pressed="false">'
        '<i class="fa fa-play" aria-hidden="true"></i></button>'
        '<button type="button" class="btn btn-link btn-sm queue-add" data-queue-add="end" '
        f'aria-label="{add}" title="{add}"><i class="fa fa-plus" aria-hidden="true"></i></button>'
        '<button type="button" class="btn btn-link btn-sm queue-add" data-queue-add="next" '
        f'aria-label="{after}" title="{after}">'
        f'<i class="fa fa-share" aria-hidden="true"></i></button>'
        f"{setlist_button(song, texts, title)}</span>"
    )


def song_download(song) -> Markup:
    """A link to the permission-checked download endpoint."""
    texts = row_texts()
    url = texts.prefix("SongModelView.download")
    return Markup(f'<a href="{url}{song.id}">{texts.label(DOWNLOAD)}</a>')  # noqa: S704


def album_cover(album) -> Markup:
    """The album's cover thumbnail, served by the permission-checked cover endpoint."""
    if album is None or not album.cover_file:
        return Markup("")
    url = row_texts().prefix("AlbumModelView.cover")
    return Markup(  # noqa: S704 - an escaped prefix and a number
        f'<img src="{url}{album.id}" alt="" class="img-thumbnail" width="96" height="96">'
    )


def song_cover(song) -> Markup:
    """The cover of the song's album."""
    return album_cover(song.album)


def row_link(endpoint: str, row, label) -> Markup:
    """A link to a row's page (`endpoint` takes the row id), showing `label` escaped."""
    if row is None:
        return Markup("")
    url = row_texts().prefix(endpoint)
    return Markup(f'<a href="{url}{row.id}">{escape(label)}</a>')  # noqa: S704


def album_link(song) -> Markup:
    """The song's album title, linking to the album's page."""
    album = song.album
    return row_link("AlbumModelView.show", album, album.title if album else "")


def author_link(album) -> Markup:
    """The album's author, linking to the author's page."""
    author = album.author if album else None
    return row_link("AuthorModelView.show", author, author.name if author else "")


def song_author_link(song) -> Markup:
    """The author of the song's album, linking to the author's page."""
    return author_link(song.album)


def rating_stars(rating: int | None, most: int = 5) -> Markup:
    """A rating as filled and empty stars, read out as "4 of 5 stars"."""
    if rating is None:
        return Markup("")
    texts = row_texts()
    if (rating, most) not in texts.stars:
        label = escape(translated(STARS) % {"rating": rating, "most": most})
        stars = "★" * rating + f'<span class="rating-off">{"★" * (most - rating)}</span>'
        texts.stars[rating, most] = Markup(  # noqa: S704 - the label went through escape()
            f'<span class="rating" role="img" aria-label="{label}" title="{label}">{stars}</span>'
        )
    return texts.stars[rating, most]


def title_link(endpoint: str, attribute: str = "title"):
    """A list column: the row's title (or name) linking to the row's own page."""
    return lambda row: row_link(endpoint, row, getattr(row, attribute))


def playing_time(seconds: float) -> str:
    """A long stretch of time in hours and minutes, e.g. "1,234 h 5 min"."""
    minutes = round(seconds / 60)
    hours = format_decimal(minutes // 60)
    return str(HOURS_AND_MINUTES) % {"hours": hours, "minutes": minutes % 60}
