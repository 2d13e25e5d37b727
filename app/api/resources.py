"""The catalog's resources under /api/v1/: authors, albums and songs."""

from sqlalchemy.orm import joinedload

from app.api.base import CatalogApi
from app.api.schemas import (
    AlbumInput,
    AlbumSchema,
    AuthorInput,
    AuthorSchema,
    SongCreated,
    SongInput,
    SongSchema,
    SongUpload,
)
from app.api.uploads import SongFileRoutes
from app.fab.datamodels import CatalogDataModel
from app.fab.file_rows import AlbumDataModel, SongDataModel
from app.models import Album, Author, Song
from app.views.catalog.albums import AlbumModelView
from app.views.catalog.authors import AuthorModelView
from app.views.catalog.songs import SongModelView


class AuthorApi(CatalogApi):
    """Authors."""

    resource_name = "author"
    ui_view_class, row_schema, input_schema = AuthorModelView, AuthorSchema, AuthorInput
    datamodel = CatalogDataModel(Author)
    writable = {"name": "name", "country": "country", "biography": "biography"}


class AlbumApi(CatalogApi):
    """Albums, each with its author."""

    resource_name = "album"
    ui_view_class, row_schema, input_schema = AlbumModelView, AlbumSchema, AlbumInput
    datamodel = AlbumDataModel(Album, list_load=(joinedload(Album.author),))
    writable = {"title": "title", "author_id": "author", "release_year": "release_year"}


class SongApi(SongFileRoutes, CatalogApi):
    """Songs: read, change and delete; new songs and new files come as uploads."""

    resource_name = "song"
    ui_view_class, row_schema, input_schema = SongModelView, SongSchema, SongInput
    datamodel = SongDataModel(
        Song,
        list_load=(joinedload(Song.album).joinedload(Album.author),),
        through_relations={"author": (Song.album_id, Album.id, Album.author_id)},
    )
    exclude_route_methods = {"info", "post"}
    openapi_spec_component_schemas = (SongUpload, SongCreated)
    method_permission_name = {
        **CatalogApi.method_permission_name,
        "upload": "add",
        "replace_file": "edit",
    }
    writable = {
        "title": "title",
        "album_id": "album",
        "track_number": "track_number",
        "disc_number": "disc_number",
        "rating": "rating",
    }
