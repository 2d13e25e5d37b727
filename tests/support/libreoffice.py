"""LibreOffice Calc, headless: open CSV files as a spreadsheet user would and read the cells.

Each file is imported with a chosen field separator (as Calc or Excel in a locale whose list
separator it is would), then saved as flat OpenDocument (.fods), whose XML says for every
cell whether it holds a formula and what text it shows.
"""

import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

SOFFICE = shutil.which("soffice")
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#: More empty cells than this in a row are the sheet's end, not data.
MAX_REPEATED = 64


@dataclass(frozen=True)
class Cell:
    """What a cell shows, its formula if it has one, and its kind (string, float…)."""

    text: str
    formula: str | None
    kind: str | None


def import_options(separator: str) -> str:
    """Calc's CSV import filter options: the separator, `"` quoting, UTF-8, from line 1.

    Token 7 ("quoted field as text") off: quoted fields are read like the others, since
    Excel runs a quoted formula too. Token 13 ("evaluate formulas") on: a field starting
    with = becomes a live formula, which is what the tests must show never happens.
    """
    return f"CSV:{ord(separator)},34,76,1,,,false,,,,false,,true"


def paragraph_text(element) -> str:
    """The text of a text:p with its spaces, tabs and line breaks spelled out."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag.rsplit("}", 1)[1]
        if tag == "s":
            parts.append(" " * int(child.get(f"{{{TEXT}}}c", "1")))
        elif tag == "tab":
            parts.append("\t")
        elif tag == "line-break":
            parts.append("\n")
        else:
            parts.append(paragraph_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def sheet_rows(fods: Path) -> list[list[Cell]]:
    """The non-empty rows of a .fods file's first sheet, trailing empty cells dropped."""
    # Trusted input: LibreOffice wrote this file, from the test's own CSV, on this machine.
    table = ET.parse(fods).getroot().find(f".//{{{TABLE}}}table")  # noqa: S314
    rows = []
    for row in table.iter(f"{{{TABLE}}}table-row"):
        cells = []
        for cell in row:
            if not cell.tag.endswith("table-cell"):
                continue
            text = "\n".join(paragraph_text(p) for p in cell.findall(f"{{{TEXT}}}p"))
            found = Cell(text, cell.get(f"{{{TABLE}}}formula"), cell.get(f"{{{OFFICE}}}value-type"))
            repeated = int(cell.get(f"{{{TABLE}}}number-columns-repeated", "1"))
            cells += [found] * min(repeated, MAX_REPEATED)
        while cells and cells[-1] == Cell("", None, None):
            cells.pop()
        if cells:
            rows.append(cells)
    return rows


def open_in_calc(files: list[Path], separator: str, profile: Path) -> dict[str, list[list[Cell]]]:
    """Import CSV files into Calc with a separator: {file name: its rows of cells}.

    `profile` is a folder for LibreOffice's user profile (kept apart from the user's own).
    """
    out = files[0].parent / f"calc-{ord(separator)}"
    command = [
        SOFFICE,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={profile.as_uri()}",
        f"--infilter={import_options(separator)}",
        "--convert-to",
        "fods",
        "--outdir",
        str(out),
        *map(str, files),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    sheets = {}
    for file in files:
        converted = out / f"{file.stem}.fods"
        assert converted.exists(), f"LibreOffice did not convert {file.name}: {done.stderr}"
        sheets[file.name] = sheet_rows(converted)
    return sheets
