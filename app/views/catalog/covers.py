"""Album covers chosen on the album form: checked by content (app/media/covers.py), stored
under a fresh name, and the old one removed only once the album's row is committed.

A failed commit removes the file just stored and keeps the old one, so neither an orphan
nor an album pointing at a deleted cover is left behind; removing a cover works the same.
"""

from flask import g, url_for
from flask_babel import lazy_gettext as _
from flask_wtf.file import FileField
from markupsafe import Markup, escape
from sqlalchemy import inspect
from wtforms import BooleanField, ValidationError
from wtforms.widgets import FileInput

from app.fab.file_rows import AlbumDataModel
from app.media.configured_stores import cover_store
from app.media.covers import COVER_MAX_BYTES, CheckedCover, CoverTooLarge, NotAnImage, read_cover
from app.media.file_store import StoreUnavailable

COVER_ACCEPT = "image/jpeg,image/png,image/webp"
TOO_LARGE = _("The image is larger than %(most)d MB; choose a smaller one.")
NOT_AN_IMAGE = _("This file is not a JPEG, PNG or WebP image.")
NOT_STORED = _("The cover could not be stored now, so nothing was saved. Please try again.")


def cover_change(album) -> tuple[str | None, str | None]:
    """(the cover file the album's unsaved change names, the one it stops naming), read from
    the row's own change history: nothing else carries them from the form to the write."""
    history = inspect(album).attrs.cover_file.history
    return next(filter(None, history.added), None), next(filter(None, history.deleted), None)


class CoverInput(FileInput):
    """A file input with the album's current cover beside it (set by the edit page)."""

    def __call__(self, field, **kwargs) -> Markup:
        """The current cover, if any, then the input."""
        html = super().__call__(field, **kwargs)
        current = getattr(field, "current", None)
        return (
            Markup('<div class="current-cover">{}</div>{}').format(current, html)
            if current
            else html
        )


class CoverUploadField(FileField):
    """An album's cover image (JPEG, PNG or WebP up to COVER_MAX_BYTES); optional."""

    widget = CoverInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, render_kw={"accept": COVER_ACCEPT}, **kwargs)
        self.checked: CheckedCover | None = None
        self.remove = False
        #: The album's current cover (an <img>), shown above the input when editing.
        self.current: Markup | None = None

    def pre_validate(self, form) -> None:
        """Read and check a chosen image; note whether the form asks to remove the cover."""
        self.checked = None
        self.remove = bool("remove_cover" in form and form.remove_cover.data)
        upload = self.data
        if upload is None or not getattr(upload, "filename", None):
            return
        try:
            self.checked = read_cover(upload.stream)
        except CoverTooLarge:
            raise ValidationError(TOO_LARGE % {"most": COVER_MAX_BYTES // (1024 * 1024)}) from None
        except NotAnImage:
            raise ValidationError(str(NOT_AN_IMAGE)) from None

    def populate_obj(self, obj, name) -> None:
        """Store a new cover (or clear the cover to remove it); the old file stays for now."""
        if self.checked is not None:
            try:
                stored = cover_store().save_bytes(self.checked.data, self.checked.extension)
            except (OSError, StoreUnavailable) as failure:
                # FAB shows this text as the page's error: no server path in it.
                raise ValueError(str(NOT_STORED)) from failure
            obj.cover_file, obj.cover_mime_type = stored, self.checked.mime_type
        elif self.remove and obj.cover_file:
            obj.cover_file = obj.cover_mime_type = None


class RemoveCoverField(BooleanField):
    """ "Remove the cover": read by CoverUploadField; no column of its own."""

    def populate_obj(self, obj, name) -> None:
        """Nothing: the album has no such column."""


def cover_form_fields(editing: bool) -> dict:
    """The album form's cover fields (removing is for an album that may have one)."""
    fields = {
        "cover_upload": CoverUploadField(
            _("Cover image"),
            description=_(
                "JPEG, PNG or WebP, up to %(most)d MB.", most=COVER_MAX_BYTES // (1024 * 1024)
            ),
        )
    }
    if editing:
        fields["remove_cover"] = RemoveCoverField(
            _("Remove the cover"), description=_("A new image chosen above replaces it anyway.")
        )
    return fields


class AlbumCoverDataModel(AlbumDataModel):
    """Albums whose cover files follow the commit: a new one is removed when the commit
    fails, the replaced one once it succeeds."""

    def add(self, item, commit: bool = True) -> None:
        """Insert an album; a failed commit removes the cover just stored for it."""
        self.settled(super().add, item, commit)

    def edit(self, item, commit: bool = True) -> None:
        """Update an album; its old cover goes only once the change is committed."""
        self.settled(super().edit, item, commit)

    @staticmethod
    def settled(write, item, commit: bool) -> None:
        """Run the write, then keep and remove cover files by its outcome."""
        stored, replaced = cover_change(item)
        try:
            write(item, commit)
        except BaseException:
            cover_store().delete(stored)
            raise
        if commit:
            cover_store().delete(replaced)


def album_cover_image(album) -> Markup:
    """The album's cover, its address naming the stored file so a replaced cover is fetched
    anew (browsers keep a cover an hour), served by the permission-checked endpoint."""
    if album is None or not album.cover_file:
        return Markup("")
    made = g.setdefault("cover_url_prefix", url_for("AlbumModelView.cover", pk=0)[:-1])
    url = f"{made}{album.id}?v={album.cover_file[:12]}"
    return Markup(  # noqa: S704 - the address went through escape()
        f'<img src="{escape(url)}" alt="" class="img-thumbnail album-cover" width="96" height="96">'
    )
