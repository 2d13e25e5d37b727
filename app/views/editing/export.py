"""CSV export of a list: every row the current filters and order select, streamed.

The file is what a spreadsheet needs: the list's columns as plain values (numbers as
numbers, not stars or "3:05") plus the ids of each row and its related rows, a header row,
UTF-8 with a byte-order mark (Excel reads it as UTF-8), named `songs-2026-11-22.csv`.

No text can become a formula: app/spreadsheet_cells.py neutralises every cell (OWASP "CSV
injection") and writes the lines; tests/editing/test_export_spreadsheet.py opens exports in
LibreOffice Calc with each locale's separator.
"""

from collections.abc import Callable, Iterator
from datetime import date

from flask import Response, stream_with_context
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_appbuilder.urltools import get_filter_args, get_order_args

from app.spreadsheet_cells import csv_lines, neutralised
from app.views.editing.export_limits import throttled

#: Rows fetched from the database at a time (memory stays flat for any number of rows).
BATCH_ROWS = 500


def attribute_path(item, path: str):
    """A value through relations ("album.author.name"); None when a link is missing."""
    for name in path.split("."):
        item = getattr(item, name, None)
        if item is None:
            return None
    return item


def calling_when_done(lines: Iterator[str], done: Callable[[], None]) -> Iterator[str]:
    """The lines, then `done()` however the stream ends: read to the end, closed or failed."""
    try:
        yield from lines
    finally:
        done()


class CsvExportMixin:
    """`<list>/export.csv`: the list's rows under its current filters and order, as CSV.

    `export_columns` lists (attribute path, label) pairs; the permission is the list's.
    The filters are the request's own (request_filters): an export streams while the same
    process's other threads serve the list with other filters.
    """

    export_columns: tuple = ()
    #: The file's name before the date: "songs" → songs-2026-11-22.csv.
    export_name = "export"

    def export_order(self) -> tuple[str, str]:
        """(column, direction) the list is sorted by: one of its sort columns, else its base
        order. Checked here as well as by the list-argument guard: a related column such as
        uploaded_by.email would sort by data the list never shows."""
        column, direction = get_order_args().get(type(self).__name__) or ("", "")
        if column not in self.order_columns:
            return self.base_order or ("", "")
        return column, "desc" if direction == "desc" else "asc"

    @expose("/export.csv")
    @has_access
    @permission_name("list")
    def export_csv(self):
        """Stream every row the list would show (all pages), as CSV, within the export
        limits (a 429 page over them: see export_limits)."""
        return throttled(self.csv_response)

    def csv_response(self, release: Callable[[], None]) -> Response:
        """The streamed file of the list's rows; `release()` once its stream has ended."""
        get_filter_args(self._filters)
        order_column, order_direction = self.export_order()
        filters = self._filters.get_joined_filters(self._base_filters)
        paths = [path for path, _label in self.export_columns]
        header = [str(label) for _path, label in self.export_columns]

        def rows() -> Iterator[list]:
            # The query is made here, while the stream runs, so it uses the session of the
            # stream's context, which is closed when the stream ends. Made in the view, it
            # held the view's session, already closed and forgotten by then: each export
            # kept a pooled connection until garbage collection (15 exhausted the pool).
            items = self.datamodel.all_rows(filters, order_column, order_direction, BATCH_ROWS)
            for item in items:
                yield [neutralised(attribute_path(item, path)) for path in paths]

        filename = f"{self.export_name}-{date.today().isoformat()}.csv"
        return Response(
            stream_with_context(calling_when_done(csv_lines(header, rows()), release)),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
