"""Bad input stops with one message naming file, row and column; good input loads typed."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from rjnumbers import data
from rjnumbers.errors import DataError
from rjnumbers.paths import DATA

SCHEMA = {
    "primaryKey": "id",
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "year", "type": "year"},
        {"name": "share", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}},
    ],
}
GOOD = b"id,year,share,kind\nx,2013,4.5,a\ny,2018,3,b\n"


def parse(raw: bytes):
    return data.parse_table(raw, SCHEMA, "data/example.csv")


def test_good_table_loads_with_types():
    df = parse(GOOD)
    assert list(df["share"]) == [4.5, 3.0]
    assert list(df["year"]) == [2013, 2018]


@pytest.mark.parametrize("raw, row, column, words", [
    (b"id,year,share,kind\nx,2013,abc,a\n", 1, "share", "not a number"),
    (b"id,year,share,kind\nx,2013,4,a\ny,13,4,a\n", 2, "year", "four-digit year"),
    (b"id,year,share,kind\nx,2013,140,a\n", 1, "share", "above the maximum"),
    (b"id,year,share,kind\nx,2013,4,c\n", 1, "kind", "allowed values"),
    (b"id,year,share,kind\n,2013,4,a\n", 1, "id", "required"),
    (b"id,year,share,kind\nx,2013,4,a\nx,2014,5,b\n", 2, "id", "duplicate"),
    (b"id,year,share,kind\nx,2013,4,a\ny,2014\n", 2, "share", "cells"),
])
def test_bad_cell_names_file_row_and_column(raw, row, column, words):
    with pytest.raises(DataError) as err:
        parse(raw)
    msg = str(err.value)
    assert msg.startswith("data/example.csv")
    assert f"row {row} " in msg and f"column '{column}'" in msg and words in msg


def test_missing_column_is_named():
    with pytest.raises(DataError, match=r"column 'kind'.*missing"):
        parse(b"id,year,share\nx,2013,4\n")


def test_wrong_encoding_is_reported_with_its_line():
    # GOOD is 3 lines; the Latin-1 'é' stands in the first cell of line 5 (data row 4)
    with pytest.raises(DataError) as err:
        parse(GOOD + "z,2019,1,a\n".encode() + "\u00e9".encode("latin-1") + b",2020,1,a\n")
    assert "row 4 (line 5)" in str(err.value) and "column 'id'" in str(err.value)
    assert "not valid UTF-8" in str(err.value)


def test_wrong_encoding_after_a_quoted_comma_names_the_right_column():
    # a quoted comma and a quoted line break earlier in the file must not shift the location:
    # the bad byte stands in 'kind' of data row 2, not in 'share' or on another row
    raw = (b'id,year,share,kind\n"a,b",2013,4,a\n"c\nd",2014,5,' + "\u00e9".encode("latin-1")
           + b"\n")
    with pytest.raises(DataError) as err:
        parse(raw)
    assert err.value.row == 2 and err.value.column == "kind", str(err.value)


def test_header_only_file_is_an_error():
    with pytest.raises(DataError, match="no data rows"):
        parse(b"id,year,share,kind\n")


def test_every_committed_table_validates():
    names = data.validate_all()
    assert {"claims", "sources"} <= set(names)


def test_every_column_is_documented():
    """Each column of each table says what it means (the datapackage is the data's paper)."""
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        for field in res.get("schema", {}).get("fields", []):
            assert field.get("type"), (res["name"], field["name"])
        assert res.get("title") and res.get("description"), res["name"]


def test_foreign_key_breaks_are_reported(monkeypatch):
    claims = data.load("claims")
    claims.loc[3, "source_id"] = "nobody1999"
    package = data.datapackage()
    with pytest.raises(DataError, match=r"data/claims.csv, row 4 .*column 'source_id'"):
        data.check_foreign_keys("claims", claims, package)


def test_line_numbers_count_records_not_lines():
    """After a quoted field holding a line break, the reported line is the record's real line."""
    raw = b'id,year,share,kind\n"a\nb",2013,4,a\nc,2014,abc,a\n'
    with pytest.raises(DataError) as err:
        parse(raw)
    assert err.value.row == 2 and err.value.column == "share"
    assert "row 2 (line 4)" in str(err.value), str(err.value)


def _with_cell(name: str, row: int, column: str, value: str) -> bytes:
    """The committed bytes of a resource with one cell (data row ``row``) replaced."""
    import csv
    import io
    path = DATA / data.resource(name)["path"]
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[row][rows[0].index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def test_a_value_that_fits_its_type_but_not_the_world_is_stopped():
    """Plausibility bounds of the schema: a Japan-Russia trade total of US$ 1e308 million parses
    as a number and passes 'minimum 0', but no year comes near it."""
    schema = data.resource("trade_japan_russia")["schema"]
    with pytest.raises(DataError) as err:
        data.parse_table(_with_cell("trade_japan_russia", 44, "total_usd_mn", "1e308"), schema,
                         "data/reference/trade_japan_russia.csv")
    assert err.value.row == 44 and err.value.column == "total_usd_mn"
    assert "plausible range" in str(err.value)


def test_bounds_of_a_table_that_mixes_units_follow_each_rows_unit():
    """In the outcome record a value of 250 is a possible sum in yen billions, but not a share
    of respondents: the bound is chosen by the row's unit."""
    schema = data.resource("outcome_series")["schema"]
    df = data.load("outcome_series")
    yen = int(df.index[df["unit"] == "JPY billion"][0]) + 1
    pct = int(df.index[df["unit"] == "percent"][0]) + 1
    data.parse_table(_with_cell("outcome_series", yen, "value", "250"), schema, "x.csv")
    with pytest.raises(DataError) as err:
        data.parse_table(_with_cell("outcome_series", pct, "value", "250"), schema, "x.csv")
    assert err.value.row == pct and err.value.column == "value"
    assert "for unit 'percent'" in str(err.value)


def test_the_claim_picks_a_single_figure_by_metric_and_refuses_ambiguity():
    """A chart about one figure picks its claim by metric; two claims of that metric (a new text
    stating it too) stop the build with a message naming the metric, not a silent first pick."""
    from rjnumbers import ledger
    claims = ledger.claims()
    one = ledger.the_claim(claims, "un_charter_signatories")
    assert one["metric"] == "un_charter_signatories"
    twice = pd.concat([claims, claims[claims["claim_id"] == one["claim_id"]]
                       .assign(claim_id="new2026-001")])
    with pytest.raises(DataError, match="un_charter_signatories.*found 2"):
        ledger.the_claim(twice, "un_charter_signatories")


def test_a_tables_line_record_is_shared_not_copied_by_every_operation():
    """pandas deep-copies ``attrs`` into every result: the record of where each row starts in
    its file must be shared (copying it for each operation cost a tenth of the book's time),
    and still name the line of a row."""
    table = data.load("claims")
    lines = table.attrs["lines"]
    derived = table[table["value"].notna()].sort_values("claim_id").head(5)
    assert derived.attrs["lines"] is lines
    assert lines[0] == 2        # the first record starts on the line after the header


def test_every_load_records_the_tables_its_foreign_keys_were_checked_against():
    """A table checked against another depends on it: the second load of the forecast register
    in a process (parsed once, checked once) must still record the sources it refers to, or a
    stamp made from what a step read would miss them."""
    from rjnumbers.data import load, recording

    load("forecasts")
    with recording() as read:
        load("forecasts")
    assert {"data/forecasts.csv", "data/sources.csv"} <= set(read)
