"""Columns a page computes from a row (players, links, thumbnails): view code, not model code."""

from collections.abc import Callable

from flask import g, url_for
from flask_babel import get_translations
from flask_babel import lazy_gettext as _
from markupsafe import Markup

PLAYER = Markup('<audio controls preload="none" src="{}"></audio>')
LINK = Markup('<a href="{}">{}</a>')
DOWNLOAD = _("Download")
THUMBNAIL = Markup('<img src="{}" alt="" class="img-thumbnail" width="96" height="96">')


def id_url(endpoint: str) -> Callable[[int], str]:
    """Make the URL of `endpoint` for a row id; url_for runs once per request, not per row.

    Every endpoint given here ends its URL with the row id (e.g. /songs/stream/<int:pk>).
    """
    made = g.setdefault("id_urls", {})
    if endpoint not in made:
        prefix = url_for(endpoint, pk=0).removesuffix("0")
        made[endpoint] = lambda pk: f"{prefix}{pk}"
    return made[endpoint]


def request_translations():
    """The current language's catalog, found once per request (Flask-Babel looks per string)."""
    if "translations" not in g:
        g.translations = get_translations()
    return g.translations


def translated(text) -> str:
    """A lazy string translated once per request (translation lookups are slow in bulk)."""
    done = g.setdefault("translated", {})
    # Keyed by identity: hashing or comparing a lazy string translates it every time.
    if id(text) not in done:
        done[id(text)] = str(text)
    return done[id(text)]


def song_player(song) -> Markup:
    """An HTML5 player on the permission-checked stream endpoint."""
    return PLAYER.format(id_url("SongModelView.stream")(song.id))


def song_download(song) -> Markup:
    """A link to the permission-checked download endpoint."""
    return LINK.format(id_url("SongModelView.download")(song.id), translated(DOWNLOAD))


def album_cover(album) -> Markup:
    """The album's cover thumbnail, served by the permission-checked cover endpoint."""
    if album is None or not album.cover_file:
        return Markup("")
    return THUMBNAIL.format(id_url("AlbumModelView.cover")(album.id))


def song_cover(song) -> Markup:
    """The cover of the song's album."""
    return album_cover(song.album)
