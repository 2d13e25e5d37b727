"""What every catalog JSON resource shares with its page in the UI.

Each resource under /api/v1/ is a FAB ModelRestApi that borrows from its ModelView the
permissions (same view name, same can_list/can_show/can_add/can_edit/can_delete, so roles
need nothing new), the forms that check what is written (same validators, same messages,
one set of rules whatever door the data came in by) and the delete rules.
"""

import sys

from flask import current_app
from flask_appbuilder.api import ModelRestApi
from flask_appbuilder.exceptions import DatabaseException, InvalidColumnArgsFABException
from flask_babel import lazy_gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from marshmallow import fields
from werkzeug.datastructures import MultiDict

from app.api.openapi import catalog_operations
from app.database import as_integer
from app.extensions import csrf
from app.fab.request_filters import RequestFilters
from app.fab.widgets import MAX_PAGE_SIZE
from app.logs import current_request_id
from app.security.throttling import configured, user_or_address
from app.security.tokens import bearer_token_sent
from app.web.json_answers import MORE_RESPONSES, NOT_JSON, NOT_VALID, json_error, json_object
from app.web.outages import outage_behind, roll_back, unavailable_page

NOT_SIGNED_IN = _(
    "Sign in first: send a bearer token from /api/v1/security/login, or the session "
    "cookie of a login on the site."
)
NOT_ALLOWED = _("Your account may not do this.")
NOT_FOUND = _("There is no such record.")
UNKNOWN_FIELD = _("Unknown field: it cannot be written here.")
TEXT_EXPECTED = _("Send text here (a JSON string), or null.")
NUMBER_EXPECTED = _("Send a number here, or null.")
NO_COLUMN_CHOICE = _("Choosing columns is not supported: every answer has all of them.")
FAILED = _("Setlist could not finish this request and nothing was changed (reference %(ref)s).")
WRITES = ("POST", "PUT", "DELETE")
#: The furthest page a list may be asked for (far past any catalog's last page).
MAX_PAGE = 10_000_000


def api_client_key() -> str:
    """Who is writing: the signed-in user, else the client's address."""
    return user_or_address("api")


def csrf_unless_bearer() -> None:
    """Writes with the session cookie need the page's CSRF token (X-CSRFToken), as forms
    do; another site's page cannot send a bearer token, so those need none."""
    if not bearer_token_sent() and current_user.is_authenticated:
        csrf.protect()  # (an anonymous write is refused with a 401 by the permission check)


def mistyped(data: dict, schema) -> dict[str, list]:
    """The fields whose JSON value is neither null nor of the field's kind in `schema`
    (text or number), each with what to send: the forms would read a list, an object or a
    boolean as its text ("['a']", "True")."""
    errors = {}
    for name, value in data.items():
        if value is None:
            continue
        if isinstance(schema.fields.get(name), fields.Number):
            if isinstance(value, bool) or not isinstance(value, int | float):
                errors[name] = [NUMBER_EXPECTED]
        elif not isinstance(value, str):
            errors[name] = [TEXT_EXPECTED]
    return errors


def limit_writes(limiter, blueprint) -> None:
    """Limit writes per user and per client address, counted across every resource."""
    for setting, key_func in (
        ("RATELIMIT_API_WRITE", api_client_key),
        ("RATELIMIT_API_WRITE_ADDRESS", get_remote_address),
    ):
        limiter.shared_limit(
            configured(setting), scope=setting.lower(), key_func=key_func, methods=WRITES
        )(blueprint)


class SessionOrBearer:
    """An API resource reached with a bearer token, or with a browser login's cookie and
    the page's CSRF token on every write (csrf_unless_bearer), under its pages' permissions."""

    allow_browser_login = True

    def __init__(self) -> None:
        super().__init__()
        # FAB takes a class_permission_name for a rename of older permissions ("can_get
        # on SongApi" to "can_list on SongModelView") to converge at every sync: there
        # were none.
        self.previous_class_permission_name = None
        self.previous_method_permission_name = {}

    def create_blueprint(self, appbuilder, endpoint=None, static_folder=None):
        """FAB's blueprint (exempt from the app-wide CSRF check), checked by ours instead."""
        blueprint = super().create_blueprint(appbuilder, endpoint, static_folder)
        blueprint.before_request(csrf_unless_bearer)
        return blueprint


class CatalogApi(SessionOrBearer, RequestFilters, ModelRestApi):
    """A catalog resource with its ModelView's permissions, form rules and delete rules."""

    #: The ModelView this resource shares permissions, forms, sorting and delete rules with.
    ui_view_class: type
    #: What a row is answered as, and what may be written (OpenAPI's request body).
    row_schema: type
    input_schema: type
    method_permission_name = {
        "get_list": "list",
        "get": "show",
        "post": "add",
        "put": "edit",
        "delete": "delete",
    }
    page_size = 25
    max_page_size = MAX_PAGE_SIZE
    # FAB's _info lists every row of every related table (10,000 albums for a song's album);
    # /search/<kind>/choices is the picker's searched, paged source.
    exclude_route_methods = {"info"}
    #: OpenAPI descriptions of the resource's own endpoints (FAB's openapi_spec_methods).
    extra_operations: dict = {}
    #: JSON field -> form field for what clients may write (relations by id); nothing
    #: else is accepted, so no stored file name can be written.
    writable: dict[str, str] = {}

    responses = {**ModelRestApi.responses, **MORE_RESPONSES}

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        view = cls.ui_view_class
        cls.class_permission_name = view.__name__
        cls.list_title, cls.show_title = view.list_title, view.show_title
        cls.order_columns, cls.base_order = view.order_columns, view.base_order
        cls.search_columns = view.search_columns
        cls.list_model_schema = cls.show_model_schema = cls.row_schema()
        cls.add_model_schema = cls.input_schema()
        cls.edit_model_schema = cls.input_schema(partial=True)
        # FAB lists them as the resource's columns.
        cls.list_columns = cls.show_columns = list(cls.row_schema._declared_fields)

    def __init__(self) -> None:
        super().__init__()
        self.openapi_spec_methods = {
            **catalog_operations(self.show_model_schema_name),
            **self.extra_operations,
        }

    def ui_view(self):
        """The ModelView whose forms and rules this resource shares."""
        return next(
            view for view in self.appbuilder.baseviews if isinstance(view, self.ui_view_class)
        )

    # --- reading -------------------------------------------------------------------------

    def _handle_columns_args(self, args, default_select_columns, default_response_columns):
        """Every answer carries every field of the resource's schema."""
        if args.get("columns") or args.get("select_columns"):
            raise InvalidColumnArgsFABException(str(NO_COLUMN_CHOICE))
        return [], []

    @staticmethod
    def response(code: int, **kwargs):
        """FAB's JSON answer; a list's also says whether its count is an estimate (a
        filtered list past CATALOG_LIST_EXACT_COUNT_CAP matches), as the list page does."""
        if "count" in kwargs and "ids" in kwargs:
            kwargs["count_estimated"] = getattr(kwargs["count"], "estimated", False)
        return ModelRestApi.response(code, **kwargs)

    def _sanitize_page_args(self, page, page_size):
        """FAB's paging, with whole numbers the database can take: a negative, fractional
        or huge page (a server error on PostgreSQL) is the first or the last page."""
        page = min(max(as_integer(page) or 0, 0), MAX_PAGE)
        page_size = as_integer(page_size) or self.page_size
        return super()._sanitize_page_args(page, page_size)

    # --- writing -------------------------------------------------------------------------

    def post_headless(self):
        """Create a row from JSON checked by the UI's add form."""
        return self.write(self.datamodel.obj(), self.ui_view().add_form, adding=True)

    def put_headless(self, pk):
        """Change a row: the fields sent, checked with the others by the UI's edit form."""
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            return self.response_404()
        return self.write(item, self.ui_view().edit_form, adding=False)

    def write(self, item, form_class, adding: bool):
        """Check the request's JSON with the form, save the row, answer with it."""
        data = json_object()
        if data is None:
            return json_error(400, NOT_JSON)
        refused = self.fill_from(item, data, form_class, adding)
        if refused:
            return refused
        try:
            (self.datamodel.add if adding else self.datamodel.edit)(item)
        except DatabaseException as failed:
            return refused_or_unavailable(failed)
        return self.response(
            201 if adding else 200, id=item.id, result=self.show_model_schema.dump(item)
        )

    def delete_headless(self, pk):
        """Delete a row under the UI's rules: a row with children stays (409)."""
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            return self.response_404()
        refusal = self.ui_view().delete_refusal(item)
        if refusal:
            return json_error(409, refusal)
        try:
            self.datamodel.delete(item)
        except DatabaseException as failed:
            return refused_or_unavailable(failed)
        return self.response(200, message=str(_("Deleted.")))

    def fill_from(self, item, data: dict, form_class, adding: bool):
        """Check `data` with the form and copy it onto `item`; a 422 answer when refused."""
        unknown = [name for name in data if name not in self.writable]
        if unknown:
            return json_error(422, NOT_VALID, {name: [UNKNOWN_FIELD] for name in unknown})
        wrong = mistyped(data, self.add_model_schema)
        if wrong:
            return json_error(422, NOT_VALID, wrong)
        values = {} if adding else {name: getattr(item, name) for name in self.writable}
        values.update(data)
        formdata = MultiDict(
            (self.writable[name], "" if value is None else str(value))
            for name, value in values.items()
        )
        form = form_class(formdata=formdata, meta={"csrf": False})
        if not adding:
            form._id = item.id  # the form's own-row rules (a title the row itself has)
        if not form.validate():
            by_field = {form_field: name for name, form_field in self.writable.items()}
            errors = {by_field.get(field, field): texts for field, texts in form.errors.items()}
            return json_error(422, NOT_VALID, errors)
        form.populate_obj(item)
        return None

    # --- answers -------------------------------------------------------------------------

    def response_401(self):
        """Not signed in."""
        return json_error(401, NOT_SIGNED_IN)

    def response_403(self):
        """Signed in, without the permission."""
        return json_error(403, NOT_ALLOWED)

    def response_404(self):
        """No such row."""
        return json_error(404, NOT_FOUND)

    def response_400(self, message=None):
        """A malformed request (bad query arguments)."""
        return json_error(400, message or NOT_JSON)

    def response_422(self, message=None):
        """A request FAB refused."""
        return json_error(422, message or NOT_VALID)

    def response_500(self, message=None):
        """Our failure: nothing half-done kept, a reference for the log, no internals; a
        503 when a shared service was out of reach (FAB's @safe catches every exception)."""
        if outage_behind(sys.exc_info()[1]):
            return unavailable_page()
        roll_back()
        current_app.logger.error("API request failed: %s", message)
        return json_error(500, FAILED % {"ref": current_request_id()})


def refused_or_unavailable(failed: DatabaseException):
    """A write the database did not take: 409 when it refused it (a conflicting row), 503
    when it could not be reached (worth a retry)."""
    if outage_behind(failed):
        return unavailable_page()
    return json_error(409, failed)
