"""A list page's table rows, built in Python.

A row template run 25 times was a fifth of a list request's time; this is the same HTML
for a seventh of the cost. The cells before the data (checkbox, show/edit/delete buttons)
are the same in every row but for the row id, so the template renders them once with
ROW_ID in its place and each row fills it in.
"""

from markupsafe import Markup, escape

#: Where the row id goes in the row head rendered by the template (escaping leaves it as is).
ROW_ID = "\x00row-id\x00"


def list_rows(rows, pks, columns, formatters, row_head) -> Markup:
    """Each row as `<tr>`: its head with its id, then one escaped cell per column."""
    head = str(row_head)
    parts = []
    for pk, values in zip(pks, rows, strict=True):
        parts.append(f"<tr>{head.replace(ROW_ID, escape(pk))}")
        for column in columns:
            value, formatter = values[column], formatters.get(column)
            if formatter:
                value = formatter(value)
            parts.append("<td></td>" if value is None else f"<td>{escape(value)}</td>")
        parts.append("</tr>\n")
    return Markup("".join(parts))  # noqa: S704 - every value above went through escape()
