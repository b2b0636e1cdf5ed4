"""Read IMF Direction of Trade Statistics workbooks (``../shared/reference/imf_dots/``).

Layout of every workbook (checked, not assumed): sheets ``Exports, FOB`` and
``Imports, CIF``; column B holds the reporter's name (row 4), the unit
``US Dollars, Millions`` (row 5) and then one partner economy per row; one row holds the
years as text (``'1992'``...) from column C on; cells are numbers in US$ millions.
"""
from __future__ import annotations

import math
import re
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ._common import RawDataError, require_file, to_decimal

EXPORTS = "Exports, FOB"
IMPORTS = "Imports, CIF"
SHEETS = {"exports": EXPORTS, "imports": IMPORTS}
UNIT = "US Dollars, Millions"
DOTS_URL = "https://data.imf.org/?sk=9D6028D4-F14A-464C-A2F2-59B2CD424B85"
MIRROR_COMMIT = "a769819d9b25a21a362d6cabfb10f150903f834d"
MIRROR_URL = f"https://github.com/SamLeBlanc/Direction-of-Trade-Map/tree/{MIRROR_COMMIT}/data/DOTS"

SOURCES = [
    {
        "title": "International Monetary Fund, Direction of Trade Statistics (DOTS)",
        "path": DOTS_URL,
        "citation": "IMF, Direction of Trade Statistics",
    },
    {
        "title": "Copy used: SamLeBlanc/Direction-of-Trade-Map, data/DOTS/ "
                 f"(commit {MIRROR_COMMIT[:7]}), workbooks exported from DOTS in February 2022",
        "path": MIRROR_URL,
        "citation": "IMF, Direction of Trade Statistics (annual, US$ millions; exported February 2022)",
    },
]
LICENSES = [
    {
        "name": "IMF-terms",
        "title": "IMF Copyright and Usage: free reuse of data with attribution to the IMF",
        "path": "https://www.imf.org/external/terms.htm",
    }
]
PRODUCER = "International Monetary Fund, Statistics Department"
RELEASE_NOTE = ("Date the workbooks were exported from the IMF's DOTS portal (latest timestamp "
                "inside the .xlsx files); DOTS itself is revised monthly, so later exports may "
                "differ. The mirror repository records no IMF release date.")

_YEAR = re.compile(r"\d{4}")


def export_date(path: Path) -> str:
    """Latest timestamp inside the workbook's zip container, as an ISO date."""
    with zipfile.ZipFile(path) as zf:
        stamp = max(info.date_time for info in zf.infolist())
    return datetime(*stamp).date().isoformat()


class _Grid:
    """The non-empty cells of one worksheet, by (row, column), 1-based like Excel."""

    def __init__(self, cells: dict[tuple[int, int], object]):
        self.cells = cells
        self.max_row = max((r for r, _ in cells), default=0)
        self.max_column = max((c for _, c in cells), default=0)

    def value(self, row: int, col: int):
        return self.cells.get((row, col))


def _load(path: Path, label: str) -> dict[str, _Grid]:
    """Every sheet of the workbook as a grid; a damaged file stops here, by name."""
    require_file(path, label)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            sheets = {}
            for ws in wb.worksheets:
                ws.reset_dimensions()  # trust the cells, not the <dimension> tag
                cells = {}
                # read-only rows keep their positions: missing rows and cells come back empty
                for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
                    for c, v in enumerate(values, start=1):
                        if v is not None:
                            cells[(r, c)] = v
                sheets[ws.title] = _Grid(cells)
            return sheets
        finally:
            wb.close()
    except Exception as exc:  # zipfile, XML and openpyxl errors on damaged containers
        raise RawDataError(label, "cannot be read as an .xlsx workbook (truncated or corrupt? "
                           f"{type(exc).__name__}: {exc})") from None


def _find_in_column_b(ws: _Grid, text: str, first: int, last: int) -> list[int]:
    return [r for r in range(first, last + 1) if ws.value(r, 2) == text]


def _header(ws: _Grid, label: str, sheet: str) -> tuple[int, dict[int, int]]:
    """The header row and a map year -> column index; errors name row and column."""
    header_row = None
    for r in range(1, min(ws.max_row, 30) + 1):
        cells = [ws.value(r, c) for c in range(3, ws.max_column + 1)]
        if sum(v is not None and _YEAR.fullmatch(str(v).strip()) is not None for v in cells) >= 2:
            header_row = r
            break
    if header_row is None:
        raise RawDataError(label, "no header row with years found (rows 1-30, from column C on)",
                           sheet=sheet, column="C")
    years: dict[int, int] = {}
    for c in range(3, ws.max_column + 1):
        v = ws.value(header_row, c)
        letter = get_column_letter(c)
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        text = str(v).strip()
        if isinstance(v, float) and v.is_integer():
            text = str(int(v))
        if not _YEAR.fullmatch(text):
            raise RawDataError(label, f"header cell {text!r} is not a year", sheet=sheet,
                               row=header_row, column=letter, cell=f"{letter}{header_row}")
        y = int(text)
        if y in years:
            raise RawDataError(label, f"year {y} appears twice in the header (columns "
                               f"{get_column_letter(years[y])} and {letter})", sheet=sheet,
                               row=header_row, column=str(y), cell=f"{letter}{header_row}")
        years[y] = c
    return header_row, years


def read_dots(path: Path, label: str, reporter: str, partners: list[str],
              years: range) -> dict[tuple[str, str, int], Decimal]:
    """Values (US$ mn) of one reporter's workbook: {(flow, partner, year): value}.

    ``flow`` is ``exports`` or ``imports``; ``partners`` are IMF names exactly as in column B.
    Every requested cell must hold a finite, non-negative number.
    """
    sheets = _load(path, label)
    out: dict[tuple[str, str, int], Decimal] = {}
    for flow, sheet in SHEETS.items():
        if sheet not in sheets:
            raise RawDataError(label, f"sheet '{sheet}' is missing (found: "
                               f"{', '.join(repr(s) for s in sheets)})", sheet=sheet)
        ws = sheets[sheet]
        header_row, year_cols = _header(ws, label, sheet)
        top = [ws.value(r, 2) for r in range(1, header_row)]
        if reporter not in top:
            raise RawDataError(label, f"reporter {reporter!r} not named above the header "
                               f"(column B shows {[t for t in top if t]})", sheet=sheet,
                               row=4, column="B", cell="B4")
        if UNIT not in top:
            raise RawDataError(label, f"unit {UNIT!r} not stated above the header", sheet=sheet,
                               row=5, column="B", cell="B5")
        for y in years:
            if y not in year_cols:
                raise RawDataError(label, f"year {y} is missing from the header row",
                                   sheet=sheet, row=header_row, column=str(y))
        for partner in partners:
            found = _find_in_column_b(ws, partner, header_row + 1, ws.max_row)
            if not found:
                raise RawDataError(label, f"partner {partner!r} not found in column B",
                                   sheet=sheet, column="B")
            values_by_row = {}
            for r in found:
                values_by_row[r] = {y: _cell_value(ws, r, year_cols[y], y, partner, label, sheet)
                                    for y in years}
            first = found[0]
            for r in found[1:]:
                if values_by_row[r] != values_by_row[first]:
                    y = next(y for y in years if values_by_row[r][y] != values_by_row[first][y])
                    letter = get_column_letter(year_cols[y])
                    raise RawDataError(label, f"partner {partner!r} appears twice (rows {first} "
                                       f"and {r}) with different values", sheet=sheet, row=r,
                                       column=str(y), cell=f"{letter}{r}")
            for y in years:
                out[(flow, partner, y)] = values_by_row[first][y]
    return out


def _cell_value(ws: _Grid, row: int, col: int, year: int, partner: str, label: str, sheet: str) -> Decimal:
    v = ws.value(row, col)
    letter = get_column_letter(col)
    where = dict(sheet=sheet, row=row, column=str(year), cell=f"{letter}{row}")
    if v is None or (isinstance(v, str) and not v.strip()):
        raise RawDataError(label, f"empty cell for partner {partner!r}", **where)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise RawDataError(label, f"{v!r} is not a number (partner {partner!r})", **where)
    if not math.isfinite(v):
        raise RawDataError(label, f"{v!r} is not a finite number (partner {partner!r})", **where)
    if v < 0:
        raise RawDataError(label, f"negative trade value {v!r} (partner {partner!r})", **where)
    return to_decimal(v)
