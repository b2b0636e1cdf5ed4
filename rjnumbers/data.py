"""Load the project's data files, validated against ``data/datapackage.json``.

Every table the notebooks use goes through :func:`load`.  It

* checks the file against its Table Schema (columns, types, required values, allowed values,
  ranges, patterns, unique keys) and stops with a :class:`~rjnumbers.errors.DataError` naming
  file, row and column at the first problem;
* records that the file was read (see :func:`record_read`), so the build knows which notebooks
  to re-execute when a data file changes.

It never writes anything.
"""
from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import tempfile
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .errors import DataError
from .paths import DATAPACKAGE, READ_LOG_ENV, ROOT, rel


def record_read(path: Path | str) -> None:
    """Note that a notebook read ``path`` (the build uses this to track dependencies)."""
    log = os.environ.get(READ_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(rel(path) + "\n")


@contextmanager
def recording():
    """Collect the files read inside the block (as :func:`record_read` notes them) into the
    list it yields; a log already being kept (a notebook's) still receives them."""
    outer = os.environ.get(READ_LOG_ENV)
    fd, log = tempfile.mkstemp(suffix=".log")
    os.close(fd)
    read: list[str] = []
    os.environ[READ_LOG_ENV] = log
    try:
        yield read
    finally:
        if outer is None:
            os.environ.pop(READ_LOG_ENV, None)
        else:
            os.environ[READ_LOG_ENV] = outer
        text = Path(log).read_text(encoding="utf-8")
        os.unlink(log)
        read.extend(sorted(set(text.split())))
        if outer:
            with open(outer, "a", encoding="utf-8") as fh:
                fh.write(text)


@lru_cache(maxsize=None)
def _package_cached(path: str, mtime: float) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(rel(path), f"not valid JSON: {exc.msg}", row=None) from exc


def datapackage(path: Path = DATAPACKAGE) -> dict:
    record_read(path)
    return _package_cached(str(path), path.stat().st_mtime)


def resource(name: str, package: dict | None = None) -> dict:
    package = package or datapackage()
    for res in package["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(f"no resource named {name!r} in {rel(DATAPACKAGE)}")


def resource_path(name: str) -> Path:
    return ROOT / "data" / resource(name)["path"]


# --- parsing and validation -------------------------------------------------------------

_MISSING = {""}


def _parse_value(raw: str, field: dict):
    """Convert one cell; raise ValueError with a short reason if it does not fit the type."""
    ftype = field.get("type", "string")
    if ftype == "string":
        return raw
    if ftype == "integer":
        if not re.fullmatch(r"[+-]?\d+", raw):
            raise ValueError(f"{raw!r} is not an integer")
        return int(raw)
    if ftype == "number":
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"{raw!r} is not a number") from None
        if not math.isfinite(value):
            raise ValueError(f"{raw!r} is not a finite number")
        return value
    if ftype == "year":
        if not re.fullmatch(r"\d{4}", raw):
            raise ValueError(f"{raw!r} is not a four-digit year")
        return int(raw)
    if ftype == "date":
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"{raw!r} is not an ISO date (YYYY-MM-DD)") from None
    if ftype == "boolean":
        if raw not in ("true", "false"):
            raise ValueError(f"{raw!r} is not true/false")
        return raw == "true"
    raise ValueError(f"schema type {ftype!r} is not supported")


def _check_constraints(value, raw: str, field: dict) -> None:
    cons = field.get("constraints", {})
    if "enum" in cons and raw not in [str(v) for v in cons["enum"]]:
        allowed = ", ".join(str(v) for v in cons["enum"])
        raise ValueError(f"{raw!r} is not one of the allowed values ({allowed})")
    if "pattern" in cons and not re.fullmatch(cons["pattern"], raw):
        raise ValueError(f"{raw!r} does not match the pattern {cons['pattern']}")
    if "minimum" in cons and value < cons["minimum"]:
        raise ValueError(f"{raw} is below the minimum {cons['minimum']}")
    if "maximum" in cons and value > cons["maximum"]:
        raise ValueError(f"{raw} is above the maximum {cons['maximum']}")
    if "maxLength" in cons and len(raw) > cons["maxLength"]:
        raise ValueError(f"is longer than {cons['maxLength']} characters")


def _decode_error(raw: bytes, exc: UnicodeDecodeError, columns: list[str], file: str) -> DataError:
    """Locate a byte that is not UTF-8 by CSV record and cell, not by raw lines and commas.

    The bytes are decoded with ``surrogateescape`` and parsed as CSV, so a quoted comma or a
    quoted line break before the bad byte does not shift the reported row or column.
    """
    bad = f"not valid UTF-8: byte 0x{raw[exc.start:exc.start + 1].hex()} at offset {exc.start}"
    text = raw.decode("utf-8", errors="surrogateescape")
    try:
        for i, cells in enumerate(csv.reader(io.StringIO(text, newline=""))):
            for j, cell in enumerate(cells):
                if any("\udc80" <= ch <= "\udcff" for ch in cell):
                    column = columns[min(j, len(columns) - 1)] if i > 0 else None
                    return DataError(file, f"{bad} (wrong encoding, e.g. Latin-1?)",
                                     row=i or None, column=column)
    except csv.Error:
        pass
    line = raw[: exc.start].count(b"\n") + 1
    return DataError(file, f"{bad}, line {line} (wrong encoding, e.g. Latin-1?)")


def csv_records(raw: bytes, columns: list[str], file: str) -> list[tuple[int, list[str]]]:
    """Split CSV bytes into (line, cells) records under the expected header, strictly.

    UTF-8 only (a BOM is dropped), the header must be exactly ``columns`` and every row as long
    as the header; any breach raises :class:`DataError` naming file, row and column.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _decode_error(raw, exc, columns, file) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise DataError(file, "file is empty (no header line)")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise DataError(file, f"header cannot be parsed: {exc}") from None
    missing = [n for n in columns if n not in header]
    if missing:
        raise DataError(file, f"column is missing from the header (expected {', '.join(columns)})",
                        column=missing[0])
    extra = [h for h in header if h not in columns]
    if extra:
        raise DataError(file, "column is not in the schema", column=extra[0])
    if header != columns:
        raise DataError(file, f"columns are out of order: expected {', '.join(columns)}")
    rows: list[tuple[int, list[str]]] = []
    while True:
        line = reader.line_num + 1  # the physical line where the next record starts
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise DataError(file, f"cannot be parsed as CSV: {exc}", row=len(rows) + 1,
                            column=columns[0], line=line) from None
        row = len(rows) + 1
        if not cells:
            raise DataError(file, "empty line inside the table", row=row, column=columns[0],
                            line=line)
        if len(cells) != len(columns):
            raise DataError(file, f"has {len(cells)} cells, expected {len(columns)}"
                            " (truncated or misquoted row?)", row=row,
                            column=columns[min(len(cells), len(columns) - 1)], line=line)
        rows.append((line, cells))
    return rows


def csv_rows(raw: bytes, columns: list[str], file: str) -> list[list[str]]:
    """The cells of :func:`csv_records`, without their line numbers."""
    return [cells for _, cells in csv_records(raw, columns, file)]


def parse_table(text_bytes: bytes, schema: dict, file: str) -> pd.DataFrame:
    """Parse CSV bytes against a Table Schema; return a DataFrame or raise DataError."""
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    records = []
    records_lines = csv_records(text_bytes, names, file)
    lines = [ln for ln, _ in records_lines]
    for row, (line, cells) in enumerate(records_lines, start=1):
        rec = {}
        for raw, field in zip(cells, fields):
            name = field["name"]
            if raw in _MISSING:
                if field.get("constraints", {}).get("required"):
                    raise DataError(file, "a value is required", row=row, column=name, line=line)
                # an empty string cell stays "", an empty number cell becomes NaN
                rec[name] = "" if field.get("type", "string") == "string" else None
                continue
            try:
                value = _parse_value(raw, field)
                _check_constraints(value, raw, field)
            except ValueError as exc:
                raise DataError(file, str(exc), row=row, column=name, line=line) from None
            rec[name] = value
        records.append(rec)

    if not records and schema.get("x-nonEmpty", True):
        raise DataError(file, "has a header but no data rows (truncated file?)")

    pk = schema.get("primaryKey")
    if pk:
        pk = [pk] if isinstance(pk, str) else pk
        seen: dict[tuple, int] = {}
        for i, rec in enumerate(records, start=1):
            key = tuple(rec[k] for k in pk)
            if key in seen:
                raise DataError(file, f"duplicate key {key if len(key) > 1 else key[0]!r} "
                                f"(first at row {seen[key]})", row=i, column=pk[-1],
                                line=lines[i - 1])
            seen[key] = i
    for field in fields:
        if field.get("constraints", {}).get("unique"):
            seen_u: dict = {}
            for i, rec in enumerate(records, start=1):
                v = rec[field["name"]]
                if v is None or v == "":
                    continue
                if v in seen_u:
                    raise DataError(file, f"duplicate value {v!r} (first at row {seen_u[v]})",
                                    row=i, column=field["name"], line=lines[i - 1])
                seen_u[v] = i

    check_plausible(records, lines, schema, file)
    df = pd.DataFrame.from_records(records, columns=names)
    df.attrs["lines"] = Lines(lines)  # where each record starts in the file, for later messages
    for field in fields:
        name, ftype = field["name"], field.get("type", "string")
        if ftype == "number":
            df[name] = df[name].astype("float64")
        elif ftype in ("integer", "year"):
            df[name] = df[name].astype("Int64")
    return df


class Lines(tuple):
    """The line of the file where each record starts. Immutable, so it is shared rather than
    copied: pandas deep-copies a table's ``attrs`` into the result of every operation, and a
    copy of a list of a few hundred numbers for each was a tenth of the book's execution time."""

    def __deepcopy__(self, memo):
        return self


def check_plausible(records: list[dict], lines: list[int], schema: dict, file: str) -> None:
    """Apply the schema's ``x-plausible`` bounds: a value that parses and fits its type can
    still be impossible (US$ 1e308 of trade, a share of 250 percent).

    Each bound names a ``field``, optionally ``where`` (column values that select the rows it
    holds for, e.g. one unit of a table that mixes units), ``minimum`` and/or ``maximum``, and
    ``why`` (the evidence for the bound, shown in the message).
    """
    for bound in schema.get("x-plausible", []):
        name, where = bound["field"], bound.get("where", {})
        for i, rec in enumerate(records, start=1):
            v = rec.get(name)
            if v is None or v == "" or any(str(rec.get(k)) != str(w) for k, w in where.items()):
                continue
            lo, hi = bound.get("minimum"), bound.get("maximum")
            if (lo is not None and v < lo) or (hi is not None and v > hi) or v != v:
                scope = "".join(f" for {k} {w!r}" for k, w in where.items())
                raise DataError(file, f"{v:g} is outside the plausible range{scope} "
                                f"[{lo if lo is not None else '-inf'}, "
                                f"{hi if hi is not None else 'inf'}] ({bound['why']})",
                                row=i, column=name, line=lines[i - 1])


def check_foreign_keys(name: str, df: pd.DataFrame, package: dict) -> None:
    res = resource(name, package)
    for fk in res["schema"].get("foreignKeys", []):
        col = fk["fields"]
        ref_name = fk["reference"]["resource"]
        ref_col = fk["reference"]["fields"]
        ref = load(ref_name, check_references=False)
        allowed = set(ref[ref_col].dropna())
        for i, v in enumerate(df[col], start=1):
            if v not in (None, "") and v not in allowed:
                lines = df.attrs.get("lines")
                raise DataError(f"data/{res['path']}", f"{v!r} is not a {ref_col} in "
                                f"data/{resource(ref_name, package)['path']}", row=i, column=col,
                                line=lines[i - 1] if lines else None)


_LOADED: dict[tuple, pd.DataFrame] = {}


def load(name: str, check_references: bool = True) -> pd.DataFrame:
    """Load a resource of ``data/datapackage.json`` by name, validated; raise DataError if bad.

    A table is parsed once per process for the same bytes on disk (keyed by the size and
    modification time of the file, of the tables its foreign keys refer to, and of the package);
    every call returns a fresh copy and records the read, of those tables too (what the table
    was checked against is an input of whatever reads it).
    """
    package = datapackage()
    res = resource(name, package)
    path = ROOT / "data" / res["path"]
    file = rel(path)
    paths = [path]
    if check_references:
        paths += [ROOT / "data" / resource(fk["reference"]["resource"], package)["path"]
                  for fk in res["schema"].get("foreignKeys", [])]
    for p in paths:
        record_read(p)
    stats = []
    for p in paths + [DATAPACKAGE]:
        try:
            st = p.stat()
        except FileNotFoundError:
            raise DataError(rel(p), "file does not exist") from None
        stats.append((st.st_mtime_ns, st.st_size))
    key = (name, check_references, *stats)
    if key not in _LOADED:
        df = parse_table(path.read_bytes(), res["schema"], file)
        if check_references:
            check_foreign_keys(name, df, package)
        _LOADED[key] = df
    return _LOADED[key].copy()


def validate_all() -> list[str]:
    """Load every tabular resource; return their names. Raises DataError at the first problem."""
    names = []
    for res in datapackage()["resources"]:
        if res.get("format", "csv") == "csv" and "schema" in res:
            load(res["name"])
            names.append(res["name"])
    return names


def _shape(value: str) -> str:
    """The form of an id with its numbers blanked: 'abc2020-7' -> 'abc#-#'."""
    return re.sub(r"\d+", "#", value)


def missing_key_hint(key) -> str | None:
    """Name the data file a chapter's failed lookup of ``key`` points to, or None.

    A KeyError in a chapter whose key has the form of a table's identifiers (a claim id, a
    source id, an event id, ...) comes from that table: the row was removed or renamed. The
    answer names file and column, so a data error reads as one, not as a bug in a cell.
    """
    if not isinstance(key, str) or not key:
        return None
    for res in datapackage()["resources"]:
        pk = res.get("schema", {}).get("primaryKey")
        pk = [pk] if isinstance(pk, str) else pk
        if res.get("format", "csv") != "csv" or not isinstance(pk, list) or len(pk) != 1:
            continue
        try:
            values = {str(v) for v in load(res["name"], check_references=False)[pk[0]]}
        except DataError:
            continue
        file = rel(ROOT / "data" / res["path"])
        if key in values:
            return (f"'{key}' is a {pk[0]} of {file}, but the rows the chapter looked it up in "
                    "do not hold it (a reading or a filter left it out?)")
        same = {v for v in values if _shape(v) == _shape(key)}
        if same and (re.search(r"\d", key) or "_" in key or "-" in key):
            return (f"no row of {file} has {pk[0]} '{key}' (removed or renamed?), "
                    "and a chapter asks for it")
    return None
