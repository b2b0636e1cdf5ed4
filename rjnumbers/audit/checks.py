"""Every check of the audit, defined once: a registry of small named functions.

Each check is registered with :func:`check` and declares its ``kind``
(``arithmetic`` = the texts' own numbers against each other; ``cross_source`` = the same metric
in two or more texts; ``reference`` = a claim against a reference extract in ``data/reference``),
the claim ids it judges and the reference extracts it reads.  A check is a function of the
ledger and the reference tables, both passed as arguments and defaulting to the project's data::

    checks.growth_2016_2017()                          # the loaded ledger
    checks.growth_2016_2017(claims=my_copy)            # a perturbed copy (tests)
    checks.ref_trade_total_imf(refs={"trade_japan_russia": frame})

It returns a DataFrame with one row per judged claim (see :data:`COLUMNS`); every verdict and
every note is computed from the numbers (f-strings), never typed in.  The precision rules are in
:mod:`rjnumbers.audit.tolerance`.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from . import tolerance as tol
from .tolerance import DISAGREE, HOLDS, NOT_CHECKABLE, NOT_HOLD, WITHIN, Interval

KINDS = ("arithmetic", "cross_source", "reference")
COLUMNS = ["claim_id", "check", "kind", "verdict", "claimed", "computed", "reference", "note"]
DETAIL = ["unit", "value", "claimed_lo", "claimed_hi", "computed_value", "computed_lo",
          "computed_hi", "computed_unit"]

#: Outside facts a few checks need, each with its source.  Not verdicts: inputs.
ASSUMPTIONS = {
    "ww2_end_year": (1945, "year the Second World War ended in Asia (Japan's surrender, "
                           "2 September 1945)"),
    "eur_usd_2016": (1.1069, "US$ per euro, ECB euro foreign exchange reference rate, "
                             "annual average 2016"),
}

UNIT_LABEL = {"USD billion": "US$ bn", "USD million": "US$ mn", "EUR million": "€ mn",
              "percent": "%", "km2": "km²", "count": "", "rank": "(rank)"}


# --- formatting ---------------------------------------------------------------------------

def num(x: float, decimals: int | None = None, group: bool = True) -> str:
    """A number for a note: thousands separators, at most three decimals, no float noise."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if decimals is None:
        decimals = 0 if abs(x) >= 1000 or float(x).is_integer() else 3 if abs(x) < 100 else 1
    text = f"{x:{',' if group else ''}.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def ordinal(n: float) -> str:
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def unit_label(unit: str) -> str:
    return UNIT_LABEL.get(unit, unit)


def with_unit(x: float, unit: str, decimals: int | None = None) -> str:
    lab = unit_label(unit)
    if "year" in unit and unit != "years":  # a calendar year: no thousands separator
        return f"{num(x, decimals, group=False)} ({unit})"
    if lab == "%":
        return f"{num(x, decimals)}%"
    return f"{num(x, decimals)} {lab}".strip()


def fmt_iv(iv: Interval, decimals: int | None = None, group: bool = True) -> str:
    if iv.lo == iv.hi:
        return num(iv.lo, decimals, group)
    return f"{num(iv.lo, decimals, group)} to {num(iv.hi, decimals, group)}"


# --- periods --------------------------------------------------------------------------------

def _dec(date: str) -> float:
    parts = date.split("-")
    return int(parts[0]) + ((int(parts[1]) - 1) / 12 if len(parts) > 1 else 0.0)


def period_ends(period: str) -> tuple[str, str]:
    parts = period.split("/")
    return parts[0], parts[-1]


def span_years(period: str) -> float:
    """Length of a 'start/end' period in years (year-only dates count from January)."""
    start, end = period_ends(period)
    return _dec(end) - _dec(start)


def end_key(period: str) -> float:
    """Sort key for the end of a period (a bare year sorts after its months)."""
    end = period_ends(period)[1]
    return _dec(end) + (11 / 12 if len(end) == 4 else 0.0)


def end_year(period: str) -> int:
    return int(period_ends(period)[1][:4])


# --- the registry -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Check:
    id: str
    kind: str
    claims: tuple[str, ...]
    title: str
    uses: tuple[str, ...]
    run: Callable[..., pd.DataFrame]


REGISTRY: dict[str, Check] = {}


class Refs:
    """Reference tables by name: ``overrides`` first, else :func:`rjnumbers.data.load` (cached)."""

    def __init__(self, overrides: dict[str, pd.DataFrame] | None = None):
        self._tables = dict(overrides or {})

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            from ..data import load
            self._tables[name] = load(name)
        return self._tables[name]


class Ctx:
    """What a check function sees: the ledger, the references, and a way to add a verdict row."""

    def __init__(self, check_id: str, kind: str, claims: pd.DataFrame, refs: Refs):
        self.check_id, self.kind, self.refs, self.rows = check_id, kind, refs, []
        self.claims = claims.set_index("claim_id", drop=False)

    def c(self, cid: str) -> pd.Series:
        return self.claims.loc[cid]

    def iv(self, cid: str) -> Interval:
        return tol.claim_interval(self.c(cid))

    def v(self, cid: str) -> float:
        return float(self.c(cid)["value"])

    def ref(self, name: str) -> pd.DataFrame:
        return self.refs[name]

    def said(self, cid: str) -> str:
        """'kireeva2019-252: 16 US$ bn' (the claim as read)."""
        r = self.c(cid)
        val = num(float(r["value"]))
        if pd.notna(r["value_high"]):
            val += f" to {num(float(r['value_high']))}"
        q = {"more_than": "more than ", "at_least": "at least ", "less_than": "less than ",
             "at_most": "at most ", "about": "about "}.get(r["qualifier"], "")
        lab = unit_label(r["unit"])
        return f"{cid}: {q}{val}{'%' if lab == '%' else (' ' + lab if lab else '')}"

    def add(self, cid: str, verdict: str, note: str, *, computed: Interval | float | None = None,
            point: float | None = None, computed_unit: str | None = None,
            reference: str = "", decimals: int | None = None) -> None:
        if verdict not in tol.VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}")
        r = self.c(cid)
        civ = tol.claim_interval(r)
        unit = computed_unit or r["unit"]
        if computed is not None and not isinstance(computed, Interval):
            computed = Interval.point(computed)
        if computed is not None and point is None:
            point = computed.mid
        comp_text = ""
        if computed is not None:
            comp_text = with_unit(point, unit, decimals)
            if computed.lo != computed.hi:
                comp_text += f" (range {fmt_iv(computed, decimals, 'year' not in unit)})"
        self.rows.append({
            "claim_id": cid, "check": self.check_id, "kind": self.kind, "verdict": verdict,
            "claimed": f"{self.said(cid).split(': ', 1)[1]} (interval {fmt_iv(civ)})",
            "computed": comp_text, "reference": reference, "note": note,
            "unit": r["unit"], "value": float(r["value"]),
            "claimed_lo": civ.lo, "claimed_hi": civ.hi,
            "computed_value": point if point is not None else math.nan,
            "computed_lo": computed.lo if computed is not None else math.nan,
            "computed_hi": computed.hi if computed is not None else math.nan,
            "computed_unit": unit if computed is not None else "",
        })


def check(id: str, kind: str, claims: list[str], title: str, uses: tuple[str, ...] = ()):
    """Register ``fn(ctx)`` as check ``id``; the returned callable takes (claims=, refs=)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")

    def deco(fn):
        @functools.wraps(fn)
        def run(claims: pd.DataFrame | None = None, refs=None) -> pd.DataFrame:
            if claims is None:
                from ..ledger import claims as load_claims
                claims = load_claims()
            refs = refs if isinstance(refs, Refs) else Refs(refs)
            ctx = Ctx(id, kind, claims, refs)
            fn(ctx)
            out = pd.DataFrame(ctx.rows, columns=COLUMNS + DETAIL)
            stray = set(out["claim_id"]) - set(claims_ids)
            if stray:
                raise AssertionError(f"check {id} judged claims it does not declare: {sorted(stray)}")
            return out

        claims_ids = tuple(claims)
        if id in REGISTRY:
            raise ValueError(f"check {id!r} defined twice")
        REGISTRY[id] = Check(id, kind, claims_ids, title, tuple(uses), run)
        return run

    return deco


def run(check_id: str, claims: pd.DataFrame | None = None, refs=None) -> pd.DataFrame:
    return REGISTRY[check_id].run(claims=claims, refs=refs)


def comparable(row) -> tuple[float, Interval, str]:
    """A claim on the scale a cross-source check compares it on: (value, interval, unit).

    Money in euros is converted to US dollars at ``ASSUMPTIONS['eur_usd_2016']``; a count of
    meetings over a period becomes meetings per year; anything else is the claim as read.
    """
    v, iv, unit = float(row["value"]), tol.claim_interval(row), row["unit"]
    if unit == "EUR million":
        rate = ASSUMPTIONS["eur_usd_2016"][0]
        return v * rate, iv * rate, "USD million"
    if unit == "meetings" and "/" in str(row["period"]):
        span = span_years(row["period"])
        return v / span, iv / span, "meetings per year"
    return v, iv, unit


# ===================================================================================== #
#  ARITHMETIC: the texts' own numbers against each other                                 #
# ===================================================================================== #

def _growth_from_levels(ctx: Ctx, growth: str, old: str, new: str) -> None:
    g_old, g_new = ctx.iv(old), ctx.iv(new)
    point = (ctx.v(new) / ctx.v(old) - 1) * 100
    comp = tol.growth_pct(g_old, g_new)
    claimed = ctx.iv(growth)
    verdict = tol.judge(claimed, point, comp)
    implied_old = ctx.v(new) / (1 + ctx.v(growth) / 100)
    how = {HOLDS: "agrees at the stated precision",
           WITHIN: "agrees only within the rounding of the levels",
           NOT_HOLD: "cannot be reconciled even allowing for rounding"}[verdict]
    note = (f"{ctx.said(new).split(': ')[1]} over {ctx.said(old).split(': ')[1]} is "
            f"+{num(point)}% (from {num(comp.lo)}% to {num(comp.hi)}% given their rounding); the "
            f"stated {num(ctx.v(growth))}% {how}; it implies a starting level of "
            f"{num(implied_old)} {unit_label(ctx.c(old)['unit'])}")
    ctx.add(growth, verdict, note, computed=comp, point=point, computed_unit="percent",
            reference=f"{old}, {new}")


@check("growth_2016_2017", "arithmetic", ["kireeva2019-254"],
       "Growth 2016 to 2017 against the two levels it connects")
def growth_2016_2017(ctx: Ctx) -> None:
    _growth_from_levels(ctx, "kireeva2019-254", "kireeva2019-252", "kireeva2019-253")


@check("growth_2017_2018", "arithmetic", ["kireeva2019-256"],
       "Growth 2017 to 2018 against the two levels it connects")
def growth_2017_2018(ctx: Ctx) -> None:
    _growth_from_levels(ctx, "kireeva2019-256", "kireeva2019-253", "kireeva2019-255")


@check("trade_2018_below_2013", "arithmetic", ["kireeva2019-259"],
       "Trade in 2018 still below the 2013 level (same text)")
def trade_2018_below_2013(ctx: Ctx) -> None:
    lvl13, lvl18 = ctx.iv("kireeva2019-259"), ctx.iv("kireeva2019-255")
    ratio = tol.share_pct(lvl18, lvl13)
    point = ctx.v("kireeva2019-255") / ctx.v("kireeva2019-259") * 100
    if point < 100 and ratio.hi < 100:
        verdict = HOLDS
    elif ratio.lo < 100:
        verdict = WITHIN
    else:
        verdict = NOT_HOLD
    ctx.add("kireeva2019-259", verdict,
            f"the text's 2018 level ({num(ctx.v('kireeva2019-255'))}) is {num(point)}% of its 2013 "
            f"level ({num(ctx.v('kireeva2019-259'))}): "
            + ("still below it, as stated" if point < 100 else "not below it"),
            computed=ratio, point=point, computed_unit="percent of the 2013 level",
            reference="kireeva2019-255")


#: answers to one poll question that exclude each other: they cannot add up to more than 100%
POLL_ANSWER_SETS = [
    ("kireeva2019-203", "kireeva2019-204"),
    ("kireeva2019-205", "kireeva2019-206"),
    ("kireeva2019-208", "kireeva2019-209"),
    ("kireeva2019-211", "kireeva2019-213", "kireeva2019-215"),
    ("kireeva2019-217", "kireeva2019-218"),
    ("kireeva2019-237", "kireeva2019-238"),
    ("wang2021-017", "wang2021-018"),
]


@check("poll_answers_add_up", "arithmetic", [c for s in POLL_ANSWER_SETS for c in s],
       "Exclusive answers to one poll question add up to at most 100%")
def poll_answers_add_up(ctx: Ctx) -> None:
    for group in POLL_ANSWER_SETS:
        total = sum(ctx.v(c) for c in group)
        lo = sum(ctx.iv(c).lo for c in group)
        hi = sum(ctx.iv(c).hi for c in group)
        verdict = HOLDS if total <= 100 + 1e-9 else (WITHIN if lo <= 100 + 1e-9 else NOT_HOLD)
        for cid in group:
            others = ", ".join(ctx.said(o) for o in group if o != cid)
            ctx.add(cid, verdict,
                    f"with {others} the answers to one question add up to {num(total)}%"
                    + (f", leaving {num(100 - total)}% for other answers or none" if total <= 100
                       else f", over 100% by {num(total - 100)} points"),
                    computed=Interval(lo, hi), point=total, computed_unit="percent (sum)",
                    reference=", ".join(o for o in group if o != cid))


@check("opposition_nested", "arithmetic", ["brink2016-018"],
       "Opposition to handing over two islands cannot exceed opposition to handing over four")
def opposition_nested(ctx: Ctx) -> None:
    two, four = "brink2016-018", "brink2016-017"
    verdict = (HOLDS if ctx.v(two) <= ctx.v(four)
               else WITHIN if ctx.iv(two).lo <= ctx.iv(four).hi else NOT_HOLD)
    ctx.add(two, verdict,
            f"whoever rejects handing over even the two smaller islands also rejects handing over "
            f"all four, so {num(ctx.v(two))}% must not exceed {num(ctx.v(four))}% "
            f"({four}): {'it does not' if verdict == HOLDS else 'it does'}",
            computed=ctx.v(four), computed_unit="percent (upper bound)", reference=four)


@check("dislike_band_holds_2018", "arithmetic", ["wang2021-019"],
       "The text's 2011-2018 band of dislike contains its own 2018 figure")
def dislike_band_holds_2018(ctx: Ctx) -> None:
    band, y2018 = "wang2021-019", "wang2021-018"
    x = ctx.v(y2018)
    verdict = tol.judge(ctx.iv(band), x, ctx.iv(y2018))
    ctx.add(band, verdict,
            f"the same text's 2018 figure {num(x)}% ({y2018}) "
            + ("lies inside" if verdict == HOLDS else "falls outside")
            + f" its {num(ctx.v(band))} to {num(float(ctx.c(band)['value_high']))}% band for 2011-2018",
            computed=ctx.iv(y2018), point=x, computed_unit="percent", reference=y2018)


def _monotone(ctx: Ctx, ids: list[str], what: str) -> None:
    """Counts of a growing total, reported at successive dates, must not fall."""
    order = sorted(ids, key=lambda c: (end_key(ctx.c(c)["period"]), c))
    worst: dict[str, str] = {c: HOLDS for c in order}
    rank = {HOLDS: 0, WITHIN: 1, NOT_HOLD: 2}
    for a, b in zip(order, order[1:]):
        pa = ctx.iv(a).lo if math.isinf(ctx.iv(a).hi) else ctx.v(a)
        pb = ctx.v(b)
        v = HOLDS if pb >= pa else (WITHIN if ctx.iv(b).hi >= ctx.iv(a).lo else NOT_HOLD)
        for c in (a, b):
            worst[c] = max(worst[c], v, key=rank.get)
    seq = " -> ".join(f"{ctx.said(c).split(': ')[1]} ({ctx.c(c)['period']})" for c in order)
    for c in order:
        ctx.add(c, worst[c],
                f"{what} reported at successive dates: {seq}; "
                + ("never falls" if worst[c] == HOLDS else
                   "falls unless the rounding is stretched" if worst[c] == WITHIN else "falls"),
                computed=ctx.iv(c), point=ctx.v(c),
                reference=", ".join(o for o in order if o != c))


@check("event_counts_grow", "arithmetic",
       ["kireeva2019-025", "kireeva2019-243", "kireeva2019-268"],
       "Cross-year event counts reported at successive dates do not fall")
def event_counts_grow(ctx: Ctx) -> None:
    _monotone(ctx, ["kireeva2019-025", "kireeva2019-243", "kireeva2019-268"],
              "the running count of cross-year events")


@check("project_counts_grow", "arithmetic",
       ["kireeva2019-030", "kireeva2019-244", "kireeva2019-267", "kireeva2019-272"],
       "Counts of joint economic projects reported at successive dates do not fall")
def project_counts_grow(ctx: Ctx) -> None:
    _monotone(ctx, ["kireeva2019-030", "kireeva2019-244", "kireeva2019-267", "kireeva2019-272"],
              "the count of agreed economic projects")


@check("projects_under_way", "arithmetic", ["kireeva2019-029", "kireeva2019-273"],
       "Projects under way: more than half of about 150 (2018) vs a third to half of about 200 (2019)")
def projects_under_way(ctx: Ctx) -> None:
    early = (ctx.iv("kireeva2019-029") * 0.01) * ctx.iv("kireeva2019-030")
    early = Interval(early.lo, min(early.hi, ctx.iv("kireeva2019-030").hi))
    early_pt = ctx.iv("kireeva2019-029").lo / 100 * ctx.v("kireeva2019-030")
    late = (ctx.iv("kireeva2019-273") * 0.01) * ctx.iv("kireeva2019-272")
    share_mid = (ctx.v("kireeva2019-273") + float(ctx.c("kireeva2019-273")["value_high"])) / 2
    late_pt = share_mid / 100 * ctx.v("kireeva2019-272")
    verdict = HOLDS if late_pt >= early_pt else (WITHIN if late.hi >= early.lo else NOT_HOLD)
    text = (f"more than half of about {num(ctx.v('kireeva2019-030'))} projects in 2018 is at least "
            f"{num(early_pt)}; a third to half of about {num(ctx.v('kireeva2019-272'))} in 2019 is "
            f"{num(late.lo)} to {num(late.hi)} (midpoint {num(late_pt)}): the share fell because the "
            f"list grew, and the number under way "
            + ("did not fall" if verdict == HOLDS else
               "fell unless the rounding is stretched" if verdict == WITHIN else "fell"))
    ctx.add("kireeva2019-029", verdict, text, computed=early, point=early_pt,
            computed_unit="projects under way", reference="kireeva2019-030, kireeva2019-272, kireeva2019-273")
    ctx.add("kireeva2019-273", verdict, text, computed=late, point=late_pt,
            computed_unit="projects under way", reference="kireeva2019-029, kireeva2019-030, kireeva2019-272")


@check("deal_horizon", "arithmetic", ["brink2016-001", "brink2016-012"],
       "The two deal horizons of one text agree (18 months within two years)")
def deal_horizon(ctx: Ctx) -> None:
    short, long_ = "brink2016-012", "brink2016-001"
    s, l = ctx.iv(short), ctx.iv(long_)
    verdict = HOLDS if ctx.v(short) <= l.hi else (WITHIN if s.lo <= l.hi else NOT_HOLD)
    for cid, other in ((short, long_), (long_, short)):
        ctx.add(cid, verdict,
                f"the later horizon, about {num(ctx.v(short))} years from {ctx.c(short)['period'][:7]}, "
                f"{'fits within' if verdict != NOT_HOLD else 'exceeds'} the earlier 'at most "
                f"{num(ctx.v(long_))} years' from {ctx.c(long_)['period'][:4]}",
                computed=s, point=ctx.v(short), computed_unit="years", reference=other)


SPAN_CLAIMS = ["brink2016-002", "brink2016-004", "brink2016-023", "kireeva2019-031",
               "kireeva2019-275", "wang2021-014", "wang2021-032"]


@check("spans_between_dates", "arithmetic", SPAN_CLAIMS,
       "Stated spans against the dates of the events that bound them")
def spans_between_dates(ctx: Ctx) -> None:
    for cid in SPAN_CLAIMS:
        p = ctx.c(cid)["period"]
        span = span_years(p)
        verdict = tol.judge(ctx.iv(cid), span)
        ctx.add(cid, verdict,
                f"from {period_ends(p)[0]} to {period_ends(p)[1]} is {num(span)} years; the stated "
                f"{num(ctx.v(cid))} years (interval {fmt_iv(ctx.iv(cid))}) "
                + ("fits" if verdict == HOLDS else "does not fit"),
                computed=span, computed_unit="years", reference=f"period {p} in the ledger")


@check("dispute_years_since_war", "arithmetic",
       ["brink2016-007", "kireeva2019-207", "wang2021-025"],
       "Years the dispute has lasted, from the end of the war to the date of the statement")
def dispute_years_since_war(ctx: Ctx) -> None:
    start, why = ASSUMPTIONS["ww2_end_year"]
    for cid in ["brink2016-007", "kireeva2019-207", "wang2021-025"]:
        y = end_year(ctx.c(cid)["period"])
        years = y - start
        verdict = tol.judge(ctx.iv(cid), years)
        ctx.add(cid, verdict,
                f"{y} - {start} = {years} years; stated {ctx.said(cid).split(': ')[1]} "
                f"(interval {fmt_iv(ctx.iv(cid))}): " + ("fits" if verdict == HOLDS else "does not fit"),
                computed=years, computed_unit="years", reference=f"{start}: {why}")


@check("ww2_anniversary_years", "arithmetic", ["brink2016-011", "hirose2015-017"],
       "70th anniversary in 2015 against the end of the war")
def ww2_anniversary_years(ctx: Ctx) -> None:
    start, why = ASSUMPTIONS["ww2_end_year"]
    for cid in ["brink2016-011", "hirose2015-017"]:
        y = end_year(ctx.c(cid)["period"])
        verdict = tol.judge(ctx.iv(cid), y - start)
        ctx.add(cid, verdict, f"{y} - {start} = {y - start}: the anniversary "
                + ("is" if verdict == HOLDS else "is not") + f" the {ordinal(ctx.v(cid))}",
                computed=y - start, computed_unit="years", reference=f"{start}: {why}")


@check("most_favour_two_first", "arithmetic", ["kireeva2019-247"],
       "'Most of the population' favour two islands first, against the text's own poll figure")
def most_favour_two_first(ctx: Ctx) -> None:
    share = "kireeva2019-213"
    x = ctx.v(share)
    options = ", ".join(ctx.said(c) for c in ("kireeva2019-211", "kireeva2019-213", "kireeva2019-215"))
    verdict = HOLDS if x > 50 else (WITHIN if ctx.iv(share).hi > 50 else NOT_HOLD)
    ctx.add("kireeva2019-247", verdict,
            f"'most' needs more than 50%, but the text's own November 2018 poll puts this option at "
            f"{num(x)}% ({options}): " + ("a majority" if x > 50 else "the largest group, not a majority"),
            computed=x, computed_unit="percent", reference=share)


def _implied(ctx: Ctx, cid: str, note: str, comp: Interval, point: float, unit: str, ref: str):
    ctx.add(cid, NOT_CHECKABLE, note, computed=comp, point=point, computed_unit=unit, reference=ref)


@check("participants_per_event", "arithmetic", ["kireeva2019-269"],
       "Participants per cross-year event implied by the two figures")
def participants_per_event(ctx: Ctx) -> None:
    per = ctx.iv("kireeva2019-269") / ctx.iv("kireeva2019-268")
    pt = ctx.v("kireeva2019-269") / ctx.v("kireeva2019-268")
    _implied(ctx, "kireeva2019-269",
             f"more than {num(ctx.v('kireeva2019-269'))} participants at about "
             f"{num(ctx.v('kireeva2019-268'))} events implies at least {num(per.lo)} per event; no text "
             "or reference gives attendance to test it", per, pt, "persons per event", "kireeva2019-268")


@check("arctic_lng2_valuation", "arithmetic", ["kireeva2019-266"],
       "Project value implied by a 10% stake bought for $3 billion")
def arctic_lng2_valuation(ctx: Ctx) -> None:
    val = ctx.iv("kireeva2019-266") / (ctx.iv("kireeva2019-265") * 0.01)
    pt = ctx.v("kireeva2019-266") / (ctx.v("kireeva2019-265") / 100)
    _implied(ctx, "kireeva2019-266",
             f"a {num(ctx.v('kireeva2019-265'))}% stake for {num(ctx.v('kireeva2019-266'))} US$ bn values "
             f"the whole project at {num(pt)} US$ bn ({num(val.lo)} to {num(val.hi)} at the stated "
             "precision); no text or reference states the project's value", val, pt, "USD billion",
             "kireeva2019-265")


@check("rfe_fdi_china_amount", "arithmetic", ["wang2021-028"],
       "Chinese FDI in the Russian Far East implied by the total and the share")
def rfe_fdi_china_amount(ctx: Ctx) -> None:
    amt = ctx.iv("wang2021-027") * (ctx.iv("wang2021-028") * 0.01)
    pt = ctx.v("wang2021-027") * ctx.v("wang2021-028") / 100
    _implied(ctx, "wang2021-028",
             f"{num(ctx.v('wang2021-028'))}% of about {num(ctx.v('wang2021-027'))} US$ bn is "
             f"{num(pt)} US$ bn from China; no text or reference gives regional FDI by origin",
             amt, pt, "USD billion", "wang2021-027")


DEC2016_PARTS = ["kireeva2019-010", "kireeva2019-011", "kireeva2019-012"]


@check("dec2016_documents_total", "arithmetic", DEC2016_PARTS,
       "Agreements signed at the December 2016 business forum: parts without a stated total")
def dec2016_documents_total(ctx: Ctx) -> None:
    total = sum(ctx.v(c) for c in DEC2016_PARTS)
    avg = ctx.v("kireeva2019-013") / total * 1000
    for cid in DEC2016_PARTS:
        _implied(ctx, cid,
                 f"the three kinds add up to {num(total)} documents worth "
                 f"{num(ctx.v('kireeva2019-013'))} US$ bn ({num(avg)} US$ mn each on average); the text "
                 "states no total to check them against", Interval.point(total), total, "agreements",
                 ", ".join(o for o in DEC2016_PARTS + ['kireeva2019-013'] if o != cid))


@check("tourism_target_base", "arithmetic", ["kireeva2019-271"],
       "Yearly flow implied by a target that doubles it")
def tourism_target_base(ctx: Ctx) -> None:
    base = ctx.iv("kireeva2019-271") / ctx.iv("kireeva2019-270")
    pt = ctx.v("kireeva2019-271") / ctx.v("kireeva2019-270")
    _implied(ctx, "kireeva2019-271",
             f"doubling to {num(ctx.v('kireeva2019-271'))} a year implies about {num(pt)} travellers a "
             "year before; no text or reference gives the flow", base, pt, "persons per year",
             "kireeva2019-270")


# ===================================================================================== #
#  CROSS-SOURCE: the same metric in two or more texts                                    #
# ===================================================================================== #

_PAREN = re.compile(r"\(([^()]*)\)")


def pollster(subject: str) -> str:
    """'Japanese respondents (Nikkei poll)' -> 'Nikkei poll' (empty if none named)."""
    m = _PAREN.search(subject)
    return m.group(1).strip() if m else ""


def likely_reason(ctx: Ctx, ids: list[str], verdict: str, extra: str = "") -> str:
    """The most likely reason two or more texts differ, read off the ledger fields."""
    rows = [ctx.c(c) for c in ids]
    units = sorted({r["unit"] for r in rows})
    polls = sorted({pollster(r["subject"]) or "no poll named" for r in rows
                    if r["theme"] == "opinion"})
    periods = sorted({r["period"] for r in rows})
    values = {float(r["value"]) for r in rows}
    currency = f"different currency or unit ({' vs '.join(units)})" if len(units) > 1 else ""
    poll = f"different polls ({' vs '.join(polls)})" if len(polls) > 1 else ""
    period = (f"different periods ({', '.join(periods)})" if 1 < len(periods) <= 4
              else f"different periods ({len(periods)} of them)" if len(periods) > 4 else "")
    if verdict in (HOLDS, WITHIN):
        if currency:
            head = f"{currency}, reconciled by conversion at the stated precision"
        elif verdict == HOLDS and len(values) == 1:
            head = "none needed: the texts give the same figure"
        elif extra:
            head = extra
        else:
            head = "rounding: the stated precisions overlap"
        also = [x for x in (poll, period, extra if head != extra else "") if x]
        return head + (f" (also: {'; '.join(also)})" if also else "")
    primary = currency or extra or poll or period or (
        "unexplained: no difference of period, pollster or unit, and rounding cannot bridge "
        "the gap (different question wording or a misreport)")
    also = [x for x in (currency, extra, poll, period) if x and x != primary]
    return f"not rounding; most likely {primary}" + (f" (also: {'; '.join(also)})" if also else "")


def _gap_text(ctx: Ctx, ids: list[str], values: list[float]) -> str:
    unit = ctx.c(ids[0])["unit"]
    lo, hi = min(values), max(values)
    g = hi - lo
    if g == 0:
        return "no gap"
    rel = f" ({num(g / lo * 100, 1)}% of the lower)" if lo > 0 else ""
    word = " points" if unit == "percent" else " " + unit_label(unit)
    return f"gap {num(g)}{word}{rel}"


def _compare(ctx: Ctx, ids: list[str], *, intervals=None, points=None, extra: str = "",
             label: str = "") -> str:
    """Judge a group of claims of different texts; one row per claim. Returns the verdict."""
    ivs = intervals or [ctx.iv(c) for c in ids]
    pts = points or [ctx.v(c) for c in ids]
    verdict = tol.agree(ivs, pts)
    verdict = DISAGREE if verdict == DISAGREE else verdict
    reason = likely_reason(ctx, ids, verdict, extra)
    gap = _gap_text(ctx, ids, pts) if not label else label
    for cid, iv, pt in zip(ids, ivs, pts):
        others = "; ".join(ctx.said(o) for o in ids if o != cid)
        op = sorted(p for o, p in zip(ids, pts) if o != cid)
        ctx.add(cid, verdict, f"{others} | {gap} | likely reason: {reason}",
                computed=Interval(op[0], op[-1]), point=op[len(op) // 2],
                reference=", ".join(o for o in ids if o != cid))
    return verdict


def _same_figure(id_: str, ids: list[str], title: str):
    @check(id_, "cross_source", ids, title)
    def fn(ctx: Ctx) -> None:
        _compare(ctx, ids)
    fn.__name__ = id_
    return fn


cs_eight_point_plan = _same_figure(
    "cs_eight_point_plan",
    ["brink2016-005", "kireeva2019-003", "kireeva2019-006", "kireeva2019-229", "wang2021-006"],
    "Number of points in Abe's cooperation plan")
cs_2plus2_partner_rank = _same_figure(
    "cs_2plus2_partner_rank", ["hirose2015-016", "wang2021-009"],
    "Russia's place among Japan's 2+2 partners")
cs_jp_affinity = _same_figure(
    "cs_jp_affinity", ["kireeva2019-203", "wang2021-017"],
    "Japanese feeling affinity towards Russia, 2018")
cs_jp_no_affinity = _same_figure(
    "cs_jp_no_affinity", ["kireeva2019-204", "wang2021-018"],
    "Japanese feeling no affinity towards Russia, 2018")
cs_jp_flexible = _same_figure(
    "cs_jp_flexible", ["kireeva2019-208", "upperhand2018-007"],
    "Japanese favouring flexibility over all four islands, 2016")
cs_jp_four_at_once = _same_figure(
    "cs_jp_four_at_once", ["kireeva2019-211", "wang2021-035"],
    "Japanese wanting all four islands returned at once, November 2018")
cs_ru_against_2016 = _same_figure(
    "cs_ru_against_2016", ["brink2016-017", "upperhand2018-004"],
    "Russians against handing the islands to Japan, 2016 (Levada)")
cs_ru_against_2018 = _same_figure(
    "cs_ru_against_2018", ["kireeva2019-225", "wang2021-034", "kireeva2019-251"],
    "Russians against handing the islands to Japan, late 2018")
cs_ru_keep_islands = _same_figure(
    "cs_ru_keep_islands", ["brink2016-016", "upperhand2018-006"],
    "Russians rating the islands above a peace treaty, 2016")
cs_ru_putin_trust = _same_figure(
    "cs_ru_putin_trust", ["brink2016-019", "upperhand2018-005"],
    "Russians expecting a deal to hurt trust in Putin, 2016 (Levada)")
cs_two_islands_share = _same_figure(
    "cs_two_islands_share", ["brink2016-021", "kireeva2019-250"],
    "Share of the claimed area in the two smaller islands")
cs_ww2_anniversary = _same_figure(
    "cs_ww2_anniversary", ["brink2016-011", "hirose2015-017"],
    "Anniversary of the end of the Second World War marked in 2015")
cs_abe_second_term = _same_figure(
    "cs_abe_second_term", ["brink2016-003", "wang2021-023"],
    "Abe's return in 2012 as his second term")

ISLANDS_WHOLE = ["hirose2015-001", "hirose2015-004", "hirose2015-013", "brink2016-009",
                 "brink2016-014", "upperhand2018-008", "kireeva2019-001", "kireeva2019-201",
                 "kireeva2019-210", "kireeva2019-212", "kireeva2019-221", "kireeva2019-233",
                 "wang2021-024", "wang2021-036"]
ISLANDS_1956 = ["hirose2015-002", "hirose2015-003", "hirose2015-012", "brink2016-013",
                "brink2016-015", "kireeva2019-004"]

cs_islands_whole = _same_figure(
    "cs_islands_whole", ISLANDS_WHOLE, "Number of islands in Japan's claim")
cs_islands_1956 = _same_figure(
    "cs_islands_1956", ISLANDS_1956, "Number of islands the 1956 declaration promised")


def _reporter_match(ctx: Ctx, cid: str) -> list[str]:
    y = end_year(ctx.c(cid)["period"])
    t = ctx.ref("trade_japan_russia")
    out = []
    for _, r in t[t["year"] == y].sort_values("reporter").iterrows():
        if ctx.iv(cid).contains(float(r["total_usd_mn"]) / 1000):
            out.append(r["reporter"])
    return out


@check("cs_trade_2013", "cross_source", ["hirose2015-006", "kireeva2019-259"],
       "Japan-Russia trade in 2013: two texts, two figures", uses=("trade_japan_russia",))
def cs_trade_2013(ctx: Ctx) -> None:
    ids = ["hirose2015-006", "kireeva2019-259"]
    desc = []
    for cid in ids:
        m = _reporter_match(ctx, cid)
        desc.append(f"{cid} matches " + (" and ".join(f"the {r}-reported" for r in m) + " IMF figure"
                                         if m else "neither reporter's IMF figure"))
    matched = [bool(_reporter_match(ctx, c)) for c in ids]
    extra = ("different statistical series: " + "; ".join(desc)) if any(matched) else "; ".join(desc)
    _compare(ctx, ids, extra=extra)


@check("cs_trade_growth_years", "cross_source",
       ["hirose2015-007", "kireeva2019-254", "kireeva2019-256"],
       "Trade growth rates: stated for different years")
def cs_trade_growth_years(ctx: Ctx) -> None:
    ids = ["hirose2015-007", "kireeva2019-254", "kireeva2019-256"]
    years = {cid: ctx.c(cid)["period"] for cid in ids}
    done: set[str] = set()
    for cid in ids:
        same = [o for o in ids if years[o] == years[cid]]
        if len({ctx.c(o)["source_id"] for o in same}) > 1:
            if cid not in done:
                _compare(ctx, same)
                done.update(same)
            continue
        ctx.add(cid, NOT_CHECKABLE,
                f"no other text states {ctx.c(cid)['metric']} for {years[cid]} (the texts give "
                f"it for {', '.join(sorted(set(years.values())))})",
                reference=", ".join(o for o in ids if o != cid))


@check("cs_meetings", "cross_source", ["hirose2015-011", "wang2021-005"],
       "Abe-Putin meetings: a count over two years inside a count over eight")
def cs_meetings(ctx: Ctx) -> None:
    short, long_ = "hirose2015-011", "wang2021-005"
    s_span, l_span = span_years(ctx.c(short)["period"]), span_years(ctx.c(long_)["period"])
    rate = {c: comparable(ctx.c(c))[0] for c in (short, long_)}
    verdict = (HOLDS if ctx.v(short) <= ctx.v(long_)
               else WITHIN if ctx.iv(short).lo <= ctx.iv(long_).hi else DISAGREE)
    rates = (f"{num(rate[short], 1)} a year over {num(s_span)} years vs "
             f"{num(rate[long_], 1)} a year over {num(l_span)} years")
    reason = likely_reason(ctx, [short, long_], verdict,
                           "the shorter period lies inside the longer one")
    for cid, other in ((short, long_), (long_, short)):
        ctx.add(cid, verdict,
                f"{ctx.said(other)} | {ctx.said(short).split(': ')[1]} is "
                + ("within" if verdict != DISAGREE else "more than")
                + f" {ctx.said(long_).split(': ')[1]}; {rates} | likely reason: {reason}",
                computed=rate[cid], computed_unit="meetings per year", reference=other, decimals=1)


@check("cs_dispute_duration", "cross_source",
       ["brink2016-007", "kireeva2019-207", "wang2021-025"],
       "How long the dispute has lasted: the start year each text implies")
def cs_dispute_duration(ctx: Ctx) -> None:
    ids = ["brink2016-007", "kireeva2019-207", "wang2021-025"]
    ivs, pts = [], []
    for cid in ids:
        y = end_year(ctx.c(cid)["period"])
        d = ctx.iv(cid)
        ivs.append(Interval(y - d.hi, y - d.lo))
        pts.append(y - (d.lo if math.isinf(d.hi) else d.mid))
    verdict = tol.agree(ivs, pts)
    common = ivs[0]
    for iv in ivs[1:]:
        common = common.intersect(iv) if common else None
    span = ("implied start years "
            + ", ".join(f"{c}: {fmt_iv(iv, 1, False)}" for c, iv in zip(ids, ivs))
            + (f"; common ground {fmt_iv(common, 1, False)}" if common else "; no common year"))
    reason = likely_reason(ctx, ids, verdict, "statements made in different years")
    for cid, iv, pt in zip(ids, ivs, pts):
        ctx.add(cid, verdict, f"{span} | likely reason: {reason}", computed=iv, point=pt,
                computed_unit="implied start year",
                reference=", ".join(o for o in ids if o != cid))


@check("cs_exchange_events", "cross_source", ["wang2021-012", "kireeva2019-268"],
       "Cross-year events: the Russian-held part against the whole")
def cs_exchange_events(ctx: Ctx) -> None:
    part, whole = "wang2021-012", "kireeva2019-268"
    verdict = (HOLDS if ctx.iv(part).lo <= ctx.v(whole)
               else WITHIN if ctx.iv(part).lo <= ctx.iv(whole).hi else DISAGREE)
    for cid, other in ((part, whole), (whole, part)):
        ctx.add(cid, verdict,
                f"{ctx.said(other)} | the events one side held ({ctx.said(part).split(': ')[1]}) "
                + ("fit inside" if verdict != DISAGREE else "exceed")
                + f" all events of the cross years ({ctx.said(whole).split(': ')[1]}), leaving "
                f"at most {num(ctx.iv(whole).hi - ctx.iv(part).lo)} for the other side | likely "
                f"reason: {likely_reason(ctx, [part, whole], verdict, 'part against whole')}",
                computed=ctx.iv(whole).hi - ctx.iv(part).lo, computed_unit="events (room left)",
                reference=other)


@check("cs_2plus2_order", "cross_source", ["hirose2015-015", "wang2021-008", "kireeva2019-016"],
       "Ordinals of the 2+2 meetings against their dates")
def cs_2plus2_order(ctx: Ctx) -> None:
    ids = sorted(["hirose2015-015", "wang2021-008", "kireeva2019-016"],
                 key=lambda c: (end_key(ctx.c(c)["period"]), c))
    ok = all(ctx.v(b) >= ctx.v(a) and (ctx.v(b) > ctx.v(a) or ctx.c(a)["period"] == ctx.c(b)["period"])
             for a, b in zip(ids, ids[1:]))
    same = all(ctx.v(a) == ctx.v(b) for a, b in zip(ids, ids[1:])
               if ctx.c(a)["period"] == ctx.c(b)["period"])
    verdict = HOLDS if ok and same else DISAGREE
    seq = ", ".join(f"no. {num(ctx.v(c))} in {period_ends(ctx.c(c)['period'])[1]} ({c})" for c in ids)
    for cid in ids:
        ctx.add(cid, verdict, f"{seq}: " + ("ordinals rise with the dates and agree for the same meeting"
                                            if verdict == HOLDS else "ordinals and dates conflict"),
                computed=ctx.v(cid), reference=", ".join(o for o in ids if o != cid))


@check("cs_jea_projects", "cross_source", ["wang2021-016", "kireeva2019-240", "kireeva2019-264"],
       "Joint economic activity projects on the islands")
def cs_jea_projects(ctx: Ctx) -> None:
    pair, sub = ["wang2021-016", "kireeva2019-240"], "kireeva2019-264"
    _compare(ctx, pair)
    v2 = HOLDS if ctx.v(sub) <= min(ctx.v(c) for c in pair) else DISAGREE
    ctx.add(sub, v2,
            f"{'; '.join(ctx.said(c) for c in pair)} | the {num(ctx.v(sub))} projects with settled "
            f"business models (June 2019) are "
            + ("a subset of" if v2 == HOLDS else "more than")
            + f" the {num(min(ctx.v(c) for c in pair))} proposed | likely reason: a different quantity "
            "(projects ready to start, not projects proposed) under the same metric",
            computed=min(ctx.v(c) for c in pair), computed_unit="projects (upper bound)",
            reference=", ".join(pair))


@check("cs_yamal_japan", "cross_source", ["kireeva2019-014", "upperhand2018-002"],
       "Japan's money in Yamal LNG: euros in one text, dollars in the other")
def cs_yamal_japan(ctx: Ctx) -> None:
    eur, usd = "kireeva2019-014", "upperhand2018-002"
    rate, why = ASSUMPTIONS["eur_usd_2016"]
    conv = [comparable(ctx.c(c)) for c in (eur, usd)]
    ivs, pts = [c[1] for c in conv], [c[0] for c in conv]
    verdict = tol.agree(ivs, pts)
    conv = (f"€{num(ctx.v(eur))} mn = US${num(pts[0])} mn at {rate} US$/€ ({why}); "
            f"{usd} states US${num(ctx.v(usd))} mn")
    reason = likely_reason(ctx, [eur, usd], verdict)
    for cid, other_pt in zip([eur, usd], pts[::-1]):
        ctx.add(cid, verdict, f"{conv} | likely reason: {reason}", computed=other_pt,
                computed_unit="USD million", reference=usd if cid == eur else eur)


# ===================================================================================== #
#  REFERENCE: claims against the extracts in data/reference                              #
# ===================================================================================== #

def _imf(ctx: Ctx, year: int) -> dict[str, float]:
    t = ctx.ref("trade_japan_russia")
    sub = t[t["year"] == year]
    return {r["reporter"]: float(r["total_usd_mn"]) / 1000 for _, r in sub.iterrows()}


def _against_reporters(ctx: Ctx, cid: str, values: dict[str, float], unit_word: str,
                       what: str) -> None:
    civ = ctx.iv(cid)
    if not values:
        ctx.add(cid, NOT_CHECKABLE, f"the IMF extract has no {what}", reference="IMF DOTS")
        return
    match = [r for r, x in sorted(values.items()) if civ.contains(x)]
    near = min(sorted(values), key=lambda r: abs(values[r] - ctx.v(cid)))
    x = values[near]
    ref = "; ".join(f"{r}-reported {num(values[r])}" for r in sorted(values))
    if match:
        verdict = HOLDS
        note = (f"matches {'both the ' if len(match) > 1 else 'the '}"
                f"{' and the '.join(m + '-reported' for m in match)} {what} "
                f"({', '.join(num(values[r]) for r in match)} {unit_word}) at the stated precision "
                f"(interval {fmt_iv(civ)})")
        x = values[match[0]]
    else:
        verdict = NOT_HOLD
        d = ctx.v(cid) - x
        note = (f"outside both reporters' {what}: {num(ctx.v(cid))} is {'+' if d >= 0 else '−'}"
                f"{num(abs(d))} {unit_word} ({'+' if d >= 0 else '−'}{num(abs(d) / abs(x) * 100, 1)}%) "
                f"from the nearer, {near}-reported {num(x)}; interval {fmt_iv(civ)}")
    ctx.add(cid, verdict, note, computed=x, reference=f"IMF DOTS {what}: {ref}")


TRADE_LEVELS = ["hirose2015-006", "kireeva2019-252", "kireeva2019-253", "kireeva2019-255",
                "kireeva2019-259"]


@check("ref_trade_total_imf", "reference", TRADE_LEVELS,
       "Trade totals against the IMF figures of each reporter", uses=("trade_japan_russia",))
def ref_trade_total_imf(ctx: Ctx) -> None:
    for cid in TRADE_LEVELS:
        y = end_year(ctx.c(cid)["period"])
        _against_reporters(ctx, cid, _imf(ctx, y), "US$ bn", f"total for {y}")


TRADE_GROWTH = ["hirose2015-007", "kireeva2019-254", "kireeva2019-256"]


@check("ref_trade_growth_imf", "reference", TRADE_GROWTH,
       "Trade growth rates against the IMF figures of each reporter", uses=("trade_japan_russia",))
def ref_trade_growth_imf(ctx: Ctx) -> None:
    for cid in TRADE_GROWTH:
        y = end_year(ctx.c(cid)["period"])
        now, before = _imf(ctx, y), _imf(ctx, y - 1)
        g = {r: (now[r] / before[r] - 1) * 100 for r in now if r in before}
        _against_reporters(ctx, cid, g, "points", f"growth {y - 1} to {y}")


@check("ref_trade_total_mof", "reference", ["kireeva2019-252"],
       "2016 trade against Japan's Ministry of Finance figure as reported in the news",
       uses=("trade_points",))
def ref_trade_total_mof(ctx: Ctx) -> None:
    t = ctx.ref("trade_points")
    cid = "kireeva2019-252"
    y = str(end_year(ctx.c(cid)["period"]))
    hit = t[(t["period"] == y) & (t["metric"] == "total_trade_with_russia")
            & (t["unit"] == "USD billion")]
    if hit.empty:
        ctx.add(cid, NOT_CHECKABLE, f"trade_points has no total for {y}", reference="trade_points")
        return
    r = hit.iloc[0]
    x = float(r["value"])
    verdict = tol.judge(ctx.iv(cid), x, Interval.around(x, 0.05))
    ctx.add(cid, verdict,
            f"{r['reporter']}'s Ministry of Finance total for {y} as reported ({r['reliability_note']}) "
            f"is {num(x)} US$ bn; the stated {num(ctx.v(cid))} (interval {fmt_iv(ctx.iv(cid))}) "
            + ("covers it" if verdict == HOLDS else "does not cover it"),
            computed=x, reference=f"trade_points {y} {r['reporter']}: {num(x)} US$ bn")


@check("ref_trade_2016_low", "reference", ["kireeva2019-252"],
       "2016 as the low point of trade in the years the text covers", uses=("trade_japan_russia",))
def ref_trade_2016_low(ctx: Ctx) -> None:
    cid = "kireeva2019-252"
    src = ctx.c(cid)["source_id"]
    same = ctx.claims[(ctx.claims["source_id"] == src)
                      & (ctx.claims["metric"] == ctx.c(cid)["metric"])]
    years = sorted({end_year(p) for p in same["period"]})
    lo_y, hi_y = years[0], years[-1]
    t = ctx.ref("trade_japan_russia")
    win = t[(t["year"] >= lo_y) & (t["year"] <= hi_y)]
    claimed_year = end_year(ctx.c(cid)["period"])
    lows = {r: int(g.loc[g["total_usd_mn"].idxmin(), "year"]) for r, g in win.groupby("reporter")}
    hits = [r for r in sorted(lows) if lows[r] == claimed_year]
    verdict = HOLDS if hits else NOT_HOLD  # the low of at least one reporter's series
    ctx.add(cid, verdict,
            f"lowest year {lo_y}-{hi_y} (the years the text gives trade for): "
            + ", ".join(f"{r}-reported {lows[r]}" for r in sorted(lows))
            + f"; the text names {claimed_year}",
            computed=float(claimed_year if hits else lows[sorted(lows)[0]]),
            computed_unit="year of the low", reference=f"IMF DOTS totals {lo_y}-{hi_y}")


@check("ref_russia_share", "reference", ["kireeva2019-258", "kireeva2019-260"],
       "Japan's share of Russia's trade (Russia-reported)", uses=("trade_russia_partners",))
def ref_russia_share(ctx: Ctx) -> None:
    t = ctx.ref("trade_russia_partners")
    for cid in ["kireeva2019-258", "kireeva2019-260"]:
        y = end_year(ctx.c(cid)["period"])
        x = float(t[(t["year"] == y) & (t["partner"] == "Japan")]["share_of_total_pct"].iloc[0])
        verdict = tol.judge(ctx.iv(cid), x)
        ctx.add(cid, verdict,
                f"Japan's share of Russia's total trade in {y} (Russia-reported) is {num(x)}%; the "
                f"stated {num(ctx.v(cid))}% (interval {fmt_iv(ctx.iv(cid))}) "
                + ("covers it" if verdict == HOLDS else "does not cover it"),
                computed=x, reference=f"IMF DOTS Russia-reported {y}: Japan {num(x)}% of total")


def _ranks(ctx: Ctx, year: int) -> pd.Series:
    t = ctx.ref("trade_russia_partners")
    sub = t[(t["year"] == year) & (t["partner"] != "World")].set_index("partner")["total_usd_mn"]
    return sub.rank(ascending=False, method="min").astype(int), sub


@check("ref_asian_rank", "reference", ["kireeva2019-261", "kireeva2019-262", "kireeva2019-263"],
       "Japan behind China and South Korea in Russia's trade", uses=("trade_russia_partners",))
def ref_asian_rank(ctx: Ctx) -> None:
    def totals(y):
        rk, tot = _ranks(ctx, y)
        return ", ".join(f"{p} {num(tot[p] / 1000)}" for p in tot.sort_values(ascending=False).index)

    cid = "kireeva2019-261"
    y = end_year(ctx.c(cid)["period"])
    rk, _ = _ranks(ctx, y)
    verdict = tol.judge(ctx.iv(cid), rk["Japan"])
    ctx.add(cid, verdict,
            f"among the Asian partners in the extract, Russia-reported {y} totals (US$ bn): {totals(y)}; "
            f"Japan ranks {ordinal(rk['Japan'])} (other Asian partners are not in the extract)",
            computed=float(rk["Japan"]), reference=f"IMF DOTS Russia-reported {y}")

    cid = "kireeva2019-262"
    start, end = (int(x[:4]) for x in period_ends(ctx.c(cid)["period"]))
    ks = {yy: int(_ranks(ctx, yy)[0]["South Korea"]) for yy in range(start, end + 1)}
    verdict = HOLDS if all(tol.judge(ctx.iv(cid), k) == HOLDS for k in ks.values()) else NOT_HOLD
    ctx.add(cid, verdict,
            "South Korea's rank among China, South Korea and Japan: "
            + ", ".join(f"{yy}: {k}" for yy, k in ks.items()) + f" ({totals(end)} in {end})",
            computed=float(ks[end]), reference=f"IMF DOTS Russia-reported {start}-{end}")

    cid = "kireeva2019-263"
    y = end_year(ctx.c(cid)["period"])
    streak, yy = 0, y
    t = ctx.ref("trade_russia_partners")
    while True:
        rk, tot = _ranks(ctx, yy) if yy in set(t["year"]) else (None, None)
        if rk is None or not tot["South Korea"] > tot["Japan"]:
            break
        streak, yy = streak + 1, yy - 1
    verdict = tol.judge(ctx.iv(cid), streak)
    ctx.add(cid, verdict,
            f"South Korea ahead of Japan in Russia-reported trade for {streak} consecutive year(s) up "
            f"to {y} (not in {yy})", computed=float(streak), computed_unit="years",
            reference=f"IMF DOTS Russia-reported {yy}-{y}")


@check("ref_russia_rank_10th", "reference", ["kireeva2019-257"],
       "Japan as Russia's 10th trading partner", uses=("trade_russia_partners",))
def ref_russia_rank_10th(ctx: Ctx) -> None:
    cid = "kireeva2019-257"
    y = end_year(ctx.c(cid)["period"])
    rk, tot = _ranks(ctx, y)
    ahead = int((tot > tot["Japan"]).sum())
    ctx.add(cid, NOT_CHECKABLE,
            f"the extract holds only {', '.join(sorted(tot.index))} besides the World; {ahead} of them "
            f"are ahead of Japan in {y}, so Japan ranks {ordinal(ahead + 1)} or lower: "
            f"{ordinal(ctx.v(cid))} is possible but cannot be confirmed",
            computed=float(ahead + 1), computed_unit="rank (best possible)",
            reference=f"IMF DOTS Russia-reported {y}")


def _areas(ctx: Ctx, col: str = "area_km2_incl_islets") -> pd.Series:
    t = ctx.ref("island_areas")
    return t[t["row_type"] == "island"].set_index("island_en")[col].astype(float)


SMALLER_PAIR = ("Habomai group", "Shikotan")
LARGER_PAIR = ("Kunashir (Kunashiri)", "Iturup (Etorofu)")


@check("ref_two_islands_share", "reference", ["brink2016-021", "kireeva2019-250"],
       "Share of the disputed area in Habomai and Shikotan", uses=("island_areas",))
def ref_two_islands_share(ctx: Ctx) -> None:
    shares = {}
    for col, lab in (("area_km2_incl_islets", "with islets"),
                     ("area_km2_main_island_only", "main islands only")):
        a = _areas(ctx, col)
        shares[lab] = a[list(SMALLER_PAIR)].sum() / a.sum() * 100
    a = _areas(ctx)
    pt = shares["with islets"]
    comp = Interval(min(shares.values()), max(shares.values()))
    for cid in ["brink2016-021", "kireeva2019-250"]:
        verdict = tol.judge(ctx.iv(cid), pt, comp)
        ctx.add(cid, verdict,
                f"Habomai and Shikotan are {num(a[list(SMALLER_PAIR)].sum())} of {num(a.sum())} km² "
                f"= {num(pt)}% ({num(shares['main islands only'])}% without islets); the stated "
                f"{num(ctx.v(cid))}% (interval {fmt_iv(ctx.iv(cid))}) "
                + ("covers it" if verdict == HOLDS else "does not cover it"),
                computed=comp, point=pt, reference="MOFA/GSI island areas (island_areas)")


ISLANDS_FOUR = ISLANDS_WHOLE + ["kireeva2019-009", "kireeva2019-230", "kireeva2019-241"]


@check("ref_island_count", "reference", ISLANDS_FOUR,
       "Four disputed islands", uses=("island_areas",))
def ref_island_count(ctx: Ctx) -> None:
    a = _areas(ctx)
    n = len(a)
    for cid in ISLANDS_FOUR:
        verdict = tol.judge(ctx.iv(cid), n)
        ctx.add(cid, verdict, f"the reference lists {n} disputed islands ({', '.join(a.index)})",
                computed=float(n), reference="island_areas")


#: which pair of islands each 'two islands' claim means (named in its subject or context):
#: 'smaller' = Habomai and Shikotan (the 1956 pair), 'larger' = Kunashir and Iturup
ISLAND_PAIRS = {
    **{c: "smaller" for c in ISLANDS_1956 + ["kireeva2019-216", "kireeva2019-220", "kireeva2019-235",
                                           "kireeva2019-245", "kireeva2019-246", "kireeva2019-247",
                                           "kireeva2019-249", "kireeva2019-274"]},
    **{c: "larger" for c in ["kireeva2019-005", "kireeva2019-214", "kireeva2019-236",
                             "kireeva2019-242", "kireeva2019-248", "kireeva2019-276"]},
}
_SIZE_WORDS = {"smaller": "smaller", "bigger": "larger", "larger": "larger"}


@check("ref_island_pairs", "reference", list(ISLAND_PAIRS),
       "Two-island claims against the four islands and their sizes", uses=("island_areas",))
def ref_island_pairs(ctx: Ctx) -> None:
    a = _areas(ctx).sort_values()
    by_size = {"smaller": set(a.index[:2]), "larger": set(a.index[-2:])}
    named = {"smaller": SMALLER_PAIR, "larger": LARGER_PAIR}
    for cid, which in ISLAND_PAIRS.items():
        names = [x for x in named[which] if x in a.index]
        said = [w for k, w in _SIZE_WORDS.items() if k in ctx.c(cid)["token"].lower()]
        n = len(names)
        verdict = tol.judge(ctx.iv(cid), n)
        size = ""
        if said:
            ok = set(names) == by_size[said[0]]
            size = (f"; the text calls them the {said[0]} two: "
                    + ("right" if ok else f"wrong (the {said[0]} two are {', '.join(sorted(by_size[said[0]]))})"))
            verdict = verdict if ok else NOT_HOLD
        ctx.add(cid, verdict,
                f"the pair meant is {' and '.join(f'{x} ({num(a[x])} km²)' for x in names)}: "
                f"{n} of the {len(a)} islands in the reference{size}",
                computed=float(n), reference="island_areas")


@check("ref_former_residents", "reference", ["kireeva2019-239"],
       "Former island residents against the 1945 population", uses=("island_areas",))
def ref_former_residents(ctx: Ctx) -> None:
    pop = float(ctx.ref("island_areas").query("row_type == 'total'")["pop_1945_japanese"].iloc[0])
    cid = "kireeva2019-239"
    ctx.add(cid, NOT_CHECKABLE,
            f"the reference gives only the Japanese population of 1945 ({num(pop)}); about "
            f"{num(ctx.v(cid))} would be {num(ctx.v(cid) / pop * 100)}% of it - survivors in 2019 are "
            "in no reference series", computed=ctx.v(cid) / pop * 100, computed_unit="percent of 1945",
            reference=f"island_areas: {num(pop)} residents in 1945")


#: claim -> (pollsters, poll_points metric, fieldwork window 'YYYY[-MM]' or 'start/end')
POLL_MATCH = {
    "brink2016-017": (("Levada Center",), "against_transfer_all_four", "2016"),
    "upperhand2018-004": (("Levada Center",), "against_transfer_all_four", "2016"),
    "brink2016-018": (("Levada Center",), "against_transfer_shikotan_habomai", "2016"),
    "kireeva2019-225": (("VTsIOM",), "against_transfer_kurils", "2018-11"),
    "wang2021-034": (("VTsIOM",), "against_transfer_kurils", "2018-11"),
    "kireeva2019-224": (("VTsIOM",), "aware_of_japan_claim", "2018-11"),
    "wang2021-033": (("VTsIOM",), "against_transfer_kurils", "2019-02"),
    "kireeva2019-251": (("Levada Center", "VTsIOM"), "against_transfer_kurils", "2018-11"),
    "wang2021-019": (("Cabinet Office Japan",), "no_affinity_russia", "2011/2018"),
    "kireeva2019-203": (("Cabinet Office Japan",), "affinity_russia", "2018"),
    "wang2021-017": (("Cabinet Office Japan",), "affinity_russia", "2018"),
    "kireeva2019-204": (("Cabinet Office Japan",), "no_affinity_russia", "2018"),
    "wang2021-018": (("Cabinet Office Japan",), "no_affinity_russia", "2018"),
}


def _in_window(date: str, window: str) -> bool:
    lo, hi = period_ends(window)
    return lo <= date[:len(lo)] and date[:len(hi)] <= hi


@check("ref_polls", "reference", list(POLL_MATCH),
       "Poll figures against the pollsters' results (poll_points)", uses=("poll_points",))
def ref_polls(ctx: Ctx) -> None:
    p = ctx.ref("poll_points")
    for cid, (orgs, metric, window) in POLL_MATCH.items():
        cand = p[p["org"].isin(orgs) & (p["metric"] == metric)]
        hit = cand[[_in_window(d, window) for d in cand["fieldwork_start"]]]
        civ = ctx.iv(cid)
        if hit.empty:
            near = ", ".join(f"{r.org} {r.fieldwork}: {num(r.value_pct)}%" for r in cand.itertuples())
            ctx.add(cid, NOT_CHECKABLE,
                    f"poll_points has no {' or '.join(orgs)} result on {metric} for {window}"
                    + (f"; nearest in the series: {near}" if near else ""),
                    reference=f"poll_points {metric}")
            continue
        vals = [float(x) for x in hit["value_pct"]]
        inside = [civ.contains(x) for x in vals]
        if ctx.c(cid)["qualifier"] == "range":
            verdict = HOLDS if all(inside) else NOT_HOLD
        else:
            verdict = HOLDS if any(inside) else NOT_HOLD
        desc = "; ".join(f"{r.org} ({r.survey}) {r.fieldwork}: {num(r.value_pct)}% [{r.reliability}]"
                         for r in hit.itertuples())
        near = min(vals, key=lambda x: abs(x - ctx.v(cid)))
        ctx.add(cid, verdict,
                f"{desc}; the stated {ctx.said(cid).split(': ')[1]} (interval {fmt_iv(civ)}) "
                + ("covers " + ("all of them" if all(inside) else "one of them") if any(inside)
                   else "covers none of them"),
                computed=Interval(min(vals), max(vals)), point=near,
                reference=f"poll_points {metric} {window}")
