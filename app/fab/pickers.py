"""Related-row pickers searched as you type: forms and filters never render a whole table."""

from dataclasses import dataclass
from functools import cached_property

from flask import current_app, request, url_for
from flask_appbuilder.widgets import RenderTemplateWidget, SearchWidget
from flask_babel import get_locale
from flask_babel import lazy_gettext as _
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from sqlalchemy import select
from wtforms import Field
from wtforms.validators import StopValidation
from wtforms.widgets import html_params

from app.database import as_integer
from app.extensions import db
from app.fab.kinds import KINDS
from app.fab.list_links import FILTER_ARGUMENT, without_arguments
from app.headers import csp_nonce


class PickerWidget:
    """A <select> holding only the chosen row(s); static/js/pickers.js fetches the rest."""

    def __call__(self, field, **kwargs) -> Markup:
        """The field as HTML; labels (untrusted names and titles) are escaped."""
        kwargs.setdefault("id", field.id)
        kwargs.setdefault("name", field.name)
        kwargs["class"] = "form-control catalog-picker"
        kwargs["data-choices-url"] = url_for("CatalogSearchView.choices", kind=field.kind)
        kwargs["data-placeholder"] = str(field.placeholder)
        if field.allow_blank:
            kwargs["data-allow-clear"] = "true"
        # Select2 shows its placeholder (and a clear button) only over an empty option.
        options = [Markup('<option value=""></option>')] if field.allow_blank else []
        chosen = Markup('<option value="{}" selected>{}</option>')
        offered = Markup('<option value="{}">{}</option>')
        if field.data is not None:
            options.append(chosen.format(field.data.id, str(field.data)))
        options.extend(offered.format(row.id, str(row)) for row in field.offered)
        attributes = Markup(html_params(**kwargs))  # noqa: S704 - html_params escapes values
        return Markup("<select {}>{}</select>").format(attributes, Markup("").join(options))


class PickerField(Field):
    """A related row (an album, an author) chosen by id from what the server suggests."""

    widget = PickerWidget()

    def __init__(
        self,
        label=None,
        validators=None,
        model=None,
        kind: str = "",
        allow_blank: bool = False,
        placeholder=None,
        **kwargs,
    ):
        super().__init__(label, validators, **kwargs)
        self.model, self.kind, self.allow_blank = model, kind, allow_blank
        self.placeholder = placeholder or _("Type to search")
        #: Rows shown as options without being chosen (active list filters).
        self.offered: list = []
        self.unknown = False

    def process_data(self, value) -> None:
        """Take the related row an edited record already has."""
        self.data = value

    def process_formdata(self, valuelist) -> None:
        """Look up the posted id; an id that names no row is remembered as an error."""
        raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        self.unknown = False
        if raw:
            row_id = as_integer(raw)
            self.data = db.session.get(self.model, row_id) if row_id is not None else None
            self.unknown = self.data is None

    def pre_validate(self, form) -> None:
        """Refuse an id that names no row (deleted meanwhile, or made up)."""
        if self.unknown:
            raise StopValidation(_("That choice no longer exists; pick one of the suggestions."))


@dataclass(frozen=True)
class ActiveFilter:
    """One filter a list is showing, as the summary above the list says it."""

    label: str
    operation: str
    value: str
    remove_url: str


@dataclass(frozen=True)
class FilterForm:
    """What FAB's filter form needs that is the same on every request of a view."""

    #: Each field's HTML, by column.
    fields: dict[str, str]
    #: The widget's HTML, with placeholders for the nonce, the fields and the active filters.
    html: str
    #: The fields as the page's script reads them (JSON), when no picker shows active rows.
    fields_json: str


#: Stand in a kept filter form's HTML for what each request fills in.
NONCE, FIELDS, ACTIVE = "\x00nonce\x00", "\x00fields\x00", "\x00active\x00"


def to_json(value) -> str:
    """`value` as Jinja's tojson filter writes it into a page."""
    policies = current_app.jinja_env.policies
    return htmlsafe_json_dumps(
        value, dumps=policies["json.dumps_function"], **policies["json.dumps_kwargs"]
    )


class CatalogSearchWidget(SearchWidget):
    """FAB's filter form, rendered once per view and language, with picker filters that
    show the rows their active filters name.

    FAB renders the form's template, every field and every filter name on every list page;
    here a page fills in only its nonce and its active filters (and an active picker's rows).
    """

    def __call__(self, **kwargs):
        """The filter form with this request's active filters filled in."""
        static = self.filter_form()
        fields_json = static.fields_json
        if active := self.active_rows():
            fields = dict(static.fields)
            for column_name, rows in active.items():
                self.form[column_name].offered = rows
                fields[column_name] = self.form[column_name]()
            fields_json = to_json(fields)
        active_filters = to_json(self.filters.get_filters_values_tojson())
        html = static.html.replace(NONCE, csp_nonce()).replace(to_json(FIELDS), fields_json)
        return Markup(html.replace(to_json(ACTIVE), active_filters))  # noqa: S704 - rendered

    @cached_property
    def form(self):
        """The view's filter form. CatalogModelView hands over its class, built only when a
        page needs it (a picker showing the rows of its active filter, a first render)."""
        form = self.template_args["form"]
        return form.refresh() if isinstance(form, type) else form

    def filter_form(self) -> FilterForm:
        """The filter form of this view in this language, without the request's parts."""
        # Per app: (view's route, language) -> its FilterForm (no per-request data in it).
        built = current_app.extensions.setdefault("filter_forms", {})
        key = (self.template_args["route_base"], str(get_locale()))
        if key not in built:
            form, columns = self.form, self.template_args["include_cols"]
            choices = self.filters.get_search_filters()
            fields = {column: str(form[column]()) for column in columns}
            html = RenderTemplateWidget.__call__(
                self,
                label_columns={column: str(form[column].label.text) for column in columns},
                form_fields=FIELDS,
                search_filters={
                    column: [str(f.name) for f in choices[column]] for column in columns
                },
                active_filters=ACTIVE,
            )
            html = html.replace(csp_nonce(), NONCE)
            built[key] = FilterForm(fields, html, to_json(fields))
        return built[key]

    def active_rows(self) -> dict[str, list]:
        """named_rows, queried once per request (the summary and the form both show them)."""
        if not hasattr(self, "_active_rows"):
            self._active_rows = self.named_rows()
        return self._active_rows

    def active_summary(self) -> list[ActiveFilter]:
        """The filters in the address, as people read them, each with a way to drop it."""
        active = self.active_rows().items()
        names = {(column, row.id): str(row) for column, rows in active for row in rows}
        choices = self.filters.get_search_filters()
        summary = []
        for key in request.args:
            match = FILTER_ARGUMENT.search(key)
            if not match or match["column"] not in choices:
                continue
            column, index = match["column"], int(match["index"])
            if index >= len(choices[column]) or column not in self.form._fields:
                continue
            values = [v for v in request.args.getlist(key) if v != ""]
            if not values:
                continue
            shown = [names.get((column, as_integer(v)), v) for v in values]
            summary.append(
                ActiveFilter(
                    label=str(self.form[column].label.text),
                    operation=str(choices[column][index].name),
                    value=", ".join(shown),
                    remove_url=without_arguments(key),
                )
            )
        return summary

    def named_rows(self) -> dict[str, list]:
        """The rows that active picker filters name by id, per column (a query per column),
        of the kinds the user may list: for another kind the filter shows the id it was given
        (custom roles: songs without albums must not read album titles by id)."""
        wanted: dict[str, list[int]] = {}
        for active, values in self.filters.get_filters_values():
            field = self.form._fields.get(active.column_name)
            if not isinstance(field, PickerField) or not KINDS[field.kind].visible():
                continue
            # FAB keeps a list of values per filter when the query string repeats it.
            for value in values if isinstance(values, list) else [values]:
                if str(value).isdigit():
                    wanted.setdefault(active.column_name, []).append(int(value))
        return {
            column_name: list(db.session.scalars(select(model).where(model.id.in_(ids))))
            for column_name, ids in wanted.items()
            for model in [self.form[column_name].model]
        }
