"""The charts of the audit chapters.  Each function returns a :class:`Chart` (figure, generated
title and alt text, sources, the exact data plotted, claim ids); :func:`publish` hands it to
:func:`rjnumbers.style.publish`.  Titles state the finding and are computed from the verdicts.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd

from .. import style
from ..data import load
from ..ledger import claims as load_claims
from ..ledger import metric_labels, short_label
from . import checks
from .tolerance import DISAGREE, HOLDS, NOT_CHECKABLE, NOT_HOLD, WITHIN, claim_interval
from .verdicts import verdict_table

VERDICT_COLOUR = {HOLDS: style.PALETTE["green"], WITHIN: style.PALETTE["sky"],
                  NOT_HOLD: style.PALETTE["vermillion"], DISAGREE: style.PALETTE["orange"],
                  NOT_CHECKABLE: style.PALETTE["grey"]}
LEDGER = "claims ledger (data/claims.csv)"
IMF = "IMF, Direction of Trade Statistics (data/reference/trade_japan_russia.csv)"
IMF_PARTNERS = "IMF, Direction of Trade Statistics, Russia-reported (data/reference/trade_russia_partners.csv)"
MOF = "Japan Ministry of Finance figures as reported by TASS (data/reference/trade_points.csv)"
MOFA = "Ministry of Foreign Affairs of Japan / GSI 2022 areas (data/reference/island_areas.csv)"
POLLS = "Cabinet Office of Japan, Levada Center, VTsIOM as reported (data/reference/poll_points.csv)"


@dataclass
class Chart:
    fig: object
    title: str
    alt: str
    sources: str
    data: pd.DataFrame
    claim_ids: list = field(default_factory=list)
    note: str = ""


def publish(chart: Chart, name: str):
    return style.publish(chart.fig, name=name, title=chart.title, alt=chart.alt,
                         sources=chart.sources, data=chart.data, claim_ids=chart.claim_ids,
                         note=chart.note)


def _detail() -> pd.DataFrame:
    return verdict_table(detail=True)


def _with_references(rows: pd.DataFrame) -> list[str]:
    """The claims a set of verdict rows judged, and the claims those rows compared them with
    (the ids in their ``reference``): what a chart of those rows shows."""
    known = set(load_claims()["claim_id"])
    ids = list(rows["claim_id"])
    for ref in rows["reference"]:
        ids += [x for x in str(ref).split(", ") if x in known]
    return list(dict.fromkeys(ids))


def _judged_by(*check_ids: str) -> list[str]:
    d = _detail()
    return list(dict.fromkeys(d.loc[d["check"].isin(check_ids), "claim_id"]))


WORDS = {HOLDS: "hold", WITHIN: "hold only within rounding", NOT_HOLD: "do not hold",
         DISAGREE: "disagree", NOT_CHECKABLE: "cannot be checked"}
WORDS_ONE = {HOLDS: "holds", WITHIN: "holds only within rounding", NOT_HOLD: "does not hold",
             DISAGREE: "disagrees", NOT_CHECKABLE: "cannot be checked"}


def _tally(verdicts) -> str:
    """'all 12 hold' / 'both hold only within rounding' / '3 of 5 hold, 2 do not hold'."""
    v = list(verdicts)
    kinds = [k for k in WORDS if k in v]
    if len(kinds) == 1:
        return f"{'both' if len(v) == 2 else f'all {len(v)}'} {WORDS[kinds[0]]}"
    return ", ".join(f"{v.count(k)} of {len(v)} "
                     + (WORDS_ONE[k] if v.count(k) == 1 else WORDS[k]) for k in kinds)


def _hbar(ax, y, lo, hi, xlim, colour, lw=6, alpha=0.45, label=None):
    """A horizontal interval; an open end is drawn to the axis edge with an arrow."""
    a, b = max(lo, xlim[0]), min(hi, xlim[1])
    ax.plot([a, b], [y, y], color=colour, lw=lw, alpha=alpha, solid_capstyle="butt", label=label)
    if math.isinf(hi):
        ax.annotate("", xy=(xlim[1], y), xytext=(xlim[1] - (xlim[1] - xlim[0]) * 0.04, y),
                    arrowprops=dict(arrowstyle="->", color=colour))
    if math.isinf(lo):
        ax.annotate("", xy=(xlim[0], y), xytext=(xlim[0] + (xlim[1] - xlim[0]) * 0.04, y),
                    arrowprops=dict(arrowstyle="->", color=colour))


def _vbar(ax, x, lo, hi, ylim, colour, lw=6, alpha=0.45, label=None):
    a, b = max(lo, ylim[0]), min(hi, ylim[1])
    ax.plot([x, x], [a, b], color=colour, lw=lw, alpha=alpha, solid_capstyle="butt", label=label)
    if math.isinf(hi):
        ax.annotate("", xy=(x, ylim[1]), xytext=(x, ylim[1] - (ylim[1] - ylim[0]) * 0.05),
                    arrowprops=dict(arrowstyle="->", color=colour))


# ==================================================================== chapter 02: arithmetic

def growth_check() -> Chart:
    d = _detail()
    rows = d[d["check"] == "growth_of"]
    claims = load_claims().set_index("claim_id")
    fig, axes = style.new_figure(2, 1, height=4.6)
    data = []
    for ax, (_, r) in zip(axes, rows.iterrows()):
        old, new = r["reference"].split(", ")
        lo = min(r["computed_lo"], r["claimed_lo"])
        hi = max(r["computed_hi"], r["claimed_hi"])
        pad = (hi - lo) * 0.15
        xlim = (lo - pad, hi + pad)
        _hbar(ax, 1, r["computed_lo"], r["computed_hi"], xlim, style.PALETTE["grey"], lw=14)
        ax.plot(r["computed_value"], 1, "o", color="black")
        _hbar(ax, 0, r["claimed_lo"], r["claimed_hi"], xlim, style.SOURCE_COLOURS["kireeva2019"], lw=14)
        ax.plot(r["value"], 0, "o", color=style.SOURCE_COLOURS["kireeva2019"])
        ax.set_xlim(*xlim)
        ax.set_ylim(-0.7, 1.7)
        ax.set_yticks([0, 1], ["stated growth", "recomputed\nfrom the levels"])
        p_old, p_new = claims.loc[old, "period"], claims.loc[new, "period"]
        ax.set_xlabel(f"Growth {p_old} to {p_new}, % (bars: rounding interval)")
        ax.grid(axis="y", visible=False)
        data.append({"claim_id": r["claim_id"], "check": r["check"], "from_year": p_old,
                     "to_year": p_new, "stated_pct": r["value"], "stated_lo": r["claimed_lo"],
                     "stated_hi": r["claimed_hi"], "recomputed_pct": r["computed_value"],
                     "recomputed_lo": r["computed_lo"], "recomputed_hi": r["computed_hi"],
                     "verdict": r["verdict"]})
    data = pd.DataFrame(data)
    finding = f"Kireeva's two growth rates against her own trade levels: {_tally(data['verdict'])}"
    fig.tight_layout()
    fig.subplots_adjust(hspace=0.75)   # room for a two-line axis label between the panels
    style.titles(axes[0], finding, "Stated growth and growth recomputed from the two stated "
                 "levels, in percent, each with its rounding interval")
    return Chart(fig, finding,
                 "Two panels. In each, a short coloured bar (the stated growth rate with its "
                 "rounding interval) and a longer grey bar (growth recomputed from the two "
                 "rounded trade levels). The bars overlap but the points differ.",
                 LEDGER, data, _with_references(rows))


def poll_sums() -> Chart:
    d = _detail()
    claims = load_claims().set_index("claim_id")
    fig, ax = style.new_figure(height=0.65 * len(checks.answer_sets()) + 1.6)
    data, labels = [], []
    colours = [style.PALETTE[k] for k in ("blue", "orange", "green")]
    for y, group in enumerate(checks.answer_sets()):
        left = 0.0
        for k, cid in enumerate(group):
            v = float(claims.loc[cid, "value"])
            ax.barh(y, v, left=left, color=colours[k % 3], edgecolor="white")
            ax.text(left + v / 2, y, f"{v:g}", ha="center", va="center", fontsize=8,
                    color="white" if k != 1 else "black")
            data.append({"group": y + 1, "claim_id": cid, "answer_pct": v, "cumulative_pct": left + v})
            left += v
        ax.barh(y, 100 - left, left=left, color="#EEEEEE", edgecolor="white")
        c0 = claims.loc[group[0]]
        labels.append(f"{short_label(c0['source_id'])}, {checks.pollster(c0['subject'])}, "
                      f"{c0['period']}\n{c0['metric']} + {len(group) - 1} other answer(s)")
    ax.axvline(100, color="black", lw=1)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 105)
    ax.set_xlabel("Share of respondents, % (grey: other answers or none)")
    ax.grid(axis="y", visible=False)
    data = pd.DataFrame(data)
    v = d[d["check"] == "exclusive_answers"].drop_duplicates("claim_id")["verdict"]
    finding = f"Exclusive answers to one poll question within 100 percent: {_tally(v)}"
    style.titles(ax, finding, "Answers to one poll question, stacked, in percent of respondents")
    return Chart(fig, finding,
                 "Stacked horizontal bars, one per poll question reported in the texts; each "
                 "stack of exclusive answers ends before the 100 percent line.",
                 LEDGER, data, list(data["claim_id"]))


def running_counts() -> Chart:
    d = _detail()
    claims = load_claims().set_index("claim_id")
    rc = d[d["check"] == "running_count"]
    labels = metric_labels()
    metrics = list(dict.fromkeys(claims.loc[list(rc["claim_id"]), "metric"]))
    panels = [(m, f"{labels[m]} (count)") for m in metrics]
    fig, axes = style.new_figure(len(panels), 1, height=2.6 * len(panels))
    data = []
    for ax, (metric, xlab) in zip(axes, panels):
        chk = "running_count"
        ids = [c for c in dict.fromkeys(rc["claim_id"]) if claims.loc[c, "metric"] == metric]
        ids.sort(key=lambda c: (checks.end_key(claims.loc[c, "period"]), c))
        ivs = [claim_interval(claims.loc[c].to_dict() | {"claim_id": c}) for c in ids]
        top = max(iv.hi if not math.isinf(iv.hi) else iv.lo for iv in ivs) * 1.3
        xlim = (0, top)
        for y, (c, iv) in enumerate(zip(ids, ivs)):
            _hbar(ax, y, iv.lo, iv.hi, xlim, style.SOURCE_COLOURS[claims.loc[c, "source_id"]], lw=11)
            ax.plot(claims.loc[c, "value"], y, "o", color="black")
            verdict = d[(d["check"] == chk) & (d["claim_id"] == c)]["verdict"].iloc[0]
            data.append({"panel": metric, "claim_id": c, "period": claims.loc[c, "period"],
                         "value": claims.loc[c, "value"], "qualifier": claims.loc[c, "qualifier"],
                         "lo": iv.lo, "hi": iv.hi, "verdict": verdict})
        ax.set_yticks(range(len(ids)), [f"{c}: {claims.loc[c, 'token'][:22]} ({claims.loc[c, 'period']})"
                                        for c in ids], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(*xlim)
        ax.set_ylim(len(ids) - 0.5, -0.5)
        ax.set_xlabel(xlab)
        ax.grid(axis="y", visible=False)
    data = pd.DataFrame(data)
    never = set(data["verdict"]) == {HOLDS}
    finding = (f"Running counts reported at successive dates {'never fall' if never else 'checked'}: "
               f"{_tally(data['verdict'])}")
    fig.tight_layout()
    fig.subplots_adjust(hspace=0.75)   # room for a two-line axis label between the panels
    style.titles(axes[0], finding, "Counts stated by Kireeva (2019), earliest first; bars are "
                 "intervals at the stated precision (arrows: 'more than')")
    return Chart(fig, finding,
                 "Two panels of horizontal interval bars in date order, event counts above and "
                 "project counts below; each later bar reaches at least as far as the one before.",
                 LEDGER, data, list(data["claim_id"]))


def projects_under_way() -> Chart:
    d = _detail()
    rows = d[d["check"] == "share_of_count"]
    claims = load_claims().set_index("claim_id")
    fig, ax = style.new_figure(height=2.8)
    hi = rows["computed_hi"].max() * 1.15
    for y, (_, r) in enumerate(rows.iterrows()):
        _hbar(ax, y, r["computed_lo"], r["computed_hi"], (0, hi),
              style.SOURCE_COLOURS["kireeva2019"], lw=14)
        ax.plot(r["computed_value"], y, "o", color="black")
    ax.set_yticks(range(len(rows)), [f"{claims.loc[c, 'token']}\n({claims.loc[c, 'period']})"
                                     for c in rows["claim_id"]])
    ax.set_xlim(0, hi)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.invert_yaxis()
    ax.set_xlabel("Projects under way implied by the share and the total (count)")
    ax.grid(axis="y", visible=False)
    early, late = rows["computed_value"].iloc[0], rows["computed_value"].iloc[-1]
    held = rows["verdict"].iloc[0] == HOLDS
    finding = (f"The share of projects under way fell, the number {'did not' if held else 'fell too'}"
               f": at least {early:.0f} in 2018, about {late:.0f} in 2019")
    style.titles(ax, finding, "Implied number of projects under way, with the interval the "
                 "stated shares and totals allow")
    data = rows[["claim_id", "computed_value", "computed_lo", "computed_hi", "verdict"]].rename(
        columns={"computed_value": "implied_projects", "computed_lo": "lo", "computed_hi": "hi"})
    return Chart(fig, finding,
                 "Two horizontal interval bars: projects under way implied for 2018 and for 2019; "
                 "the 2019 interval reaches above the 2018 minimum.",
                 LEDGER, data.reset_index(drop=True), _with_references(rows))


def spans() -> Chart:
    d = _detail()
    chk = ["period_span", "years_since"]
    rows = d[d["check"].isin(chk)].reset_index(drop=True)
    claims = load_claims().set_index("claim_id")
    fig, ax = style.new_figure(height=0.42 * len(rows) + 1.4)
    xlim = (0.4, 120)
    for y, r in rows.iterrows():
        col = style.SOURCE_COLOURS[claims.loc[r["claim_id"], "source_id"]]
        _hbar(ax, y, r["claimed_lo"], r["claimed_hi"], xlim, col, lw=9)
        ax.plot(r["computed_value"], y, "o", color="black", ms=4)
    ax.set_xscale("log")
    ax.set_xlim(*xlim)
    ax.set_yticks(range(len(rows)), [f"{c} ({claims.loc[c, 'token'][:24]})" for c in rows["claim_id"]],
                  fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("Years (log scale); bar: stated span at its precision, dot: span between the dates")
    ax.grid(axis="y", visible=False)
    finding = f"Stated spans of years against the dates that bound them: {_tally(rows['verdict'])}"
    style.titles(ax, finding, "Each stated duration with its interval, and the years between the "
                 "dates the text names (end of the war taken as 1945)")
    data = rows[["claim_id", "check", "value", "claimed_lo", "claimed_hi", "computed_value",
                 "verdict"]].rename(columns={"computed_value": "years_between_dates"})
    return Chart(fig, finding,
                 "Horizontal bars on a logarithmic scale of years, one per stated span, each with "
                 "a dot for the span computed from dates; every dot sits inside its bar.",
                 LEDGER, data, list(rows["claim_id"]))


def majority_check() -> Chart:
    """A 'most' the text's own poll does not bear out (else the first one checked), drawn with
    every answer to that poll question."""
    claims = load_claims().set_index("claim_id")
    d = _detail()
    rows = d[d["check"] == "majority_of"]
    row = rows[rows["verdict"] != HOLDS].iloc[0] if (rows["verdict"] != HOLDS).any() else rows.iloc[0]
    verdict, most, figure = row["verdict"], row["claim_id"], row["reference"]
    ids = next((g for g in checks.answer_sets() if figure in g), [figure])
    src = claims.loc[most, "source_id"]
    fig, ax = style.new_figure(height=2.8)
    vals = [float(claims.loc[c, "value"]) for c in ids]
    labels = [claims.loc[c, "token"] for c in ids]
    ax.barh(range(len(ids)), vals, color=[style.SOURCE_COLOURS[src] if c == figure
                                          else style.PALETTE["grey"] for c in ids])
    for y, v in enumerate(vals):
        ax.text(v + 1, y, f"{v:g}%", va="center", fontsize=9)
    ax.axvline(50, color=style.PALETTE["vermillion"], ls="--", lw=1.2)
    ax.text(50.5, len(ids) - 0.6, "majority", color=style.PALETTE["vermillion"], fontsize=8)
    ax.set_yticks(range(len(ids)), [f"{c}: {lab}" for c, lab in zip(ids, labels)], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("Share of Japanese respondents, November 2018 poll (%)")
    ax.grid(axis="y", visible=False)
    top = float(claims.loc[figure, "value"])
    what = ("the largest group, no majority" if top >= max(vals) and top <= 50 else
            "a majority" if top > 50 else "no majority")
    finding = (f"'Most' hold this view? The poll the text cites gives it {top:g}%: {what} "
               f"({verdict.replace('_', ' ')})")
    style.titles(ax, finding, f"The options of the poll {short_label(src)} cites, in percent")
    data = pd.DataFrame({"claim_id": ids, "option": labels, "share_pct": vals})
    return Chart(fig, finding,
                 "Three horizontal bars for the poll options; the highlighted option stays left of "
                 "a dashed line at 50 percent.", LEDGER, data, ids + [most])


# ==================================================================== chapter 03: disagreements

#: cross-source rules whose claims are not drawn on a ratio scale (ordinals of meetings)
STRUCTURAL = {"order_by_date"}


def cross_source_points() -> pd.DataFrame:
    """Every claim of a like-for-like cross-source comparison, on its comparison scale.

    ``check`` here names one compared group (rule and claims); ``title`` is the metric's label
    from the catalogue, with the period where the rule compares one period. Dates are left out:
    a ratio of two years says nothing (the record chapter draws them on a time axis).
    """
    d = _detail()
    claims = load_claims().set_index("claim_id")
    labels = metric_labels()
    out = []
    cs = d[(d["kind"] == "cross_source") & ~d["check"].isin(STRUCTURAL)
           & ~d["note"].str.contains("part against whole", regex=False)]
    for _, r in cs.iterrows():
        group = checks.group_key(r)
        members = group.split(":", 1)[1].split("+")
        c = claims.loc[r["claim_id"]].to_dict() | {"claim_id": r["claim_id"]}
        v, iv, unit = checks.comparable(c)
        if unit == "date":
            continue
        if r["check"] == "implied_start":  # compared on the implied start year
            v, lo, hi, unit = r["computed_value"], r["computed_lo"], r["computed_hi"], "start year"
        else:
            lo, hi = iv.lo, iv.hi
        periods = sorted({claims.loc[m, "period"] for m in members})
        title = labels[c["metric"]] + (f", {periods[0]}" if r["check"] == "same_figure"
                                       and len(periods) == 1 else "")
        out.append({"check": group, "title": title,
                    "claim_id": r["claim_id"], "source_id": c["source_id"], "value": v,
                    "lo": lo, "hi": hi, "unit": unit, "verdict": r["verdict"]})
    out = pd.DataFrame(out)
    med = out.groupby("check")["value"].transform("median")
    out["ratio_to_median"] = out["value"] / med
    out["ratio_lo"] = out["lo"] / med
    out["ratio_hi"] = out["hi"] / med
    return out


def agreement_overview() -> Chart:
    pts = cross_source_points()
    groups = list(dict.fromkeys(pts["check"]))
    fig, ax = style.new_figure(height=0.42 * len(groups) + 1.8)
    xlim = (0.45, 2.2)
    for y, chk in enumerate(groups):
        g = pts[pts["check"] == chk]
        ax.axhspan(y - 0.45, y + 0.45, color=VERDICT_COLOUR[g["verdict"].iloc[0]], alpha=0.12, lw=0)
        for k, r in enumerate(g.itertuples()):
            off = (k - (len(g) - 1) / 2) * min(0.6 / max(len(g), 1), 0.15)
            lo = max(r.ratio_lo, xlim[0]) if not math.isinf(r.ratio_lo) else -math.inf
            _hbar(ax, y + off, lo, r.ratio_hi, xlim, style.SOURCE_COLOURS[r.source_id], lw=3, alpha=0.7)
            ax.plot(min(max(r.ratio_to_median, xlim[0]), xlim[1]), y + off,
                    style.SOURCE_MARKERS[r.source_id], color=style.SOURCE_COLOURS[r.source_id], ms=5)
    ax.set_xscale("log")
    ax.set_xlim(*xlim)
    ax.set_xticks([0.5, 0.75, 1, 1.5, 2], ["0.5", "0.75", "1", "1.5", "2"])
    ax.xaxis.set_minor_formatter(plt.NullFormatter())
    ax.axvline(1, color="black", lw=0.8)
    labels = [style.wrap_label(pts[pts["check"] == c]["title"].iloc[0], 44) for c in groups]
    ax.set_yticks(range(len(groups)), labels, fontsize=7.5)
    ax.invert_yaxis()
    ax.set_xlabel("Stated value ÷ median of the texts' values for that metric (log scale; "
                  "lines: stated precision)")
    ax.grid(axis="y", visible=False)
    for s in dict.fromkeys(pts["source_id"]):
        ax.plot([], [], style.SOURCE_MARKERS[s], color=style.SOURCE_COLOURS[s], label=short_label(s))
    style.legend_below(ax, ncol=2, fontsize=7.5)
    per = pts.drop_duplicates("check")["verdict"]
    n_dis = int((per == DISAGREE).sum())
    finding = (f"Texts stating the same figure {'mostly agree' if n_dis < len(per) / 2 else 'often differ'}"
               f": {n_dis} of {len(per)} shared figures differ beyond rounding")
    style.titles(ax, finding, "Each text's value relative to the median of all texts stating the "
                 "metric; row shading: green agree, blue within rounding, orange disagree")
    return Chart(fig, finding,
                 "Dot plot, one row per metric stated by two or more texts; dots near 1 agree. "
                 "Rows for the 2013 trade total, Japanese support for the return of four islands "
                 "at once and Russians expecting damage to Putin's standing are spread apart.",
                 LEDGER + "; euro converted to US dollars at the ECB 2016 average rate",
                 pts, list(pts["claim_id"]),
                 note="Euro amounts are converted to US dollars; meeting counts are per year of "
                      "the period each text covers; the dispute's length is compared on the start "
                      "year it implies. Events dated by more than one text are compared in the "
                      "record chapter, on a time axis, not here.")


def opinion_comparisons() -> pd.DataFrame:
    """The points of the cross-source comparisons of poll figures (theme 'opinion')."""
    pts = cross_source_points()
    claims = load_claims().set_index("claim_id")
    opinion = [c for c in dict.fromkeys(pts["check"])
               if claims.loc[pts[pts["check"] == c]["claim_id"].iloc[0], "theme"] == "opinion"]
    return pts[pts["check"].isin(opinion)].reset_index(drop=True)


def poll_disagreements() -> Chart:
    sub = opinion_comparisons()
    opinion = list(dict.fromkeys(sub["check"]))
    fig, ax = style.new_figure(height=0.5 * len(opinion) + 1.6)
    for y, chk in enumerate(opinion):
        g = sub[sub["check"] == chk]
        ax.axhspan(y - 0.45, y + 0.45, color=VERDICT_COLOUR[g["verdict"].iloc[0]], alpha=0.12, lw=0)
        labelled = set()      # a value two texts share is labelled once, above both markers
        for k, r in enumerate(g.itertuples()):
            off = (k - (len(g) - 1) / 2) * 0.2
            _hbar(ax, y + off, r.lo, r.hi, (0, 100), style.SOURCE_COLOURS[r.source_id], lw=3, alpha=0.7)
            ax.plot(r.value, y + off, style.SOURCE_MARKERS[r.source_id],
                    color=style.SOURCE_COLOURS[r.source_id], ms=6)
            if r.value not in labelled:
                labelled.add(r.value)
                ax.text(r.value, y + off - 0.22, f"{r.value:g}", ha="center", fontsize=7)
    ax.set_yticks(range(len(opinion)), [style.wrap_label(sub[sub["check"] == c]["title"].iloc[0], 30) for c in opinion],
                  fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("Share of respondents (%), with the interval at the stated precision")
    ax.grid(axis="y", visible=False)
    for s in dict.fromkeys(sub["source_id"]):
        ax.plot([], [], style.SOURCE_MARKERS[s], color=style.SOURCE_COLOURS[s], label=short_label(s))
    style.legend_below(ax, ncol=2, fontsize=7.5)
    per = sub.drop_duplicates("check")
    dis = per[per["verdict"] == DISAGREE]
    gaps = [sub[sub["check"] == c]["value"].max() - sub[sub["check"] == c]["value"].min()
            for c in dis["check"]]
    finding = (f"{len(dis)} of {len(per)} poll figures given by two texts disagree, by "
               + " and ".join(f"{g:.0f}" for g in gaps) + " points")
    style.titles(ax, finding, "Poll results stated by more than one text, by text; row shading "
                 "as in the previous chart")
    return Chart(fig, finding,
                 "Rows of poll results, one per question; most rows show coinciding markers, "
                 "two rows show markers far apart.", LEDGER, sub, list(sub["claim_id"]))


def trade_2013() -> Chart:
    """The year for which two or more texts state the total of Japan-Russia trade, against the
    IMF figure of each reporter."""
    claims = load_claims().set_index("claim_id")
    d = _detail()
    shared = d[(d["check"] == "same_figure") & d["claim_id"].map(
        lambda c: claims.loc[c, "metric"] == "bilateral_trade_total")]
    order = {sid: i for i, sid in enumerate(load("sources")["source_id"])}
    ids = sorted(_with_references(shared.iloc[:1]), key=lambda c: order[claims.loc[c, "source_id"]])
    year = int(checks.end_year(claims.loc[ids[0], "period"]))
    t = load("trade_japan_russia")
    ref = t[t["year"] == year].set_index("reporter")["total_usd_mn"] / 1000
    fig, ax = style.new_figure(height=2.9)
    ivs = [claim_interval(claims.loc[c].to_dict()) for c in ids]
    xlim = (min(iv.lo for iv in ivs) - 0.8, max(max(ivs, key=lambda i: i.hi).hi, ref.max()) + 0.8)
    for y, (c, iv) in enumerate(zip(ids, ivs)):
        s = claims.loc[c, "source_id"]
        _hbar(ax, y, iv.lo, iv.hi, xlim, style.SOURCE_COLOURS[s], lw=12)
        ax.plot(claims.loc[c, "value"], y, style.SOURCE_MARKERS[s], color=style.SOURCE_COLOURS[s], ms=8)
    styles = {"Japan": ":", "Russia": "--"}
    for rep, x in ref.items():
        ax.axvline(x, color="black", ls=styles[rep], lw=1.2, label=f"IMF, {rep}-reported: {x:.2f}")
    ax.set_yticks(range(len(ids)), [f"{short_label(claims.loc[c, 'source_id'])}: "
                                    f"{claims.loc[c, 'token']}" for c in ids])
    ax.set_ylim(-0.6, len(ids) - 0.4)
    ax.set_xlim(*xlim)
    ax.set_xlabel(f"Japan–Russia trade in {year}, US$ billion (bars: stated precision)")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(axis="y", visible=False)
    parts, covers = [], []
    for c, iv in zip(ids, ivs):
        who = short_label(claims.loc[c, "source_id"]).split(" (")[0]
        match = [r for r, x in ref.items() if iv.contains(x)]
        covers.append(match)
        if match:
            parts.append(f"{who} gives the {'/'.join(match)}-reported IMF total")
        else:
            near = min(ref.index, key=lambda r: abs(ref[r] - claims.loc[c, "value"]))
            gap = claims.loc[c, "value"] - ref[near]
            parts.append(f"{who} is {abs(gap):.1f} bn {'below' if gap < 0 else 'above'} {near}'s")
    finding = f"{year} trade: " + "; ".join(parts)
    style.titles(ax, finding, f"The texts' totals for {year} against the IMF figures of each "
                 "reporter, US$ billion")
    data = pd.DataFrame([{"series": c, "value_usd_bn": claims.loc[c, "value"], "lo": iv.lo,
                          "hi": iv.hi} for c, iv in zip(ids, ivs)]
                        + [{"series": f"IMF {r}-reported", "value_usd_bn": x, "lo": x, "hi": x}
                           for r, x in ref.items()])
    alt = (f"{len(ids)} horizontal bars for the stated {year} totals and {len(ref)} vertical lines "
           "for the IMF totals; " + "; ".join(
               f"the {short_label(claims.loc[c, 'source_id'])} bar covers "
               + (" and ".join(f"the {r}-reported line" for r in m) if m else "neither line")
               for c, m in zip(ids, covers)) + ".")
    return Chart(fig, finding, alt, f"{LEDGER}; {IMF}", data, ids)


# ==================================================================== chapter 04: record

def trade_series() -> Chart:
    t = load("trade_japan_russia")
    tp = load("trade_points")
    claims = load_claims()
    d = _detail()
    tc = claims[claims["metric"] == "bilateral_trade_total"]
    t = t[t["year"] >= 2000]
    fig, ax = style.new_figure(height=4.4)
    data = []
    for rep, g in t.groupby("reporter"):
        rs = style.REPORTER_STYLE[rep]
        ax.plot(g["year"], g["total_usd_mn"] / 1000, ls=rs["linestyle"], color=rs["color"], lw=1.4,
                label=f"IMF, {rs['label']}")
        data += [{"series": f"IMF {rep}-reported", "year": int(y), "usd_bn": v / 1000, "lo": None,
                  "hi": None} for y, v in zip(g["year"], g["total_usd_mn"])]
    mof = tp[(tp["metric"] == "total_trade_with_russia") & (tp["unit"] == "USD billion")]
    ax.plot(mof["period"].astype(int), mof["value"], "x", color=style.PALETTE["grey"], ms=8, mew=2,
            label="Japan MOF, as reported in the news")
    data += [{"series": "Japan MOF (news)", "year": int(p), "usd_bn": v, "lo": None, "hi": None}
             for p, v in zip(mof["period"], mof["value"])]
    for s, g in tc.groupby("source_id", sort=False):
        for _, r in g.iterrows():
            iv = claim_interval(r)
            y = checks.end_year(r["period"]) + (0.15 if s == "kireeva2019" else -0.15)
            ax.errorbar(y, r["value"], yerr=[[r["value"] - iv.lo], [iv.hi - r["value"]]],
                        fmt=style.SOURCE_MARKERS[s], color=style.SOURCE_COLOURS[s], ms=7, capsize=3)
            data.append({"series": r["claim_id"], "year": checks.end_year(r["period"]),
                         "usd_bn": r["value"], "lo": iv.lo, "hi": iv.hi})
        ax.plot([], [], style.SOURCE_MARKERS[s], color=style.SOURCE_COLOURS[s], label=short_label(s))
    style.year_ticks(ax)
    ax.set_xlabel("Year")
    ax.set_ylabel("Japan–Russia trade, US$ billion (nominal)")
    ax.legend(fontsize=8, loc="upper left")
    v = d[(d["check"] == "reporter_total")]["verdict"]
    finding = (f"{int((v == HOLDS).sum())} of {len(v)} trade totals in the texts match an IMF "
               "series at the precision they were stated with")
    style.titles(ax, finding, "Exports plus imports as each side reports them to the IMF, with "
                 "every trade total the texts give (bars: stated precision)")
    return Chart(fig, finding,
                 "Two lines of Japan–Russia trade from 2000 to 2020, Japan-reported above "
                 "Russia-reported in most years, with the texts' totals marked: the 2013 Hirose "
                 "marker lies below both lines.", f"{IMF}; {MOF}; {LEDGER}",
                 pd.DataFrame(data), list(tc["claim_id"]))


def growth_series() -> Chart:
    t = load("trade_japan_russia").sort_values("year")
    claims = load_claims().set_index("claim_id")
    ids = list(dict.fromkeys(_detail().query("check == 'reporter_growth'")["claim_id"]))
    d = _detail()
    fig, ax = style.new_figure(height=4.0)
    data = []
    for rep, g in t.groupby("reporter"):
        g = g.set_index("year")["total_usd_mn"]
        gr = (g / g.shift(1) - 1) * 100
        gr = gr[(gr.index >= 2011)]
        ax.plot(gr.index, gr.values, ls=":" if rep == "Japan" else "-", color="black", lw=1.3,
                marker=".", label=f"IMF, {rep}-reported")
        data += [{"series": f"IMF {rep}-reported", "year": int(y), "growth_pct": v}
                 for y, v in gr.items()]
    for c in ids:
        r = claims.loc[c]
        s = r["source_id"]
        y = checks.end_year(r["period"])
        ax.plot(y, r["value"], style.SOURCE_MARKERS[s], color=style.SOURCE_COLOURS[s], ms=8)
        ax.annotate(c, (y, r["value"]), textcoords="offset points", xytext=(-30, 12), fontsize=7)
        data.append({"series": c, "year": y, "growth_pct": r["value"]})
    for s in dict.fromkeys(claims.loc[ids, "source_id"]):
        ax.plot([], [], style.SOURCE_MARKERS[s], color=style.SOURCE_COLOURS[s], label=short_label(s))
    ax.axhline(0, color="#999999", lw=0.8)
    style.year_ticks(ax)
    ax.set_xlabel("Year")
    ax.set_ylabel("Growth on the previous year, %")
    style.legend_below(ax, ncol=2)
    v = d[d["check"] == "reporter_growth"]["verdict"]
    n = int((v == HOLDS).sum())
    finding = (f"{'None' if n == 0 else n} of the {len(v)} stated growth rates "
               f"match{'es' if n == 1 else ''} either reporter's IMF series to the stated decimal")
    style.titles(ax, finding, "Year-on-year change in Japan–Russia trade by reporter, with the "
                 "texts' growth rates")
    return Chart(fig, finding,
                 "Two lines of yearly trade growth from 2011, with three markers for the texts' "
                 "growth rates lying near but not on the lines.", f"{IMF}; {LEDGER}",
                 pd.DataFrame(data), ids)


def russia_shares() -> Chart:
    t = load("trade_russia_partners")
    t = t[(t["year"] >= 2005) & (t["partner"] != "World")]
    claims = load_claims().set_index("claim_id")
    ids = _judged_by("partner_share")
    d = _detail()
    fig, ax = style.new_figure(height=4.0)
    data = []
    for p, g in t.groupby("partner"):
        ax.plot(g["year"], g["share_of_total_pct"], lw=1.6, label=p, **style.PARTNER_STYLE[p])
        data += [{"series": p, "year": int(y), "share_pct": v, "lo": None, "hi": None}
                 for y, v in zip(g["year"], g["share_of_total_pct"])]
    for c in ids:
        r = claims.loc[c]
        iv = claim_interval(r.to_dict())
        y = checks.end_year(r["period"])
        ax.errorbar(y, r["value"], yerr=[[r["value"] - iv.lo], [iv.hi - r["value"]]], fmt="o",
                    color=style.SOURCE_COLOURS["kireeva2019"], mfc="white", ms=7, capsize=3)
        data.append({"series": c, "year": y, "share_pct": r["value"], "lo": iv.lo, "hi": iv.hi})
    ax.plot([], [], "o", color=style.SOURCE_COLOURS["kireeva2019"], mfc="white",
            label="Kireeva (2019), Japan's share")
    ax.set_ylim(0, None)
    ax.yaxis.set_minor_formatter(plt.NullFormatter())
    style.year_ticks(ax)
    ax.set_xlabel("Year")
    ax.set_ylabel("Share of Russia's total trade, %")
    ax.legend(fontsize=8, loc="upper left")
    k = t.pivot(index="year", columns="partner", values="total_usd_mn")
    ahead = k[k["South Korea"] > k["Japan"]].index
    rank_checks = ("partner_rank", "regional_rank", "regional_rank_streak")
    shown = ids + _judged_by(*rank_checks)
    rows = d[d["check"].isin(("partner_share", *rank_checks)) & d["claim_id"].isin(shown)]
    held = rows.groupby("claim_id")["verdict"].agg(lambda v: (v == HOLDS).all())
    finding = (f"Japan's share and rank in Russia's trade: {int(held.sum())} of {len(held)} "
               f"claims hold; South Korea has led Japan since {int(ahead[ahead >= 2017].min())}")
    style.titles(ax, finding, "Partner's share of Russia's total trade (Russia-reported), with "
                 "Kireeva's shares for Japan (bars: stated precision)")
    return Chart(fig, finding,
                 "Three lines of partner shares of Russia's trade from 2005: China rising far "
                 "above, South Korea crossing above Japan at the end, and two markers for the "
                 "stated Japanese shares on the Japan line.", f"{IMF_PARTNERS}; {LEDGER}",
                 pd.DataFrame(data), shown)


def island_share() -> Chart:
    a = load("island_areas")
    isl = a[a["row_type"] == "island"].set_index("island_en")["area_km2_incl_islets"].astype(float)
    isl = isl.sort_values()
    total = isl.sum()
    claims = load_claims().set_index("claim_id")
    ids = _judged_by("island_area_share")
    fig, ax = style.new_figure(height=2.6)
    left = 0.0
    cols = [style.PALETTE["blue"], style.PALETTE["sky"], style.PALETTE["grey"], "#BBBBBB"]
    data = []
    for (name, km2), c in zip(isl.items(), cols):
        share = km2 / total * 100
        ax.barh(0, share, left=left, color=c, edgecolor="white")
        if share > 4:
            ax.text(left + share / 2, 0, f"{name.split(' (')[0]}\n{km2:,.0f} km²", ha="center",
                    va="center", fontsize=8)
        data.append({"island": name, "area_km2": km2, "share_pct": share})
        left += share
    iv = claim_interval(claims.loc[ids[0]].to_dict())
    ax.plot([iv.lo, iv.hi], [0.62, 0.62], color=style.PALETTE["orange"], lw=9, solid_capstyle="butt")
    ax.plot([0, iv.lo], [0.62, 0.62], color=style.PALETTE["orange"], lw=1, ls=":")
    ax.text(iv.hi + 1, 0.62, f"stated in both texts: {claims.loc[ids[0], 'value']:g}% "
            f"(± {iv.hi - claims.loc[ids[0], 'value']:g} at its precision)", fontsize=8, va="center")
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.5, 0.8)
    ax.set_yticks([])
    ax.set_xlabel("Share of the four islands' total area, % (areas with islets)")
    ax.grid(False)
    two = isl.iloc[:2].sum() / total * 100
    v = _detail().query("check == 'island_area_share'")["verdict"]
    finding = (f"Habomai and Shikotan make up {two:.1f}% of the disputed area: the texts' "
               f"{claims.loc[ids[0], 'value']:g}% claims {_tally(v)}")
    style.titles(ax, finding, "The four disputed islands by area (MOFA/GSI, km²), smallest first; "
                 "orange bar: the stated share at its precision")
    return Chart(fig, finding,
                 "One horizontal bar divided by island area; Habomai and Shikotan together fill "
                 "about the first fourteenth of it, inside the orange band for the stated share.",
                 f"{MOFA}; {LEDGER}", pd.DataFrame(data), ids)


def polls_vs_record() -> Chart:
    d = _detail()
    rows = d[(d["check"] == "poll_result")].reset_index(drop=True)
    claims = load_claims().set_index("claim_id")
    labels = metric_labels()
    fig, ax = style.new_figure(height=0.38 * len(rows) + 1.6)
    data = []
    view = checks._ctx()
    for y, r in rows.iterrows():
        s = claims.loc[r["claim_id"], "source_id"]
        _hbar(ax, y, r["claimed_lo"], r["claimed_hi"], (0, 100), style.SOURCE_COLOURS[s], lw=7)
        ax.plot(r["value"], y, style.SOURCE_MARKERS[s], color=style.SOURCE_COLOURS[s], ms=6)
        hit = checks.pollster_results(r["claim_id"], ctx=view)
        for v in hit["value_pct"]:
            ax.plot(v, y, "|", color="black", ms=14, mew=2)
        if hit.empty:
            ax.text(r["claimed_hi"] + 2, y, "no poll on record", fontsize=7, va="center",
                    color="#555555")
        data.append({"claim_id": r["claim_id"], "stated": r["value"], "lo": r["claimed_lo"],
                     "hi": r["claimed_hi"], "reference_values": "; ".join(f"{v:g}" for v in hit["value_pct"]),
                     "verdict": r["verdict"]})
    ax.set_xlim(0, 100)
    ax.set_yticks(range(len(rows)), [f"{c}: {style.wrap_label(labels[claims.loc[c, 'metric']], 34)}, {claims.loc[c, 'period']}"
                                     for c in rows["claim_id"]], fontsize=7.5)
    ax.invert_yaxis()
    ax.set_xlabel("Share of respondents, %; bar: stated figure at its precision, black tick: poll on record")
    ax.grid(axis="y", visible=False)
    v = rows["verdict"]
    finding = (f"Every poll figure with a result on record matches it ({int((v == HOLDS).sum())} "
               f"claims); {int((v == NOT_CHECKABLE).sum())} have no matching poll on record"
               if not (v == NOT_HOLD).any() else
               f"Poll figures against the record: {_tally(v[v != NOT_CHECKABLE])}")
    style.titles(ax, finding, "Poll results stated in the texts against the pollsters' results "
                 "on record (their releases, or news reports of them)")
    return Chart(fig, finding,
                 f"Rows of stated poll figures with black ticks for the recorded results; "
                 f"{int((v == HOLDS).sum())} ticks fall inside their bars, "
                 f"{int((v == NOT_HOLD).sum())} outside; {int((v == NOT_CHECKABLE).sum())} rows "
                 "have no tick.",
                 f"{POLLS}; {LEDGER}", pd.DataFrame(data), list(rows["claim_id"]))


CHRONOLOGY = "chronology (data/reference/events.csv; each row cites its publisher)"


def dated_events_data() -> pd.DataFrame:
    """Every claim the rule event_date judged: the date the text gives, the record's, the gap
    in months between their midpoints, and the verdict (read from the verdict table)."""
    d = _detail().query("check == 'event_date'")[["claim_id", "verdict"]]
    claims = load_claims().set_index("claim_id")
    readings = load("claim_readings").set_index("claim_id")
    events = load("events").set_index("event_id")
    rows = []
    for cid, verdict in zip(d["claim_id"], d["verdict"]):
        c, r = claims.loc[cid], readings.loc[cid]
        said = checks.date_said(c["period"], c["kind"], r["event_date_said"])
        e = events.loc[r["event_id"]]
        s0, s1 = checks.span_bounds(said)
        e0, e1 = checks.date_bounds(e["date"])
        gap = ((s0 - e0).days + (s1 - e1).days) / 2 / 30.44
        start, end = checks.period_ends(said)
        rows.append({"claim_id": cid, "source_id": c["source_id"], "token": c["token"],
                     "stated": said, "recorded": e["date"], "event": r["event_id"],
                     "record_year": _year(e["date"]), "gap_months": round(gap, 1),
                     "verdict": verdict, "reliability": e["reliability"],
                     "stated_year": _year(start) / 2 + _year(end) / 2, "_first_day": e0})
    return (pd.DataFrame(rows).sort_values(["_first_day", "claim_id"]).drop(columns="_first_day")
            .reset_index(drop=True))


def _year(iso: str) -> float:
    d0, d1 = checks.date_bounds(iso)
    mid = d0 + (d1 - d0) / 2
    return mid.year + (mid.timetuple().tm_yday - 1) / 365.25


def dated_events(since: int = 1990) -> Chart:
    """A timeline per text: each dated claim at its event's date in the record; where the text's
    date is another, a hollow marker at the text's date and a line to the record's."""
    data = dated_events_data()
    order = [s for s in load("sources")["source_id"] if s in set(data["source_id"])]
    older = data[data["record_year"] < since]
    shown = data[data["record_year"] >= since]
    fig, ax = style.new_figure(height=0.55 * len(order) + 1.6)
    for y, sid in enumerate(order):
        g = shown[shown["source_id"] == sid]
        ok = g[g["verdict"] != NOT_HOLD]
        ax.scatter(ok["record_year"], [y] * len(ok), s=22, color=VERDICT_COLOUR[HOLDS],
                   edgecolor="white", linewidth=0.4, zorder=3)
        for i, r in enumerate(g[g["verdict"] == NOT_HOLD].itertuples()):
            ax.plot([r.stated_year, r.record_year], [y, y], color=VERDICT_COLOUR[NOT_HOLD], lw=1.4,
                    zorder=2)
            ax.scatter([r.record_year], [y], s=26, color=VERDICT_COLOUR[NOT_HOLD], zorder=4)
            ax.scatter([r.stated_year], [y], s=30, facecolor="white",
                       edgecolor=VERDICT_COLOUR[NOT_HOLD], linewidth=1.4, zorder=4)
            ax.annotate(f"'{r.token}'", (min(r.stated_year, r.record_year), y),
                        xytext=(-4, 7 + 9 * (i % 2)), textcoords="offset points", fontsize=8,
                        ha="right", color="#333333")
    ax.set_yticks(range(len(order)), [short_label(s) for s in order])
    ax.set_ylim(len(order) - 0.4, -0.8)
    ax.set_xlim(since, 2023)
    ax.set_xlabel("Date of the event (year); filled: in the record, hollow: as the text dates it")
    ax.grid(axis="y", visible=False)
    n, k = len(data), int((data["verdict"] != NOT_HOLD).sum())
    finding = f"{k} of the {n} dates the texts give for events agree with the record"
    n_old = len(older)
    old_ok = int((older["verdict"] != NOT_HOLD).sum())
    style.titles(ax, finding, f"Dated claims by text, at the event's date ({since} on; the "
                 f"{n_old} earlier events: {old_ok} agree); red: a different date")
    alt = (f"Timeline with one row per text: {k} green dots where the text's date agrees with the "
           f"record and {n - k} red lines from the text's date to the record's date.")
    off = data.loc[data["verdict"] == NOT_HOLD, "claim_id"]
    return Chart(fig, finding, alt, f"{CHRONOLOGY}; {LEDGER}",
                 data.drop(columns=["stated_year"]), list(off),
                 note=f"Claims named: the {len(off)} dates that miss. All {n} are in the data "
                      "behind the chart and in the table below.")
