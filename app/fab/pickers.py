"""Related-row pickers searched as you type: forms and filters never render a whole table."""

from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_appbuilder.widgets import RenderTemplateWidget, SearchWidget
from flask_babel import get_locale
from flask_babel import lazy_gettext as _
from markupsafe import Markup
from sqlalchemy import select
from wtforms import Field
from wtforms.validators import StopValidation
from wtforms.widgets import html_params

from app.database import as_integer
from app.extensions import db
from app.fab.kinds import KINDS
from app.fab.list_links import FILTER_ARGUMENT, without_arguments


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
    """What FAB's filter form script needs that is the same on every request of a view."""

    labels: dict[str, str]
    fields: dict[str, str]
    operations: dict[str, list[str]]


class CatalogSearchWidget(SearchWidget):
    """FAB's filter form, built once per view and language, with picker filters that show
    the rows their active filters name.

    FAB renders every field and translates every filter name on every list page.
    """

    def __call__(self, **kwargs):
        """Render the filter form with the active filters filled in."""
        form = self.template_args["form"]
        static = self.filter_form(form)
        fields = dict(static.fields)
        for column_name, rows in self.active_rows().items():
            form[column_name].offered = rows
            fields[column_name] = form[column_name]()
        kwargs.update(
            label_columns=static.labels,
            form_fields=fields,
            search_filters=static.operations,
            active_filters=self.filters.get_filters_values_tojson(),
        )
        return RenderTemplateWidget.__call__(self, **kwargs)

    def filter_form(self, form) -> FilterForm:
        """The labels, field HTML and filter names of this view, in this language."""
        # Per app: (view's route, language) -> its FilterForm (no per-request data in it).
        built = current_app.extensions.setdefault("filter_forms", {})
        key = (self.template_args["route_base"], str(get_locale()))
        if key not in built:
            columns = self.template_args["include_cols"]
            choices = self.filters.get_search_filters()
            built[key] = FilterForm(
                labels={column: str(form[column].label.text) for column in columns},
                fields={column: str(form[column]()) for column in columns},
                operations={column: [str(f.name) for f in choices[column]] for column in columns},
            )
        return built[key]

    def active_rows(self) -> dict[str, list]:
        """named_rows, queried once per request (the summary and the form both show them)."""
        if not hasattr(self, "_active_rows"):
            self._active_rows = self.named_rows(self.template_args["form"])
        return self._active_rows

    def active_summary(self) -> list[ActiveFilter]:
        """The filters in the address, as people read them, each with a way to drop it."""
        form = self.template_args["form"]
        active = self.active_rows().items()
        names = {(column, row.id): str(row) for column, rows in active for row in rows}
        choices = self.filters.get_search_filters()
        summary = []
        for key in request.args:
            match = FILTER_ARGUMENT.search(key)
            if not match or match["column"] not in choices:
                continue
            column, index = match["column"], int(match["index"])
            if index >= len(choices[column]) or column not in form._fields:
                continue
            values = [v for v in request.args.getlist(key) if v != ""]
            if not values:
                continue
            shown = [names.get((column, as_integer(v)), v) for v in values]
            summary.append(
                ActiveFilter(
                    label=str(form[column].label.text),
                    operation=str(choices[column][index].name),
                    value=", ".join(shown),
                    remove_url=without_arguments(key),
                )
            )
        return summary

    def named_rows(self, form) -> dict[str, list]:
        """The rows that active picker filters name by id, per column (a query per column),
        of the kinds the user may list: for another kind the filter shows the id it was given
        (custom roles: songs without albums must not read album titles by id)."""
        wanted: dict[str, list[int]] = {}
        for active, values in self.filters.get_filters_values():
            field = form._fields.get(active.column_name)
            if not isinstance(field, PickerField) or not KINDS[field.kind].visible():
                continue
            # FAB keeps a list of values per filter when the query string repeats it.
            for value in values if isinstance(values, list) else [values]:
                if str(value).isdigit():
                    wanted.setdefault(active.column_name, []).append(int(value))
        return {
            column_name: list(db.session.scalars(select(model).where(model.id.in_(ids))))
            for column_name, ids in wanted.items()
            for model in [form[column_name].model]
        }
