"""Property tests: corrupt raw files and extracts must stop with a DataError that says where.

Each example works on a private copy: a temporary ``reference/`` folder of symlinks to the real
raw files, with the one file under test replaced by a corrupted version, fed to the builder's
own ``read`` step.  Extracts are corrupted in memory and fed to
:func:`rjnumbers.data.parse_table`, :func:`rjnumbers.reference.verify` and
:func:`rjnumbers.data.load`.  Nothing is written into ``data/``.
"""
from __future__ import annotations

import csv
import functools
import io
import json
import re
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from rjnumbers import data as data_mod
from rjnumbers import reference
from rjnumbers.data import parse_table
from rjnumbers.errors import DataError
from rjnumbers.paths import DATA, DATAPACKAGE, reference_dir
from rjnumbers.reference import (
    island_areas,
    islands_map,
    poll_points,
    trade_japan_russia,
    trade_points,
    trade_russia_partners,
    unga_agreement,
)

RAW = reference_dir()
needs_raw = pytest.mark.skipif(not RAW.is_dir(), reason="../shared/reference (raw reference data) "
                               "is not here; only the extract corruption tests run")
FAST = settings(max_examples=20, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FEW = settings(FAST, max_examples=10)

RAW_FILES = [
    "imf_dots/DOTS_101.xlsx", "imf_dots/DOTS_162.xlsx",
    "unvotes/un_votes.rda", "unvotes/un_roll_calls.rda",
    "natural_earth/ne10m_southern_kurils_disputed.geojson",
    "facts/island_areas.csv", "facts/poll_points.csv", "facts/trade_points.csv",
]
YEARS = list(range(1992, 2021))


def raw_copy(tmp: Path, replace: dict[str, bytes]) -> Path:
    """A reference folder of symlinks to the real raw files, with ``replace`` written instead."""
    root = tmp / "reference"
    for rel_path in RAW_FILES:
        dst = root / rel_path
        dst.parent.mkdir(parents=True, exist_ok=True)
        if rel_path in replace:
            dst.write_bytes(replace[rel_path])
        else:
            dst.symlink_to(RAW / rel_path)
    return root


def expect_error(fn, *, file: str, row=None, column=None) -> DataError:
    """Run fn; require a DataError naming file (and row/column when given) in its message."""
    with pytest.raises(DataError) as info:
        fn()
    exc = info.value
    msg = str(exc)
    assert file in exc.file and exc.file in msg, msg
    if row is not None:
        assert exc.row == row, msg
        assert f"row {row}" in msg, msg
    if column is not None:
        assert exc.column == column, msg
        assert f"column '{column}'" in msg, msg
    return exc


# --- xlsx ---------------------------------------------------------------------------------

def xlsx_edit(src: bytes, member: str, fn) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(src))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == member:
                new = fn(body.decode("utf-8"))
                assert new != body.decode("utf-8"), "corruption did not change the sheet"
                body = new.encode("utf-8")
            zout.writestr(info, body)
    return out.getvalue()


def _cell_pattern(ref_regex: str) -> re.Pattern:
    # a cell element, self-closing or not; attribute values hold no '/' in these files
    return re.compile(r'<c r="%s"(?:\s[^>/]*)?(?:/>|>.*?</c>)' % ref_regex, re.S)


def set_cell(xml: str, ref: str, new: str) -> str:
    pat = _cell_pattern(re.escape(ref))
    assert pat.search(xml), ref
    return pat.sub(new, xml, count=1)


def inline_text(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


class _Layout(dict):
    """Workbook layout; a short repr so Hypothesis does not print a megabyte of bytes."""

    def __repr__(self) -> str:
        return "<DOTS layout>"


@functools.lru_cache(maxsize=None)
def _dots_layout() -> _Layout:
    layout = _Layout()
    for rel_path, partners in (("imf_dots/DOTS_101.xlsx", ["Russian Federation"]),
                               ("imf_dots/DOTS_162.xlsx", list(trade_russia_partners.PARTNERS.values()))):
        wb = load_workbook(RAW / rel_path, data_only=True)
        info = {"bytes": (RAW / rel_path).read_bytes(), "sheets": {}}
        for n, sheet in enumerate(["Exports, FOB", "Imports, CIF"], start=1):
            ws = wb[sheet]
            assert wb.sheetnames[n - 1] == sheet
            header = next(r for r in range(1, 20) if str(ws.cell(r, 3).value).isdigit())
            cols = {int(ws.cell(header, c).value): get_column_letter(c)
                    for c in range(3, ws.max_column + 1) if ws.cell(header, c).value}
            rows = {p: next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 2).value == p)
                    for p in partners}
            info["sheets"][sheet] = {"member": f"xl/worksheets/sheet{n}.xml", "header": header,
                                     "cols": cols, "rows": rows}
        layout[rel_path] = info
    return layout


@pytest.fixture(scope="module")
def dots():
    """Where things are in the two workbooks: header row, year columns, partner rows."""
    if not RAW.is_dir():
        pytest.skip("raw reference data absent")
    return _dots_layout()


def read_for(rel_path: str):
    """The builder read step that consumes this workbook."""
    if rel_path.endswith("DOTS_101.xlsx"):
        return trade_japan_russia.read
    return trade_russia_partners.read


workbook = st.sampled_from(["imf_dots/DOTS_101.xlsx", "imf_dots/DOTS_162.xlsx"])
sheet_name = st.sampled_from(["Exports, FOB", "Imports, CIF"])
junk = st.one_of(st.sampled_from(["n/a", "..", "1,234", "—", "12a", "NaN?", "x"]),
                 st.text(alphabet="abcXYZ-_/%$ ", min_size=1, max_size=8))


@needs_raw
@FAST
@given(rel_path=workbook, sheet=sheet_name, year=st.sampled_from(YEARS), text=junk, data=st.data())
def test_xlsx_non_numeric_cell(dots, rel_path, sheet, year, text, data):
    lay = dots[rel_path]["sheets"][sheet]
    partner = data.draw(st.sampled_from(sorted(lay["rows"])))
    row, ref = lay["rows"][partner], f"{lay['cols'][year]}{lay['rows'][partner]}"
    bad = xlsx_edit(dots[rel_path]["bytes"], lay["member"], lambda x: set_cell(x, ref, inline_text(ref, text)))
    with tempfile.TemporaryDirectory() as tmp:
        raw = raw_copy(Path(tmp), {rel_path: bad})
        exc = expect_error(lambda: read_for(rel_path)(raw), file=rel_path, row=row, column=str(year))
        assert exc.sheet == sheet and exc.cell == ref and ref in str(exc)


@needs_raw
@FEW
@given(rel_path=workbook, sheet=sheet_name, year=st.sampled_from(YEARS),
       value=st.floats(min_value=-1e7, max_value=-0.001))
def test_xlsx_negative_value(dots, rel_path, sheet, year, value):
    lay = dots[rel_path]["sheets"][sheet]
    partner = sorted(lay["rows"])[0]
    ref = f"{lay['cols'][year]}{lay['rows'][partner]}"
    bad = xlsx_edit(dots[rel_path]["bytes"], lay["member"],
                    lambda x: set_cell(x, ref, f'<c r="{ref}"><v>{value!r}</v></c>'))
    with tempfile.TemporaryDirectory() as tmp:
        raw = raw_copy(Path(tmp), {rel_path: bad})
        expect_error(lambda: read_for(rel_path)(raw), file=rel_path, row=lay["rows"][partner],
                     column=str(year))


@needs_raw
@FEW
@given(rel_path=workbook, sheet=sheet_name, year=st.sampled_from(YEARS))
def test_xlsx_dropped_year_column(dots, rel_path, sheet, year):
    lay = dots[rel_path]["sheets"][sheet]
    letter = lay["cols"][year]
    bad = xlsx_edit(dots[rel_path]["bytes"], lay["member"],
                    lambda x: _cell_pattern(letter + r"\d+").sub("", x))
    with tempfile.TemporaryDirectory() as tmp:
        raw = raw_copy(Path(tmp), {rel_path: bad})
        expect_error(lambda: read_for(rel_path)(raw), file=rel_path, row=lay["header"], column=str(year))


@needs_raw
@FEW
@given(rel_path=workbook, sheet=sheet_name, years=st.lists(st.sampled_from(YEARS), min_size=2,
                                                          max_size=2, unique=True))
def test_xlsx_duplicated_year(dots, rel_path, sheet, years):
    lay = dots[rel_path]["sheets"][sheet]
    victim, twin = years
    ref = f"{lay['cols'][victim]}{lay['header']}"
    bad = xlsx_edit(dots[rel_path]["bytes"], lay["member"],
                    lambda x: set_cell(x, ref, inline_text(ref, str(twin))))
    with tempfile.TemporaryDirectory() as tmp:
        raw = raw_copy(Path(tmp), {rel_path: bad})
        exc = expect_error(lambda: read_for(rel_path)(raw), file=rel_path, row=lay["header"],
                           column=str(twin))
        assert "twice" in str(exc)


@needs_raw
@pytest.mark.parametrize("sheet", ["Exports, FOB", "Imports, CIF"])
def test_xlsx_missing_sheet(dots, sheet, tmp_path):
    rel_path = "imf_dots/DOTS_162.xlsx"
    bad = xlsx_edit(dots[rel_path]["bytes"], "xl/workbook.xml",
                    lambda x: x.replace(f'name="{sheet}"', 'name="Sheet renamed"'))
    raw = raw_copy(tmp_path, {rel_path: bad})
    exc = expect_error(lambda: trade_russia_partners.read(raw), file=rel_path)
    assert exc.sheet == sheet and sheet in str(exc) and "missing" in str(exc)


@needs_raw
@FAST
@given(rel_path=workbook, cut=st.floats(min_value=0, max_value=1, exclude_max=True))
def test_xlsx_truncated(dots, rel_path, cut):
    src = dots[rel_path]["bytes"]
    with tempfile.TemporaryDirectory() as tmp:
        raw = raw_copy(Path(tmp), {rel_path: src[: int(cut * len(src))]})
        expect_error(lambda: read_for(rel_path)(raw), file=rel_path)


# --- hand-made CSV facts ------------------------------------------------------------------

FACTS = {
    "facts/island_areas.csv": (island_areas, island_areas.RAW_COLUMNS, ["area_km2_incl_islets",
                               "area_km2_main_island_only", "pop_1945_japanese"], "island_en"),
    "facts/poll_points.csv": (poll_points, poll_points.RAW_COLUMNS, ["value_pct"], "metric"),
    "facts/trade_points.csv": (trade_points, trade_points.RAW_COLUMNS, ["value"], "metric"),
}
fact_file = st.sampled_from(sorted(FACTS))


def fact_rows(rel_path: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((RAW / rel_path).read_text(encoding="utf-8"), newline="")))


def csv_bytes(rows: list[list[str]]) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


@needs_raw
@FAST
@given(rel_path=fact_file, data=st.data(),
       latin=st.text(alphabet=[chr(c) for c in range(0xC0, 0x100)], min_size=1, max_size=4))
def test_csv_latin1_bytes(rel_path, data, latin):
    mod, columns, _, _ = FACTS[rel_path]
    rows = fact_rows(rel_path)
    r = data.draw(st.integers(1, len(rows) - 1), label="row")
    c = data.draw(st.integers(0, len(columns) - 1), label="column")
    rows[r][c] = "\x00MARK\x00" + rows[r][c]
    bad = csv_bytes(rows).replace(b"\x00MARK\x00", latin.encode("latin-1"))
    with tempfile.TemporaryDirectory() as tmp:
        raw = raw_copy(Path(tmp), {rel_path: bad})
        exc = expect_error(lambda: mod.read(raw), file=rel_path, row=r, column=columns[c])
        assert "UTF-8" in str(exc)


@needs_raw
@FAST
@given(rel_path=fact_file, text=st.one_of(junk, st.sampled_from(["", " ", "inf", "NaN", "1e400x"])),
       data=st.data())
def test_csv_non_numeric_cell(rel_path, text, data):
    mod, columns, numeric, _ = FACTS[rel_path]
    rows = fact_rows(rel_path)
    r = data.draw(st.integers(1, len(rows) - 1), label="row")
    col = data.draw(st.sampled_from(numeric), label="column")
    rows[r][columns.index(col)] = text
    with tempfile.TemporaryDirectory() as tmp:
        raw = raw_copy(Path(tmp), {rel_path: csv_bytes(rows)})
        expect_error(lambda: mod.read(raw), file=rel_path, row=r, column=col)


@needs_raw
@FAST
@given(rel_path=fact_file, data=st.data())
def test_csv_duplicated_row(rel_path, data):
    mod, columns, _, key = FACTS[rel_path]
    rows = fact_rows(rel_path)
    r = data.draw(st.integers(1, len(rows) - 1), label="row")
    rows.insert(r + 1, list(rows[r]))
    with tempfile.TemporaryDirectory() as tmp:
        raw = raw_copy(Path(tmp), {rel_path: csv_bytes(rows)})
        exc = expect_error(lambda: mod.read(raw), file=rel_path, row=r + 1, column=key)
        assert "twice" in str(exc) or "same" in str(exc)


@needs_raw
@FAST
@given(rel_path=fact_file, data=st.data())
def test_csv_dropped_column(rel_path, data):
    mod, columns, _, _ = FACTS[rel_path]
    c = data.draw(st.integers(0, len(columns) - 1), label="column")
    rows = [row[:c] + row[c + 1:] for row in fact_rows(rel_path)]
    with tempfile.TemporaryDirectory() as tmp:
        raw = raw_copy(Path(tmp), {rel_path: csv_bytes(rows)})
        expect_error(lambda: mod.read(raw), file=rel_path, column=columns[c])


@needs_raw
@FAST
@given(rel_path=fact_file, cut=st.floats(min_value=0, max_value=1, exclude_max=True))
def test_csv_truncated(rel_path, cut):
    mod = FACTS[rel_path][0]
    src = (RAW / rel_path).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        raw = raw_copy(Path(tmp), {rel_path: src[: int(cut * len(src))]})
        expect_error(lambda: mod.read(raw), file=rel_path)


# --- R data files ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def votes_subset():
    """The four countries' votes, as a small data frame in the layout of un_votes."""
    if not RAW.is_dir():
        pytest.skip("raw reference data absent")
    import pyreadr

    v = pyreadr.read_r(str(RAW / "unvotes/un_votes.rda"))["un_votes"]
    sub = v[v["country"].isin(unga_agreement.COUNTRIES) & (v["rcid"] >= 4000)]
    return sub.head(3000).reset_index(drop=True)


def write_rda(df: pd.DataFrame, path: Path) -> bytes:
    import pyreadr

    pyreadr.write_rdata(str(path), df, df_name="un_votes")
    return path.read_bytes()


@needs_raw
@FAST
@given(kind=st.sampled_from(["vote", "rcid_nan", "rcid_fraction", "duplicate", "unknown_rcid"]),
       pos=st.integers(0, 2999), word=st.sampled_from(["maybe", "absent", "Yes", "", "present"]))
def test_rda_bad_vote_rows(votes_subset, kind, pos, word):
    df = votes_subset.copy()
    df["vote"] = df["vote"].astype("object")
    column, row = "rcid", pos + 1
    if kind == "vote":
        df.loc[pos, "vote"] = word
        column = "vote"
    elif kind == "rcid_nan":
        df.loc[pos, "rcid"] = float("nan")
    elif kind == "rcid_fraction":
        df.loc[pos, "rcid"] = df.loc[pos, "rcid"] + 0.5
    elif kind == "duplicate":
        df = pd.concat([df.iloc[: pos + 1], df.iloc[pos: pos + 1], df.iloc[pos + 1:]], ignore_index=True)
        row = pos + 2
    else:
        df.loc[pos, "rcid"] = 9_999_999.0
    df["vote"] = pd.Categorical(df["vote"])
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        bad = write_rda(df, tmp / "votes.rda")
        raw = raw_copy(tmp, {"unvotes/un_votes.rda": bad})
        expect_error(lambda: unga_agreement.read(raw), file="unvotes/un_votes.rda", row=row, column=column)


@needs_raw
@pytest.mark.parametrize("column", ["rcid", "country", "vote"])
def test_rda_missing_column(votes_subset, column, tmp_path):
    bad = write_rda(votes_subset.drop(columns=[column]), tmp_path / "votes.rda")
    raw = raw_copy(tmp_path, {"unvotes/un_votes.rda": bad})
    expect_error(lambda: unga_agreement.read(raw), file="unvotes/un_votes.rda", column=column)


@needs_raw
@FEW
@given(cut=st.floats(min_value=0, max_value=1, exclude_max=True))
def test_rda_truncated(cut):
    rel_path = "unvotes/un_roll_calls.rda"
    src = (RAW / rel_path).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        raw = raw_copy(Path(tmp), {rel_path: src[: int(cut * len(src))]})
        expect_error(lambda: unga_agreement.read_roll_calls(raw / rel_path, f"reference/{rel_path}"),
                     file=rel_path)


@needs_raw
def test_rda_missing_last_bytes(tmp_path):
    # librdata itself reads this file without complaint: the container check must not
    rel_path = "unvotes/un_votes.rda"
    raw = raw_copy(tmp_path, {rel_path: (RAW / rel_path).read_bytes()[:-3]})
    exc = expect_error(lambda: unga_agreement.read(raw), file=rel_path)
    assert "truncated" in str(exc)


# --- GeoJSON ------------------------------------------------------------------------------

GEO = "natural_earth/ne10m_southern_kurils_disputed.geojson"


@needs_raw
@FAST
@given(cut=st.floats(min_value=0, max_value=1, exclude_max=True))
def test_geojson_truncated(cut):
    src = (RAW / GEO).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        raw = raw_copy(Path(tmp), {GEO: src[: int(cut * len(src))]})
        expect_error(lambda: islands_map.read(raw), file=GEO)


@needs_raw
@FAST
@given(part=st.integers(0, 6), data=st.data(),
       value=st.one_of(st.just(None), st.text(max_size=5), st.sampled_from([200.0, -10.0, 0.0])))
def test_geojson_bad_coordinate(part, data, value):
    doc = json.loads((RAW / GEO).read_text(encoding="utf-8"))
    ring = doc["features"][0]["geometry"]["coordinates"][part][0]
    k = data.draw(st.integers(1, len(ring) - 2), label="position")  # not the closing pair
    axis = data.draw(st.integers(0, 1), label="axis")
    ring[k][axis] = value
    with tempfile.TemporaryDirectory() as tmp:
        raw = raw_copy(Path(tmp), {GEO: json.dumps(doc).encode("utf-8")})
        expect_error(lambda: islands_map.read(raw), file=GEO, row=1,
                     column=f"geometry.coordinates[{part}][0][{k}]")


# --- extracts -----------------------------------------------------------------------------

PACKAGE = json.loads(DATAPACKAGE.read_text(encoding="utf-8"))
EXTRACTS = {r["name"]: r for r in PACKAGE["resources"]
            if str(r.get("x-builder", "")).startswith("rjnumbers.reference.") and r["format"] == "csv"}


def extract_rows(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((DATA / EXTRACTS[name]["path"]).read_text(encoding="utf-8"),
                                       newline="")))


def _constrained(fields, pred):
    return [f["name"] for f in fields if pred(f)]


@FAST
@given(name=st.sampled_from(sorted(EXTRACTS)),
       kind=st.sampled_from(["non_numeric", "out_of_range", "duplicate_row", "dropped_column",
                             "latin1", "required_empty"]),
       data=st.data())
def test_extract_corruption_is_located(name, kind, data):
    res = EXTRACTS[name]
    fields = res["schema"]["fields"]
    names = [f["name"] for f in fields]
    rows = extract_rows(name)
    r = data.draw(st.integers(1, len(rows) - 1), label="row")
    row, column = r, None
    raw_bytes = None
    if kind == "non_numeric":
        cols = _constrained(fields, lambda f: f["type"] in ("number", "integer", "year"))
        if not cols:
            kind, cols = "required_empty", _constrained(fields, lambda f: f.get("constraints", {}).get("required"))
        column = data.draw(st.sampled_from(cols), label="column")
        rows[r][names.index(column)] = "n/a" if kind == "non_numeric" else ""
    elif kind == "out_of_range":
        cols = _constrained(fields, lambda f: "minimum" in f.get("constraints", {}))
        column = data.draw(st.sampled_from(cols), label="column")
        cons = next(f for f in fields if f["name"] == column)["constraints"]
        bad = cons["minimum"] - 1 if "maximum" not in cons or data.draw(st.booleans()) else cons["maximum"] + 1
        ftype = next(f for f in fields if f["name"] == column)["type"]
        rows[r][names.index(column)] = str(bad) if ftype in ("integer", "year") else f"{bad:.2f}"
    elif kind == "duplicate_row":
        rows.insert(r + 1, list(rows[r]))
        pk = res["schema"]["primaryKey"]
        row, column = r + 1, (pk if isinstance(pk, str) else pk[-1])
    elif kind == "dropped_column":
        c = data.draw(st.integers(0, len(names) - 1), label="column")
        rows = [x[:c] + x[c + 1:] for x in rows]
        row, column = None, names[c]
    elif kind == "latin1":
        c = data.draw(st.integers(0, len(names) - 1), label="column")
        rows[r][c] = "\x00MARK\x00" + rows[r][c]
        column = names[c]
        raw_bytes = csv_bytes(rows).replace(b"\x00MARK\x00", "é".encode("latin-1"))
    else:  # required_empty
        cols = _constrained(fields, lambda f: f.get("constraints", {}).get("required"))
        column = data.draw(st.sampled_from(cols), label="column")
        rows[r][names.index(column)] = ""
    raw_bytes = raw_bytes if raw_bytes is not None else csv_bytes(rows)
    label = f"data/{res['path']}"

    if kind != "latin1":  # the project's loader locates it too
        expect_error(lambda: parse_table(raw_bytes, res["schema"], label), file=label, row=row, column=column)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(res["path"]).name
        path.write_bytes(raw_bytes)
        expect_error(lambda: reference.verify(name, path), file=path.name, row=row, column=column)


@FAST
@given(name=st.sampled_from(sorted(EXTRACTS) + ["islands_map"]),
       cut=st.floats(min_value=0, max_value=1, exclude_max=True))
def test_truncated_extract_is_rejected(name, cut):
    path = DATA / ("reference/islands_map.geojson" if name == "islands_map" else EXTRACTS[name]["path"])
    src = path.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        bad = Path(tmp) / path.name
        bad.write_bytes(src[: int(cut * len(src))])
        expect_error(lambda: reference.verify(name, bad), file=path.name)


@FEW
@given(name=st.sampled_from(sorted(EXTRACTS)), data=st.data())
def test_load_rejects_a_corrupt_extract(name, data, tmp_path_factory):
    """Through rjnumbers.data.load, with the data folder pointed at a corrupted copy."""
    res = EXTRACTS[name]
    rows = extract_rows(name)
    r = data.draw(st.integers(1, len(rows) - 1), label="row")
    numeric = [f["name"] for f in res["schema"]["fields"] if f["type"] in ("number", "integer", "year")]
    column = data.draw(st.sampled_from(numeric or [res["schema"]["fields"][0]["name"]]), label="column")
    rows[r][[f["name"] for f in res["schema"]["fields"]].index(column)] = "not-a-number" if numeric else ""
    root = tmp_path_factory.mktemp("root")
    target = root / "data" / res["path"]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(csv_bytes(rows))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(data_mod, "ROOT", root)
        expect_error(lambda: data_mod.load(name), file=target.name, row=r, column=column)
