"""Every rule of the audit, defined once; which claims a rule judges is data, not code.

A rule is registered with :func:`check` and has a ``kind`` (``arithmetic`` = a text's own numbers
against each other; ``cross_source`` = the same metric in two or more texts; ``reference`` = a
claim against a reference extract in ``data/reference``).  No rule names a claim: it selects its
claims from the metric catalogue (``data/metrics.csv``: ``reference_rule``, ``relation`` and
``related``, ``cross_source``) and from the claim readings (``data/claim_readings.csv``), and it
takes outside facts (the end of the war, an exchange rate) from ``data/reference/outside_facts.csv``.
A new text therefore costs rows of the ledger and of the readings, not code.

A rule is a function of the ledger and of the tables it reads, both passed as arguments and
defaulting to the project's data::

    checks.run("growth_of")                                   # the loaded ledger
    checks.run("growth_of", claims=my_copy)                   # a perturbed copy (tests)
    checks.run("reporter_total", refs={"trade_japan_russia": frame})

It returns a DataFrame with one row per judged claim (see :data:`COLUMNS`); every verdict and
every note is computed from the numbers (f-strings), never typed in.  The precision rules are in
:mod:`rjnumbers.audit.tolerance`.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

import pandas as pd

from . import tolerance as tol
from .tolerance import DISAGREE, HOLDS, NOT_CHECKABLE, NOT_HOLD, WITHIN, Interval

KINDS = ("arithmetic", "cross_source", "reference")
COLUMNS = ["claim_id", "check", "kind", "verdict", "claimed", "computed", "reference", "note"]
DETAIL = ["unit", "value", "claimed_lo", "claimed_hi", "computed_value", "computed_lo",
          "computed_hi", "computed_unit"]

#: the tables a rule may read besides the ledger (all loaded through :func:`rjnumbers.data.load`)
CATALOGUE, READINGS, FACTS = "metrics", "claim_readings", "outside_facts"

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
    """3 -> '3rd', 24 -> '24th', 11 -> '11th'."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


#: how a qualifier reads before a figure ('more than 70 years'), for notes and the ledger
QUALIFIER_WORDS = {"more_than": "more than ", "at_least": "at least ", "less_than": "less than ",
                   "at_most": "at most ", "about": "about ", "almost": "almost "}


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


def start_key(period: str) -> float:
    return _dec(period_ends(period)[0])


def year_key(period: str) -> str:
    """The period two texts must share to be compared: a single date counts as its calendar
    year ('2016-11' -> '2016'); a span stays as written ('2018/2019')."""
    return period if "/" in period else period[:4]


def split_list(cell) -> list[str]:
    return [x for x in str(cell or "").split(";") if x]


# --- the registry -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Check:
    id: str
    kind: str
    title: str
    uses: tuple[str, ...]
    run: Callable[..., pd.DataFrame]

    def claim_ids(self, claims: pd.DataFrame | None = None, refs=None) -> tuple[str, ...]:
        """The claims this rule judges (computed by running it: the selection is data)."""
        out = self.run(claims=claims, refs=refs)
        return tuple(dict.fromkeys(out["claim_id"]))

    @property
    def claims(self) -> tuple[str, ...]:
        """The claims this rule judges in the verdict table of the build (in its order)."""
        if self.id not in _CLAIMS_CACHE:
            from .verdicts import verdict_table
            t = verdict_table()
            _CLAIMS_CACHE[self.id] = tuple(dict.fromkeys(t.loc[t["check"] == self.id,
                                                               "claim_id"]))
        return _CLAIMS_CACHE[self.id]


REGISTRY: dict[str, Check] = {}
_CLAIMS_CACHE: dict[str, tuple[str, ...]] = {}


class Refs:
    """Tables by name: ``overrides`` first, else :func:`rjnumbers.data.load` (cached)."""

    def __init__(self, overrides: dict[str, pd.DataFrame] | None = None):
        self._tables = dict(overrides or {})
        self._memo: dict = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            from ..data import load
            self._tables[name] = load(name)
        return self._tables[name]

    def memo(self, key, of, make):
        """``make(of)``, made once per ``(key, of)`` for every rule of a run (``of`` is kept
        alive with its value, so its id cannot be reused for another table)."""
        slot = (key, id(of))
        if slot not in self._memo:
            self._memo[slot] = (of, make(of))
        return self._memo[slot][1]


class Ctx:
    """What a rule sees: the ledger, the catalogue, the readings, the references, and a way to
    add a verdict row."""

    def __init__(self, check_id: str, kind: str, claims: pd.DataFrame, refs: Refs):
        self.check_id, self.kind, self.refs, self.rows = check_id, kind, refs, []
        self.claims = refs.memo("claims", claims, lambda t: t.set_index("claim_id", drop=False))
        # a claim's row, the claims of each metric (by position), the readings: looked up
        # thousands of times in a run, so made once (a .loc per look-up was half the audit)
        self._rows = refs.memo("rows", self.claims, lambda t: dict(t.iterrows()))
        self._by_metric = refs.memo("by_metric", self.claims,
                                    lambda t: t.groupby("metric", sort=False).indices)

    # the ledger, the catalogue and the readings
    def c(self, cid: str) -> pd.Series:
        return self._rows[cid]

    def iv(self, cid: str) -> Interval:
        return tol.claim_interval(self.c(cid))

    def v(self, cid: str) -> float:
        return float(self.c(cid)["value"])

    def ref(self, name: str) -> pd.DataFrame:
        return self.refs[name]

    @property
    def metrics(self) -> pd.DataFrame:
        return self.refs.memo("metrics", self.refs[CATALOGUE],
                              lambda t: t.set_index("metric", drop=False))

    def catalogue(self, metric: str, column: str) -> str:
        m = self.metrics
        return str(m.at[metric, column]) if metric in m.index else ""

    def metrics_where(self, column: str, value: str) -> list[str]:
        """Metrics whose catalogue ``column`` holds ``value`` (a ';'-list cell counts each item)."""
        m = self.metrics
        return [k for k, cell in zip(m["metric"], m[column]) if value in split_list(cell)]

    def of_metric(self, *metrics: str, source: str | None = None) -> list[str]:
        """The claims of these metrics (of one text, if ``source``), in ledger order."""
        at = sorted(i for m in dict.fromkeys(metrics) for i in self._by_metric.get(m, ()))
        ids, sources = self.claims["claim_id"].to_numpy(), self.claims["source_id"].to_numpy()
        return [ids[i] for i in at if source is None or sources[i] == source]

    def reading(self, cid: str, field: str) -> str:
        readings = self.refs.memo("readings", self.refs[READINGS], lambda t: {
            row["claim_id"]: row for row in t.to_dict("records")})
        return _reading_text(readings[cid][field]) if cid in readings else ""

    def count_reading(self, cid: str) -> tuple[str, str]:
        """The days a count's span runs between, as read (``count_from``, ``count_to``)."""
        return self.reading(cid, "count_from"), self.reading(cid, "count_to")

    def with_reading(self, field: str) -> list[str]:
        return [c for c in self.claims["claim_id"] if self.reading(c, field)]

    def fact(self, fact_id: str) -> pd.Series:
        f = self.refs.memo("facts", self.refs[FACTS], lambda t: t.set_index("fact_id", drop=False))
        if fact_id not in f.index:
            from ..errors import DataError
            raise DataError("data/reference/outside_facts.csv",
                            f"no fact {fact_id!r}, which data/metrics.csv refers to",
                            column="fact_id")
        return f.loc[fact_id]

    def fact_text(self, fact_id: str) -> str:
        f = self.fact(fact_id)
        return f"{f['description']} ({f['publisher']})"

    def label(self, cid: str) -> str:
        m = self.c(cid)["metric"]
        return self.catalogue(m, "label") or m

    def said(self, cid: str) -> str:
        """'<claim id>: 16 US$ bn' (the claim as read)."""
        r = self.c(cid)
        if r["unit"] == "date":  # a dated event reads as the date the text gives
            return f"{cid}: {r['period'].replace('/', ' to ')}"
        val = num(float(r["value"]))
        if pd.notna(r["value_high"]):
            val += f" to {num(float(r['value_high']))}"
        q = QUALIFIER_WORDS.get(r["qualifier"], "")
        lab = unit_label(r["unit"])
        return f"{cid}: {q}{val}{'%' if lab == '%' else (' ' + lab if lab else '')}"

    def stated(self, cid: str) -> str:
        return self.said(cid).split(": ", 1)[1]

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
            "claimed": (self.stated(cid) if r["unit"] == "date" else
                        f"{self.stated(cid)} (interval {fmt_iv(civ)})"),
            "computed": comp_text, "reference": reference, "note": note,
            "unit": r["unit"], "value": float(r["value"]),
            "claimed_lo": civ.lo, "claimed_hi": civ.hi,
            "computed_value": point if point is not None else math.nan,
            "computed_lo": computed.lo if computed is not None else math.nan,
            "computed_hi": computed.hi if computed is not None else math.nan,
            "computed_unit": unit if computed is not None else "",
        })


def check(id: str, kind: str, title: str, uses: tuple[str, ...] = ()):
    """Register ``fn(ctx)`` as rule ``id``; the returned callable takes (claims=, refs=)."""
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
            return pd.DataFrame(ctx.rows, columns=COLUMNS + DETAIL)

        if id in REGISTRY:
            raise ValueError(f"check {id!r} defined twice")
        REGISTRY[id] = Check(id, kind, title, tuple(uses), run)
        return run

    return deco


def run(check_id: str, claims: pd.DataFrame | None = None, refs=None) -> pd.DataFrame:
    return REGISTRY[check_id].run(claims=claims, refs=refs)


def by_source(ctx: Ctx, ids: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for cid in ids:
        out.setdefault(ctx.c(cid)["source_id"], []).append(cid)
    return out


def same_text(ctx: Ctx, cid: str, metric: str, period: str | None = None) -> list[str]:
    """Claims of ``metric`` in the text of ``cid`` (for ``period``: those of exactly that period if
    there are any, else those of the same year, compared as :func:`year_key`)."""
    ids = [o for o in ctx.of_metric(metric, source=ctx.c(cid)["source_id"]) if o != cid]
    if period is not None:
        exact = [o for o in ids if ctx.c(o)["period"] == period]
        ids = exact or [o for o in ids if year_key(ctx.c(o)["period"]) == year_key(period)]
    return ids


# ===================================================================================== #
#  ARITHMETIC: a text's own numbers against each other (catalogue: relation, related)    #
# ===================================================================================== #

@check("growth_of", "arithmetic", "A growth rate against the two levels of the same text it connects")
def growth_of(ctx: Ctx) -> None:
    for m in ctx.metrics_where("relation", "growth_of"):
        level = ctx.catalogue(m, "related")
        for growth in ctx.of_metric(m):
            y = end_year(ctx.c(growth)["period"])
            new = same_text(ctx, growth, level, str(y))
            old = same_text(ctx, growth, level, str(y - 1))
            if not new or not old:
                continue
            new, old = new[0], old[0]
            comp = tol.growth_pct(ctx.iv(old), ctx.iv(new))
            point = (ctx.v(new) / ctx.v(old) - 1) * 100
            verdict = tol.judge(ctx.iv(growth), point, comp)
            implied_old = ctx.v(new) / (1 + ctx.v(growth) / 100)
            how = {HOLDS: "agrees at the stated precision",
                   WITHIN: "agrees only within the rounding of the levels",
                   NOT_HOLD: "cannot be reconciled even allowing for rounding"}[verdict]
            ctx.add(growth, verdict,
                    f"{ctx.stated(new)} over {ctx.stated(old)} is +{num(point)}% (from "
                    f"{num(comp.lo)}% to {num(comp.hi)}% given their rounding); the stated "
                    f"{num(ctx.v(growth))}% {how}; it implies a starting level of {num(implied_old)} "
                    f"{unit_label(ctx.c(old)['unit'])}",
                    computed=comp, point=point, computed_unit="percent", reference=f"{old}, {new}")


@check("above_later_level", "arithmetic", "A level the text says was not regained later, against "
       "its own later figure")
def above_later_level(ctx: Ctx) -> None:
    for cid in ctx.with_reading("above_period"):
        later_p = ctx.reading(cid, "above_period")
        later = same_text(ctx, cid, ctx.c(cid)["metric"], later_p)
        if not later:
            continue
        lat = later[0]
        ratio = tol.share_pct(ctx.iv(lat), ctx.iv(cid))
        point = ctx.v(lat) / ctx.v(cid) * 100
        verdict = (HOLDS if point < 100 and ratio.hi < 100 else WITHIN if ratio.lo < 100
                   else NOT_HOLD)
        ctx.add(cid, verdict,
                f"the text's {later_p} level ({num(ctx.v(lat))}) is {num(point)}% of its "
                f"{ctx.c(cid)['period']} level ({num(ctx.v(cid))}): "
                + ("still below it, as stated" if point < 100 else "not below it"),
                computed=ratio, point=point,
                computed_unit=f"percent of the {ctx.c(cid)['period']} level", reference=lat)


def question_groups(ctx: Ctx) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for cid in ctx.with_reading("question"):
        groups.setdefault(ctx.reading(cid, "question"), []).append(cid)
    return {q: ids for q, ids in groups.items() if len(ids) > 1}


@check("exclusive_answers", "arithmetic", "Exclusive answers to one poll question add up to at most 100%")
def exclusive_answers(ctx: Ctx) -> None:
    for group in question_groups(ctx).values():
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


@check("at_most", "arithmetic", "A share that is part of another share of the same poll cannot exceed it")
def at_most(ctx: Ctx) -> None:
    for m in ctx.metrics_where("relation", "at_most"):
        bound_metric = ctx.catalogue(m, "related")
        for cid in ctx.of_metric(m):
            bound = same_text(ctx, cid, bound_metric, ctx.c(cid)["period"])
            if not bound:
                continue
            b = bound[0]
            verdict = (HOLDS if ctx.v(cid) <= ctx.v(b)
                       else WITHIN if ctx.iv(cid).lo <= ctx.iv(b).hi else NOT_HOLD)
            ctx.add(cid, verdict,
                    f"everyone counted in '{ctx.label(cid).lower()}' is also counted in "
                    f"'{ctx.label(b).lower()}', so {num(ctx.v(cid))}% must not exceed "
                    f"{num(ctx.v(b))}% ({b}): {'it does not' if verdict == HOLDS else 'it does'}",
                    computed=ctx.v(b), computed_unit="percent (upper bound)", reference=b)


@check("band_contains", "arithmetic", "A text's band over several years contains its own figure for a year inside it")
def band_contains(ctx: Ctx) -> None:
    for m in ctx.metrics_where("relation", "band_contains"):
        inner_metric = ctx.catalogue(m, "related")
        for band in ctx.of_metric(m):
            lo_y, hi_y = (int(x[:4]) for x in period_ends(ctx.c(band)["period"]))
            inner = [o for o in same_text(ctx, band, inner_metric)
                     if lo_y <= end_year(ctx.c(o)["period"]) <= hi_y]
            for o in inner:
                x = ctx.v(o)
                verdict = tol.judge(ctx.iv(band), x, ctx.iv(o))
                ctx.add(band, verdict,
                        f"the same text's {ctx.c(o)['period']} figure {num(x)}% ({o}) "
                        + ("lies inside" if verdict == HOLDS else "falls outside")
                        + f" its {num(ctx.v(band))} to {num(float(ctx.c(band)['value_high']))}% band "
                        f"for {ctx.c(band)['period'].replace('/', '-')}",
                        computed=ctx.iv(o), point=x, computed_unit="percent", reference=o)


@check("running_count", "arithmetic", "A running count reported at successive dates does not fall")
def running_count(ctx: Ctx) -> None:
    for m in ctx.metrics_where("relation", "running_count"):
        for ids in by_source(ctx, ctx.of_metric(m)).values():
            if len(ids) < 2:
                continue
            order = sorted(ids, key=lambda c: (end_key(ctx.c(c)["period"]), c))
            worst: dict[str, str] = {c: HOLDS for c in order}
            rank = {HOLDS: 0, WITHIN: 1, NOT_HOLD: 2}
            for a, b in zip(order, order[1:]):
                pa = ctx.iv(a).lo if math.isinf(ctx.iv(a).hi) else ctx.v(a)
                v = (HOLDS if ctx.v(b) >= pa else
                     WITHIN if ctx.iv(b).hi >= ctx.iv(a).lo else NOT_HOLD)
                for c in (a, b):
                    worst[c] = max(worst[c], v, key=rank.get)
            seq = " -> ".join(f"{ctx.stated(c)} ({ctx.c(c)['period']})" for c in order)
            for c in order:
                ctx.add(c, worst[c],
                        f"{ctx.label(c).lower()}, reported at successive dates: {seq}; "
                        + ("never falls" if worst[c] == HOLDS else
                           "falls unless the rounding is stretched" if worst[c] == WITHIN
                           else "falls"),
                        computed=ctx.iv(c), point=ctx.v(c),
                        reference=", ".join(o for o in order if o != c))


@check("share_of_count", "arithmetic", "Shares of a running count: the number they imply does not fall")
def share_of_count(ctx: Ctx) -> None:
    metrics = ctx.metrics_where("relation", "share_of_count")
    for ids in by_source(ctx, ctx.of_metric(*metrics)).values():
        implied = []
        for s in ids:
            count = same_text(ctx, s, ctx.catalogue(ctx.c(s)["metric"], "related"))
            count = [o for o in count if end_year(ctx.c(o)["period"]) == end_year(ctx.c(s)["period"])
                     and ctx.c(o)["qualifier"] == "about"] or count[:0]
            if not count:
                continue
            n = count[-1]
            share = ctx.iv(s) * 0.01
            iv = share * ctx.iv(n)
            iv = Interval(iv.lo, min(iv.hi, ctx.iv(n).hi))
            if ctx.c(s)["qualifier"] == "range":
                pt = (ctx.v(s) + float(ctx.c(s)["value_high"])) / 2 / 100 * ctx.v(n)
            else:
                pt = ctx.iv(s).lo / 100 * ctx.v(n) if math.isinf(ctx.iv(s).hi) else ctx.v(s) / 100 * ctx.v(n)
            implied.append((s, n, iv, pt))
        if len(implied) < 2:
            continue
        implied.sort(key=lambda t: end_key(ctx.c(t[0])["period"]))
        ok = all(b[3] >= a[3] for a, b in zip(implied, implied[1:]))
        near = all(b[2].hi >= a[2].lo for a, b in zip(implied, implied[1:]))
        verdict = HOLDS if ok else WITHIN if near else NOT_HOLD
        text = "; ".join(f"{ctx.stated(s)} of {ctx.stated(n)} ({ctx.c(s)['period']}) is "
                         f"{num(iv.lo)} to {num(min(iv.hi, 1e12))} (point {num(pt)})"
                         for s, n, iv, pt in implied)
        text += (": the number under way " + ("did not fall" if verdict == HOLDS else
                 "fell unless the rounding is stretched" if verdict == WITHIN else "fell"))
        for s, n, iv, pt in implied:
            ctx.add(s, verdict, text, computed=iv, point=pt, computed_unit="projects under way",
                    reference=", ".join([n] + [t[0] for t in implied if t[0] != s]))


@check("horizon", "arithmetic", "Two horizons of one text agree: the later one fits within the earlier")
def horizon(ctx: Ctx) -> None:
    for m in ctx.metrics_where("relation", "horizon"):
        for ids in by_source(ctx, ctx.of_metric(m)).values():
            if len(ids) < 2:
                continue
            order = sorted(ids, key=lambda c: (start_key(ctx.c(c)["period"]), c))
            first, last = order[0], order[-1]
            s, l = ctx.iv(last), ctx.iv(first)
            verdict = HOLDS if ctx.v(last) <= l.hi else (WITHIN if s.lo <= l.hi else NOT_HOLD)
            for cid, other in ((last, first), (first, last)):
                ctx.add(cid, verdict,
                        f"the later horizon, {ctx.stated(last)} from {period_ends(ctx.c(last)['period'])[0]}, "
                        f"{'fits within' if verdict != NOT_HOLD else 'exceeds'} the earlier "
                        f"{ctx.stated(first)} from {period_ends(ctx.c(first)['period'])[0]}",
                        computed=s, point=ctx.v(last), computed_unit="years", reference=other)


@check("period_span", "arithmetic", "A stated span against the dates of the events that bound it")
def period_span(ctx: Ctx) -> None:
    for cid in ctx.of_metric(*ctx.metrics_where("relation", "period_span")):
        p = ctx.c(cid)["period"]
        if "/" not in p or has_span(ctx, cid):  # dated events judge it (rule dated_span)
            continue
        span = span_years(p)
        verdict = tol.judge(ctx.iv(cid), span)
        ctx.add(cid, verdict,
                f"from {period_ends(p)[0]} to {period_ends(p)[1]} is {num(span)} years; the stated "
                f"{num(ctx.v(cid))} years (interval {fmt_iv(ctx.iv(cid))}) "
                + ("fits" if verdict == HOLDS else "does not fit"),
                computed=span, computed_unit="years", reference=f"period {p} in the ledger")


def date_bounds(iso: str) -> tuple[date, date]:
    """First and last day a date means: '1970' -> 1 Jan to 31 Dec 1970; '1945-05' -> May."""
    parts = [int(x) for x in iso.split("-")]
    if len(parts) == 3:
        d = date(*parts)
        return d, d
    if len(parts) == 2:
        y, m = parts
        last = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
        return date(y, m, 1), last
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def elapsed_years(start: str, end: str) -> tuple[float, Interval]:
    """Years from ``start`` to ``end`` (days / 365.25): the midpoint and the interval that the
    precision of two possibly partial dates allows."""
    s0, s1 = date_bounds(start)
    e0, e1 = date_bounds(end)
    lo, hi = (e0 - s1).days / 365.25, (e1 - s0).days / 365.25
    return (lo + hi) / 2, Interval(lo, hi)


def has_span(ctx: Ctx, cid: str) -> bool:
    return bool(ctx.reading(cid, "span_start") and ctx.reading(cid, "span_end"))


@check("dated_span", "arithmetic", "A stated duration against the days between the two dated events "
       "that bound it (claim readings)")
def dated_span(ctx: Ctx) -> None:
    for cid in [c for c in ctx.claims["claim_id"] if has_span(ctx, c)]:
        start, end = ctx.reading(cid, "span_start"), ctx.reading(cid, "span_end")
        point, iv = elapsed_years(start, end)
        verdict = tol.judge(ctx.iv(cid), point, iv)
        ctx.add(cid, verdict,
                f"from {start} ({ctx.reading(cid, 'span_start_basis')}) to {end} "
                f"({ctx.reading(cid, 'span_end_basis')}) is {num(point, 2)} years"
                + (f" ({num(iv.lo, 2)} to {num(iv.hi, 2)} given the dates' precision)"
                   if iv.hi - iv.lo > 0.01 else "")
                + f"; the stated {ctx.stated(cid)} (interval {fmt_iv(ctx.iv(cid))}) "
                + {HOLDS: "fits", WITHIN: "fits only at the edge of the dates' precision",
                   NOT_HOLD: "does not fit"}[verdict],
                computed=iv, point=point, computed_unit="years", decimals=2,
                reference="the dates the span runs between, as we read the text")


@check("years_since", "arithmetic", "Years from an outside date to the date of the statement",
       uses=(FACTS,))
def years_since(ctx: Ctx) -> None:
    for m in ctx.metrics_where("relation", "years_since"):
        fact_id = ctx.catalogue(m, "related")
        start = int(float(ctx.fact(fact_id)["value"]))
        why = ctx.fact_text(fact_id)
        for cid in [c for c in ctx.of_metric(m) if not has_span(ctx, c)]:
            y = end_year(ctx.c(cid)["period"])
            years = y - start
            verdict = tol.judge(ctx.iv(cid), years)
            ctx.add(cid, verdict,
                    f"{y} - {start} = {years} years; stated {ctx.stated(cid)} "
                    f"(interval {fmt_iv(ctx.iv(cid))}): " + ("fits" if verdict == HOLDS else "does not fit"),
                    computed=years, computed_unit="years", reference=f"{start}: {why}")


@check("majority_of", "arithmetic", "'Most' against the same text's poll figure for that view")
def majority_of(ctx: Ctx) -> None:
    for cid in ctx.with_reading("majority_metric"):
        share = same_text(ctx, cid, ctx.reading(cid, "majority_metric"), ctx.c(cid)["period"])
        if not share:
            continue
        s = share[0]
        x = ctx.v(s)
        q = ctx.reading(s, "question")
        options = ", ".join(ctx.said(o) for o in question_groups(ctx).get(q, [s]))
        verdict = HOLDS if x > 50 else (WITHIN if ctx.iv(s).hi > 50 else NOT_HOLD)
        ctx.add(cid, verdict,
                f"'most' needs more than 50%; the text's own {ctx.c(s)['period']} poll puts this "
                f"view at {num(x)}% ({options}): " + ("a majority" if x > 50 else
                                                     "the largest group, not a majority"
                                                     if x >= max(ctx.v(o) for o in question_groups(ctx).get(q, [s]))
                                                     else "not a majority"),
                computed=x, computed_unit="percent", reference=s)


def _per(unit: str) -> str:
    return {"events": "event", "count": "unit", "percent": "percent"}.get(unit, unit)


@check("implied_ratio", "arithmetic", "A figure divided by a related figure of the same text: what it "
       "implies (nothing to test it against)")
def implied_ratio(ctx: Ctx) -> None:
    for m in ctx.metrics_where("relation", "implied_ratio"):
        for cid in ctx.of_metric(m):
            rel = same_text(ctx, cid, ctx.catalogue(m, "related"), ctx.c(cid)["period"])
            if not rel:
                continue
            r = rel[0]
            scale = 0.01 if ctx.c(r)["unit"] == "percent" else 1.0
            iv = ctx.iv(cid) / (ctx.iv(r) * scale)
            pt = ctx.v(cid) / (ctx.v(r) * scale)
            unit = (ctx.c(cid)["unit"] if scale != 1.0
                    else f"{ctx.c(cid)['unit']} per {_per(ctx.c(r)['unit'])}")
            what = ("the whole at that price" if scale != 1.0 else "per unit of the other")
            ctx.add(cid, NOT_CHECKABLE,
                    f"{ctx.stated(cid)} with {ctx.stated(r)} ({r}) implies {num(pt)} {unit_label(unit)} "
                    f"({what}; {fmt_iv(iv)} at the stated precision); no text or reference states "
                    "it, so it cannot be tested", computed=iv, point=pt, computed_unit=unit,
                    reference=r)


@check("implied_share_amount", "arithmetic", "A share of a total of the same text: the amount it implies "
       "(nothing to test it against)")
def implied_share_amount(ctx: Ctx) -> None:
    for m in ctx.metrics_where("relation", "implied_share_amount"):
        for cid in ctx.of_metric(m):
            rel = same_text(ctx, cid, ctx.catalogue(m, "related"), ctx.c(cid)["period"])
            if not rel:
                continue
            r = rel[0]
            iv = ctx.iv(r) * (ctx.iv(cid) * 0.01)
            pt = ctx.v(r) * ctx.v(cid) / 100
            unit = ctx.c(r)["unit"]
            ctx.add(cid, NOT_CHECKABLE,
                    f"{num(ctx.v(cid))}% of {ctx.stated(r)} is {num(pt)} {unit_label(unit)}; no text "
                    "or reference gives this amount, so it cannot be tested",
                    computed=iv, point=pt, computed_unit=unit, reference=r)


@check("parts_of_total", "arithmetic", "Parts stated without their total: what they add up to "
       "(nothing to test it against)")
def parts_of_total(ctx: Ctx) -> None:
    metrics = ctx.metrics_where("relation", "parts_of_total")
    groups: dict[tuple, list[str]] = {}
    for cid in ctx.of_metric(*metrics):
        groups.setdefault((ctx.c(cid)["source_id"], ctx.c(cid)["period"]), []).append(cid)
    for parts in groups.values():
        if len(parts) < 2:
            continue
        total = sum(ctx.v(c) for c in parts)
        value = same_text(ctx, parts[0], ctx.catalogue(ctx.c(parts[0])["metric"], "related"),
                          ctx.c(parts[0])["period"])
        worth = ""
        if value:
            avg = ctx.v(value[0]) / total * 1000
            worth = f" worth {ctx.stated(value[0])} ({num(avg)} US$ mn each on average)"
        for cid in parts:
            ctx.add(cid, NOT_CHECKABLE,
                    f"the {len(parts)} kinds add up to {num(total)}{worth}; the text states no total "
                    "to check them against", computed=Interval.point(total), point=total,
                    computed_unit=ctx.c(cid)["unit"],
                    reference=", ".join(o for o in parts + value if o != cid))


# ===================================================================================== #
#  CROSS-SOURCE: the same metric in two or more texts (catalogue: cross_source)          #
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
            head = "none needed, the texts give the same figure"
        elif extra:
            head = extra
        else:
            head = "rounding, the stated precisions overlap"
        also = [x for x in (poll, period, extra if head != extra else "") if x]
        return head + (f"; besides: {'; '.join(also)}" if also else "")
    primary = currency or extra or poll or period or (
        "unexplained, with no difference of period, pollster or unit, and a gap rounding cannot "
        "bridge (different question wording or a misreport)")
    also = [x for x in (currency, extra, poll, period) if x and x != primary]
    return f"not rounding; most likely {primary}" + (f"; besides: {'; '.join(also)}" if also else "")


CLAIM_ID_START = re.compile(r"[a-z]+\d{4}-\d")   # a sentence may open with a claim id, kept as is


def sentences(*parts: str, reason: str = "") -> str:
    """A generated note as sentences: each part a sentence, the likely reason the last."""
    out = [p if CLAIM_ID_START.match(p) else p[0].upper() + p[1:] for p in parts if p]
    if reason:
        out.append(f"Likely reason: {reason}")
    return ". ".join(out) + "."


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
    reason = likely_reason(ctx, ids, verdict, extra)
    gap = _gap_text(ctx, ids, pts) if not label else label
    for cid, iv, pt in zip(ids, ivs, pts):
        others = "; ".join(ctx.said(o) for o in ids if o != cid)
        op = sorted(p for o, p in zip(ids, pts) if o != cid)
        ctx.add(cid, verdict, sentences(others, gap, reason=reason),
                computed=Interval(op[0], op[-1]), point=op[len(op) // 2],
                reference=", ".join(o for o in ids if o != cid))
    return verdict


def group_key(row) -> str:
    """One compared group of a cross-source verdict row: the rule and the claims it compared
    (the row's claim and those in its ``reference``)."""
    members = sorted([row["claim_id"]] + [x for x in str(row["reference"]).split(", ") if x])
    return row["check"] + ":" + "+".join(members)


def compare_key(ctx: Ctx, cid: str) -> str:
    """The period two claims must share: the poll's fieldwork where a reading names it, else the
    ledger's period; a single date counts as its year."""
    return year_key(ctx.reading(cid, "poll_window") or ctx.c(cid)["period"])


def cross_groups(ctx: Ctx, mode: str) -> list[tuple[str, list[str]]]:
    """(metric, claims) groups to compare: claims of one metric from two or more texts, for the
    same period (``any_period``: whatever the period)."""
    out = []
    for m in ctx.metrics_where("cross_source", mode):
        ids = ctx.of_metric(m)
        keys = {"": ids} if mode != "same_period" else {}
        if mode == "same_period":
            for cid in ids:
                keys.setdefault(compare_key(ctx, cid), []).append(cid)
        for group in keys.values():
            if len({ctx.c(c)["source_id"] for c in group}) > 1:
                out.append((m, group))
    return out


def _parts_against_whole(ctx: Ctx, group: list[str]) -> list[str]:
    """Judge 'part' claims against the whole ones of their group; return the whole ones."""
    parts = [c for c in group if ctx.reading(c, "scope") == "part"]
    whole = [c for c in group if c not in parts]
    for p in parts:
        if not whole:
            continue
        bound = min(ctx.v(w) for w in whole)
        bound_hi = min(ctx.iv(w).hi for w in whole)
        verdict = (HOLDS if ctx.iv(p).lo <= bound else
                   WITHIN if ctx.iv(p).lo <= bound_hi else DISAGREE)
        ctx.add(p, verdict,
                sentences('; '.join(ctx.said(w) for w in whole), "this figure covers only part of "
                          f"what the other text(s) count: {ctx.stated(p)} "
                          + ("fits inside" if verdict != DISAGREE else "exceeds")
                          + f" {num(bound)}, leaving room for {num(bound_hi - ctx.iv(p).lo)} more",
                          reason="part against whole"), computed=bound, computed_unit=f"{ctx.c(p)['unit']} (upper bound)",
                reference=", ".join(whole))
    if parts and whole and len({ctx.c(w)["source_id"] for w in whole}) == 1:
        # the whole is compared with nothing else: it gets the part's verdict, seen from its side
        for w in whole:
            worst = max((r for r in ctx.rows if r["claim_id"] in parts), key=lambda r:
                        tol.VERDICTS.index(r["verdict"]))
            ctx.add(w, worst["verdict"],
                    sentences('; '.join(ctx.said(p) for p in parts), "the part counted by another text "
                         + ("fits inside" if worst["verdict"] != DISAGREE else "exceeds")
                         + " this whole", reason="part against whole"),
                    computed=min(ctx.iv(p).lo for p in parts),
                    computed_unit=f"{ctx.c(w)['unit']} (part, lower bound)",
                    reference=", ".join(parts))
    return whole


@check("same_figure", "cross_source", "The same metric for the same period in two or more texts")
def same_figure(ctx: Ctx) -> None:
    for _, group in cross_groups(ctx, "same_period"):
        whole = _parts_against_whole(ctx, group)
        if len({ctx.c(c)["source_id"] for c in whole}) > 1:
            _compare(ctx, whole)


@check("same_figure_any_period", "cross_source", "A quantity that does not change with time, compared "
       "across the texts whatever the period")
def same_figure_any_period(ctx: Ctx) -> None:
    for _, group in cross_groups(ctx, "any_period"):
        whole = _parts_against_whole(ctx, group)
        periods = sorted({ctx.c(c)["period"] for c in whole})
        if len({ctx.c(c)["source_id"] for c in whole}) > 1:
            _compare(ctx, whole, extra=("compared across periods" if len(periods) > 1 else ""))


@check("nested_count", "cross_source", "A count over a shorter period inside a longer one cannot exceed it")
def nested_count(ctx: Ctx) -> None:
    for _, group in cross_groups(ctx, "nested_count"):
        years = {c: count_years(ctx.c(c)["period"], *ctx.count_reading(c)) for c in group}
        order = sorted(group, key=lambda c: (years[c], c))
        short, long_ = order[0], order[-1]
        s_span, l_span = years[short], years[long_]
        rate = {c: ctx.v(c) / years[c] for c in (short, long_)}
        verdict = (HOLDS if ctx.v(short) <= ctx.v(long_)
                   else WITHIN if ctx.iv(short).lo <= ctx.iv(long_).hi else DISAGREE)
        rates = (f"{num(rate[short], 1)} a year over {num(s_span)} years vs "
                 f"{num(rate[long_], 1)} a year over {num(l_span)} years")
        reason = likely_reason(ctx, [short, long_], verdict,
                               "the shorter period lies inside the longer one")
        for cid, other in ((short, long_), (long_, short)):
            ctx.add(cid, verdict,
                    sentences(ctx.said(other), f"{ctx.stated(short)} is "
                         + ("within" if verdict != DISAGREE else "more than")
                         + f" {ctx.stated(long_)}; {rates}", reason=reason),
                    computed=rate[cid], computed_unit="meetings per year", reference=other,
                    decimals=1)


@check("implied_start", "cross_source", "Durations stated in different years, compared by the start year they imply")
def implied_start(ctx: Ctx) -> None:
    for _, ids in cross_groups(ctx, "implied_start"):
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
            ctx.add(cid, verdict, sentences(span, reason=reason), computed=iv, point=pt,
                    computed_unit="implied start year",
                    reference=", ".join(o for o in ids if o != cid))


@check("order_by_date", "cross_source", "Ordinals of a series of meetings rise with their dates")
def order_by_date(ctx: Ctx) -> None:
    for _, group in cross_groups(ctx, "order_by_date"):
        ids = sorted(group, key=lambda c: (end_key(ctx.c(c)["period"]), c))
        ok = all(ctx.v(b) >= ctx.v(a) and (ctx.v(b) > ctx.v(a)
                                           or ctx.c(a)["period"] == ctx.c(b)["period"])
                 for a, b in zip(ids, ids[1:]))
        same = all(ctx.v(a) == ctx.v(b) for a, b in zip(ids, ids[1:])
                   if ctx.c(a)["period"] == ctx.c(b)["period"])
        verdict = HOLDS if ok and same else DISAGREE
        seq = ", ".join(f"no. {num(ctx.v(c))} in {period_ends(ctx.c(c)['period'])[1]} ({c})" for c in ids)
        for cid in ids:
            ctx.add(cid, verdict, f"{seq}: " + ("ordinals rise with the dates and agree for the same "
                                                "meeting" if verdict == HOLDS else
                                                "ordinals and dates conflict"),
                    computed=ctx.v(cid), reference=", ".join(o for o in ids if o != cid))


def date_said(period: str, kind: str, date_said: str = "") -> str:
    """The date a claim gives its event: the reading's ``event_date_said``, else the ledger's
    period (for a count or ordinal 'since X', the period's end; a dated event keeps its span)."""
    said = date_said or period
    if "/" in said and kind != "date":
        said = period_ends(said)[1]
    return said


def stated_date(ctx: Ctx, cid: str) -> str:
    c = ctx.c(cid)
    return date_said(c["period"], c["kind"], ctx.reading(cid, "event_date_said"))


@check("same_event", "cross_source", "Two or more texts that date the same event of the chronology")
def same_event(ctx: Ctx) -> None:
    for m in ctx.metrics_where("cross_source", "same_event"):
        by_event: dict[str, list[str]] = {}
        for cid in ctx.of_metric(m):
            if ctx.reading(cid, "event_id"):
                by_event.setdefault(ctx.reading(cid, "event_id"), []).append(cid)
        for eid, ids in by_event.items():
            if len({ctx.c(c)["source_id"] for c in ids}) < 2:
                continue
            dates = {c: stated_date(ctx, c) for c in ids}
            ok = all(same_date(dates[a], dates[b]) for a in ids for b in ids if a < b)
            seq = "; ".join(f"{c}: {dates[c].replace('/', ' to ')}" for c in ids)
            for cid in ids:
                ctx.add(cid, HOLDS if ok else DISAGREE,
                        sentences(seq, "the texts date the event alike" if ok else
                                  "the texts date the event differently"),
                        reference=", ".join(o for o in ids if o != cid))


@check("converted", "cross_source", "Amounts in two currencies, compared at an outside exchange rate",
       uses=(FACTS,))
def converted(ctx: Ctx) -> None:
    for m, ids in cross_groups(ctx, "converted"):
        prefix = ctx.catalogue(m, "series_key")
        conv, notes = [], []
        for cid in ids:
            v, iv, unit = ctx.v(cid), ctx.iv(cid), ctx.c(cid)["unit"]
            if unit.startswith("EUR"):
                fid = f"{prefix}_{end_year(ctx.c(cid)['period'])}"
                rate = float(ctx.fact(fid)["value"])
                notes.append(f"€{num(v)} mn = US${num(v * rate)} mn at {rate} US$/€ "
                             f"({ctx.fact_text(fid)})")
                v, iv = v * rate, iv * rate
            conv.append((v, iv))
        pts, ivs = [c[0] for c in conv], [c[1] for c in conv]
        verdict = tol.agree(ivs, pts)
        reason = likely_reason(ctx, ids, verdict)
        for k, cid in enumerate(ids):
            others = [p for j, p in enumerate(pts) if j != k]
            ctx.add(cid, verdict,
                    sentences(f"{'; '.join(notes)}; {'; '.join(ctx.said(o) for o in ids if o != cid)}",
                         reason=reason), computed=others[0], computed_unit="USD million",
                    reference=", ".join(o for o in ids if o != cid))


# ===================================================================================== #
#  REFERENCE: claims against the extracts (catalogue: series, series_key, reference_rule) #
# ===================================================================================== #

def ruled(ctx: Ctx, rule: str) -> list[str]:
    """Claims whose metric the catalogue hands to reference rule ``rule``."""
    return ctx.of_metric(*ctx.metrics_where("reference_rule", rule))


def _imf(ctx: Ctx, year: int) -> dict[str, float]:
    t = ctx.ref("trade_japan_russia")
    sub = t[t["year"] == year]
    return {r["reporter"]: float(r["total_usd_mn"]) / 1000 for _, r in sub.iterrows()}


def compilation_band(ctx: Ctx) -> tuple[float, str]:
    """How far two compilations of one reporter's trade total differ, in percent: Japan's
    Ministry of Finance figure as reported (``trade_points``) against the IMF's Japan-reported
    figure, the largest gap over the years both give. A level closer to a reporter's IMF figure
    than that is not called wrong: it may come from another release of the same statistics."""
    t, mof = ctx.ref("trade_japan_russia"), ctx.ref("trade_points")
    mof = mof[(mof["metric"] == "total_trade_with_russia") & (mof["unit"] == "USD billion")]
    gaps = []
    for _, r in mof.iterrows():
        imf = t[(t["year"].astype(str) == str(r["period"])) & (t["reporter"] == r["reporter"])]
        if not imf.empty:
            x = float(imf["total_usd_mn"].iloc[0]) / 1000
            gaps.append((abs(float(r["value"]) - x) / x * 100, str(r["period"])))
    if not gaps:
        return 0.0, "no year with both compilations"
    band, year = max(gaps)
    years = ", ".join(sorted(y for _, y in gaps))
    return band, (f"the Ministry of Finance and IMF compilations of Japan's figures differ by up to "
                  f"{num(band, 2)}% ({years})")


def _against_reporters(ctx: Ctx, cid: str, values: dict[str, float], unit_word: str,
                       what: str, band: tuple[float, str] | None = None) -> None:
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
        d = ctx.v(cid) - x
        rel = abs(d) / abs(x) * 100
        note = (f"outside both reporters' {what}: {num(ctx.v(cid))} is {'+' if d >= 0 else '−'}"
                f"{num(abs(d))} {unit_word} ({'+' if d >= 0 else '−'}{num(rel, 2)}%) "
                f"from the nearer, {near}-reported {num(x)}; interval {fmt_iv(civ)}")
        if band is not None and rel <= band[0]:
            verdict = WITHIN
            note += (f"; not a rounding match, but within the band of compilation differences: "
                     f"{band[1]}")
        else:
            verdict = NOT_HOLD
            if band is not None:
                note += f"; more than compilation differences explain: {band[1]}"
    ctx.add(cid, verdict, note, computed=x, reference=f"IMF DOTS {what}: {ref}")


@check("reporter_total", "reference", "Trade totals against the IMF figures of each reporter",
       uses=("trade_japan_russia", "trade_points"))
def reporter_total(ctx: Ctx) -> None:
    band = compilation_band(ctx)
    for cid in ruled(ctx, "reporter_total"):
        y = end_year(ctx.c(cid)["period"])
        _against_reporters(ctx, cid, _imf(ctx, y), "US$ bn", f"total for {y}", band)


@check("reporter_growth", "reference", "Trade growth rates against the IMF figures of each reporter",
       uses=("trade_japan_russia",))
def reporter_growth(ctx: Ctx) -> None:
    for cid in ruled(ctx, "reporter_growth"):
        y = end_year(ctx.c(cid)["period"])
        now, before = _imf(ctx, y), _imf(ctx, y - 1)
        g = {r: (now[r] / before[r] - 1) * 100 for r in now if r in before}
        _against_reporters(ctx, cid, g, "points", f"growth {y - 1} to {y}")


@check("ministry_total", "reference", "Trade totals against Japan's Ministry of Finance figure as "
       "reported in the news", uses=("trade_points",))
def ministry_total(ctx: Ctx) -> None:
    t = ctx.ref("trade_points")
    for cid in ruled(ctx, "ministry_total"):
        y = str(end_year(ctx.c(cid)["period"]))
        hit = t[(t["period"] == y) & (t["metric"] == "total_trade_with_russia")
                & (t["unit"] == ctx.c(cid)["unit"])]
        if hit.empty:
            continue
        r = hit.iloc[0]
        x = float(r["value"])
        verdict = tol.judge(ctx.iv(cid), x, Interval.around(x, 0.05))
        ctx.add(cid, verdict,
                f"{r['reporter']}'s Ministry of Finance total for {y} as reported ({r['reliability_note']}) "
                f"is {num(x)} US$ bn; the stated {num(ctx.v(cid))} (interval {fmt_iv(ctx.iv(cid))}) "
                + ("covers it" if verdict == HOLDS else "does not cover it"),
                computed=x, reference=f"Japan's customs figures as reported in the news, {y}: {num(x)} US$ bn")


@check("series_low", "reference", "A level the text calls the low point, against the series over "
       "the years the text covers", uses=("trade_japan_russia",))
def series_low(ctx: Ctx) -> None:
    for cid in [c for c in ruled(ctx, "series_low") if ctx.reading(c, "low_point") == "yes"]:
        same = ctx.of_metric(ctx.c(cid)["metric"], source=ctx.c(cid)["source_id"])
        years = sorted({end_year(ctx.c(o)["period"]) for o in same})
        lo_y, hi_y = years[0], years[-1]
        t = ctx.ref("trade_japan_russia")
        win = t[(t["year"] >= lo_y) & (t["year"] <= hi_y)]
        claimed_year = end_year(ctx.c(cid)["period"])
        lows = {r: int(g.loc[g["total_usd_mn"].idxmin(), "year"]) for r, g in win.groupby("reporter")}
        hits = [r for r in sorted(lows) if lows[r] == claimed_year]
        verdict = HOLDS if hits else NOT_HOLD
        ctx.add(cid, verdict,
                f"lowest year {lo_y}-{hi_y} (the years the text gives trade for): "
                + ", ".join(f"{r}-reported {lows[r]}" for r in sorted(lows))
                + f"; the text names {claimed_year}",
                computed=float(claimed_year if hits else lows[sorted(lows)[0]]),
                computed_unit="year of the low", reference=f"IMF DOTS totals {lo_y}-{hi_y}")


@check("partner_share", "reference", "A partner's share of Russia's trade (Russia-reported)",
       uses=("trade_russia_partners",))
def partner_share(ctx: Ctx) -> None:
    t = ctx.ref("trade_russia_partners")
    for cid in ruled(ctx, "partner_share"):
        partner = ctx.catalogue(ctx.c(cid)["metric"], "series_key")
        y = end_year(ctx.c(cid)["period"])
        hit = t[(t["year"] == y) & (t["partner"] == partner)]
        if hit.empty:
            ctx.add(cid, NOT_CHECKABLE, f"the extract has no {partner} row for {y}",
                    reference="IMF DOTS, Russia's trade by partner")
            continue
        x = float(hit["share_of_total_pct"].iloc[0])
        verdict = tol.judge(ctx.iv(cid), x)
        ctx.add(cid, verdict,
                f"{partner}'s share of Russia's total trade in {y} (Russia-reported) is {num(x)}%; the "
                f"stated {num(ctx.v(cid))}% (interval {fmt_iv(ctx.iv(cid))}) "
                + ("covers it" if verdict == HOLDS else "does not cover it"),
                computed=x, reference=f"IMF DOTS Russia-reported {y}: {partner} {num(x)}% of total")


def _ranks(ctx: Ctx, year: int):
    t = ctx.ref("trade_russia_partners")
    sub = t[(t["year"] == year) & (t["partner"] != "World")].set_index("partner")["total_usd_mn"]
    return sub.rank(ascending=False, method="min").astype(int), sub


@check("regional_rank", "reference", "A partner's rank among the partners of its region in "
       "Russia's trade (the region's members as data/reference/regions.csv lists them)",
       uses=("trade_russia_ranks", "regions"))
def regional_rank(ctx: Ctx) -> None:
    """The catalogue's series_key names the partner (IMF name) and the region: 'Japan;Eastern
    Asia'. Every member of the region is ranked, by Russia's figures, in each year of the claim."""
    t, regions = ctx.ref("trade_russia_ranks"), ctx.ref("regions")
    for cid in ruled(ctx, "regional_rank"):
        partner, region = split_list(ctx.catalogue(ctx.c(cid)["metric"], "series_key"))
        members = list(regions.loc[regions["region"] == region, "partner_imf"])
        start, end = (int(x[:4]) for x in period_ends(ctx.c(cid)["period"]))
        ks, last = {}, None
        for yy in range(start, end + 1):
            sub = t[(t["year"] == yy) & t["partner_imf"].isin(members)]
            tot = sub.set_index("partner_imf")["total_usd_mn"].sort_values(ascending=False)
            ks[yy] = int((tot > tot[partner]).sum()) + 1
            last = tot
        verdict = HOLDS if all(tol.judge(ctx.iv(cid), k) == HOLDS for k in ks.values()) else NOT_HOLD
        ctx.add(cid, verdict,
                f"{partner}'s rank among Russia's partners in {region} (UN M49: "
                f"{len(members)} members), Russia-reported: "
                + ", ".join(f"{yy}: {ordinal(k)}" for yy, k in ks.items())
                + f" (US$ bn {end}: " + ", ".join(f"{p} {num(v / 1000)}" for p, v in
                                                   last.head(4).items()) + ")",
                computed=float(ks[end]), reference=f"IMF DOTS Russia-reported {start}-{end}; "
                                                   f"UN M49 {region}")


@check("regional_rank_streak", "reference", "Years in a row one partner stayed ahead of another in "
       "Russia's trade", uses=("trade_russia_partners",))
def regional_rank_streak(ctx: Ctx) -> None:
    t = ctx.ref("trade_russia_partners")
    for cid in ruled(ctx, "regional_rank_streak"):
        leader, follower = split_list(ctx.catalogue(ctx.c(cid)["metric"], "series_key"))
        y = end_year(ctx.c(cid)["period"])
        streak, yy = 0, y
        while yy in set(t["year"]):
            _, tot = _ranks(ctx, yy)
            if not tot[leader] > tot[follower]:
                break
            streak, yy = streak + 1, yy - 1
        verdict = tol.judge(ctx.iv(cid), streak)
        ctx.add(cid, verdict,
                f"{leader} ahead of {follower} in Russia-reported trade for {streak} consecutive "
                f"year(s) up to {y} (not in {yy})", computed=float(streak), computed_unit="years",
                reference=f"IMF DOTS Russia-reported {yy}-{y}")


@check("partner_rank", "reference", "A partner's rank among all of Russia's trading partners",
       uses=("trade_russia_ranks",))
def partner_rank(ctx: Ctx) -> None:
    """The rank extract holds every partner economy of Russia's IMF workbook with its place."""
    t = ctx.ref("trade_russia_ranks")
    for cid in ruled(ctx, "partner_rank"):
        partner = ctx.catalogue(ctx.c(cid)["metric"], "series_key")
        y = end_year(ctx.c(cid)["period"])
        year = t[t["year"] == y].sort_values("total_usd_mn", ascending=False, kind="stable")
        year = year.assign(rank=year["total_usd_mn"].rank(ascending=False, method="min"))
        hit = year[year["partner_imf"] == partner]
        if hit.empty:
            ctx.add(cid, NOT_CHECKABLE, f"the rank extract has no row for {partner} in {y}",
                    reference="IMF DOTS Russia-reported, partners ranked by trade")
            continue
        rank = int(hit["rank"].iloc[0])
        verdict = tol.judge(ctx.iv(cid), float(rank))
        ahead = ", ".join(f"{p} {num(v / 1000)}" for p, v in
                          zip(year["partner_imf"], year["total_usd_mn"]) if v > hit["total_usd_mn"].iloc[0])
        ctx.add(cid, verdict,
                f"Russia reports {num(hit['total_usd_mn'].iloc[0] / 1000)} US$ bn of trade with "
                f"{partner} in {y}, {ordinal(rank)} of {len(year)} partners (ahead: {ahead}); "
                f"the stated {ordinal(ctx.v(cid))} " + ("matches" if verdict == HOLDS else
                                                        "does not match"),
                computed=float(rank), reference=f"IMF DOTS Russia-reported {y}, partners ranked by trade")


def _areas(ctx: Ctx, col: str = "area_km2_incl_islets") -> pd.Series:
    t = ctx.ref("island_areas")
    return t[t["row_type"] == "island"].set_index("island_en")[col].astype(float)


def island_sets(ctx: Ctx, col: str = "area_km2_incl_islets") -> dict[str, list[str]]:
    """The two smaller and the two larger islands, and all four (from the reference's areas)."""
    a = _areas(ctx, col).sort_values()
    return {"all": list(a.index), "smaller": list(a.index[:2]), "larger": list(a.index[-2:])}


def named_islands(ctx: Ctx, cid: str) -> list[str]:
    """The islands a claim's reading names ('all' = every island of the reference)."""
    cell = ctx.reading(cid, "islands")
    return island_sets(ctx)["all"] if cell == "all" else split_list(cell)


@check("island_area_share", "reference", "Share of the disputed area in the two smaller islands",
       uses=("island_areas",))
def island_area_share(ctx: Ctx) -> None:
    shares = {}
    for col, lab in (("area_km2_incl_islets", "with islets"),
                     ("area_km2_main_island_only", "main islands only")):
        a = _areas(ctx, col)
        shares[lab] = a[island_sets(ctx)["smaller"]].sum() / a.sum() * 100
    a = _areas(ctx)
    pair = island_sets(ctx)["smaller"]  # the share is of the two smaller islands
    pt = shares["with islets"]
    comp = Interval(min(shares.values()), max(shares.values()))
    for cid in ruled(ctx, "island_area_share"):
        verdict = tol.judge(ctx.iv(cid), pt, comp)
        ctx.add(cid, verdict,
                f"{' and '.join(pair)} are {num(a[pair].sum())} of {num(a.sum())} km² "
                f"= {num(pt)}% ({num(shares['main islands only'])}% without islets); the stated "
                f"{num(ctx.v(cid))}% (interval {fmt_iv(ctx.iv(cid))}) "
                + ("covers it" if verdict == HOLDS else "does not cover it"),
                computed=comp, point=pt, reference="MOFA/GSI island areas (2022)")


_SIZE_WORDS = {"smaller": "smaller", "bigger": "larger", "larger": "larger"}


@check("island_set", "reference", "Counts of islands against the islands they refer to and their sizes",
       uses=("island_areas",))
def island_set(ctx: Ctx) -> None:
    a = _areas(ctx).sort_values()
    sets = island_sets(ctx)
    for cid in [c for c in ruled(ctx, "island_set") if ctx.reading(c, "islands")]:
        names = [x for x in named_islands(ctx, cid) if x in a.index]
        n = len(names)
        verdict = tol.judge(ctx.iv(cid), n)
        said = [w for k, w in _SIZE_WORDS.items() if k in ctx.c(cid)["token"].lower()]
        size = ""
        if ctx.reading(cid, "islands") == "all":
            note = f"the reference lists {n} disputed islands ({', '.join(a.index)})"
        else:
            if said:
                ok = set(names) == set(sets[said[0]])
                size = (f"; the text calls them the {said[0]} two: "
                        + ("right" if ok else f"wrong (the {said[0]} two are "
                                              f"{', '.join(sorted(sets[said[0]]))})"))
                verdict = verdict if ok else NOT_HOLD
            note = (f"the islands meant are {' and '.join(f'{x} ({num(a[x])} km²)' for x in names)}: "
                    f"{n} of the {len(a)} islands in the reference{size}")
        ctx.add(cid, verdict, note, computed=float(n), reference="MOFA/GSI island areas (2022)")


@check("population_share", "reference", "A count of former residents against the 1945 population",
       uses=("island_areas",))
def population_share(ctx: Ctx) -> None:
    pop = float(ctx.ref("island_areas").query("row_type == 'total'")["pop_1945_japanese"].iloc[0])
    for cid in ruled(ctx, "population_share"):
        ctx.add(cid, NOT_CHECKABLE,
                f"the reference gives only the Japanese population of 1945 ({num(pop)}); "
                f"{ctx.stated(cid)} would be {num(ctx.v(cid) / pop * 100)}% of it - survivors "
                f"in {end_year(ctx.c(cid)['period'])} are in no reference series",
                computed=ctx.v(cid) / pop * 100, computed_unit="percent of 1945",
                reference=f"MOFA island table: {num(pop)} Japanese residents in 1945")


@check("fact_value", "reference", "A count, rank, date or amount against an outside fact",
       uses=(FACTS,))
def fact_value(ctx: Ctx) -> None:
    """The claim's own fact (claim reading ``outside_fact``), else its metric's (catalogue
    ``series_key``): several claims of one metric may each need their own."""
    for cid in ruled(ctx, "fact_value"):
        fid = ctx.reading(cid, "outside_fact") or ctx.catalogue(ctx.c(cid)["metric"], "series_key")
        if not fid:     # another rule (or none) judges this claim of the metric
            continue
        f = ctx.fact(fid)
        x = float(f["value"])
        verdict = tol.judge(ctx.iv(cid), x)
        ctx.add(cid, verdict,
                f"{f['description']}: {num(x)} ({f['publisher']}, {f['title']}); the stated "
                f"{ctx.stated(cid)} " + ("matches" if verdict == HOLDS else "does not match"),
                computed=x, reference=f"{f['publisher']}: {f['url']}")


def _in_window(date: str, window: str) -> bool:
    lo, hi = period_ends(window)
    return lo <= date[:len(lo)] and date[:len(hi)] <= hi


def poll_hits(ctx: Ctx, cid: str) -> pd.DataFrame:
    """The pollster's results a poll figure is read against: the rows of ``poll_points`` its
    reading names (pollster, question, fieldwork window), or else the outside fact it names.
    Columns: org, survey, fieldwork, value_pct, reliability, citation_url."""
    cols = ["org", "survey", "fieldwork", "value_pct", "reliability", "citation_url"]
    fid = ctx.reading(cid, "poll_fact")
    if fid:
        f = ctx.fact(fid)
        return pd.DataFrame([{"org": f["publisher"], "survey": f["title"], "fieldwork": f["date"],
                              "value_pct": float(f["value"]), "reliability": f["reliability"],
                              "citation_url": f["url"]}], columns=cols)
    p = ctx.ref("poll_points")
    orgs = split_list(ctx.reading(cid, "poll_org"))
    metric, window = ctx.reading(cid, "poll_metric"), ctx.reading(cid, "poll_window")
    cand = p[p["org"].isin(orgs) & (p["metric"] == metric)]
    return cand[[_in_window(d, window) for d in cand["fieldwork_start"]]][cols]


@check("poll_result", "reference", "Poll figures against the pollsters' published results (the poll "
       "record, or an outside fact where it has none)", uses=("poll_points", FACTS))
def poll_result(ctx: Ctx) -> None:
    p = ctx.ref("poll_points")
    for cid in [c for c in ruled(ctx, "poll_result")
                if ctx.reading(c, "poll_metric") or ctx.reading(c, "poll_fact")]:
        hit = poll_hits(ctx, cid)
        civ = ctx.iv(cid)
        fid = ctx.reading(cid, "poll_fact")
        where = (f"{ctx.fact(fid)['publisher']}: {ctx.fact(fid)['title']}" if fid
                 else f"poll record, {' or '.join(split_list(ctx.reading(cid, 'poll_org')))} "
                      f"results for {ctx.reading(cid, 'poll_window')}")
        if hit.empty:
            orgs = split_list(ctx.reading(cid, "poll_org"))
            metric, window = ctx.reading(cid, "poll_metric"), ctx.reading(cid, "poll_window")
            cand = p[p["org"].isin(orgs) & (p["metric"] == metric)]
            near = ", ".join(f"{r.org} {r.fieldwork}: {num(r.value_pct)}%" for r in cand.itertuples())
            ctx.add(cid, NOT_CHECKABLE,
                    f"the poll record has no {' or '.join(orgs)} result on this question for {window}"
                    + (f"; nearest in the series: {near}" if near else ""), reference=where)
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
                f"{desc}; the stated {ctx.stated(cid)} (interval {fmt_iv(civ)}) "
                + ("covers " + ("all of them" if all(inside) else "one of them") if any(inside)
                   else "covers none of them"),
                computed=Interval(min(vals), max(vals)), point=near, reference=where)


def same_date(said: str, record: str) -> bool:
    """Two dates agree at the coarser of their precisions: to the year where either gives only a
    year, else to the month (a day in the record is not asked of a text). A stated span
    ('2016-09/2016-11' for "autumn 2016") agrees with a record that falls within it."""
    if "/" in said or "/" in record:
        s0, s1 = span_bounds(said)
        r0, r1 = span_bounds(record)
        return s0 <= r1 and r0 <= s1
    n = 4 if min(len(said), len(record)) < 7 else 7
    return said[:n] == record[:n]


def span_bounds(period: str) -> tuple[date, date]:
    """First and last day of a date or a 'start/end' span."""
    start, end = period_ends(period)
    return date_bounds(start)[0], date_bounds(end)[1]


def _reading_text(val) -> str:
    """A cell of the claim readings as text, '' where it is empty."""
    return "" if val is None or (isinstance(val, float) and math.isnan(val)) else str(val)


def read_count_span(readings: pd.DataFrame, cid: str) -> tuple[str, str]:
    """The days a count's span runs between as the claim readings give them for ``cid``
    (``count_from``, ``count_to``; '' where they give none), for callers without a
    :class:`Ctx` (whose :meth:`Ctx.count_reading` answers the same)."""
    row = readings.loc[readings["claim_id"] == cid]
    if row.empty:
        return "", ""
    return _reading_text(row["count_from"].iloc[0]), _reading_text(row["count_to"].iloc[0])


def count_window(period: str, start: str = "", end: str = "") -> tuple[date, date]:
    """The days a count over ``period`` covers: from the claim reading's ``count_from`` to its
    ``count_to`` where it gives them (a span the text states in years only), else the period's
    first and last day."""
    lo, hi = span_bounds(period)
    return (date_bounds(start)[0] if start else lo), (date_bounds(end)[1] if end else hi)


def count_years(period: str, start: str = "", end: str = "") -> float:
    """The years a count over ``period`` covers (:func:`count_window`); without a reading, the
    period's length as :func:`span_years` measures it."""
    if not start and not end:
        return span_years(period)
    lo, hi = count_window(period, start, end)
    return (hi - lo).days / 365.25


def date_precision(said: str, record: str) -> str:
    """How closely :func:`same_date` compared: 'span', 'year' or 'month'."""
    if "/" in said:
        return "span"
    return "year" if min(len(said), len(record)) < 7 else "month"


@check("event_date", "reference", "The date a text gives an event against the chronology's record",
       uses=("events",))
def event_date(ctx: Ctx) -> None:
    ev = ctx.ref("events").set_index("event_id")
    for cid in ctx.with_reading("event_id"):
        eid = ctx.reading(cid, "event_id")
        if eid not in ev.index:
            from ..errors import DataError
            raise DataError("data/claim_readings.csv", f"no event {eid!r} in data/reference/events.csv",
                            column="event_id")
        e = ev.loc[eid]
        said = stated_date(ctx, cid)
        ok = same_date(said, e["date"])
        how = {"span": "within the span", "year": "the same year", "month": "the same month"}
        ctx.add(cid, HOLDS if ok else NOT_HOLD,
                f"the text gives {said.replace('/', ' to ')}; the record ({e['publisher']}) "
                f"gives {e['date']}: "
                + (how[date_precision(said, e["date"])] if ok else "a different date"),
                reference=f"{e['publisher']}: {e['url']}")


def event_filter(key: str) -> tuple[set[str], list[str]]:
    """A metric's ``series_key`` for the chronology: 'types=summit,visit;with=A,B' -> the event
    types counted and the participants every counted event must have."""
    parts = dict(p.split("=", 1) for p in key.split(";") if "=" in p)
    return (set(parts.get("types", "").split(",")) - {""},
            [w for w in parts.get("with", "").split(",") if w])


@check("event_count", "reference", "A count of meetings over a span against the chronology's record "
       "of them", uses=("events",))
def event_count(ctx: Ctx) -> None:
    ev = ctx.ref("events")
    for m in ctx.metrics_where("reference_rule", "event_count"):
        types, people = event_filter(ctx.catalogue(m, "series_key"))
        pool = ev[ev["type"].isin(types)]
        for name in people:
            pool = pool[pool["participants"].str.split(";").map(lambda xs, n=name: n in xs)]
        for cid in ctx.of_metric(m):
            lo, hi = count_window(ctx.c(cid)["period"], *ctx.count_reading(cid))
            hit = pool[[lo <= date_bounds(d)[0] <= hi for d in pool["date"]]]
            n = len(hit)
            verdict = tol.judge(ctx.iv(cid), float(n))
            first, last = (hit["date"].min(), hit["date"].max()) if n else ("", "")
            ctx.add(cid, verdict,
                    f"the chronology records {n} such meetings from {lo.isoformat()} to "
                    f"{hi.isoformat()}" + (f" (the first {first}, the last {last})" if n else "")
                    + f"; the text says {ctx.stated(cid)}",
                    computed=float(n), reference="chronology (data/reference/events.csv)")


#: rule names the catalogue may use in ``reference_rule``, ``relation`` and ``cross_source``
REFERENCE_RULES = [k for k, c in REGISTRY.items() if c.kind == "reference"]
RELATIONS = ["growth_of", "at_most", "band_contains", "running_count", "share_of_count", "horizon",
             "period_span", "years_since", "implied_ratio", "implied_share_amount", "parts_of_total"]
CROSS_MODES = ["same_period", "any_period", "nested_count", "implied_start", "order_by_date",
               "converted", "same_event", "none"]


# --- views the charts use (read the same data as the rules) --------------------------------

def _ctx(claims: pd.DataFrame | None = None, refs=None) -> Ctx:
    if claims is None:
        from ..ledger import claims as load_claims
        claims = load_claims()
    return Ctx("view", "none", claims, refs if isinstance(refs, Refs) else Refs(refs))


def answer_sets(claims: pd.DataFrame | None = None, refs=None) -> list[list[str]]:
    """Groups of exclusive answers to one poll question (from the claim readings)."""
    return list(question_groups(_ctx(claims, refs)).values())


def pollster_results(cid: str, claims: pd.DataFrame | None = None, refs=None,
                     ctx: Ctx | None = None) -> pd.DataFrame:
    """The pollster's results the audit reads a poll figure against (see :func:`poll_hits`).
    A chart that asks for many claims passes one ``ctx`` (from :func:`_ctx`): a context builds
    its look-up tables once, and building them per claim cost a chart most of its time."""
    return poll_hits(ctx if ctx is not None else _ctx(claims, refs), cid)


def comparable(row, refs=None) -> tuple[float, Interval, str]:
    """A claim on the scale a cross-source chart draws it on: (value, interval, unit).

    Money in euros is converted to US dollars at the outside fact the catalogue names for its
    metric; a count of meetings over a period becomes meetings per year; anything else is the
    claim as read.
    """
    v, iv, unit = float(row["value"]), tol.claim_interval(row), row["unit"]
    if unit.startswith("EUR"):
        refs = refs if isinstance(refs, Refs) else Refs(refs)
        m = refs[CATALOGUE].set_index("metric")
        fid = f"{m.at[row['metric'], 'series_key']}_{end_year(row['period'])}"
        f = refs[FACTS].set_index("fact_id")
        rate = float(f.at[fid, "value"])
        return v * rate, iv * rate, unit.replace("EUR", "USD")
    if unit == "meetings" and "/" in str(row["period"]):
        refs = refs if isinstance(refs, Refs) else Refs(refs)
        cid = row["claim_id"] if "claim_id" in row else row.name   # a row of a frame keyed by id
        span = count_years(row["period"], *read_count_span(refs[READINGS], cid))
        return v / span, iv / span, "meetings per year"
    return v, iv, unit
