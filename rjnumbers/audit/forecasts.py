"""What happened next: every forecast of the register scored against the outcome record.

A forecast (``data/forecasts.csv``) names its test and target; the outcome record is the
chronology (``data/reference/events.csv``, which says in ``x-covers-to`` how far it reaches) and
the reference series. Tests:

* ``event_by`` - the event ``target`` (an event id) happened by ``due``: right; later: wrong;
* ``event_by_type`` - an event of type ``target`` happened between ``made`` and ``due``;
* ``no_event_type`` - no event of type ``target`` between ``made`` and ``due``: right; one did:
  wrong; none yet but ``due`` lies beyond the record: not yet due;
* ``contacts_each_year`` - leader or minister contacts (event types summit, talks, visit) in every
  year from ``made`` to ``due`` (from the next year when a text was written after June): right;
  none in the last year of that window (the dialogue stopped): wrong; gaps before it: partly
  right;
* ``contacts_in_window`` - at least one such contact between ``made`` and ``due``;
* ``series_change`` - the reference series ``target`` moved as ``expect`` says (rise or fall) in
  the year ``due``, against the year before, for both reporters: right; for neither: wrong; for
  one: partly right;
* ``not_scorable`` - the record holds nothing to test it against (the evidence gives the
  register's reason, its ``due_reading``).

Where the text's words carry a probability ("likely", "unlikely"), it is read on Sherman Kent's
scale of estimative words (``data/reference/probability_words.csv``) and a Brier score per text
is reported beside the counts: the mapping of words to numbers is ours.
"""
from __future__ import annotations

import html

import pandas as pd

from ..data import datapackage, load, resource
from ..errors import DataError
from ..paths import BUILD
from .checks import date_bounds

SCORES = ["right", "partly right", "wrong", "not yet due", "not scorable"]
CONTACT_TYPES = {"summit", "talks", "visit"}
OUTCOME = {"right": 1.0, "partly right": 0.5, "wrong": 0.0}
FILE = "data/forecasts.csv"
COLUMNS = ["forecast_id", "source_id", "made", "due", "kind", "score", "evidence",
           "probability", "brier"]


def _start(d: str) -> str:
    """A partial ISO date as the first day it may mean ('2018' -> '2018-01-01')."""
    return date_bounds(d)[0].isoformat()


def _end(d: str) -> str:
    """A partial ISO date as the last day it may mean ('2018-06' -> '2018-06-30')."""
    return date_bounds(d)[1].isoformat()


def covers_to() -> str:
    return str(resource("events", datapackage())["x-covers-to"])


def _contacts(ev: pd.DataFrame) -> pd.DataFrame:
    both = ev["participants"].str.contains("Japan") & ev["participants"].str.contains("Russia")
    return ev[ev["type"].isin(CONTACT_TYPES) & both]


def _event(e, dated: bool = True) -> str:
    """An event of the record as evidence: what happened, when, who records it."""
    what = str(e["description"]).rstrip(". ")
    return f"{what} ({e['date'] + ', ' if dated else ''}{e['publisher']})"


def _kind(event_type: str) -> str:
    """An event type of the chronology in words: 'peace_treaty' -> 'event of the kind “peace
    treaty”' (the types are the chronology's schema enum)."""
    return f"event of the kind “{event_type.replace('_', ' ')}”"


def score_one(f, ev: pd.DataFrame, trade: pd.DataFrame, end: str, row: int) -> tuple[str, str]:
    """(score, evidence) of one forecast row."""
    test, target, made, due = f["test"], f["target"], f["made"], f["due"]
    if test == "not_scorable":
        return "not scorable", f"nothing in the outcome record can decide it: {f['due_reading']}"
    beyond = _end(due) > _end(end)
    in_window = ev[(ev["date"].map(_end) >= _start(made)) & (ev["date"].map(_start) <= _end(due))]
    if test == "event_by":
        hit = ev[ev["event_id"] == target]
        if hit.empty:
            raise DataError(FILE, f"no event {target!r} in data/reference/events.csv", row=row,
                            column="target")
        e = hit.iloc[0]
        if _start(e["date"]) <= _end(due):
            return "right", _event(e)
        return "wrong", f"not by {due}; only on {e['date']}: {_event(e, dated=False)}"
    if test in ("event_by_type", "no_event_type"):
        hit = in_window[in_window["type"] == target]
        if test == "event_by_type":
            if not hit.empty:
                e = hit.iloc[0]
                return "right", _event(e)
            return ("not yet due", f"no {_kind(target)} yet; the record runs to {end}") \
                if beyond else ("wrong", f"no {_kind(target)} from {made} to {due} in the record")
        if not hit.empty:
            e = hit.iloc[0]
            return "wrong", _event(e)
        if beyond:
            return "not yet due", f"no {_kind(target)} so far; the record runs to {end}"
        return "right", f"no {_kind(target)} from {made} to {due} in the record (to {end})"
    if test in ("contacts_each_year", "contacts_in_window"):
        c = _contacts(in_window)
        last = min(int(due[:4]), int(end[:4]))
        # a text written in the second half of a year is judged from the next full year on
        first = int(made[:4]) + (1 if len(made) >= 7 and int(made[5:7]) > 6 else 0)
        years = list(range(first, max(first, last) + 1))
        have = {y: c[c["date"].str[:4] == str(y)] for y in years}
        listed = "; ".join(f"{y}: {len(have[y])}" for y in years)
        if test == "contacts_in_window":
            if not c.empty:
                e = c.iloc[-1]
                return "right", f"{len(c)} contact(s), the last {e['description']} on {e['date']}"
            return ("not yet due" if beyond else "wrong"), f"no leader or minister contact from {made} to {due}"
        if all(len(have[y]) for y in years):
            verdict = "not yet due" if beyond else "right"
            return verdict, f"contacts every year ({listed})"
        if not len(have[years[-1]]):
            last_c = c.iloc[-1] if not c.empty else None
            tail = (f"; the last: {last_c['description']} on {last_c['date']}" if last_c is not None
                    else "")
            return "wrong", f"contacts per year {listed}: none in {years[-1]}{tail}"
        return "partly right", f"contacts per year {listed}: gaps before {years[-1]}"
    if test == "series_change":
        y = int(due[:4])
        t = trade.set_index(["year", "reporter"])["total_usd_mn"]
        moves = {}
        for rep in sorted(trade["reporter"].unique()):
            if (y, rep) in t.index and (y - 1, rep) in t.index:
                moves[rep] = (t[(y, rep)] / t[(y - 1, rep)] - 1) * 100
        if not moves:
            return ("not yet due" if beyond else "not scorable"), f"the series has no {y - 1}-{y}"
        want = 1 if f["expect"] == "rise" else -1
        ok = [r for r, m in moves.items() if m * want > 0]
        text = ", ".join(f"{r}-reported {m:+.1f}%" for r, m in moves.items())
        score = "right" if len(ok) == len(moves) else "wrong" if not ok else "partly right"
        return score, f"IMF DOTS totals {y - 1} to {y}: {text}"
    raise DataError(FILE, f"unknown test {test!r}", row=row, column="test")


def probability(f, words: pd.DataFrame) -> float | None:
    """The chance the text gave its forecast, on Kent's scale; None if no words carry one."""
    if not f["probability_words"]:
        return None
    p = words.set_index("words")["probability"]
    if f["probability_words"] not in p.index:
        raise DataError(FILE, f"no probability for the words {f['probability_words']!r} in "
                        "data/reference/probability_words.csv", column="probability_words")
    x = float(p[f["probability_words"]])
    return 1 - x if f["words_qualify"] == "opposite" else x


def scorecard(forecasts: pd.DataFrame | None = None, events: pd.DataFrame | None = None,
              trade: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per forecast: its score and evidence, computed; never typed."""
    forecasts = load("forecasts") if forecasts is None else forecasts
    events = load("events") if events is None else events
    trade = load("trade_japan_russia") if trade is None else trade
    words = load("probability_words")
    end = covers_to()
    rows = []
    for i, f in enumerate(forecasts.to_dict("records"), start=1):
        score, evidence = score_one(f, events, trade, end, i)
        p = probability(f, words)
        brier = (p - OUTCOME[score]) ** 2 if p is not None and score in OUTCOME else None
        rows.append({"forecast_id": f["forecast_id"], "source_id": f["source_id"],
                     "made": f["made"], "due": f["due"], "kind": f["kind"], "score": score,
                     "evidence": evidence, "probability": p, "brier": brier})
    return pd.DataFrame(rows, columns=COLUMNS)


def per_text(card: pd.DataFrame | None = None) -> pd.DataFrame:
    """Counts of each score per text, and the mean Brier score where words carry a probability."""
    card = scorecard() if card is None else card
    counts = card.pivot_table(index="source_id", columns="score", values="forecast_id",
                              aggfunc="count", fill_value=0).reindex(columns=SCORES, fill_value=0)
    counts["brier"] = card.groupby("source_id")["brier"].mean()
    counts["n_brier"] = card.groupby("source_id")["brier"].count()
    return counts.reset_index()


TABLE = BUILD / "audit" / "forecasts.csv"
STAMP = BUILD / "audit" / "forecasts.sha256"


def is_current() -> bool:
    """Whether ``_build/audit/forecasts.csv`` was made from the current inputs."""
    from .verdicts import stamp_holds
    return TABLE.exists() and stamp_holds(STAMP)


def write() -> None:
    """``_build/audit/forecasts.csv``: forecast_id, due, score, evidence (and the rest), with
    the stamp of the files it was scored from."""
    from ..data import recording
    from .verdicts import _write_if_changed, stamp_text
    with recording() as read:
        card = scorecard()
    _write_if_changed(TABLE, card.to_csv(index=False, lineterminator="\n", float_format="%.4g"))
    _write_if_changed(STAMP, stamp_text(read))


SCORE_COLOUR = {"right": "#009E73", "partly right": "#56B4E9", "wrong": "#D55E00",
                "not yet due": "#E69F00", "not scorable": "#7F7F7F"}
SCORE_MARKER = {"right": "o", "partly right": "D", "wrong": "X", "not yet due": "^",
                "not scorable": "s"}


def _year(d: str) -> float:
    if not d:
        return float("nan")
    y, m = int(d[:4]), int(d[5:7]) if len(d) >= 7 else 7
    return y + (m - 0.5) / 12


def timeline(card: pd.DataFrame | None = None, events: pd.DataFrame | None = None):
    """Each forecast as a line from when it was made to when it fell due, its score at the end;
    dashed lines mark the breaks of the outcome record (event type rupture)."""
    from matplotlib.collections import LineCollection

    from .. import ledger, style

    card = scorecard() if card is None else card
    events = load("events") if events is None else events
    order = {s: i for i, s in enumerate(ledger.source_order())}
    c = card.assign(_o=card["source_id"].map(order)).sort_values(["_o", "made", "forecast_id"])
    c = c.reset_index(drop=True)
    fig, ax = style.new_figure(height=0.28 * len(c) + 2.35)
    end = _year(covers_to())
    x0 = [_year(m) for m in c["made"]]
    x1 = [_year(d) if d else end for d in c["due"]]
    # one artist for the lines and one per score for the markers (86 of each took a second)
    ax.add_collection(LineCollection([[(a, y), (b, y)] for y, (a, b) in enumerate(zip(x0, x1))],
                                     colors=[style.SOURCE_COLOURS[s] for s in c["source_id"]],
                                     linewidths=2.2, capstyle="butt"))
    for score, rows in c.groupby("score", sort=False):
        ax.scatter([x1[y] for y in rows.index], list(rows.index), marker=SCORE_MARKER[score],
                   s=60, zorder=5, color=SCORE_COLOUR[score], edgecolors="black",
                   linewidths=0.6)
    for e in events[events["type"] == "rupture"].itertuples():
        ax.axvline(_year(e.date), color="#555555", ls="--", lw=1)
    first = events[events["type"] == "rupture"]["date"].min()
    if isinstance(first, str):
        ax.text(_year(first) + 0.12, len(c) - 0.9, f"{first[:7]}: the break\n(rupture events)",
                fontsize=8.5, va="bottom", ha="left", color="#333333")
    ax.set_yticks(range(len(c)), [f"{ledger.short_label(s)}: {f.split('-')[1]}"
                                  for s, f in zip(c["source_id"], c["forecast_id"])], fontsize=8)
    ax.set_ylim(len(c) - 0.5, -2.3)     # a strip above the first row for the key
    ax.set_xlim(2013.5, end + 0.5)
    style.year_ticks(ax)
    ax.set_xlabel("Year (line: from when the forecast was made to when it fell due)")
    ax.grid(axis="y", visible=False)
    for s in SCORES:
        if (c["score"] == s).any():
            ax.scatter([], [], marker=SCORE_MARKER[s], color=SCORE_COLOUR[s], edgecolors="black",
                       linewidths=0.6, label=s)
    # the key in the strip above the rows, where it covers no line (it sat over the ends of the
    # first rows' lines)
    ax.legend(fontsize=8.5, loc="upper left", ncol=len(ax.get_legend_handles_labels()[1]),
              title="score:", title_fontsize=8.5, alignment="left", borderaxespad=0.3,
              columnspacing=1.2, handletextpad=0.3, frameon=True, facecolor="white",
              edgecolor="none", framealpha=1)
    return fig, ax, c


def scorecard_html(table: pd.DataFrame) -> str:
    from .. import tables
    cols = {"text": "Text", "right": "Right", "partly right": "Partly right", "wrong": "Wrong",
            "not yet due": "Not yet due", "not scorable": "Not scorable",
            "brier": "Brier score (worded forecasts)", "n_brier": "Worded forecasts"}
    return tables.html_table(table, cols, link_cols=())


def register_html(full: pd.DataFrame) -> str:
    from .. import tables
    cols = {"forecast_id": "Forecast", "text": "Text", "token": "As written",
            "paraphrase": "What the text expects (our words)", "made": "Made", "due": "Due",
            "due_reading": "How we read the horizon", "score": "Score", "evidence": "Evidence"}
    return tables.html_table(full, cols, link_cols=(), sortable=True)


def affinity_series() -> pd.DataFrame:
    """Japanese who feel affinity toward Russia, every Cabinet Office result the project holds:
    the poll extract's and the outcome record's, one row per survey (the extract first)."""
    p = load("poll_points")
    p = p[(p["org"] == "Cabinet Office Japan") & (p["metric"] == "affinity_russia")]
    rows = [{"fieldwork": r.fieldwork, "x": _year(r.fieldwork_start) if len(r.fieldwork_start) > 4
             else _year(r.fieldwork_start + "-06"), "value_pct": float(r.value_pct),
             "source": "poll extract (data/reference/poll_points.csv)", "url": r.citation_url}
            for r in p.itertuples()]
    o = load("outcome_series")
    o = o[(o["series"] == "cabinet_office_affinity_russia") & (o["measure"] == "affinity")]
    seen = {r["fieldwork"] for r in rows}
    for r in o.itertuples():
        if r.fieldwork in seen:
            continue
        start = r.fieldwork.split("/")[0] if r.fieldwork else f"{r.year}-10"
        rows.append({"fieldwork": r.fieldwork or str(r.year), "x": _year(start[:7]),
                     "value_pct": float(r.value), "source": r.publisher, "url": r.url})
    return pd.DataFrame(rows).sort_values("x").reset_index(drop=True)


def _mark_due(ax, card: pd.DataFrame, y: float, step: float) -> None:
    """The scored forecasts by the year they fell due, below the data from height ``y`` down:
    one marker per year and score in the middle of the year (scores stacked ``step`` apart),
    with the count beside it where several forecasts share it."""
    scored = card[card["score"].isin(list(OUTCOME))]
    rows = [s for s in OUTCOME if (scored["score"] == s).any()]     # one row per score
    for s in rows:
        ax.scatter([], [], marker=SCORE_MARKER[s], color=SCORE_COLOUR[s], edgecolors="black",
                   linewidths=0.5, s=28, label=f"forecast {s}")
    for year, g in scored.groupby(scored["due"].str[:4]):
        for score, n in g["score"].value_counts().items():
            x, yk = int(year) + 0.35, y - rows.index(score) * step
            ax.scatter([x], [yk], marker=SCORE_MARKER[score], color=SCORE_COLOUR[score],
                       edgecolors="black", linewidths=0.5, s=28, clip_on=False, zorder=5)
            if n > 1:
                ax.text(x + 0.14, yk, f"×{n}", fontsize=7.5, va="center", ha="left",
                        color="#333333", clip_on=False)


def plot_trade(level: pd.DataFrame, later: pd.DataFrame, card: pd.DataFrame):
    """Japan–Russia trade: the IMF lines by reporter (``level``: years x reporters, US$ bn),
    Japan's later customs totals as points (``later``: year, total; US$ bn as the news converted
    them), and the forecasts falling due, by score, below the axis."""
    from .. import style

    fig, ax = style.new_figure(height=3.8)
    for rep in level.columns:
        rs = style.REPORTER_STYLE[rep]
        ax.plot(level.index, level[rep], lw=2, color=rs["color"], ls=rs["linestyle"],
                label=f"IMF, {rs['label']}")
    ax.plot(later["year"], later["total"], "x", ms=8, mew=2, color=style.REPORTER_STYLE["Japan"]["color"],
            label="Japan's customs (US$, news conversions)")
    top = max(level.max().max(), later["total"].max())
    _mark_due(ax, card, -top * 0.05, top * 0.06)
    ax.set_ylim(-top * 0.18, top * 1.1)
    ax.set_xlim(2013.8, _year(covers_to()) + 0.8)
    ax.set_yticks([t for t in ax.get_yticks() if 0 <= t <= top * 1.1])
    style.year_ticks(ax)
    ax.set_ylabel("Total trade, US$ billion")
    ax.set_xlabel("Year; markers below the axis: forecasts falling due, by score")
    ax.legend(fontsize=8.5, loc="upper right")
    return fig, ax


def plot_affinity(series: pd.DataFrame, card: pd.DataFrame):
    """The affinity series with the 2020 change of survey mode and the forecasts' due dates."""
    from .. import style

    fig, ax = style.new_figure(height=3.8)
    before, after = series[series["x"] < 2020], series[series["x"] >= 2020]
    for part, ls in ((before, "-"), (after, "-")):
        ax.plot(part["x"], part["value_pct"], ls, color="#0072B2", lw=2, marker="o")
    for r in series.itertuples():
        ax.annotate(f"{r.value_pct:g}", (r.x, r.value_pct), textcoords="offset points",
                    xytext=(0, 7), ha="center", fontsize=8.5)
    ax.axvline(2020.0, color="#555555", ls=":", lw=1)
    ax.text(2020.05, 2, "2020: survey by mail,\nnot interviews", fontsize=8, color="#333333")
    _mark_due(ax, card, -1.2, 1.3)
    ax.set_ylim(-4.5, max(25, series["value_pct"].max() + 4))
    ax.set_xlim(2013.8, _year(covers_to()) + 0.8)
    ax.set_yticks([t for t in ax.get_yticks() if 0 <= t <= ax.get_ylim()[1]])
    ax.legend(fontsize=8, loc="upper right")
    ax.set_ylabel("Feel affinity toward Russia (%)")
    ax.set_xlabel("Survey (fieldwork); markers below the axis: forecasts falling due, by score")
    return fig, ax


RELATIONS = {"relations_good": "think relations with Russia are good",
             "relations_important": "think relations with Russia are important"}


def relations_series() -> pd.DataFrame:
    """The Cabinet Office's two questions on relations with Russia, one row per survey result
    the outcome record holds."""
    o = load("outcome_series")
    o = o[(o["series"] == "cabinet_office_affinity_russia") & o["measure"].isin(list(RELATIONS))]
    return pd.DataFrame({"fieldwork": o["fieldwork"], "measure": o["measure"],
                         "x": [_year(f.split("/")[0][:7]) for f in o["fieldwork"]],
                         "value_pct": o["value"].astype(float), "source": o["publisher"],
                         "url": o["url"]}).sort_values(["measure", "x"]).reset_index(drop=True)


def plot_relations(series: pd.DataFrame):
    """Both questions as lines, broken at the 2020 change of survey mode."""
    from .. import style

    fig, ax = style.new_figure(height=3.6)
    colours = {"relations_important": "#0072B2", "relations_good": "#D55E00"}
    for m, g in series.groupby("measure"):
        for i, part in enumerate((g[g["x"] < 2020], g[g["x"] >= 2020])):
            ax.plot(part["x"], part["value_pct"], "-o", color=colours[m], lw=2,
                    label=RELATIONS[m][:1].upper() + RELATIONS[m][1:] if i else None)
        for r in g.itertuples():
            ax.annotate(f"{r.value_pct:g}", (r.x, r.value_pct), textcoords="offset points",
                        xytext=(0, 7), ha="center", fontsize=8)
    ax.legend(loc="center left", fontsize=8.5)
    ax.axvline(2020.0, color="#555555", ls=":", lw=1)
    ax.text(2020.05, 90, "2020: survey by mail,\nnot interviews", fontsize=8, color="#333333")
    ax.set_ylim(0, 100)
    ax.set_xlim(2015.5, _year(covers_to()) + 0.5)
    ax.set_ylabel("Share of respondents (%)")
    ax.set_xlabel("Survey (fieldwork)")
    return fig, ax


def trade_rows_html(rows: pd.DataFrame) -> str:
    from .. import tables
    t = rows.sort_values(["year", "unit", "measure"]).copy()
    t["measure"] = t["measure"].str.replace("_", " ")
    t["report"] = [f'<a href="{html.escape(u)}">{html.escape(p)}</a>'
                   for u, p in zip(t["url"], t["publisher"])]
    cols = {"year": "Year", "measure": "Measure", "value": "Value", "unit": "Unit",
            "report": "Reported by", "note": "Note"}
    return tables.html_table(t, cols, link_cols=(), html_cols=("report",))
