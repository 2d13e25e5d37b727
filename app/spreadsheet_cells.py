"""CSV text a spreadsheet opens without running it: cells that cannot become formulas.

No text can become a formula (OWASP "CSV injection"), whatever separator the spreadsheet
splits the file at: Excel uses its locale's list separator (`;` in Spanish, German or French),
not the file's comma, and then a quote in the middle of a line protects nothing. So every text
field is quoted (numbers stay numbers), and a ' goes before a formula character wherever a
cell could start: at the start of the text, or after a `,`, `;`, tab, `|` or line break
(spaces and quotes between them too). tests/editing/test_export_spreadsheet.py opens exports in
LibreOffice Calc with each separator.

Flask-free: the lists' CSV export (app/views/editing/export.py) and the setlists' CSV files
(app/setlists/formats.py) both write through it.
"""

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime

#: What starts a formula: =, +, -, @ (and their full-width forms).
FORMULA_CHARACTER = "[=+\\-@＝＋－＠]"
#: A formula character where a spreadsheet may start a cell: the text's start, or after a
#: separator some locale uses or a line break, with any spaces and quotes between.
CELL_START_FORMULA = re.compile(rf"((?:^|[,;\t|\r\n])[\s\"]*)({FORMULA_CHARACTER})")
#: Most texts have no formula character at all: one quick search spares them the above.
ANY_FORMULA_CHARACTER = re.compile(FORMULA_CHARACTER)
#: First characters OWASP also neutralises (a reader may drop them and find a formula).
HIDDEN_STARTS = ("\t", "\r")


def neutralised(value) -> str | int | float:
    """A cell value: numbers as they are, text with a ' before each formula it could start."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if ANY_FORMULA_CHARACTER.search(text):
        text = CELL_START_FORMULA.sub(r"\1'\2", text)
    return "'" + text if text.startswith(HIDDEN_STARTS) else text


def csv_lines(header: list[str], rows: Iterator[list]) -> Iterator[str]:
    """A byte-order mark, the header and each row as CSV text, one line at a time (every
    text field quoted, so a `;` or `|` in it is no separator to a reader that honours quotes)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)

    def line(row) -> str:
        writer.writerow(row)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff" + line(header)
    for row in rows:
        yield line(row)
