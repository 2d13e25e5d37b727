"""Acting on many rows of a list at once (FAB's list actions with `multiple=True`).

Each action runs in one transaction: it changes every row it may or none; rows that may
not change (an album with songs to delete, a title the new author already has) are named.
Files of deleted rows are removed only after the commit. It ends with one summary message.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import Field

from app.database import as_integer
from app.extensions import db

DELETE_SELECTED = _("Delete selected")
CONFIRM_DELETE = _("Delete the selected rows? This cannot be undone.")
NONE_SELECTED = _("Select at least one row first.")
#: Rows one bulk change may name (a list page shows at most 100).
MAX_SELECTED = 100


class BulkDeleteMixin:
    """ "Delete selected" on a list, for those who may delete (the action needs `can_delete`).

    Rows that may not go (an album that still has songs) are left, each with its reason.
    """

    method_permission_name = {"delete_selected": "delete"}
    #: "%(count)d song(s) deleted.": set by each view.
    deleted_many_message = _("%(count)d row(s) deleted.")

    @action("delete_selected", DELETE_SELECTED, CONFIRM_DELETE, "fa-trash", single=False)
    def delete_selected(self, items):
        """Delete every selected row that may go, in one transaction; say what happened."""
        rows = [item for item in items if item is not None]
        if not rows:
            flash(str(NONE_SELECTED), "warning")
            return redirect(self.get_redirect())
        verdicts = [(row, self.delete_refusal(row)) for row in rows]
        deletable = [row for row, reason in verdicts if not reason]
        refusals = [reason for _row, reason in verdicts if reason]
        if deletable:
            try:
                self.datamodel.delete_all(deletable)
            except DatabaseException as failed:
                flash(str(failed), "danger")
                return redirect(self.get_redirect())
            flash(str(self.deleted_many_message) % {"count": len(deletable)}, "success")
        if refusals:
            summary = _("%(count)d not deleted: %(reasons)s", count=len(refusals),
                        reasons=" ".join(refusals))  # fmt: skip
            flash(str(summary), "warning")
        return redirect(self.get_redirect())


@dataclass(frozen=True)
class BulkChange:
    """One value set on every selected row: rating, genre, album, author."""

    #: The action's name (also its route: /<view>/bulk/<name>).
    name: str
    label: object
    #: The model attribute to set.
    column: str
    #: Makes the form field that asks for the value (a fresh one per form class).
    field: Callable[[], Field]
    #: "%(count)d song(s) now in genre %(value)s.", or (count, value) -> the sentence.
    done: object
    #: "%(count)d song(s) were in genre %(value)s already.", or a function as for `done`:
    #: rows that held the value stay as they are and are not counted as changed.
    already: object
    #: (rows, value) -> {row id: why that row cannot take the value}; the others change.
    refusals: Callable[[list, object], dict[int, str]] | None = None
    #: The form's value -> the value stored (by default, empty text is no value).
    stored: Callable[[object], object] | None = None

    def says(self, message, count: int, value) -> str:
        """The summary for `count` rows given `value`."""
        if callable(message):
            return message(count, value)
        shown = "—" if value in (None, "") else value
        return str(message) % {"count": count, "value": shown}


class BulkChangeMixin:
    """List actions that set one value on every selected row, asked for on a small form.

    Each needs `can_edit`. The selected ids travel in the form's address; rows that no
    longer exist are skipped. The change is one transaction.
    """

    bulk_changes: tuple[BulkChange, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        mapping = dict(getattr(cls, "method_permission_name", None) or {})
        for change in cls.__dict__.get("bulk_changes", ()):
            setattr(cls, change.name, bulk_action(change))
            mapping[change.name] = "edit"
        cls.method_permission_name = mapping

    @expose("/bulk/<name>", methods=["GET", "POST"])
    @has_access
    @permission_name("edit")
    def bulk_change(self, name: str):
        """The form that asks for the value, and the change once it is sent."""
        change = next((c for c in self.bulk_changes if c.name == name), None)
        if change is None:
            abort(404)
        rows = self.selected_rows(request.args.get("ids", ""))
        if not rows:
            flash(str(NONE_SELECTED), "warning")
            return redirect(self.get_redirect())
        form = bulk_form(change)()
        if form.validate_on_submit():
            value = form.value.data
            if change.stored:
                value = change.stored(value)
            elif value == "":
                value = None  # an empty genre is no genre
            refused = change.refusals(rows, value) if change.refusals else {}
            allowed = [row for row in rows if row.id not in refused]
            unchanged = [row for row in allowed if getattr(row, change.column) == value]
            changing = [row for row in allowed if getattr(row, change.column) != value]
            if changing:
                try:
                    self.datamodel.set_all(changing, change.column, value)
                except DatabaseException as failed:
                    flash(str(failed), "danger")
                    return redirect(self.get_redirect())
                flash(change.says(change.done, len(changing), value), "success")
            if unchanged:
                flash(change.says(change.already, len(unchanged), value), "info")
            if refused:
                summary = _("%(count)d not changed: %(reasons)s", count=len(refused),
                            reasons=" ".join(refused.values()))  # fmt: skip
                flash(str(summary), "warning")
            return redirect(self.get_redirect())
        return self.render_template(
            "setlist/bulk.html",
            title=str(change.label),
            form=form,
            rows=rows,
            cancel_url=self.get_redirect(),
        )

    def selected_rows(self, ids: str) -> list:
        """The rows named by a comma-separated id list (at most a page of the list)."""
        wanted = {as_integer(part) for part in ids.split(",")[:MAX_SELECTED]} - {None}
        if not wanted:
            return []
        model = self.datamodel.obj
        return list(
            db.session.scalars(select(model).where(model.id.in_(wanted)).order_by(model.id))
        )


def bulk_action(change: BulkChange):
    """The list action that sends the selected rows to the change's form."""

    def go_to_form(self, items):
        ids = ",".join(str(item.id) for item in items if item is not None)
        return redirect(url_for(f"{type(self).__name__}.bulk_change", name=change.name, ids=ids))

    go_to_form.__name__ = change.name
    go_to_form.__doc__ = f"List action: {change.name} on the selected rows."
    return action(change.name, change.label, None, "fa-pencil", single=False)(go_to_form)


def bulk_form(change: BulkChange) -> type[FlaskForm]:
    """A form with the change's one field (CSRF included)."""
    return type(f"Bulk{change.name.title()}Form", (FlaskForm,), {"value": change.field()})
