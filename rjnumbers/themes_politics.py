"""Helpers for the two politics chapters: summits and security (chapter 7) and the two publics
(chapter 8).

What is data here, and why it lives in code: the chapters need a short list of dated events and
a key that says which poll each opinion claim reports. Both are *readings of the source texts*
(each entry names the claim ids or source ids that state it), not new data, so they stay beside
the code that draws them instead of under ``data/``.  The few facts taken from outside the texts
are marked ``outside`` and carry the page they come from.
"""
from __future__ import annotations

import html

import pandas as pd

from . import ledger, style, tables
from .audit.checks import ordinal  # noqa: F401  (chapters call tp.ordinal)
from .data import load
from .errors import DataError

QUALIFIER_WORDS = {"exact": "", "about": "about ", "more_than": "more than ",
                   "less_than": "less than ", "at_least": "at least ", "at_most": "at most ",
                   "range": ""}

#: Colour of facts from outside the five texts (records of the governments, pollsters' releases).
OUTSIDE_COLOUR = style.PALETTE["black"]


# --- small shared helpers -----------------------------------------------------------------

def theme_claims(theme: str, table: pd.DataFrame | None = None) -> pd.DataFrame:
    table = ledger.claims() if table is None else table
    return table[table["theme"] == theme].reset_index(drop=True)


def decimal_year(when: str, where: str = "mid") -> float:
    """'2016-09' -> 2016.71 (middle of the month); '2019' -> 2019.5 (middle of the year).

    ``where`` = 'start' or 'end' gives the first or last moment of the month or year instead.
    A 'YYYY-MM-DD' date is placed on its day.
    """
    when = str(when)
    year = int(when[:4])
    if len(when) >= 10:
        month, day = int(when[5:7]), int(when[8:10])
        return year + (month - 1) / 12 + (day - 0.5) / 365.25
    if len(when) >= 7:
        month = int(when[5:7])
        offset = {"start": 0.0, "mid": 0.5, "end": 1.0}[where]
        return year + (month - 1 + offset) / 12
    return year + {"start": 0.0, "mid": 0.5, "end": 1.0}[where]


def months_between(start: str, end: str) -> int:
    """Whole calendar months from 'YYYY-MM' to 'YYYY-MM' (Dec 2012 -> Dec 2014 = 24)."""
    y0, m0 = int(start[:4]), int(start[5:7])
    y1, m1 = int(end[:4]), int(end[5:7])
    return (y1 - y0) * 12 + (m1 - m0)


def value_text(row) -> str:
    """A claim's value as a reader would say it: 'about 27', '74.8–82.9'."""
    return QUALIFIER_WORDS.get(row["qualifier"], "") + ledger.format_value(row)


# one table layout for the whole book (rjnumbers.tables)
source_links = tables.id_links
chart_rows = ledger.chart_rows   # chapters call tp.chart_rows
table_html = tables.html_table


def url_link(url: str, text: str | None = None) -> str:
    text = text or url.split("/")[2]
    return f'<a href="{html.escape(url)}">{html.escape(text)}</a>'


# =========================================================================================
# Chapter 7: summit diplomacy and security dialogue
# =========================================================================================

LANES = {
    "agree": "Declarations and agreements",
    "leaders": "Leaders' meetings and visits",
    "security": "Security dialogue and military",
    "context": "Sanctions, law and context",
    "forecast": "A deal within reach? (Brink, 2016)",
}
LANE_COLOURS = {
    "agree": style.PALETTE["blue"],
    "leaders": style.PALETTE["orange"],
    "security": style.PALETTE["green"],
    "context": style.PALETTE["vermillion"],
    "forecast": style.PALETTE["grey"],
}


def events() -> pd.DataFrame:
    """The timeline's events (data/timeline.csv) in date order, numbered as on the timeline."""
    rows = []
    for e in load("timeline").itertuples():
        x0 = decimal_year(e.start, "start")
        x1 = decimal_year(e.end, "end") if e.end else decimal_year(e.start, "end")
        rows.append({"start": e.start, "end": e.end, "lane": e.lane,
                     "lane_label": LANES[e.lane], "event": e.event,
                     "x": decimal_year(e.start) if not e.end else x0,
                     "x_start": x0, "x_end": x1, "span": bool(e.end),
                     "ids": " ".join(e.cited_by.split(";")), "outside": e.outside,
                     "url": e.url})
    out = pd.DataFrame(rows)
    lane_order = {k: i for i, k in enumerate(LANES)}
    out["lane_pos"] = out["lane"].map(lane_order)
    out = out.sort_values(["x", "lane_pos"], kind="stable").reset_index(drop=True)
    out.insert(0, "n", range(1, len(out) + 1))
    return out


def event_claim_ids(ev: pd.DataFrame) -> list[str]:
    ids = [i for s in ev["ids"] for i in s.split() if "-" in i]
    return sorted(dict.fromkeys(ids))


def timeline_figure(ev: pd.DataFrame, split: tuple[float, float] = (2007.5, 2012.4)):
    """Two panels on one time axis with a break: the declarations before ``split[0]``, the Abe
    years after ``split[1]``. One row per lane; each event a numbered marker; year-only dates and
    spans drawn as bars across the months they may cover."""
    import matplotlib.pyplot as plt

    style.use()
    fig, (left, right) = plt.subplots(1, 2, figsize=(style.WIDTH_IN, 4.4), sharey=True,
                                      gridspec_kw={"width_ratios": [1, 3.6], "wspace": 0.04})
    lanes = list(LANES)
    for ax, (lo, hi) in ((left, (1954.0, split[0])), (right, (split[1], 2021.0))):
        sub = ev[(ev["x_start"] < hi) & (ev["x_end"] > lo)]
        stagger: dict[str, int] = {}
        for _, r in sub.iterrows():
            y = -lanes.index(r["lane"])
            colour = LANE_COLOURS[r["lane"]]
            if r["span"]:
                ax.plot([r["x_start"], r["x_end"]], [y, y], color=colour, lw=6,
                        alpha=0.45, solid_capstyle="butt", zorder=2)
                xm = r["x_start"]
            else:
                if r["x_end"] - r["x_start"] > 0.5:  # a year-only date: the whole year is possible
                    ax.plot([r["x_start"], r["x_end"]], [y, y], color=colour, lw=2, zorder=2)
                xm = r["x"]
            ax.scatter([xm], [y], s=36, color=colour, edgecolors="white", linewidths=0.6,
                       zorder=3)
            k = stagger.get(r["lane"], 0)
            stagger[r["lane"]] = k + 1
            dy = 0.2 if k % 2 == 0 else -0.3
            ax.text(xm, y + dy, str(r["n"]), ha="center", va="center", fontsize=7.5,
                    color="#222222", zorder=4)
        ax.set_xlim(lo, hi)
        ax.grid(axis="y", visible=False)
    left.set_xticks([1956, 1993])
    left.set_xticklabels(["1956", "1993"], fontsize=8.5)
    right.set_xticks(range(2013, 2021, 2))
    right.set_xticklabels([str(y) for y in range(2013, 2021, 2)], fontsize=8.5)
    left.set_yticks([-i for i in range(len(lanes))], [LANES[k] for k in lanes], fontsize=8.5)
    left.set_ylim(-len(lanes) + 0.4, 0.6)
    right.spines["left"].set_visible(False)
    right.tick_params(axis="y", length=0)
    # the break marks
    for ax, xs in ((left, 1.0), (right, 0.0)):
        ax.plot([xs - 0.012 * (3.6 if xs == 1.0 else 1), xs + 0.012 * (3.6 if xs == 1.0 else 1)],
                [-0.02, 0.02], transform=ax.transAxes, color="#444444", lw=1, clip_on=False)
    return fig, left, right


# --- how often the leaders met ------------------------------------------------------------

#: Outside anchors: the meeting's ordinal number as the Japanese side counted it (rows of
#: data/reference/outside_facts.csv in this unit).
SUMMIT_NUMBER_UNIT = "Abe-Putin summit number"

def event_month(event_id: str) -> str:
    """The month ('YYYY-MM') of an event of the chronology (data/reference/events.csv)."""
    return str(load("events").set_index("event_id").at[event_id, "date"])[:7]


def abe_second_term() -> tuple[str, str]:
    """Abe's second term as two months, from the chronology: where a count gives years only,
    the span it covers."""
    return event_month("abe_returns_pm_2012"), event_month("abe_resigns_suga_pm_2020")


def abe_putin_meetings() -> pd.DataFrame:
    """The meetings of Abe and Putin in the chronology (data/reference/events.csv), both terms."""
    chron = load("events")
    return chron[chron["type"].isin(["summit", "visit"])
                 & chron["participants"].str.contains("Shinzo Abe")
                 & chron["participants"].str.contains("Vladimir Putin")]


def first_term_meetings() -> int:
    """How many of the chronology's Abe-Putin meetings fall before his second term: what the
    Japanese side's ordinals count beyond the meetings since December 2012."""
    return int((abe_putin_meetings()["date"].str[:7] < abe_second_term()[0]).sum())


def chronology_count(start: str) -> pd.DataFrame:
    """The chronology's meetings from ``start`` on, one row each with the running count (the
    step line of the cumulative chart, as its data file gives it)."""
    m = abe_putin_meetings()
    m = m[m["date"].str[:7] >= start].sort_values("date")
    return pd.DataFrame({"who": "chronology (data/reference/events.csv)", "kind": "chronology",
                         "reliability": m["reliability"].to_numpy(), "claim_id": "",
                         "meetings": range(1, len(m) + 1), "window_start": start,
                         "window_end": m["date"].to_numpy(), "url": m["url"].to_numpy()})


def summit_counts(claims: pd.DataFrame) -> pd.DataFrame:
    """Every count of Abe-Putin meetings: the two texts' claims and the outside anchors, each
    with the window it covers (from Abe's return in December 2012) and the implied rate.

    A text's span is the audit's reading of it (:func:`rjnumbers.audit.checks.count_window`):
    its period, or the days the claim readings give it where the period has years only. The Japanese
    side numbers the meetings from Abe's first term (2006-07): an anchor's count since December
    2012 is its ordinal less the first-term meetings of the chronology."""
    term = abe_second_term()
    first_term = first_term_meetings()
    from .audit.checks import count_window, read_count_span

    readings = load("claim_readings")
    rows = []
    for _, c in claims[claims["metric"] == "abe_putin_meetings"].iterrows():
        said = read_count_span(readings, c["claim_id"])
        start, end = (d.isoformat()[:7] for d in count_window(str(c["period"]), *said))
        rows.append({"who": ledger.short_label(c["source_id"]), "kind": "text",
                     "reliability": "text",
                     "claim_id": c["claim_id"], "source_id": c["source_id"],
                     "meetings": float(c["value"]), "ordinal": float("nan"),
                     "as_stated": value_text(c),
                     "window_start": start, "window_end": end, "url": ""})
    facts = load("outside_facts")
    for o in facts[facts["unit"] == SUMMIT_NUMBER_UNIT].itertuples():
        rows.append({"who": o.publisher, "kind": "outside", "reliability": o.reliability,
                     "claim_id": "", "source_id": "",
                     "meetings": float(o.value) - first_term, "ordinal": float(o.value),
                     "as_stated": f"{o.value:.0f}th meeting of both terms",
                     "window_start": term[0], "window_end": o.date[:7],
                     "url": o.url})
    out = pd.DataFrame(rows)
    out["months"] = [months_between(a, b) for a, b in zip(out["window_start"], out["window_end"])]
    out["years"] = out["months"] / 12
    out["per_year"] = out["meetings"] / out["years"]
    return out


def summit_gaps(counts: pd.DataFrame) -> pd.DataFrame:
    """Meetings and rate between consecutive counts (in date order of the window's end); the
    texts' counts and the foreign ministry's own (primary) records only."""
    c = counts[counts["reliability"].isin(["text", "primary"])]
    c = c.sort_values(["window_end", "meetings"]).reset_index(drop=True)
    rows = []
    for a, b in zip(c.iloc[:-1].itertuples(), c.iloc[1:].itertuples()):
        months = months_between(a.window_end, b.window_end)
        if months <= 0:
            continue
        rows.append({"from": a.window_end, "to": b.window_end, "from_who": a.who,
                     "to_who": b.who, "meetings": b.meetings - a.meetings, "months": months,
                     "per_year": (b.meetings - a.meetings) / months * 12})
    return pd.DataFrame(rows)


# --- the security "firsts" and their dates -------------------------------------------------

def security_dates() -> pd.DataFrame:
    """Rows of the dating chart (data/chart_rows.csv, chart 'security_dates'): what the texts
    say and when, and the event of the chronology that dates it, where there is one."""
    events = load("events").set_index("event_id")
    rows = []
    for r in chart_rows("security_dates").itertuples():
        i, label = r.row - 1, r.label
        if r.ref:
            rows.append({"row": i, "label": label, "who": "text", "id": r.ref,
                         "source_id": r.ref.split("-")[0], "date": r.said,
                         "x": decimal_year(r.said), "x_start": decimal_year(r.said, "start"),
                         "x_end": decimal_year(r.said, "end"), "url": ""})
        if r.event_id:
            e = events.loc[r.event_id]
            rows.append({"row": i, "label": label, "who": "record", "id": "", "source_id": "",
                         "date": e["date"], "x": decimal_year(e["date"]),
                         "x_start": decimal_year(e["date"], "start"),
                         "x_end": decimal_year(e["date"], "end"), "url": e["url"]})
    return pd.DataFrame(rows)


def month_label(ym: str) -> str:
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    return f"{months[int(ym[5:7]) - 1]} {ym[:4]}" if len(ym) >= 7 else ym


def summit_rate_rows(counts: pd.DataFrame) -> pd.DataFrame:
    """What the rates chart plots: one bar per count, in date order of the window's end."""
    c = counts.sort_values(["window_end", "meetings"]).reset_index(drop=True).copy()
    short = {"Ministry of Foreign Affairs of Japan": "Japan's foreign ministry",
             "Liberal Democratic Party of Japan": "Ruling party (LDP)"}
    c["label"] = [f"{short.get(r.who, r.who)}: {r.as_stated} by {month_label(r.window_end)}"
                  for r in c.itertuples()]
    c["per_year"] = c["per_year"].round(2)
    return c[["label", "who", "kind", "reliability", "claim_id", "meetings", "window_start",
              "window_end", "months", "per_year", "url"]]


def plot_summit_rates(rows: pd.DataFrame):
    fig, ax = style.new_figure(height=3.2)
    for i, r in enumerate(rows.itertuples()):
        if r.kind == "text":
            sid = r.claim_id.split("-")[0]
            kw = {"color": style.SOURCE_COLOURS[sid]}
        elif r.reliability == "primary":
            kw = {"color": OUTSIDE_COLOUR}
        else:
            kw = {"facecolor": "white", "edgecolor": OUTSIDE_COLOUR, "hatch": "///"}
        ax.barh(i, r.per_year, height=0.6, **kw)
        ax.text(r.per_year + 0.05, i, f"{r.per_year:.1f} a year ({r.meetings:g} in "
                f"{r.months} months)", va="center", fontsize=8.5)
    ax.set_yticks(range(len(rows)), style.wrap_labels(rows["label"], 28), fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, rows["per_year"].max() * 1.9)
    ax.set_xlabel("Meetings per year since Abe's return in December 2012 (count / years)")
    ax.grid(axis="y", visible=False)
    return fig, ax


def plot_summit_cumulative(counts: pd.DataFrame, pace: float, start: str, end: str):
    """Cumulative meetings against time: the chronology's meetings as a step line, each count as
    a marker, and a line at a constant ``pace`` from ``start``."""
    fig, ax = style.new_figure(height=3.8)
    x0, x1 = decimal_year(start, "end"), decimal_year(end, "end")
    ax.plot([x0, x1], [0, pace * (x1 - x0)], ls="--", color=style.PALETTE["grey"], lw=1.2,
            label=f"constant pace of {pace:.1f} a year")
    dates = sorted(d for d in abe_putin_meetings()["date"] if x0 <= decimal_year(d) <= x1)
    xs = [x0, *(decimal_year(d) for d in dates), x1]
    ax.step(xs, [0, *range(1, len(dates) + 1), len(dates)], where="post", lw=1.4,
            color=OUTSIDE_COLOUR, alpha=0.55, zorder=2,
            label="the chronology: every meeting, by its date")
    for r in counts.itertuples():
        x = decimal_year(r.window_end, "end")
        if r.kind == "text":
            sid = r.source_id
            ax.scatter([x], [r.meetings], marker=style.SOURCE_MARKERS[sid], s=80, zorder=5,
                       color=style.SOURCE_COLOURS[sid], label=f"{r.who} ({r.claim_id})")
        else:
            primary = r.reliability == "primary"
            ax.scatter([x], [r.meetings], marker="s", s=55, zorder=4,
                       facecolors=OUTSIDE_COLOUR if primary else "white",
                       edgecolors=OUTSIDE_COLOUR, linewidths=1.3,
                       label=("Japan's foreign ministry: ordinal, less the first term" if primary
                              else "ruling party (LDP): ordinal, less the first term"))
    handles, labels = ax.get_legend_handles_labels()
    uniq = dict(zip(labels, handles))
    ax.legend(uniq.values(), uniq.keys(), fontsize=8, loc="upper left")
    ax.scatter([x0], [0], s=20, color="#444444", zorder=3)
    ax.set_xlim(x0 - 0.2, x1 + 0.3)
    ax.set_ylim(0, None)
    ax.set_xlabel("End of the period counted (year)")
    ax.set_ylabel("Abe-Putin meetings since Dec 2012 (count)")
    return fig, ax


def plot_security_dates(sd: pd.DataFrame):
    fig, ax = style.new_figure(height=3.6)
    labels = list(dict.fromkeys(sd.sort_values("row")["label"]))
    seen = set()
    for r in sd.itertuples():
        y = r.row
        if r.who == "text":
            sid = r.source_id
            colour = style.SOURCE_COLOURS[sid]
            if r.x_end - r.x_start > 0.5:
                ax.plot([r.x_start, r.x_end], [y + 0.12, y + 0.12], color=colour, lw=2)
            lab = ledger.short_label(sid)
            ax.scatter([r.x], [y + 0.12], marker=style.SOURCE_MARKERS[sid], s=60, color=colour,
                       zorder=5, label=None if lab in seen else lab)
            seen.add(lab)
        else:
            if r.x_end - r.x_start > 0.5:
                ax.plot([r.x_start, r.x_end], [y - 0.15, y - 0.15], color=OUTSIDE_COLOUR, lw=1.5)
            lab = "official record (foreign ministries, Kremlin)"
            ax.scatter([r.x], [y - 0.15], marker="s", s=40, facecolors="white",
                       edgecolors=OUTSIDE_COLOUR, linewidths=1.3, zorder=4,
                       label=None if lab in seen else lab)
            seen.add(lab)
    ax.set_yticks(range(len(labels)), labels, fontsize=8.5)
    ax.set_ylim(len(labels) - 0.4, -0.6)
    ax.set_xlim(2005.5, 2021)
    style.year_ticks(ax)
    ax.set_xlabel("Date (year; a bar spans a date given only as a year)")
    ax.grid(axis="y", visible=False)
    style.legend_below(ax)
    return fig, ax


# =========================================================================================
# Chapter 8: the two publics
# =========================================================================================

def poll_points() -> pd.DataFrame:
    """The reference extract of poll releases, with a position on a time axis."""
    p = load("poll_points").copy()
    p["x"] = [(decimal_year(a, "start") + decimal_year(b, "end")) / 2
              for a, b in zip(p["fieldwork_start"], p["fieldwork_end"])]
    return p


POLL_FIELDS = ("poll_public", "poll_by", "poll_fieldwork", "poll_question", "poll_named_by",
               "poll_row")


def poll_claims(claims: pd.DataFrame, points: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every opinion claim with the poll it reports (``data/claim_readings.csv``) and, where the
    audit reads it against a pollster's result, that result and the audit's verdict.

    Nothing is judged here: ``verdict`` is the row of the verdict table (check ``poll_result``),
    ``outside_pct`` the pollster's figure the audit compared it with."""
    from .audit import checks, verdicts

    op = theme_claims("opinion", claims)
    rd = load("claim_readings").set_index("claim_id")
    missing = sorted(c for c in op["claim_id"] if c not in rd.index or not rd.at[c, "poll_public"])
    if missing:
        raise DataError("data/claim_readings.csv",
                        f"opinion claims without a poll reading (poll_public): {', '.join(missing)}",
                        column="poll_public")
    vt = verdicts.verdict_table(detail=True)
    vt = vt[vt["check"] == "poll_result"].set_index("claim_id")
    rows = []
    view = checks._ctx()
    for _, c in op.iterrows():
        r = rd.loc[c["claim_id"]]
        row = {"claim_id": c["claim_id"], "source_id": c["source_id"],
               "source": ledger.short_label(c["source_id"]), "country": r["poll_public"],
               "pollster": r["poll_by"], "fieldwork": r["poll_fieldwork"],
               "question": r["poll_question"], "row": r["poll_row"] or r["poll_question"],
               "named_by": r["poll_named_by"], "token": c["token"], "value": c["value"],
               "value_high": c["value_high"], "unit": c["unit"], "as_stated": value_text(c),
               "outside_pct": float("nan"), "outside_url": "", "reliability": "",
               "outside_org": "", "outside_fieldwork": "", "outside_metric": "",
               "verdict": "", "from_fact": bool(r["poll_fact"])}
        if c["claim_id"] in vt.index and vt.at[c["claim_id"], "verdict"] != "not_checkable":
            hit = checks.pollster_results(c["claim_id"], ctx=view)
            near = float(vt.at[c["claim_id"], "computed_value"])
            h = hit.iloc[(hit["value_pct"] - near).abs().argsort()].iloc[0]
            row.update(outside_pct=near, outside_url=h["citation_url"],
                       reliability=h["reliability"], outside_org=h["org"],
                       outside_fieldwork=h["fieldwork"],
                       outside_metric=r["poll_fact"] or r["poll_metric"],
                       verdict=vt.at[c["claim_id"], "verdict"])
        rows.append(row)
    out = pd.DataFrame(rows)
    out["difference"] = out["value"] - out["outside_pct"]
    return out


def poll_table_html(pc: pd.DataFrame) -> str:
    """Every opinion claim: who asked, when, what, the text's figure and the pollster's."""
    order = {"Japan": 0, "Russia": 1, "Kuril residents": 2}
    t = pc.assign(_c=pc["country"].map(order)).sort_values(
        ["_c", "pollster", "fieldwork", "claim_id"]).copy()
    t["outside"] = [
        "" if pd.isna(v) else
        f"{v:g}% ({r}{'; from the outside facts, not the poll extract' if f else ''}) "
        + url_link(u)
        for v, r, u, f in zip(t["outside_pct"], t["reliability"], t["outside_url"],
                              t["from_fact"])]
    t["value_shown"] = [ordinal(r["value"]) + " (rank)" if r["unit"] == "rank"
                        else r["as_stated"] + "%" for _, r in t.iterrows()]
    return table_html(
        t, {"claim_id": "Claim", "source": "Text", "country": "Public", "pollster": "Who asked",
            "fieldwork": "When", "question": "What exactly (our wording)",
            "value_shown": "Figure in the text", "named_by": "How we know who asked",
            "outside": "Pollster's figure (how direct) and where"},
        html_cols=("outside",))


def cabinet_office_series(pc: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """Affinity and no-affinity for Russia in the Cabinet Office survey: the texts' figures and
    the outside releases, one row per plotted point."""
    rows = []
    for _, r in pc[pc["pollster"] == "Cabinet Office"].iterrows():
        q = r["question"]
        if q.startswith("Feel affinity"):
            series = "affinity"
        elif q.startswith("Feel no affinity"):
            series = "no affinity"
        else:
            continue
        rows.append({"series": series, "kind": "text", "claim_id": r["claim_id"],
                     "source_id": r["source_id"], "when": "2018 (year only in the texts)",
                     "x": decimal_year("2018"), "value_pct": r["value"], "mode": "",
                     "reliability": "", "url": ""})
    co = points[points["org"] == "Cabinet Office Japan"]
    for _, p in co.iterrows():
        series = {"affinity_russia": "affinity", "no_affinity_russia": "no affinity"}.get(p["metric"])
        if series is None:
            continue
        rows.append({"series": series, "kind": "outside", "claim_id": "", "source_id": "",
                     "when": p["fieldwork"], "x": p["x"], "value_pct": p["value_pct"],
                     "mode": p["mode"] or "not stated (before the 2020 switch to mail)",
                     "reliability": p["reliability"], "url": p["citation_url"]})
    return pd.DataFrame(rows).sort_values(["series", "x"]).reset_index(drop=True)


def dot_rows(ax, table: pd.DataFrame, y: str, x: str, hollow: str | None = None,
             size: float = 60) -> None:
    """One marker per claim, in its source's colour and shape; one legend entry per source."""
    seen = {h.get_label() for h in ax.get_legend_handles_labels()[0]}
    for _, r in table.iterrows():
        sid = r["source_id"]
        colour = style.SOURCE_COLOURS[sid]
        open_ = bool(r[hollow]) if hollow else False
        label = ledger.short_label(sid)
        ax.scatter([r[x]], [r[y]], marker=style.SOURCE_MARKERS[sid], s=size, zorder=5,
                   facecolors="white" if open_ else colour, edgecolors=colour, linewidths=1.5,
                   label=None if label in seen else label)
        seen.add(label)


def outside_marker(ax, xs, ys, reliability, size: float = 70, label: bool = True) -> None:
    """Pollster's own release: filled black square; a news report of it: open black square."""
    seen = {h.get_label() for h in ax.get_legend_handles_labels()[0]}
    for xv, yv, rel in zip(xs, ys, reliability):
        primary = rel == "primary"
        lab = ("pollster's release (primary)" if primary else "news report of a poll (secondary)")
        ax.scatter([xv], [yv], marker="s", s=size, zorder=4,
                   facecolors=OUTSIDE_COLOUR if primary else "none", edgecolors=OUTSIDE_COLOUR,
                   linewidths=1.3, label=None if (lab in seen or not label) else lab)
        seen.add(lab)




def glue_tokens(glue, table: pd.DataFrame, prefix: str = "tok_") -> None:
    """Glue each claim's token (the number as printed) under ``tok_<claim id>`` with '-' -> '_',
    so that prose can quote a text's own words without typing a number."""
    for _, r in table.iterrows():
        glue(prefix + r["claim_id"].replace("-", "_"), r["token"], display=False)


def security_date_check(sd: pd.DataFrame) -> pd.DataFrame:
    """The audit's verdicts (rule ``event_date``) on the dates the texts give the security firsts
    that have a record: one row per claim, with the record's date. Nothing is judged here."""
    from .audit import verdicts

    vt = verdicts.verdict_table().query("check == 'event_date'").set_index("claim_id")
    texts = sd[(sd["who"] == "text") & sd["id"].isin(vt.index)]
    rec = sd[sd["who"] == "record"].set_index("row")["date"]
    out = texts.assign(record_date=[rec.get(r, "") for r in texts["row"]],
                       verdict=[vt.at[i, "verdict"] for i in texts["id"]])
    out["agrees"] = out["verdict"] == "holds"
    return out[["label", "id", "date", "record_date", "verdict", "agrees"]].reset_index(drop=True)


# --- chapter 8: charts ----------------------------------------------------------------------

def _when_label(fieldwork: str) -> str:
    if "/" in fieldwork:
        a, b = fieldwork.split("/")
        return f"{a[:4]}–{b[:4]}"
    return month_label(fieldwork)


def publics_rows(pc: pd.DataFrame) -> pd.DataFrame:
    """What the side-by-side chart plots: every percentage claim, one row per poll question."""
    t = pc[pc["unit"] == "percent"].copy()
    t["row_label"] = [f"{p} {_when_label(f)}: {r}" for p, f, r in
                      zip(t["pollster"], t["fieldwork"], t["row"])]
    order = {"Japan": 0, "Russia": 1, "Kuril residents": 1}
    t["panel"] = t["country"].map(lambda c: "Japan" if order[c] == 0 else "Russia")
    t["first_seen"] = range(len(t))
    first = t.groupby("row_label")["first_seen"].transform("min")
    t = t.assign(_first=first).sort_values(["panel", "pollster", "fieldwork", "_first"])
    ypos = {lab: i for i, lab in enumerate(dict.fromkeys(t["row_label"]))}
    t["y"] = t["row_label"].map(ypos)
    return t.drop(columns=["first_seen", "_first"]).reset_index(drop=True)


def plot_two_publics(rows: pd.DataFrame):
    import matplotlib.pyplot as plt

    style.use()
    panels = ["Japan", "Russia"]
    sizes = [rows.loc[rows["panel"] == p, "row_label"].nunique() for p in panels]
    fig, axes = plt.subplots(2, 1, figsize=(style.WIDTH_IN, 0.42 * sum(sizes) + 2.0), sharex=True,
                             gridspec_kw={"height_ratios": sizes, "hspace": 0.12})
    for ax, panel in zip(axes, panels):
        sub = rows[rows["panel"] == panel].copy()
        labels = list(dict.fromkeys(sub["row_label"]))
        sub["yy"] = sub["row_label"].map({l: i for i, l in enumerate(labels)})
        rng = sub[sub["value_high"].notna()]
        for r in rng.itertuples():
            ax.plot([r.value, r.value_high], [r.yy, r.yy], color=style.SOURCE_COLOURS[r.source_id],
                    lw=5, alpha=0.6, solid_capstyle="butt")
        # two texts giving one figure: nudge them apart vertically so both stay visible
        sub["dup"] = sub.groupby("row_label").cumcount()
        sub["yplot"] = sub["yy"] + sub["dup"] * 0.22
        dot_rows(ax, sub[sub["value_high"].isna()], "yplot", "value")
        out = sub[sub["outside_pct"].notna()].drop_duplicates("row_label")
        outside_marker(ax, out["outside_pct"], out["yy"] - 0.32, out["reliability"], size=34)
        ax.set_yticks(range(len(labels)), style.wrap_labels(labels, 40), fontsize=8)
        ax.set_ylim(len(labels) - 0.4, -0.6)
        ax.set_xlim(0, 100)
        ax.grid(axis="y", visible=False)
        ax.set_ylabel("Japanese respondents" if panel == "Japan" else "Russian respondents",
                      fontsize=9, fontweight="bold")
    handles, labels = [], []
    for ax in axes:
        h, l = ax.get_legend_handles_labels()
        for hh, ll in zip(h, l):
            if ll not in labels:
                handles.append(hh)
                labels.append(ll)
    style.legend_below(axes[1], ncol=2, handles=handles, labels=labels)
    axes[1].set_xlabel("Share of respondents (percent)")
    return fig, axes


def plot_affinity(series: pd.DataFrame, band: tuple[float, float], band_years=(2011, 2018),
                  mode_change: float = 2020.0):
    fig, ax = style.new_figure(height=4.4)
    lo, hi = band
    ax.fill_between([band_years[0], band_years[1] + 1], lo, hi, color=style.SOURCE_COLOURS["wang2021"],
                    alpha=0.15, lw=0, label=f"Wang (2021): range {lo:g}–{hi:g}, {band_years[0]}–{band_years[1]}")
    ax.axvline(mode_change, color="#444444", ls="--", lw=1)
    ax.text(mode_change + 0.1, 50, "survey moves from\nface-to-face\ninterviews to mail",
            fontsize=8, color="#444444", va="center")
    out = series[series["kind"] == "outside"]
    for name in ("affinity", "no affinity"):
        for before in (True, False):
            seg = out[(out["series"] == name) & ((out["x"] < mode_change) == before)]
            if len(seg) > 1:
                ax.plot(seg["x"], seg["value_pct"], color="#999999", lw=1, zorder=2)
    outside_marker(ax, out["x"], out["value_pct"], out["reliability"])
    txt = series[series["kind"] == "text"].copy()
    txt["dup"] = txt.groupby("series").cumcount()
    txt["xp"] = txt["x"] + txt["dup"] * 0.25 - 0.12
    for r in txt.itertuples():
        ax.plot([2018.0, 2019.0], [r.value_pct, r.value_pct], color="#BBBBBB", lw=1, zorder=1)
    dot_rows(ax, txt, "value_pct", "xp", size=70)
    for name, y in (("feel affinity for Russia", 26), ("feel no affinity", 88)):
        ax.text(band_years[0] + 0.1, y, name, fontsize=9, color="#333333")
    ax.set_xlim(band_years[0] - 0.3, 2024.6)
    ax.set_ylim(0, 100)
    style.year_ticks(ax)
    ax.set_xlabel("Year of fieldwork")
    ax.set_ylabel("Share of Japanese respondents (percent)")
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(0.0, 0.62))
    return fig, ax


def transfer_rows(pc: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """Opposition to (and support for) a transfer of the islands: one plotted point a line of
    data/chart_rows.csv (chart 'transfer'), a claim or a pollster's result."""
    idx = points.set_index(["org", "fieldwork", "metric"])
    val = pc.set_index("claim_id")
    rows = []
    for r in chart_rows("transfer").itertuples():
        y, label = r.row - 1, r.label
        if r.ref:
            rows.append({"y": y, "label": label, "kind": "text", "side": r.side,
                         "claim_id": r.ref, "source_id": val.loc[r.ref, "source_id"],
                         "value_pct": val.loc[r.ref, "value"], "reliability": "", "url": ""})
        else:
            o = idx.loc[(r.poll_org, r.poll_fieldwork, r.poll_metric)]
            rows.append({"y": y, "label": label, "kind": "outside", "side": r.side,
                         "claim_id": "", "source_id": "", "value_pct": float(o["value_pct"]),
                         "reliability": o["reliability"], "url": o["citation_url"]})
    return pd.DataFrame(rows)


def plot_transfer(rows: pd.DataFrame):
    fig, ax = style.new_figure(height=3.8)
    labels = list(dict.fromkeys(rows.sort_values("y")["label"]))
    txt = rows[rows["kind"] == "text"].copy()
    txt["dup"] = txt.groupby("y").cumcount()
    n = txt.groupby("y")["claim_id"].transform("count")
    txt["yp"] = txt["y"] + (txt["dup"] * 0.24 - 0.12) * (n > 1)
    dot_rows(ax, txt, "yp", "value_pct")
    out = rows[(rows["kind"] == "outside") & (rows["side"] == "against")]
    outside_marker(ax, out["value_pct"], out["y"] - 0.3, out["reliability"], size=45)
    sup = rows[rows["side"] == "for"]
    ax.scatter(sup["value_pct"], sup["y"] - 0.3, marker="s", s=45, color=style.PALETTE["grey"],
               zorder=4, label="share for a transfer (pollster's figure)")
    style.legend_below(ax)
    ax.set_yticks(range(len(labels)), style.wrap_labels(labels, 30), fontsize=8)
    ax.set_ylim(len(labels) - 0.4, -0.6)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Share of respondents (percent)")
    ax.grid(axis="y", visible=False)
    return fig, ax


def levada_2016_rows(pc: pd.DataFrame) -> pd.DataFrame:
    """The 2016 Levada poll as two texts quote it, question by question, with the news report."""
    t = pc[(pc["pollster"] == "Levada Center") & (pc["fieldwork"] == "2016")].copy()
    t["y"] = t["row"].map({r: i for i, r in enumerate(dict.fromkeys(t["row"]))})
    return t[["y", "row", "claim_id", "source_id", "source", "token", "value", "outside_pct",
              "reliability", "outside_url", "difference"]].reset_index(drop=True)


def plot_levada_2016(rows: pd.DataFrame):
    fig, ax = style.new_figure(height=2.9)
    labels = list(dict.fromkeys(rows.sort_values("y")["row"]))
    r = rows.copy()
    r["yp"] = r["y"] + r["source_id"].map({"brink2016": -0.13, "upperhand2018": 0.13})
    for y, g in r.groupby("y"):
        if g["value"].nunique() > 1:
            ax.plot(g["value"], g["yp"], color="#999999", lw=1, zorder=1)
    dot_rows(ax, r, "yp", "value", size=70)
    out = r.drop_duplicates("y")
    out = out[out["outside_pct"].notna()]
    outside_marker(ax, out["outside_pct"], out["y"] + 0.38, out["reliability"], size=40)
    ax.set_yticks(range(len(labels)), style.wrap_labels(labels, 30), fontsize=8.5)
    ax.set_ylim(len(labels) - 0.3, -0.6)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Share of Russian respondents (percent)")
    ax.grid(axis="y", visible=False)
    style.legend_below(ax)
    return fig, ax


def stacked_rows(pc: pd.DataFrame, chart: str) -> pd.DataFrame:
    """The Japanese polls of one chart of data/chart_rows.csv ('island_bars', 'treaty_bars') as
    shares of all respondents that add up to 100 with a computed remainder ("other answers or
    no answer")."""
    val = pc.set_index("claim_id")["value"]
    rows = []
    for (y, poll), parts in chart_rows(chart).groupby(["row", "label"], sort=False):
        y -= 1
        left = 0.0
        for p in parts.itertuples():
            rows.append({"y": y, "poll": poll, "answer": p.answer, "claim_id": p.ref,
                         "value_pct": float(val[p.ref]), "left": left, "colour": p.colour})
            left += float(val[p.ref])
        rows.append({"y": y, "poll": poll, "answer": "other answers, no answer, or not stated",
                     "claim_id": "", "value_pct": round(100 - left, 1), "left": left,
                     "colour": "grey"})
    return pd.DataFrame(rows)


def plot_stacked(rows: pd.DataFrame, height: float = 3.0):
    fig, ax = style.new_figure(height=height)
    # points per percent along the bar (the axes after wrapped tick labels: about 60% of the width)
    pt_per_pct = 0.6 * style.WIDTH_IN * 72 / 100
    for r in rows.itertuples():
        grey = r.colour == "grey"
        ax.barh(r.y, r.value_pct, left=r.left, height=0.6,
                color="#E6E6E6" if grey else style.PALETTE[r.colour],
                edgecolor="white", linewidth=0.8)
        if r.value_pct >= 4:
            label = f"{r.value_pct:g}" if grey else f"{r.value_pct:g}: {r.answer}"
            fits = style.text_width_pt(label, 7.5) + 6 <= r.value_pct * pt_per_pct
            ax.text(r.left + r.value_pct / 2, r.y, label if fits or grey
                    else f"{r.value_pct:g}", ha="center", va="center", fontsize=7.5,
                    color="#333333" if grey or r.colour in ("sky", "yellow") else "white")
            if not (fits or grey):        # the answer under its segment, in the gap to the next bar
                ax.text(r.left + 0.5, r.y + 0.33, r.answer, ha="left", va="top", fontsize=7,
                        color="#333333")
        elif not grey:
            ax.annotate(f"{r.value_pct:g}: {r.answer}", (r.left + r.value_pct / 2, r.y - 0.3),
                        xytext=(0, 8), textcoords="offset points", ha="center", fontsize=7.5,
                        color="#333333")
    polls = list(dict.fromkeys(rows.sort_values("y")["poll"]))
    ax.set_yticks(range(len(polls)), style.wrap_labels(polls, 22), fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("Share of Japanese respondents (percent)")
    ax.grid(axis="y", visible=False)
    return fig, ax


def russian_views_rows(pc: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """Russians' attitude to Japan: Levada's good/bad attitude shares and the texts' figure."""
    keep = points[points["metric"].isin(["positive_attitude_japan", "negative_attitude_japan"])]
    rows = [{"series": "good attitude to Japan" if p.metric.startswith("positive")
             else "bad attitude to Japan", "kind": "outside", "claim_id": "", "source_id": "",
             "when": p.fieldwork, "x": p.x, "value_pct": p.value_pct,
             "reliability": p.reliability, "url": p.citation_url} for p in keep.itertuples()]
    cl = ledger.claims()
    for c in cl[(cl["metric"] == "ru_japan_close_friend") & cl["claim_id"].isin(pc["claim_id"])
                ].itertuples():
        rows.append({"series": "Japan a close friend of Russia", "kind": "text",
                     "claim_id": c.claim_id, "source_id": c.source_id,
                     "when": f"published {c.period}", "x": decimal_year(str(c.period)),
                     "value_pct": c.value, "reliability": "", "url": ""})
    return pd.DataFrame(rows).sort_values(["series", "x"]).reset_index(drop=True)


def plot_russian_views(rows: pd.DataFrame):
    fig, ax = style.new_figure(height=3.6)
    shades = {"good attitude to Japan": OUTSIDE_COLOUR,
              "bad attitude to Japan": style.PALETTE["grey"]}
    out = rows[rows["kind"] == "outside"]
    for name, g in out.groupby("series"):
        ax.plot(g["x"], g["value_pct"], color=shades[name], lw=1.2, zorder=2)
        ax.scatter(g["x"], g["value_pct"], marker="s", s=55, zorder=4, facecolors="white",
                   edgecolors=shades[name], linewidths=1.5)
        last = g.iloc[-1]
        ax.text(last["x"] + 0.08, last["value_pct"], f"{name}\n(Levada, news\nreports)",
                va="center", fontsize=8.5, color=shades[name])
    txt = rows[rows["kind"] == "text"]
    for r in txt.itertuples():
        ax.scatter([r.x], [r.value_pct], marker=style.SOURCE_MARKERS[r.source_id], s=70,
                   color=style.SOURCE_COLOURS[r.source_id], zorder=5)
        ax.text(r.x - 0.08, r.value_pct, f"{r.series}:\n{ledger.short_label(r.source_id)}",
                va="center", ha="right", fontsize=8,
                color=style.SOURCE_COLOURS[r.source_id])
    ax.set_xlim(2017.3, 2020.4)
    ax.set_xticks([2018, 2019, 2020])
    ax.set_ylim(0, 80)
    ax.set_xlabel("Fieldwork or publication date (year)")
    ax.set_ylabel("Share of Russian respondents (percent)")
    return fig, ax
