"""The catalog as JSON under /api/v1/ (see app/api/base.py for the rules it shares with the UI)."""

from flask_appbuilder import AppBuilder

from app.api.base import NOT_SIGNED_IN, limit_writes
from app.api.resources import AlbumApi, AuthorApi, SongApi
from app.api.rison import check_rison_arguments_quickly
from app.api.setlists import register_setlist_api
from app.web.json_answers import json_error

RESOURCES = (AuthorApi, AlbumApi, SongApi)


def register_api(appbuilder: AppBuilder) -> None:
    """Add the catalog's resources, their writes rate-limited."""
    check_rison_arguments_quickly()
    for resource in RESOURCES:
        api = appbuilder.add_api(resource)
        # FAB's permission sync removes from a view name every permission that the last
        # object registered under that name lacks (here can_stream and can_download on
        # SongModelView): the resource declares its view's whole set.
        api.base_permissions = sorted({*api.base_permissions, *api.ui_view().base_permissions})
        limit_writes(appbuilder.sm.limiter, api.blueprint)
    register_setlist_api(appbuilder)
    answer_token_errors_as_json(appbuilder.sm.jwt_manager)


def answer_token_errors_as_json(jwt_manager) -> None:
    """Missing, malformed or expired tokens, and tokens whose login ended, get the API's
    JSON errors (401)."""
    for register in (
        jwt_manager.unauthorized_loader,
        jwt_manager.invalid_token_loader,
    ):
        register(lambda _reason: json_error(401, NOT_SIGNED_IN))
    for register in (
        jwt_manager.expired_token_loader,
        jwt_manager.user_lookup_error_loader,
        jwt_manager.revoked_token_loader,
    ):
        register(lambda _header, _payload: json_error(401, NOT_SIGNED_IN))
