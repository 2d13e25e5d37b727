"""What the API answers for each kind of row: data and links, never a stored file name."""

from flask import url_for
from marshmallow import Schema, fields


def link(endpoint: str):
    """A field holding the site address of `endpoint` for the row (its id as `pk`)."""
    return fields.Function(lambda row: url_for(endpoint, pk=row.id), dump_only=True)


class AuthorRef(Schema):
    """An author as other rows name it."""

    id = fields.Integer()
    name = fields.String()


class AlbumRef(Schema):
    """An album as its songs name it."""

    id = fields.Integer()
    title = fields.String()


class AuthorSchema(Schema):
    """An author."""

    id = fields.Integer(dump_only=True)
    name = fields.String()
    country = fields.String(allow_none=True)
    biography = fields.String(allow_none=True)
    page_url = link("AuthorModelView.show")


class AlbumSchema(Schema):
    """An album with its author; the cover is a permission-checked link."""

    id = fields.Integer(dump_only=True)
    title = fields.String()
    release_year = fields.Integer(allow_none=True)
    author = fields.Nested(AuthorRef)
    cover_url = fields.Function(
        lambda album: url_for("AlbumModelView.cover", pk=album.id) if album.cover_file else None,
        dump_only=True,
    )
    # Measured by the "album-loudness" job (ReplayGain 2.0 over its songs); null until then.
    loudness_lufs = fields.Float(allow_none=True, dump_only=True)
    true_peak_db = fields.Float(allow_none=True, dump_only=True)
    album_gain_db = fields.Float(allow_none=True, dump_only=True)
    album_peak = fields.Float(allow_none=True, dump_only=True)
    page_url = link("AlbumModelView.show")


class SongSchema(Schema):
    """A song, its file described (format, length, checksum, original name) and linked."""

    id = fields.Integer(dump_only=True)
    title = fields.String()
    track_number = fields.Integer(allow_none=True)
    disc_number = fields.Integer(allow_none=True)
    rating = fields.Integer(allow_none=True)
    duration = fields.Float(allow_none=True)
    genre = fields.String(allow_none=True)
    year = fields.Integer(allow_none=True)
    album = fields.Nested(AlbumRef)
    author = fields.Function(lambda song: AuthorRef().dump(song.album.author), dump_only=True)
    format = fields.String(attribute="audio_format", allow_none=True)
    mime_type = fields.String(allow_none=True)
    file_size = fields.Integer(allow_none=True)
    bitrate = fields.Integer(allow_none=True)
    sample_rate = fields.Integer(allow_none=True)
    channels = fields.Integer(allow_none=True)
    sha256 = fields.String(allow_none=True)
    original_name = fields.String(attribute="original_filename")
    uploaded_at = fields.DateTime(allow_none=True)
    # Measured by the "loudness" job (EBU R128 / ReplayGain 2.0); null until then.
    loudness_lufs = fields.Float(allow_none=True, dump_only=True)
    loudness_range = fields.Float(allow_none=True, dump_only=True)
    true_peak_db = fields.Float(allow_none=True, dump_only=True)
    track_gain_db = fields.Float(allow_none=True, dump_only=True)
    track_peak = fields.Float(allow_none=True, dump_only=True)
    stream_url = link("SongModelView.stream")
    download_url = link("SongModelView.download")
    page_url = link("SongModelView.show")


class AuthorInput(Schema):
    """What a client may write to an author (checked by the author form)."""

    name = fields.String(required=True)
    country = fields.String(allow_none=True)
    biography = fields.String(allow_none=True)


class AlbumInput(Schema):
    """What a client may write to an album (checked by the album form)."""

    title = fields.String(required=True)
    author_id = fields.Integer(required=True)
    release_year = fields.Integer(allow_none=True)


class SongInput(Schema):
    """What a client may change on a song (checked by the song form); its file has its
    own endpoints."""

    title = fields.String()
    album_id = fields.Integer()
    track_number = fields.Integer(allow_none=True)
    disc_number = fields.Integer(allow_none=True)
    rating = fields.Integer(allow_none=True)


class SongUpload(Schema):
    """A song's audio file with the details its tags should not decide (multipart)."""

    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})
    title = fields.String()
    album_id = fields.Integer()
    track_number = fields.Integer()
    disc_number = fields.Integer()
    rating = fields.Integer()
    force_duplicate = fields.Boolean(metadata={"description": "Admins only: keep a duplicate."})


class SongCreated(Schema):
    """The answer to an upload: the song's id and the song."""

    id = fields.Integer(required=True)
    result = fields.Nested(SongSchema, required=True)
