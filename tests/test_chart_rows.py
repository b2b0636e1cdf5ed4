"""What the charts set side by side is data (data/chart_rows.csv, data/timeline.csv): a row that
names a claim, text or poll result that does not exist stops the build with its row and column."""
from __future__ import annotations

import pytest

from rjnumbers import ledger
from rjnumbers import themes_politics as tp
from rjnumbers.data import load
from rjnumbers.errors import DataError
from rjnumbers.validate import check_chart_refs


@pytest.fixture(scope="module")
def inputs():
    return load("chart_rows"), load("timeline"), ledger.claims(), load("poll_points")


def _refused(inputs, table: str, row: int, **change) -> DataError:
    rows, timeline, claims, points = (x.copy() for x in inputs)
    target = rows if table == "chart_rows" else timeline
    for col, value in change.items():
        target.loc[target.index[row - 1], col] = value
    check_chart_refs(*inputs)  # the data as they stand pass
    with pytest.raises(DataError) as err:
        check_chart_refs(rows, timeline, claims, points)
    return err.value


def test_an_unknown_claim_in_a_chart_row_is_refused(inputs):
    e = _refused(inputs, "chart_rows", 2, ref="upperhand2018-999")
    assert (e.file, e.row, e.column) == ("data/chart_rows.csv", 2, "ref")


def test_a_poll_result_the_extract_lacks_is_refused(inputs):
    rows = inputs[0]
    line = int(rows.index[rows["poll_org"] != ""][0]) + 1
    e = _refused(inputs, "chart_rows", line, poll_fieldwork="1999")
    assert (e.file, e.row, e.column) == ("data/chart_rows.csv", line, "poll_org")


def test_a_line_that_plots_two_things_is_refused(inputs):
    rows = inputs[0]
    line = int(rows.index[rows["event_id"] != ""][0]) + 1
    e = _refused(inputs, "chart_rows", line, ref="wang2021")
    assert (e.row, e.column) == (line, "ref") and "exactly one" in e.detail


def test_an_unknown_text_on_the_timeline_is_refused(inputs):
    e = _refused(inputs, "timeline", 3, cited_by="hirose2015;nobody2030")
    assert (e.file, e.row, e.column) == ("data/timeline.csv", 3, "cited_by")


def test_stacked_bars_follow_their_rows_and_add_up_to_100():
    pc = tp.poll_claims(ledger.claims(), tp.poll_points())
    for chart in ("island_bars", "treaty_bars"):
        spec = load("chart_rows")
        spec = spec[spec["chart"] == chart]
        bars = tp.stacked_rows(pc, chart)
        assert list(dict.fromkeys(bars["poll"])) == list(dict.fromkeys(spec["label"]))
        assert set(bars.loc[bars["claim_id"] != "", "claim_id"]) == set(spec["ref"])
        for _, g in bars.groupby("y"):
            assert abs(g["value_pct"].sum() - 100) < 0.05
