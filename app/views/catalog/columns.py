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


def setlist_button(song) -> str:
    """ "Add to setlist" for one song (static/js/add-to-setlist.js opens the picker), for
    those who may change setlists; escaped HTML."""
    if not may_add_to_setlists():
        return ""
    label = escape(f"{translated(ADD_TO_SETLIST)}: {song.title}")
    return (
        '<button type="button" class="btn btn-link btn-sm setlist-add" '
        f'data-setlist-songs="{song.id}" data-setlist-what="{escape(song.title)}" '
        f'aria-haspopup="dialog" aria-label="{label}" title="{label}">'
        '<i class="fa fa-list-ul" aria-hidden="true"></i></button>'
    )


def song_player(song) -> Markup:
    """A row's play button for the player bar (static/js/player.js), with "Add to queue"
    and "Play next" beside it. Play queues the row's list from this row; the stream
    endpoint checks permissions."""
    album = song.album
    has_cover = album is not None and album.cover_file
    details = {
        "data-play": id_url("SongModelView.stream")(song.id),
        "data-title": song.title,
        "data-album": album.title if album else "",
        "data-author": album.author.name if album and album.author else "",
        "data-cover": id_url("AlbumModelView.cover")(album.id) if has_cover else "",
        "data-song": song.id,
    }
    # "Even volume" (static/js/player-sound.js): the album is loaded for its title anyway.
    # Only values there are, rounded: 25 rows of empty or 17-digit attributes weigh a list.
    loudness = (
        ("data-track-gain", song.track_gain_db, 2),
        ("data-track-peak", song.track_peak, 4),
        ("data-album-gain", album.album_gain_db if album else None, 2),
        ("data-album-peak", album.album_peak if album else None, 4),
    )
    details |= {name: round(value, places) for name, value, places in loudness if value is not None}
    # Built with escape(), not Markup.format (string.Formatter is slow at 25 rows a page).
    attributes = " ".join(f'{name}="{escape(value)}"' for name, value in details.items())
    label, add, after = (
        escape(f"{translated(text)}: {song.title}") for text in (PLAY, ADD_TO_QUEUE, PLAY_NEXT)
    )
    return Markup(  # noqa: S704 - every value went through escape()
        '<span class="song-actions">'
        f'<button type="button" class="btn btn-default btn-sm play-button" {attributes} '
        f'aria-label="{label}" title="{label}" aria-pressed="false">'
        '<i class="fa fa-play" aria-hidden="true"></i></button>'
        '<button type="button" class="btn btn-link btn-sm queue-add" data-queue-add="end" '
        f'aria-label="{add}" title="{add}"><i class="fa fa-plus" aria-hidden="true"></i></button>'
        '<button type="button" class="btn btn-link btn-sm queue-add" data-queue-add="next" '
        f'aria-label="{after}" title="{after}">'
        f'<i class="fa fa-share" aria-hidden="true"></i></button>{setlist_button(song)}</span>'
    )


def song_download(song) -> Markup:
    """A link to the permission-checked download endpoint."""
    url = id_url("SongModelView.download")(song.id)
    return Markup(f'<a href="{escape(url)}">{escape(translated(DOWNLOAD))}</a>')  # noqa: S704


def album_cover(album) -> Markup:
    """The album's cover thumbnail, served by the permission-checked cover endpoint."""
    if album is None or not album.cover_file:
        return Markup("")
    url = escape(id_url("AlbumModelView.cover")(album.id))
    return Markup(f'<img src="{url}" alt="" class="img-thumbnail" width="96" height="96">')  # noqa: S704


def song_cover(song) -> Markup:
    """The cover of the song's album."""
    return album_cover(song.album)


def row_link(endpoint: str, row, label) -> Markup:
    """A link to a row's page (`endpoint` takes the row id), showing `label` escaped."""
    if row is None:
        return Markup("")
    url = id_url(endpoint)(row.id)
    return Markup(f'<a href="{escape(url)}">{escape(label)}</a>')  # noqa: S704


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
    label = escape(translated(STARS) % {"rating": rating, "most": most})
    stars = "★" * rating + f'<span class="rating-off">{"★" * (most - rating)}</span>'
    html = f'<span class="rating" role="img" aria-label="{label}" title="{label}">{stars}</span>'
    return Markup(html)  # noqa: S704 - the label went through escape()


def title_link(endpoint: str, attribute: str = "title"):
    """A list column: the row's title (or name) linking to the row's own page."""
    return lambda row: row_link(endpoint, row, getattr(row, attribute))


def playing_time(seconds: float) -> str:
    """A long stretch of time in hours and minutes, e.g. "1,234 h 5 min"."""
    minutes = round(seconds / 60)
    hours = format_decimal(minutes // 60)
    return str(HOURS_AND_MINUTES) % {"hours": hours, "minutes": minutes % 60}
