"""Shared helpers for the reference builders.

Every builder is ``read -> transform -> validate -> write``:

* *read* opens raw files under ``../shared/reference/`` and stops with a
  :class:`RawDataError` (a :class:`~rjnumbers.errors.DataError`) that names the file, the
  row and the column of the first bad cell;
* *transform* makes a list of row dicts;
* *validate* renders the CSV bytes, parses them back through
  :func:`rjnumbers.data.parse_table` against the resource's Table Schema and runs the
  builder's own checks on the parsed table (see :func:`finish_table`);
* *write* replaces the extract atomically and returns its ``datapackage.json`` entry.

Output is deterministic: fixed column order, rows sorted by the primary key, ``\\n`` line
endings, numbers written with a fixed number of decimals (never ``repr``), and JSON with
``indent=2, ensure_ascii=False`` and a trailing newline.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from ..data import csv_rows, parse_table
from ..errors import DataError
from ..paths import DATA, DATAPACKAGE, ROOT, reference_dir, rel

#: How raw files are named in datapackage.json and in messages (relative to the repo root).
RAW_PREFIX = "../shared/reference"
#: Default output folder of the extracts, and their path prefix inside datapackage.json.
OUT_DIR = DATA / "reference"
RESOURCE_PREFIX = "reference/"


# --- errors -------------------------------------------------------------------------------

class RawDataError(DataError):
    """A raw reference file is unreadable or breaks an expectation.

    Same attributes as :class:`DataError` (``file``, ``row``, ``column``, ``detail``) plus
    ``sheet`` and ``cell`` for spreadsheets.  ``row`` is the row *as the raw file counts it*:
    the worksheet row number in a workbook, the 1-based data row (header not counted) in a
    CSV, the 1-based row of the data frame in an R data file, the line in a JSON file.
    """

    def __init__(self, file: str, message: str, row: int | None = None,
                 column: str | None = None, sheet: str | None = None, cell: str | None = None):
        super().__init__(file, message, row=row, column=column)
        self.sheet, self.cell = sheet, cell
        where = [file]
        if sheet is not None:
            where.append(f"sheet '{sheet}'")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        if cell is not None:
            where.append(f"cell {cell}")
        self.args = (", ".join(where) + ": " + message,)


# --- paths and hashes ---------------------------------------------------------------------

def raw_root(raw_dir: Path | None = None) -> Path:
    return Path(raw_dir) if raw_dir is not None else reference_dir()


def raw_label(path: Path, raw_dir: Path) -> str:
    """How a raw file is named in messages: ``../shared/reference/imf_dots/DOTS_101.xlsx``.

    For a copy outside the project's parent folder (tests), the folder's own name is the
    prefix, e.g. ``reference/imf_dots/DOTS_101.xlsx``: never a machine path.
    """
    raw_dir = Path(raw_dir)
    sub = Path(path).relative_to(raw_dir).as_posix()
    try:
        Path(raw_dir).resolve().relative_to(ROOT.parent)
        prefix = rel(raw_dir)
    except ValueError:
        prefix = raw_dir.name
    return f"{prefix}/{sub}"


def out_label(path: Path) -> str:
    return rel(path)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def require_file(path: Path, label: str) -> None:
    if not Path(path).is_file():
        raise RawDataError(label, "file does not exist")


# --- numbers ------------------------------------------------------------------------------

def to_decimal(value) -> Decimal:
    """Exact decimal of a float's shortest repr (deterministic on every platform)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(float(value)))


def quantize(value, decimals: int) -> Decimal:
    q = to_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)
    return q + 0  # normalises -0.000 to 0.000


def fmt_number(value, decimals: int) -> str:
    text = format(quantize(value, decimals), "f")
    return text[1:] if text.startswith("-") and set(text[1:]) <= set("0.") else text


def parse_number(raw: str) -> Decimal:
    """A decimal number from text; ValueError with a short reason otherwise."""
    text = raw.strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{raw!r} is not a finite number")
    return value


def parse_int(raw: str) -> int:
    text = raw.strip()
    if not text or not (text.isdigit() or (text[0] in "+-" and text[1:].isdigit())):
        raise ValueError(f"{raw!r} is not a whole number")
    return int(text)


def period_bounds(text: str) -> tuple[date, date]:
    """First and last day of an ISO date that may be partial: YYYY, YYYY-MM or YYYY-MM-DD."""
    parts = text.split("-")
    if not (1 <= len(parts) <= 3) or len(parts[0]) != 4 or not all(p.isdigit() for p in parts) \
            or any(len(p) != 2 for p in parts[1:]):
        raise ValueError(f"{text!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    y = int(parts[0])
    try:
        if len(parts) == 1:
            return date(y, 1, 1), date(y, 12, 31)
        m = int(parts[1])
        if len(parts) == 2:
            first = date(y, m, 1)
            nxt = date(y + (m == 12), m % 12 + 1, 1)
            return first, date.fromordinal(nxt.toordinal() - 1)
        d = date(y, m, int(parts[2]))
        return d, d
    except ValueError:
        raise ValueError(f"{text!r} is not a real calendar date") from None


# --- raw CSV (hand-transcribed facts) -----------------------------------------------------

def read_raw_csv(path: Path, label: str, columns: list[str]) -> list[dict[str, str]]:
    """Read a small hand-made CSV strictly: UTF-8, the expected header, equal-length rows,
    a final newline (rjnumbers.data.csv_rows does the rest).

    Returns one dict per data row (all values text).  Errors name file, row and column.
    """
    require_file(path, label)
    data = Path(path).read_bytes()
    rows = csv_rows(data, columns, label)
    if not data.endswith(b"\n"):
        raise DataError(label, "does not end with a newline (truncated file?)",
                        row=len(rows) or None, column=columns[-1])
    return [dict(zip(columns, cells)) for cells in rows]


# --- writing ------------------------------------------------------------------------------

def render_csv(rows: list[dict], columns: list[str], decimals: dict[str, int],
               sort_key: Callable[[dict], tuple]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for rec in sorted(rows, key=sort_key):
        out = []
        for c in columns:
            v = rec.get(c)
            if v is None:
                out.append("")
            elif isinstance(v, bool):
                out.append("true" if v else "false")
            elif c in decimals:
                if isinstance(v, float) and not math.isfinite(v):
                    raise ValueError(f"{c}: non-finite value {v!r}")
                out.append(fmt_number(v, decimals[c]))
            elif isinstance(v, float):
                raise TypeError(f"column {c!r} holds a float but has no fixed decimals")
            else:
                out.append(str(v))
        writer.writerow(out)
    return buf.getvalue().encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == data:
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; extracts are ordinary committed files
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def dump_json(obj) -> bytes:
    return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# --- resource descriptors -----------------------------------------------------------------

#: Key order of every resource entry this package writes into datapackage.json.
DESCRIPTOR_KEYS = [
    "name", "path", "format", "mediatype", "encoding", "title", "description", "schema",
    "sources", "licenses", "x-producer", "x-upstream-release", "x-upstream-release-note",
    "x-raw-file", "x-raw-sha256", "x-rows", "hash", "x-builder",
]


@dataclass
class Spec:
    """Static description of one extract (everything but rows and hashes)."""

    name: str
    filename: str
    title: str
    description: str
    builder: str
    raw_files: list[str]                      # relative to ../shared/reference/
    sources: list[dict]
    licenses: list[dict]
    producer: str
    release: str | None
    release_note: str
    fields: list[dict] = field(default_factory=list)
    primary_key: list[str] = field(default_factory=list)
    decimals: dict[str, int] = field(default_factory=dict)
    expected_rows: int | None = None
    plausible: list[dict] = field(default_factory=list)  # schema "x-plausible" bounds
    format: str = "csv"
    mediatype: str = "text/csv"

    @property
    def columns(self) -> list[str]:
        return [f["name"] for f in self.fields]

    def schema(self) -> dict:
        schema = {"primaryKey": self.primary_key if len(self.primary_key) > 1 else self.primary_key[0],
                  "fields": self.fields}
        if self.plausible:
            schema["x-plausible"] = self.plausible
        return schema

    def descriptor(self, data: bytes, raw_dir: Path, rows: int) -> dict:
        raw_dir = Path(raw_dir)
        d = {
            "name": self.name,
            "path": RESOURCE_PREFIX + self.filename,
            "format": self.format,
            "mediatype": self.mediatype,
            "encoding": "utf-8",
            "title": self.title,
            "description": self.description,
        }
        if self.format == "csv":
            d["schema"] = self.schema()
        d.update({
            "sources": self.sources,
            "licenses": self.licenses,
            "x-producer": self.producer,
            "x-upstream-release": self.release,
            "x-upstream-release-note": self.release_note,
            "x-raw-file": [f"{RAW_PREFIX}/{f}" for f in self.raw_files],
            "x-raw-sha256": [sha256_file(raw_dir / f) for f in self.raw_files],
            "x-rows": rows,
            "hash": "sha256:" + sha256_bytes(data),
            "x-builder": self.builder,
        })
        return {k: d[k] for k in DESCRIPTOR_KEYS if k in d}


def finish_table(spec: Spec, rows: list[dict], out_dir: Path | None, raw_dir: Path,
                 validate: Callable[[pd.DataFrame, str], None]) -> dict:
    """Validate and write a CSV extract; return its datapackage entry."""
    out_dir = Path(out_dir) if out_dir is not None else OUT_DIR
    path = out_dir / spec.filename
    label = out_label(path)
    pk = spec.primary_key
    data = render_csv(rows, spec.columns, spec.decimals, sort_key=lambda r: tuple(r[k] for k in pk))
    check_extract(spec.schema(), data, label, validate, spec.expected_rows)
    write_atomic(path, data)
    return spec.descriptor(data, raw_dir, len(rows))


def check_extract(schema: dict, data: bytes, label: str,
                  validate: Callable[[pd.DataFrame, str], None] | None,
                  expected_rows: int | None) -> pd.DataFrame:
    """Parse extract bytes against the schema, then apply the builder's own checks."""
    df = parse_table(data, schema, label)
    if expected_rows is not None and len(df) != expected_rows:
        raise DataError(label, f"has {len(df)} data rows, expected {expected_rows} "
                        "(truncated or incomplete?)", row=len(df) or None,
                        column=schema["fields"][0]["name"])
    if validate is not None:
        validate(df, label)
    return df


# --- datapackage.json ---------------------------------------------------------------------

def update_datapackage(entries: Iterable[dict], package_path: Path = DATAPACKAGE) -> bool:
    """Replace (same name) or append the given resources; leave every other entry alone.

    Returns True when the file changed.
    """
    package_path = Path(package_path)
    old = package_path.read_bytes()
    package = json.loads(old.decode("utf-8"))
    resources = package.setdefault("resources", [])
    index = {r.get("name"): i for i, r in enumerate(resources)}
    for entry in entries:
        if entry["name"] in index:
            resources[index[entry["name"]]] = entry
        else:
            index[entry["name"]] = len(resources)
            resources.append(entry)
    new = dump_json(package)
    if new != old:
        write_atomic(package_path, new)
        return True
    return False
