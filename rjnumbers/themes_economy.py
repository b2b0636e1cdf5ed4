"""Helpers for the two economy chapters: trade (05_trade) and deals and investment (06_deals).

Everything here reads the claims ledger and the reference extracts through
:mod:`rjnumbers.data` and returns tables; the notebooks plot them.  Money from IMF DOTS is in
US$ millions at current prices; the functions below convert it to US$ billions and say so in
their column names (``*_bn``).
"""
from __future__ import annotations

import pandas as pd

from . import ledger, style, tables
from .data import load

#: US$ millions per US$ billion (DOTS reports millions; the chapters show billions).
MN_PER_BN = 1000.0

REPORTERS = ["Russia", "Japan"]
#: one style per reporter and per partner in every chart of the book (defined in style.py)
REPORTER_STYLE = style.REPORTER_STYLE
PARTNERS = ["China", "South Korea", "Japan"]
PARTNER_STYLE = style.PARTNER_STYLE

QUALIFIER_WORDS = {"exact": "", "about": "about ", "more_than": "more than ",
                   "range": "", "less_than": "less than "}


# --- claims -------------------------------------------------------------------------------

def theme_claims(theme: str, table: pd.DataFrame | None = None) -> pd.DataFrame:
    table = ledger.claims() if table is None else table
    return table[table["theme"] == theme].reset_index(drop=True)


def by_metric(table: pd.DataFrame, *metrics: str) -> pd.DataFrame:
    return table[table["metric"].isin(metrics)].reset_index(drop=True)


def period_year(period: str) -> int:
    """The (last) calendar year a period string refers to: '2014-01/2014-02' -> 2014."""
    return int(str(period).split("/")[-1][:4])


def month_position(ym: str) -> float:
    """'2016-09' -> 2016.71 (middle of the month), '2019' -> 2019.5, for a time axis."""
    ym = str(ym)
    if len(ym) >= 7:
        return int(ym[:4]) + (int(ym[5:7]) - 0.5) / 12
    return int(ym[:4]) + 0.5


def value_text(row) -> str:
    """A claim's value as a reader would say it: 'about 150', 'more than 50', '33.33–50'."""
    words = QUALIFIER_WORDS.get(row["qualifier"], "")
    return words + ledger.format_value(row)


def claims_table_html(table: pd.DataFrame, columns: dict[str, str],
                      caption: str | None = None) -> str:
    """An HTML table of claims; the ``claim_id`` column links to the ledger in chapter 1.

    ``columns`` maps column names of ``table`` to headings, in display order.
    """
    return tables.html_table(table, columns, caption=caption, scroll=False)


def with_labels(table: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add 'source' (short label) and 'as_stated' (value with its hedge) columns."""
    sources = ledger.sources() if sources is None else sources
    out = table.copy()
    out["source"] = [ledger.short_label(s, sources) for s in out["source_id"]]
    out["as_stated"] = [value_text(r) for _, r in out.iterrows()]
    return out


def mark_claims(ax, table: pd.DataFrame, x: str, y: str, sources: pd.DataFrame | None = None,
                hollow=None, size: float = 70, zorder: int = 5, labels: bool = True) -> None:
    """Plot each claim as its source's marker; one legend entry per source.

    ``hollow`` (optional boolean Series aligned with ``table``) draws those claims unfilled,
    for claims that do not measure the same thing as the plotted series.
    """
    sources = ledger.sources() if sources is None else sources
    seen = {h.get_label() for h in ax.get_legend_handles_labels()[0]} if labels else set()
    for i, r in table.reset_index(drop=True).iterrows():
        sid = r["source_id"]
        label = ledger.short_label(sid, sources)
        open_ = bool(hollow.iloc[i]) if hollow is not None else False
        colour = style.SOURCE_COLOURS[sid]
        ax.scatter([r[x]], [r[y]], marker=style.SOURCE_MARKERS[sid], s=size, zorder=zorder,
                   facecolors="white" if open_ else colour, edgecolors=colour, linewidths=1.6,
                   label=label if (labels and label not in seen and not open_) else None)
        if not open_:
            seen.add(label)


# --- trade (IMF DOTS) ---------------------------------------------------------------------

def trade() -> pd.DataFrame:
    """Japan–Russia trade by reporter, US$ billions (current prices)."""
    t = load("trade_japan_russia")
    out = pd.DataFrame({
        "year": t["year"].astype(int),
        "reporter": t["reporter"],
        "exports_bn": (t["exports_fob_usd_mn"] / MN_PER_BN).round(6),
        "imports_bn": (t["imports_cif_usd_mn"] / MN_PER_BN).round(6),
        "total_bn": (t["total_usd_mn"] / MN_PER_BN).round(6),
    })
    return out.sort_values(["reporter", "year"]).reset_index(drop=True)


def mof_totals(unit: str = "USD billion") -> pd.DataFrame:
    """Japan's customs (Ministry of Finance) totals of trade with Russia after the IMF series,
    as the outcome record holds them in one unit: a year's stated total, or else the sum of
    its exports and imports from one report. Amounts in US$ are the reporting agencies'
    conversions of yen figures, so they are drawn as points, never joined to the IMF lines."""
    o = load("outcome_series")
    o = o[(o["series"] == "mof_trade") & (o["unit"] == unit)]
    rows = []
    for year, g in o.groupby("year"):
        total = g[g["measure"] == "total"]
        flows = g[g["measure"].isin(["exports_to_russia", "imports_from_russia"])]
        if len(total):
            r = total.iloc[0]
            rows.append({"year": int(year), "total": float(r["value"]), "basis": "stated total",
                         "publisher": r["publisher"], "url": r["url"]})
        elif len(flows) == 2 and flows["url"].nunique() == 1:
            rows.append({"year": int(year), "total": round(float(flows["value"].sum()), 6),
                         "basis": "exports + imports", "publisher": flows["publisher"].iloc[0],
                         "url": flows["url"].iloc[0]})
    return pd.DataFrame(rows, columns=["year", "total", "basis", "publisher", "url"])


def trade_wide(column: str = "total_bn", table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Years as rows, one column per reporter."""
    table = trade() if table is None else table
    return table.pivot(index="year", columns="reporter", values=column)[REPORTERS]


def growth_wide(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Year-on-year change of total trade, percent (3 decimals), per reporter."""
    wide = trade_wide("total_bn", table)
    return ((wide / wide.shift(1) - 1) * 100).round(3)


def check_against_reporters(claims: pd.DataFrame, wide: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Put each claim beside both reporters' figure for its year, with the gaps.

    ``wide`` is a years x reporters table in the same unit as the claims' values.
    Gaps are in the unit (percentage points for growth rates, US$ bn for levels).
    """
    rows = []
    for _, r in claims.iterrows():
        y = period_year(r["period"])
        row = {"claim_id": r["claim_id"], "source_id": r["source_id"], "year": y,
               "claim": r["value"]}
        for rep in REPORTERS:
            ref = wide.loc[y, rep] if y in wide.index else float("nan")
            row[f"{rep.lower()}_reported"] = ref
            row[f"gap_{rep.lower()}"] = r["value"] - ref
        rows.append(row)
    out = pd.DataFrame(rows)
    out["closer_to"] = [
        "Russia-reported" if abs(a) <= abs(b) else "Japan-reported"
        for a, b in zip(out["gap_russia"], out["gap_japan"])]
    out["unit"] = unit
    return out


def partners() -> pd.DataFrame:
    """Russia-reported trade with Japan, China, South Korea (US$ bn and share of total, %)."""
    t = load("trade_russia_partners")
    out = pd.DataFrame({
        "year": t["year"].astype(int),
        "partner": t["partner"],
        "total_bn": (t["total_usd_mn"] / MN_PER_BN).round(6),
        "share_pct": t["share_of_total_pct"],
    })
    return out[out["partner"] != "World"].reset_index(drop=True)


def partner_ranks(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rank (1 = largest) of each partner in Russia's trade, among the three partners only."""
    table = partners() if table is None else table
    wide = table.pivot(index="year", columns="partner", values="total_bn")[PARTNERS]
    return wide.rank(axis=1, ascending=False, method="min").astype(int)


def composition(claims: pd.DataFrame, flows: pd.DataFrame, year: int) -> pd.DataFrame:
    """The texts' product shares applied to the DOTS flows of ``year``.

    Russia's exports to Japan as Russia reports them, Japan's exports to Russia as Japan
    reports them (each side's own export statistics, FOB). Returns one row per flow and part,
    with the share (percent) and the implied value (US$ bn).
    """
    spec = [
        ("share_minerals_in_russia_exports_to_japan", "Russia's exports to Japan", "Russia",
         "Mineral resources", "Other goods"),
        ("share_cars_in_japan_exports_to_russia", "Japan's exports to Russia", "Japan",
         "Cars", "Other goods"),
    ]
    rows = []
    for metric, flow, reporter, part, rest in spec:
        c = claims[claims["metric"] == metric].iloc[0]
        total = float(flows[(flows["reporter"] == reporter) & (flows["year"] == year)]
                      ["exports_bn"].iloc[0])
        share = float(c["value"])
        rows.append({"flow": flow, "reporter": reporter, "year": year, "part": part,
                     "share_pct": share, "value_bn": round(total * share / 100, 4),
                     "flow_total_bn": total, "claim_id": c["claim_id"]})
        rows.append({"flow": flow, "reporter": reporter, "year": year, "part": rest,
                     "share_pct": 100 - share, "value_bn": round(total * (100 - share) / 100, 4),
                     "flow_total_bn": total, "claim_id": ""})
    return pd.DataFrame(rows)


# --- deals and investment ------------------------------------------------------------------

def plan_points() -> list[str]:
    """The areas of Abe's eight-point plan in the order the text lists them, in our wording
    (data/chart_rows.csv, chart 'plan_points'; the order agrees with the Asan Forum text)."""
    return list(ledger.chart_rows("plan_points")["label"])

#: Summits and forums where agreements were signed, keyed by the claims' period.
SUMMITS = {
    "2016-09": "EEF\nSept 2016",
    "2016-12": "Putin in\nJapan\nDec 2016",
    "2017-04": "Abe in\nMoscow\nApr 2017",
    "2017-09": "EEF\nSept 2017",
    "2018-05": "SPIEF\nMay 2018",
    "2019-06": "Osaka /\nEEF\n2019",
}
SUMMIT_COUNT_METRICS = {
    "summit_agreements_signed": "agreements",
    "summit_documents_signed": "documents",
    "summit_agreements_interstate": "interstate agreements",
    "summit_agreements_intergovernmental": "intergovernmental agreements",
    "summit_agreements_commercial": "commercial agreements",
}


def summit_counts(claims: pd.DataFrame) -> pd.DataFrame:
    """Agreements (or documents) signed per summit, one row per claim."""
    sub = by_metric(claims, *SUMMIT_COUNT_METRICS).copy()
    sub["summit"] = sub["period"].map(SUMMITS)
    sub["kind"] = sub["metric"].map(SUMMIT_COUNT_METRICS)
    sub["order"] = sub["period"].map(list(SUMMITS).index)
    return sub.sort_values(["order", "claim_id"]).reset_index(drop=True)


def summit_values(claims: pd.DataFrame) -> pd.DataFrame:
    """Money value per summit (US$ bn): the totals stated for 2016, the largest deal of 2019."""
    tot = by_metric(claims, "summit_agreements_value").copy()
    tot["what"] = "all documents signed"
    big = by_metric(claims, "arctic_lng2_japan_stake_value").copy()
    big["what"] = "largest single deal only"
    out = pd.concat([tot, big], ignore_index=True)
    if set(out["unit"]) != {"USD billion"}:
        raise ValueError(f"summit values in mixed units: {sorted(set(out['unit']))}")
    out["summit"] = out["period"].map(SUMMITS)
    out["order"] = out["period"].map(list(SUMMITS).index)
    return out.sort_values("order").reset_index(drop=True)


def stated_on() -> pd.Series:
    """When each statement was made, where a claim reading says (``stated_on``)."""
    from .data import load
    return load("claim_readings").set_index("claim_id")["stated_on"]


def stated_at(row, when_stated: pd.Series) -> str:
    """When a statement was made: its claim reading's ``stated_on``, else the end of its period."""
    when = when_stated.get(row["claim_id"], "")
    if when:
        return when
    end = str(row["period"]).split("/")[-1]
    return end if len(end) >= 7 else end + "-12"


def pipeline(claims: pd.DataFrame) -> pd.DataFrame:
    """Project counts stated over time (priority list, agreed, launched)."""
    sub = by_metric(claims, "priority_projects_count", "economic_projects_count").copy()
    when = stated_on()
    sub["stated"] = [stated_at(r, when) for _, r in sub.iterrows()]
    sub["x"] = sub["stated"].map(month_position)
    return sub.sort_values(["x", "claim_id"]).reset_index(drop=True)


def under_way(claims: pd.DataFrame) -> pd.DataFrame:
    """Shares of the projects said to be taking shape (percent)."""
    sub = by_metric(claims, "economic_projects_share_started",
                    "economic_projects_implementation_share").copy()
    when = stated_on()
    sub["stated"] = [stated_at(r, when) for _, r in sub.iterrows()]
    sub["x"] = sub["stated"].map(month_position)
    sub["high"] = sub["value_high"].fillna(sub["value"])
    return sub.sort_values("x").reset_index(drop=True)


def implied_valuation(claims: pd.DataFrame) -> dict:
    """Arctic LNG 2: what a 10% stake worth $3 bn implies for the whole project (US$ bn)."""
    stake = by_metric(claims, "arctic_lng2_japan_stake").iloc[0]
    value = by_metric(claims, "arctic_lng2_japan_stake_value").iloc[0]
    if stake["unit"] != "percent" or value["unit"] != "USD billion":
        raise ValueError("Arctic LNG 2 claims are not in percent and US$ billion")
    return {"stake_pct": float(stake["value"]), "stake_bn": float(value["value"]),
            "whole_bn": float(value["value"]) / float(stake["value"]) * 100,
            "claim_ids": [stake["claim_id"], value["claim_id"]]}


def to_usd_bn(row) -> float:
    """A US$ amount in billions; refuses any other currency (no exchange rates in the project)."""
    if row["unit"] == "USD billion":
        return float(row["value"])
    if row["unit"] == "USD million":
        return float(row["value"]) / MN_PER_BN
    raise ValueError(f"{row['claim_id']}: {row['unit']} cannot be put on a US$ axis "
                     "without an exchange rate")


def fdi_split(claims: pd.DataFrame) -> pd.DataFrame:
    """FDI into the Russian Far East 2015–2019 split into China and everyone else (US$ bn)."""
    total = by_metric(claims, "rfe_fdi_total").iloc[0]
    share = by_metric(claims, "rfe_fdi_china_share").iloc[0]
    t = to_usd_bn(total)
    china = t * float(share["value"]) / 100
    return pd.DataFrame([
        {"origin": "China", "share_pct": float(share["value"]), "value_bn": china,
         "claim_ids": f"{total['claim_id']}; {share['claim_id']}"},
        {"origin": "All other countries", "share_pct": 100 - float(share["value"]),
         "value_bn": t - china, "claim_ids": f"{total['claim_id']}; {share['claim_id']}"},
    ])


def rank_claim_points(rank_claims: pd.DataFrame) -> pd.DataFrame:
    """Where each rank claim sits on a rank chart: one row per (claim, year, partner).

    Kireeva (2019): Japan 3rd among Russia's Asian partners in 2018; South Korea 2nd, taking the
    place from Japan, and Japan behind it 'for the second year in a row' (2017 and 2018).
    """
    rows = []
    for _, r in rank_claims.iterrows():
        end = period_year(r["period"])
        if r["metric"] == "japan_rank_streak_years":
            years, who, rank = list(range(end - int(r["value"]) + 1, end + 1)), "Japan", 3
        elif r["metric"] == "south_korea_rank_russia_asian_trade_partner":
            start = int(str(r["period"])[:4])
            years, who, rank = list(range(start, end + 1)), "South Korea", int(r["value"])
        elif r["metric"] == "japan_rank_russia_asian_trade_partner":
            years, who, rank = [end], "Japan", int(r["value"])
        else:
            raise ValueError(f"{r['claim_id']}: not a rank claim this chart knows")
        rows += [{"claim_id": r["claim_id"], "source_id": r["source_id"], "metric": r["metric"],
                  "year": y, "partner": who, "rank": rank} for y in years]
    return pd.DataFrame(rows)


def stakes(claims: pd.DataFrame) -> pd.DataFrame:
    """Energy stakes, loans and funds stated in US$ (bn), plus the implied Arctic LNG 2 value.

    Claims in other currencies are left out (see :func:`to_usd_bn`); the caller shows them
    in a table.
    """
    items = [
        ("yamal_lng_china_contribution", "Yamal LNG: China's contribution"),
        ("yamal_lng_japan_contribution", "Yamal LNG: Japan's contribution"),
        ("arctic_lng2_japan_stake_value", "Arctic LNG 2: Mitsui and JOGMEC's stake"),
        ("rji_fund_capital", "Russia–Japan Investment Fund: capital"),
    ]
    rows = []
    for metric, label in items:
        for _, r in by_metric(claims, metric).iterrows():
            if not str(r["unit"]).startswith("USD"):
                continue
            rows.append({"item": label, "value_bn": to_usd_bn(r), "kind": "stated",
                         "claim_ids": r["claim_id"], "source_id": r["source_id"]})
    val = implied_valuation(claims)
    rows.insert(3, {"item": "Arctic LNG 2: implied value of the whole",
                    "value_bn": val["whole_bn"], "kind": "implied",
                    "claim_ids": "; ".join(val["claim_ids"]), "source_id": "kireeva2019"})
    return pd.DataFrame(rows)


def non_usd(claims: pd.DataFrame) -> pd.DataFrame:
    """Money claims not stated in US dollars."""
    money = claims["unit"].str.match(r"(USD|EUR|JPY|RUB)")
    return claims[money & ~claims["unit"].str.startswith("USD")].reset_index(drop=True)


ISLAND_COUNT_METRICS = ["joint_economic_activity_areas", "joint_economic_activity_projects"]
ISLAND_STEP_METRICS = ["islands_business_mission_ordinal", "islands_business_missions_agreed",
                       "joint_economic_activity_consultation_round"]
#: Durations, drawn as a span of time from the start to the end of their period.
ISLAND_SPAN_METRICS = ["years_since_joint_activity_agreement"]


def islands(claims: pd.DataFrame) -> pd.DataFrame:
    """Joint economic activity on the disputed islands, one row per claim, on a time axis."""
    sub = by_metric(claims, *ISLAND_COUNT_METRICS, *ISLAND_STEP_METRICS,
                    *ISLAND_SPAN_METRICS).copy()
    sub["panel"] = ["count" if m in ISLAND_COUNT_METRICS else
                    "step" if m in ISLAND_STEP_METRICS else "span" for m in sub["metric"]]
    sub["x"] = [month_position(str(p).split("/")[-1]) for p in sub["period"]]
    sub["x_start"] = [month_position(str(p).split("/")[0]) if "/" in str(p) else float("nan")
                      for p in sub["period"]]
    return sub.sort_values(["panel", "x", "claim_id"]).reset_index(drop=True)
