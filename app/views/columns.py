"""Columns a page computes from a row (players, links, thumbnails): view code, not model code."""

from collections.abc import Callable

from flask import g, url_for
from flask_babel import lazy_gettext as _
from markupsafe import Markup, escape

DOWNLOAD = _("Download")


def id_url(endpoint: str) -> Callable[[int], str]:
    """Make the URL of `endpoint` for a row id; url_for runs once per request, not per row.

    Every endpoint given here ends its URL with the row id (e.g. /songs/stream/<int:pk>).
    """
    made = g.setdefault("id_urls", {})
    if endpoint not in made:
        prefix = url_for(endpoint, pk=0).removesuffix("0")
        made[endpoint] = lambda pk: f"{prefix}{pk}"
    return made[endpoint]


def translated(text) -> str:
    """A lazy string translated once per request (translation lookups are slow in bulk)."""
    done = g.setdefault("translated", {})
    # Keyed by identity: hashing or comparing a lazy string translates it every time.
    if id(text) not in done:
        done[id(text)] = str(text)
    return done[id(text)]


def song_player(song) -> Markup:
    """An HTML5 player on the permission-checked stream endpoint."""
    url = id_url("SongModelView.stream")(song.id)
    # Built with escape(), not Markup.format (string.Formatter is slow at 25 rows a page).
    return Markup(f'<audio controls preload="none" src="{escape(url)}"></audio>')  # noqa: S704


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
