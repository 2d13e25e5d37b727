"""What a share link opens, without an account: the setlist's page (read-only, paged) and
its songs, streamed in byte ranges through the link and its entries only, downloaded when
the owner allowed it. Anything wrong with a link (unknown, revoked, expired, its setlist
private, sharing off) is the same plain 404. Limited per link and address, and per link.

No link here leads into the catalog, and no song id appears: a song is reached as an entry
of the link's setlist, so nothing a holder sees works anywhere else. The pages set no
cookie (no form, no session; app/security/sessions.py sends none on any /shared/ address,
the 404 and 429 pages there included); the token in the address never reaches the request
log (app/logs.py logs the route's pattern for a `token` argument; deploy/nginx.conf and
gunicorn.conf.py mask it in theirs).
"""

import hashlib
import math

from flask import abort, current_app, jsonify, render_template, request, url_for
from flask_appbuilder import AppBuilder, BaseView, expose
from flask_babel import get_locale
from flask_limiter.util import get_remote_address

from app.database import as_integer
from app.extensions import db
from app.media.audio import format_duration
from app.media.configured_stores import audio_store
from app.media.file_store import display_name
from app.security.throttling import configured
from app.setlists import entries, sharing
from app.views.catalog.sending import PRIVATE_MAX_AGE, send_stored

#: Entries on one page of a shared setlist.
PAGE_SIZE = 50
#: A link's pages are its holder's: no shared cache keeps them, no referrer carries them away.
PRIVATE_PAGE = {"Cache-Control": "private, no-cache", "Referrer-Policy": "no-referrer"}


def link_key() -> str:
    """A rate-limit key naming the link (by a hash: the token itself stays out of the
    rate-limit store too)."""
    token = (request.view_args or {}).get("token", "")
    return "share:" + hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()[:32]


def link_and_address_key() -> str:
    """A rate-limit key naming the link and the client's address."""
    return f"{link_key()}:{get_remote_address()}"


def opened_share(token: str):
    """The live link the token opens (its last use noted, once a minute at most), or 404."""
    if not current_app.config.get("CATALOG_SHARING"):
        abort(404)
    share = sharing.opened(db.session, token)
    if share is None:
        abort(404)
    if sharing.note_use(db.session, share):
        db.session.commit()
    return share


class SharedSetlistView(BaseView):
    """A shared setlist's page and its songs, for whoever holds the link."""

    route_base = "/shared"

    def page_of(self, token: str):
        """(share, rows of page ?page=N, its number, the number of pages, count, seconds),
        or 404 for a page the setlist does not have."""
        share = opened_share(token)
        count, seconds = share.setlist.totals
        pages = max(1, math.ceil(count / PAGE_SIZE))
        number = as_integer(request.args.get("page", "1"))
        if number is None or not 1 <= number <= pages:
            abort(404)
        shown = entries.page(
            db.session, share.setlist_id, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
        rows = [
            {
                "number": (number - 1) * PAGE_SIZE + index + 1,
                "title": entry.song.title,
                "author": entry.song.album.author.name,
                "album": entry.song.album.title,
                "duration": format_duration(entry.song.duration),
                "note": entry.note,
                "stream_url": url_for("SharedSetlistView.stream", token=token, entry_id=entry.id),
                "download_url": url_for(
                    "SharedSetlistView.download", token=token, entry_id=entry.id
                )
                if share.allow_download
                else None,
            }
            for index, entry in enumerate(shown)
        ]
        return share, rows, number, pages, count, seconds

    @expose("/<token>")
    def shared(self, token: str):
        """The setlist's name, description, totals and one page of its entries."""
        share, rows, number, pages, count, seconds = self.page_of(token)

        def page_url(page: int, endpoint: str = "SharedSetlistView.shared") -> str:
            return url_for(endpoint, token=token, page=page)

        page = render_template(
            "setlists/shared_setlist.html",
            language=str(get_locale() or "en"),
            app_name=current_app.appbuilder.app_name,
            setlist=share.setlist,
            rows=rows,
            count=count,
            playing_time=format_duration(seconds),
            page_number=number,
            pages=pages,
            previous_url=page_url(number - 1) if number > 1 else None,
            next_url=page_url(number + 1) if number < pages else None,
            next_tracks_url=page_url(number + 1, "SharedSetlistView.tracks")
            if number < pages
            else None,
        )
        return page, 200, PRIVATE_PAGE

    @expose("/<token>/tracks")
    def tracks(self, token: str):
        """One page of the setlist's tracks as JSON (title, author, stream address) and the
        next page's address: the page's player goes on past its last row."""
        _share, rows, number, pages, _count, _seconds = self.page_of(token)
        tracks = [
            {"title": row["title"], "author": row["author"], "stream": row["stream_url"]}
            for row in rows
        ]
        following = (
            url_for("SharedSetlistView.tracks", token=token, page=number + 1)
            if number < pages
            else None
        )
        return jsonify({"tracks": tracks, "next": following}), 200, PRIVATE_PAGE

    def send_entry(self, token: str, entry_id: int, **how):
        """One of the link's setlist's songs, as send_song sends a song (ranges, validators,
        the object store), or 404 for any id that is not an entry of that setlist."""
        share = opened_share(token)
        if how.get("as_attachment") and not share.allow_download:
            abort(404)
        entry = sharing.shared_entry(db.session, share, as_integer(entry_id))
        if entry is None:
            abort(404)
        song = entry.song
        return send_stored(
            audio_store(),
            song.audio_file,
            mimetype=song.mime_type,
            download_name=display_name(song.original_filename),
            **how,
        )

    @expose("/<token>/stream/<int:entry_id>", methods=["GET", "HEAD"])
    def stream(self, token: str, entry_id: int):
        """Play an entry's song inline: byte ranges (206/416), ETag and Last-Modified (304)."""
        return self.send_entry(token, entry_id, max_age=PRIVATE_MAX_AGE)

    @expose("/<token>/download/<int:entry_id>")
    def download(self, token: str, entry_id: int):
        """Download an entry's song, when the link's owner allowed downloads; else 404."""
        return self.send_entry(token, entry_id, as_attachment=True)


def limit_links(appbuilder: AppBuilder, view: SharedSetlistView) -> None:
    """Count a link's pages, streams and downloads together, per link and address and per
    link (a view's FAB `limits` count each route apart: the page and a player's ranges must
    draw on one budget)."""
    limiter = appbuilder.sm.limiter
    for setting, key in (
        ("RATELIMIT_SHARE", link_and_address_key),
        ("RATELIMIT_SHARE_LINK", link_key),
    ):
        limiter.shared_limit(configured(setting), scope=setting.lower(), key_func=key)(
            view.blueprint
        )
