"""The forecast scorecard: each score follows from the forecast's test and the outcome record."""
from __future__ import annotations

import pandas as pd
import pytest

from rjnumbers import ledger, validate
from rjnumbers.audit import forecasts as F
from rjnumbers.data import load
from rjnumbers.errors import DataError

EV_COLS = ["event_id", "date", "type", "description", "participants", "place", "publisher",
           "title", "url", "reliability"]


def ev(*rows):
    return pd.DataFrame([dict(zip(EV_COLS, r + ("", "", "p", "t", "u", "primary"))) for r in rows],
                        columns=EV_COLS)


def fc(test, target="", made="2019-01", due="2020-12", expect=""):
    return {"test": test, "target": target, "made": made, "due": due, "expect": expect}


TRADE = pd.DataFrame({"year": [2013, 2014, 2013, 2014], "reporter": ["Japan", "Japan", "Russia", "Russia"],
                      "total_usd_mn": [100.0, 110.0, 100.0, 90.0]})
CALL = ("call", "2020-05", "talks", "a call", "Japan;Russia")


@pytest.mark.parametrize("forecast, events, end, score", [
    (fc("event_by", "x", due="2020-06"), ev(("x", "2020-05", "visit", "v", "Japan;Russia")), "2025-12", "right"),
    (fc("event_by", "x", due="2020-06"), ev(("x", "2020-07", "visit", "v", "Japan;Russia")), "2025-12", "wrong"),
    (fc("no_event_type", "peace_treaty"), ev(CALL), "2025-12", "right"),
    (fc("no_event_type", "peace_treaty"), ev(("t", "2020-03", "peace_treaty", "a treaty", "Japan;Russia")), "2025-12", "wrong"),
    (fc("no_event_type", "peace_treaty", due="2030-12"), ev(CALL), "2025-12", "not yet due"),
    (fc("event_by_type", "peace_treaty"), ev(CALL), "2025-12", "wrong"),
    (fc("contacts_each_year", "talks", made="2019-01"), ev(("a", "2019-02", "summit", "s", "Japan;Russia"), CALL), "2025-12", "right"),
    (fc("contacts_each_year", "talks", made="2019-01"), ev(("a", "2019-02", "summit", "s", "Japan;Russia")), "2025-12", "wrong"),
    (fc("contacts_each_year", "talks", made="2018-01"), ev(("a", "2018-02", "summit", "s", "Japan;Russia"), CALL), "2025-12", "partly right"),
    (fc("contacts_in_window", "talks"), ev(CALL), "2025-12", "right"),
    (fc("contacts_in_window", "talks"), ev(("a", "2020-05", "rupture", "r", "Japan;Russia")), "2025-12", "wrong"),
    (fc("series_change", "trade", due="2014-12", expect="rise"), ev(CALL), "2025-12", "partly right"),
    (fc("series_change", "trade", due="2014-12", expect="fall"), ev(CALL), "2025-12", "partly right"),
])
def test_each_test_scores_by_its_rule(forecast, events, end, score):
    assert F.score_one(forecast, events, TRADE, end, 1)[0] == score


def test_series_change_both_reporters():
    rise = TRADE.assign(total_usd_mn=[100.0, 110.0, 100.0, 120.0])
    assert F.score_one(fc("series_change", due="2014-12", expect="rise"), ev(CALL), rise, "2025-12", 1)[0] == "right"
    assert F.score_one(fc("series_change", due="2014-12", expect="fall"), ev(CALL), rise, "2025-12", 1)[0] == "wrong"


def test_an_unknown_event_stops_with_file_row_and_column():
    with pytest.raises(DataError) as err:
        F.score_one(fc("event_by", "no_such_event"), ev(CALL), TRADE, "2025-12", 7)
    assert err.value.row == 7 and err.value.column == "target"


def test_a_new_event_changes_the_score():
    """A peace treaty in the record would make 'Japan will stick to its precondition' wrong."""
    events = load("events")
    base = F.scorecard(events=events).set_index("forecast_id")["score"]
    treaty = pd.DataFrame([dict(zip(EV_COLS, ("treaty_2019", "2019-06", "peace_treaty", "a treaty",
                                              "Japan;Russia", "", "p", "t", "u", "primary")))])
    changed = F.scorecard(events=pd.concat([events, treaty], ignore_index=True)).set_index("forecast_id")["score"]
    assert base["upperhand2018-f01"] == "right" and changed["upperhand2018-f01"] == "wrong"


def test_every_forecast_stands_on_its_line(seeds):
    lines = {name: s["lines"] for name, s in seeds.items()}
    validate.check_forecasts(load("forecasts"), lines, ledger.sources())


def test_brier_score_uses_the_probability_of_the_forecast():
    card = F.scorecard().set_index("forecast_id")
    # 'a breakthrough ... seems unlikely' qualifies the opposite: the forecast of no breakthrough
    # carries 1 - 0.30
    assert card.at["kireeva2019-f01", "probability"] == pytest.approx(0.70)
    assert card.at["kireeva2019-f01", "brier"] == pytest.approx(0.09)


def test_scores_are_only_of_the_fixed_list():
    assert set(F.scorecard()["score"]) <= set(F.SCORES)


def test_a_forecast_the_record_cannot_decide_says_why():
    f = dict(fc("not_scorable"), due_reading="says when a question is answered, not the answer")
    score, evidence = F.score_one(f, ev(CALL), TRADE, "2025-12", 1)
    assert score == "not scorable" and "not the answer" in evidence


def test_the_aegis_ashore_cancellation_breaks_the_forecasts_that_it_would_stay():
    """Without the cancellation in the record, both Aegis Ashore forecasts would stand."""
    events = load("events")
    with_it = F.scorecard(events=events).set_index("forecast_id")["score"]
    without = F.scorecard(events=events[events["type"] != "plan_cancelled"]).set_index(
        "forecast_id")["score"]
    for fid in ("kireeva2019-f21", "upperhand2018-f06"):
        assert with_it[fid] == "wrong"
    assert without["upperhand2018-f06"] == "right"
    assert without["kireeva2019-f21"] == "right"
