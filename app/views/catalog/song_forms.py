"""The add and edit song pages: a file saved through `save_song` like at every other door,
and a form that comes back with its values when the file store is down.

FAB's own add and edit catch every exception around saving, flash its text and send the
user to the list: an object store outage read "object store: EndpointConnectionError" and
the form was lost. Here each outcome is handled by name.
"""

import logging

from flask import abort, flash, request
from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.urltools import (
    get_filter_args,
    get_order_args,
    get_page_args,
    get_page_size_args,
)
from flask_babel import lazy_gettext as _

from app.fab.datamodels import DATABASE_REFUSED, DATABASE_UNREACHABLE
from app.logs import current_request_id
from app.media.file_store import StoreUnavailable
from app.models import Song
from app.views.catalog.audio_field import is_admin
from app.views.catalog.song_saving import SongNotSaved, save_song
from app.web.outages import outage_behind, roll_back
from app.web.store_outage import REFERENCE, answer_later, store_down

log = logging.getLogger(__name__)

#: Said when no album was chosen and the file placed itself (its tags, else "Unknown"):
#: the person sees where the song went, and how to move it.
PLACED_BY_THE_FILE = _(
    "No album was chosen, so the song went to “%(album)s” by %(author)s. Edit it to move it."
)


class SongForms:
    """The song view's add and edit pages (mixed into SongModelView)."""

    def _add(self):
        """The add form to show, or None once the song is added (or refused for good)."""
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
        form = self.add_form.refresh()
        if request.method == "POST":
            self._fill_form_exclude_cols(exclude_cols, form)
            if self.form_saved(form, self.datamodel.obj(), adding=True):
                return None
        return self._get_add_widget(form=form, exclude_cols=exclude_cols)

    def _edit(self, pk):
        """The edit form to show, or None once the song is saved (or refused for good)."""
        pages, page_sizes, orders = get_page_args(), get_page_size_args(), get_order_args()
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
        song = self.datamodel.get(pk, self._base_filters)
        if song is None:
            abort(404)
        if request.method == "POST":
            # As FAB does: the form reads the request (the obj argument matches no field).
            form = self.edit_form.refresh(request.form)
            self._fill_form_exclude_cols(exclude_cols, form)
            form._id = song.id  # its own file is no duplicate
            if self.form_saved(form, song, adding=False):
                return None
        else:
            form = self.edit_form.refresh(obj=song)
            self.prefill_form(form, song.id)
        widgets = self._get_edit_widget(form=form, exclude_cols=exclude_cols)
        return self._get_related_views_widgets(
            song, filters={}, orders=orders, pages=pages, page_sizes=page_sizes, widgets=widgets
        )

    def form_saved(self, form, song: Song, adding: bool) -> bool:
        """Check and save a submitted form; False when it goes back to the user (for its
        errors, or as a 503 while the store is down: nothing kept)."""
        if not form.validate():
            if form.audio_file.store_down is not None:
                self.store_down_form(form, form.audio_file.store_down)
            return False
        self.process_form(form, adding)
        placed_by_the_file = form.album.data is None
        try:
            save_song(self, form, song, adding)
        except StoreUnavailable as failure:
            self.store_down_form(form, failure)
            return False
        except (DatabaseException, SongNotSaved) as refused:
            if outage_behind(refused):
                self.database_down_form(refused)
                return False
            flash(str(refused) or str(DATABASE_REFUSED), "danger")
            return True
        if adding:
            self.post_add(song)
            flash(self.add_row_message, "success")
        else:
            self.post_update(song)
            flash(self.edit_row_message, "success")
        if placed_by_the_file:
            album = song.album
            flash(
                str(PLACED_BY_THE_FILE % {"album": album.title, "author": album.author.name}),
                "info",
            )
        return True

    @staticmethod
    def store_down_form(form, failure: StoreUnavailable) -> None:
        """The form goes back as a 503, with the outage named next to its file, logged."""
        if form.audio_file.store_down is None:
            store_down(failure)
        form.audio_file.store_failed(failure)
        answer_later()

    @staticmethod
    def database_down_form(failure: Exception) -> None:
        """The form goes back as a 503 when the database was lost while saving (a restart):
        nothing kept, the typed values and the checked file kept for the next try."""
        roll_back()
        log.error("Song not saved, the database is unreachable: %s", type(failure).__name__)
        flash(f"{DATABASE_UNREACHABLE} {REFERENCE % {'reference': current_request_id()}}", "danger")
        answer_later()

    def keep_file(self, form) -> None:
        """Keep a good file for the form's next try (not while the store is down)."""
        try:
            form.audio_file.keep_for_next_try()
        except StoreUnavailable as failure:
            self.store_down_form(form, failure)

    def _get_add_widget(self, form, exclude_cols=None, widgets=None):
        """FAB's add form, without options the user may not use, keeping a good file."""
        self.keep_file(form)
        return super()._get_add_widget(form, self.not_for_this_user(exclude_cols), widgets)

    def _get_edit_widget(self, form, exclude_cols=None, widgets=None):
        """FAB's edit form, without options the user may not use, keeping a good file."""
        self.keep_file(form)
        return super()._get_edit_widget(form, self.not_for_this_user(exclude_cols), widgets)

    @staticmethod
    def not_for_this_user(exclude_cols) -> list[str]:
        """The columns a form leaves out: "Keep a duplicate" is for admins only."""
        return [*(exclude_cols or []), *([] if is_admin() else ["force_duplicate"])]
