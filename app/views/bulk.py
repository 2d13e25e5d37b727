"""Acting on many rows of a list at once (FAB's list actions with `multiple=True`).

Each action runs in one transaction: it changes every row it may or none. Files of deleted
rows are removed only after the commit. It ends with one summary message.
"""

from flask import flash, redirect
from flask_appbuilder.actions import action
from flask_appbuilder.exceptions import DatabaseException
from flask_babel import lazy_gettext as _

DELETE_SELECTED = _("Delete selected")
CONFIRM_DELETE = _("Delete the selected rows? This cannot be undone.")
NONE_SELECTED = _("Select at least one row first.")


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
