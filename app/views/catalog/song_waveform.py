"""A song's waveform: the JSON the seek bar draws (static/js/player-waveform.js), served to
whoever may stream the song, and the song page's place for it."""

import hashlib

from flask import abort, jsonify, request
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _
from markupsafe import Markup, escape

from app.audio_analysis.waveform import Waveform
from app.fab.list_links import id_url

WAVEFORM = _("Waveform")
#: Asked again on every use (answered 304 while unchanged): a new analysis redraws it.
CACHING = "private, no-cache"


def waveform_json(blob: bytes, duration: float | None) -> dict:
    """The stored waveform as the seek bar draws it: per point, the loudest of its channels'
    peaks (0..128), and the song's length in seconds (a page draws it before any audio
    loads); ValueError when the bytes are not a waveform."""
    shape = Waveform.from_bytes(blob)
    loudest = [shape.amplitudes(channel) for channel in range(shape.channels)]
    peaks = [max(column) for column in zip(*loudest, strict=True)]
    return {"points": shape.points, "peaks": peaks, "duration": duration}


def song_waveform(song) -> Markup:
    """The song page's waveform, drawn by static/js/player-waveform.js once its JSON is in
    (the line hides itself when the song has none yet)."""
    url = escape(id_url("SongModelView.waveform")(song.id))
    return Markup(  # noqa: S704 - the only value went through escape()
        f'<div class="waveform-seek waveform-page" data-waveform="{url}" '
        f'data-song="{int(song.id)}"></div>'
    )


class SongWaveformRoute:
    """Mixed into SongModelView: /songs/waveform/<pk>, allowed as streaming the song is."""

    @expose("/waveform/<int:pk>")
    @has_access
    @permission_name("stream")
    def waveform(self, pk: int):
        """The song's waveform as JSON ({points, peaks}); 404 until it is analysed."""
        # The row as streaming finds it (the view's filters); the column is deferred, so it
        # is read here, for this one song, and never with a list.
        song = self.song_or_404(pk)
        blob = song.waveform
        if not blob:
            abort(404)
        try:
            body = waveform_json(blob, song.duration)
        except ValueError:
            abort(404)  # a stored form this version does not read: as if not analysed
        response = jsonify(body)
        response.set_etag(hashlib.sha256(blob).hexdigest()[:32])
        response.headers["Cache-Control"] = CACHING
        return response.make_conditional(request)
