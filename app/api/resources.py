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
from app.models import Album, Author, Song
from app.views.catalog import AlbumModelView, AuthorModelView
from app.views.datamodels import AlbumDataModel, CatalogDataModel, SongDataModel
from app.views.songs import SongModelView


def field_names(schema) -> list[str]:
    """The fields a schema answers with (FAB lists them as the resource's columns)."""
    return list(schema._declared_fields)


class AuthorApi(CatalogApi):
    """Authors."""

    resource_name = "author"
    class_permission_name = "AuthorModelView"
    datamodel = CatalogDataModel(Author)
    list_model_schema = show_model_schema = AuthorSchema()
    add_model_schema, edit_model_schema = AuthorInput(), AuthorInput(partial=True)
    list_columns = show_columns = field_names(AuthorSchema)
    list_title, show_title = AuthorModelView.list_title, AuthorModelView.show_title
    order_columns = AuthorModelView.order_columns
    base_order = AuthorModelView.base_order
    search_columns = AuthorModelView.search_columns
    writable = {"name": "name", "country": "country", "biography": "biography"}


class AlbumApi(CatalogApi):
    """Albums, each with its author."""

    resource_name = "album"
    class_permission_name = "AlbumModelView"
    datamodel = AlbumDataModel(Album, list_load=(joinedload(Album.author),))
    list_model_schema = show_model_schema = AlbumSchema()
    add_model_schema, edit_model_schema = AlbumInput(), AlbumInput(partial=True)
    list_columns = show_columns = field_names(AlbumSchema)
    list_title, show_title = AlbumModelView.list_title, AlbumModelView.show_title
    order_columns = AlbumModelView.order_columns
    base_order = AlbumModelView.base_order
    search_columns = AlbumModelView.search_columns
    writable = {"title": "title", "author_id": "author", "release_year": "release_year"}


class SongApi(SongFileRoutes, CatalogApi):
    """Songs: read, change and delete; new songs and new files come as uploads."""

    resource_name = "song"
    class_permission_name = "SongModelView"
    datamodel = SongDataModel(
        Song,
        list_load=(joinedload(Song.album).joinedload(Album.author),),
        through_relations={"author": (Song.album_id, Album.id, Album.author_id)},
    )
    list_model_schema = show_model_schema = SongSchema()
    add_model_schema, edit_model_schema = SongInput(), SongInput(partial=True)
    list_columns = show_columns = field_names(SongSchema)
    list_title, show_title = SongModelView.list_title, SongModelView.show_title
    order_columns = SongModelView.order_columns
    base_order = SongModelView.base_order
    search_columns = SongModelView.search_columns
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
        "rating": "rating",
    }
