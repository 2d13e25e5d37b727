"""The audio upload field: reads the file of a submission (chosen now, or kept from the last
try), has it checked by the catalog's rules (app/media/cataloguing.py) and says why it is
refused next to the field. Storing it is `save_song`'s work (app/views/catalog/song_saving.py).
"""

from flask import current_app, url_for
from flask_babel import lazy_gettext as _
from flask_login import current_user
from flask_wtf.file import FileField
from markupsafe import Markup
from werkzeug.datastructures import FileStorage
from wtforms import ValidationError
from wtforms.utils import unset_value
from wtforms.widgets import FileInput

from app.extensions import db
from app.media.cataloguing import CheckedFile, DuplicateFile, FileRefused, check_file
from app.media.file_store import StoreUnavailable, display_name
from app.views.catalog import staging
from app.web.store_outage import outage_message

#: The form argument that carries a kept file's token: audio_file_staged.
STAGED_SUFFIX = "_staged"
ALREADY_THERE = _('This file is already in the catalog as <a href="{url}">{title}</a>.')


def is_admin() -> bool:
    """Whether the current user has the admin role."""
    admin_role = current_app.config["AUTH_ROLE_ADMIN"]
    return current_user.is_authenticated and any(r.name == admin_role for r in current_user.roles)


def already_there(song) -> Markup:
    """The duplicate's message, linking to the song that has the file."""
    link = url_for("SongModelView.show", pk=song.id)
    # The translated template is ours; Markup.format escapes the song's title.
    return Markup(str(ALREADY_THERE)).format(url=link, title=song.title)  # noqa: S704


class KeptFileInput(FileInput):
    """A file input that also carries a file kept from the last try (app.views.catalog.staging)."""

    def __call__(self, field, **kwargs) -> Markup:
        """The input, and when a file was kept: its token and a note naming it."""
        html = super().__call__(field, **kwargs)
        if field.kept is None:
            return html
        token, name = field.kept
        note = _(
            "Kept from your last try: %(name)s. Send the form to use it, or choose another file.",
            name=name,
        )
        hidden = Markup('<input type="hidden" name="{}" value="{}">').format(
            f"{field.name}{STAGED_SUFFIX}", token
        )
        return Markup('{}{}<p class="help-block kept-file">{}</p>').format(html, hidden, str(note))


class AudioUploadField(FileField):
    """A song's audio file; required when adding, optional (keep current) when editing.

    A file that passed its checks is kept when the form comes back for another error
    (staging), so nobody has to choose it again.
    """

    widget = KeptFileInput()

    def __init__(self, label=None, validators=None, required: bool = True, **kwargs):
        self.required = required
        self.checked: CheckedFile | None = None
        super().__init__(label, validators, **kwargs)
        # Shows FAB's asterisk and lets the browser stop an empty submit early.
        self.flags.required = required
        self.staged_token: str | None = None
        self.staged: tuple[FileStorage, str] | None = None
        #: (token, file name) of the file kept for the next submission.
        self.kept: tuple[str, str] | None = None
        #: Why the file could not be stored or read now (the form then comes back as a 503).
        self.store_down: StoreUnavailable | None = None

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        """Read the upload, and the token of a file kept from the last try."""
        super().process(formdata, data, extra_filters)
        self.staged_token = formdata.get(f"{self.name}{STAGED_SUFFIX}") if formdata else None
        self.staged = None

    @property
    def fresh_upload(self) -> FileStorage | None:
        """The file chosen for this very submission, if any."""
        if isinstance(self.data, FileStorage) and self.data.filename:
            return self.data
        return None

    @property
    def upload(self) -> FileStorage | None:
        """The file of this submission: chosen now, or kept from the last try."""
        if self.fresh_upload is not None:
            return self.fresh_upload
        if self.staged is None and self.staged_token:
            self.staged = staging.unstage(self.staged_token)
        return self.staged[0] if self.staged else None

    def keep_for_next_try(self) -> None:
        """Keep a file that passed its checks while the form goes back for another error.

        Raises StoreUnavailable when the store cannot take it; while the store is down, a
        file kept from an earlier try is offered again, a newly chosen one must be chosen
        again.
        """
        if self.store_down is not None:
            self.keep_earlier_file()
            return
        upload = self.upload
        if self.checked is None or upload is None:
            return
        if self.fresh_upload is None:  # already kept: the same token goes on
            self.kept = (self.staged_token, upload.filename)
        else:
            name = display_name(upload.filename)
            token = staging.stage(upload, name)
            self.discard_replaced_staging()
            self.kept = (token, name)
        # The kept file fills the field: the browser must not ask for one.
        self.flags.required = False

    def keep_earlier_file(self) -> None:
        """Offer the file kept from an earlier try again (without reading the store)."""
        if self.staged:
            self.staged[0].close()
        data = staging.token_data(self.staged_token) if self.staged_token else None
        if self.fresh_upload is None and data is not None:
            self.kept = (self.staged_token, data["original"])
            self.flags.required = False

    def store_failed(self, failure: StoreUnavailable) -> None:
        """Say next to the field that the store is down, once."""
        if self.store_down is None:
            self.store_down = failure
            self.errors = [*self.errors, outage_message()]

    def discard_replaced_staging(self) -> None:
        """Remove a kept file that a newly chosen one replaces."""
        staging.discard_token(self.staged_token)

    def pre_validate(self, form) -> None:
        """Refuse a missing, mistyped, non-audio or duplicate upload with a field message."""
        self.checked = None
        #: The song already holding this file, when that is why the upload is refused.
        self.duplicate = None
        try:
            upload = self.upload
        except StoreUnavailable as failure:  # the file kept from the last try cannot be read
            self.store_down = failure
            raise ValidationError(outage_message()) from None
        if upload is None:
            if self.required:
                raise ValidationError(_("Choose an audio file to upload."))
            return
        forced = "force_duplicate" in form and form.force_duplicate.data and is_admin()
        try:
            self.checked = check_file(
                db.session,
                upload.stream,
                upload.filename,
                current_app.config["FILE_ALLOWED_EXTENSIONS"],
                replacing=getattr(form, "_id", None),
                keep_duplicate=bool(forced),
            )
        except DuplicateFile as duplicate:
            self.duplicate = duplicate.song
            raise ValidationError(already_there(duplicate.song)) from None
        except FileRefused as refused:
            raise ValidationError(str(refused)) from None

    def populate_obj(self, obj, name) -> None:
        """Nothing: `save_song` stores the checked file (the song has no field to copy)."""

    def stored(self) -> None:
        """The checked file is stored as the song's: a copy kept for a next try is done with."""
        if self.staged:
            self.staged[0].close()
            staging.discard(self.staged[1])
        else:
            self.discard_replaced_staging()
