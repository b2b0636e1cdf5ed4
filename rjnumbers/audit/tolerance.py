"""Precision-aware comparison: a claim is judged at the precision it was stated with.

The rule (applied by :func:`claim_interval` to one ledger row)
---------------------------------------------------------------
1. **Digits.** The number as printed in ``token`` fixes the precision: half a unit of its last
   significant digit.  ``$18.26 billion`` -> ±0.005 bn; ``13.7%`` -> ±0.05; ``$16 billion`` ->
   ±0.5 bn.  An integer ending in zeros is a round number, significant up to its last non-zero
   digit: ``70 years`` -> ±5, ``US$ 200 million`` -> ±50 million, ``400,000 people`` ->
   ±50,000.  A comma followed by exactly three digits separates thousands (``3,500``); any other
   comma is a decimal comma (``1,5 million`` = 1.5 million).  The precision is scaled with the
   value (``18 months`` recorded as 1.5 years -> ±0.5 month = ±1/24 year).
2. **Exact counts.** A whole number of discrete things (count, rank, meetings, agreements,
   documents, projects, events) stated without a hedge is exact (±0), and so is an ordinal
   (``10th``, ``third``): a text that says "seven times" means seven.
3. **Words.** A number in words (``two years``, ``fifty-fifty``) gets rule 1 applied to its value
   (so ``two years`` -> ±0.5 year).  Verbal fractions and multiples of a continuous quantity
   (``three fourths``, ``quarter-century``, ``two decades``) are round by nature and are read as
   *about* (rule 4).
4. **about.** ``about``/``around`` widens the interval to ±10 % of the value or the digit
   precision of rule 1, whichever is larger: ``about 700 events`` -> ±70; ``about 200`` -> ±50.
5. **One-sided.** ``more_than``/``at_least`` give [value, +inf); ``less_than``/``at_most`` give
   (-inf, value]: the bound is taken at face value. ``almost`` ("almost four decades") is just
   under the value: [value - max(10 % of it, the digit precision), value].
6. **Ranges.** ``range`` gives [value - precision(low), value_high + precision(high)], each end
   with its own precision (``74.8 to 82.9 percent`` -> [74.75, 82.95]).

Verdicts (:func:`judge`)
------------------------
A claim interval C is compared with a recomputed or reference value: a central value ``point`` and,
when it comes from rounded inputs, an interval K (interval arithmetic, see :class:`Interval`).

* ``holds`` - ``point`` lies in C: the claim is right at the precision it was stated with;
* ``holds_within_rounding`` - ``point`` is outside C but K and C overlap: only the rounding of
  the inputs reconciles them (e.g. a growth rate recomputed from two rounded levels);
* ``does_not_hold`` - K and C do not overlap.

Two or more claims of different texts (:func:`agree`) ``hold`` when every claim's central value
lies in every other claim's interval, ``hold_within_rounding`` when their intervals share a
common point, and otherwise the sources disagree.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

HOLDS = "holds"
WITHIN = "holds_within_rounding"
NOT_HOLD = "does_not_hold"
DISAGREE = "sources_disagree"
NOT_CHECKABLE = "not_checkable"
VERDICTS = [HOLDS, WITHIN, NOT_HOLD, DISAGREE, NOT_CHECKABLE]

DISCRETE_UNITS = {"count", "rank", "meetings", "agreements", "documents", "projects", "events"}
ABOUT_SHARE = 0.10  # rule 4: 'about' = ±10 % of the value at least
APPROX_WORDS = ("fourth", "third", "half", "quarter", "decade", "century", "few", "dozen")
_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)\b")
_SCALES = (1.0, 1e3, 1e6, 1e9, 1 / 12, 1e-3)


@dataclass(frozen=True)
class Interval:
    """A closed interval [lo, hi]; lo may be -inf and hi +inf (one-sided claims)."""

    lo: float
    hi: float

    def __post_init__(self):
        if self.lo > self.hi:
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")

    @classmethod
    def point(cls, x: float) -> "Interval":
        return cls(float(x), float(x))

    @classmethod
    def around(cls, x: float, half_width: float) -> "Interval":
        return cls(float(x) - half_width, float(x) + half_width)

    @property
    def mid(self) -> float:
        if math.isinf(self.lo) or math.isinf(self.hi):
            return self.lo if math.isinf(self.hi) else self.hi
        return (self.lo + self.hi) / 2

    def contains(self, x: float, eps: float = 1e-9) -> bool:
        return self.lo - eps <= x <= self.hi + eps

    def overlaps(self, other: "Interval", eps: float = 1e-9) -> bool:
        return self.lo <= other.hi + eps and other.lo <= self.hi + eps

    def intersect(self, other: "Interval") -> "Interval | None":
        lo, hi = max(self.lo, other.lo), min(self.hi, other.hi)
        return Interval(lo, hi) if lo <= hi + 1e-9 else None

    def gap(self, other: "Interval") -> float:
        """Distance between the two intervals (0 if they overlap)."""
        return max(0.0, other.lo - self.hi, self.lo - other.hi)

    # interval arithmetic (monotone operations on the end points)
    def __add__(self, other):
        o = _iv(other)
        return Interval(self.lo + o.lo, self.hi + o.hi)

    def __sub__(self, other):
        o = _iv(other)
        return Interval(self.lo - o.hi, self.hi - o.lo)

    def __mul__(self, other):
        o = _iv(other)
        c = [_mul(a, b) for a in (self.lo, self.hi) for b in (o.lo, o.hi)]
        return Interval(min(c), max(c))

    __rmul__ = __mul__

    def __truediv__(self, other):
        o = _iv(other)
        if o.lo <= 0 <= o.hi:
            raise ZeroDivisionError("interval divisor contains 0")
        return self * Interval(1 / o.hi, 1 / o.lo)


def _mul(a: float, b: float) -> float:
    if (a == 0 and math.isinf(b)) or (b == 0 and math.isinf(a)):
        return 0.0
    return a * b


def _iv(x) -> Interval:
    return x if isinstance(x, Interval) else Interval.point(x)


def growth_pct(old: Interval, new: Interval) -> Interval:
    """Growth from ``old`` to ``new`` in percent, as an interval: (new / old - 1) x 100."""
    r = new / old
    return Interval((r.lo - 1) * 100, (r.hi - 1) * 100)


def share_pct(part: Interval, whole: Interval) -> Interval:
    r = part / whole
    return Interval(r.lo * 100, r.hi * 100)


# --- the stated precision of a token -------------------------------------------------------

def _parse(num: str) -> tuple[float, int | None]:
    """'18.26' -> (18.26, 2); '3,500' -> (3500, None); '1,5' -> (1.5, 1); '70' -> (70, None)."""
    if "," in num and all(len(g) == 3 for g in num.split(",")[1:]) and "." not in num:
        num = num.replace(",", "")
    elif "," in num and "." not in num:
        num = num.replace(",", ".")
    else:
        num = num.replace(",", "")
    if "." in num:
        return float(num), len(num.split(".")[1])
    return float(num), None


def digit_half_width(x: float, decimals: int | None) -> float:
    """Half a unit of the last significant digit (round integers: of the last non-zero digit)."""
    if decimals is not None:
        return 0.5 * 10 ** -decimals
    n = int(round(abs(x)))
    if n == 0:
        return 0.5
    k = 0
    while n % 10 == 0:
        n //= 10
        k += 1
    return 0.5 * 10 ** k


@dataclass(frozen=True)
class Stated:
    """What the token says about precision: half-width of each end, in the value's unit."""

    half_low: float
    half_high: float
    rule: str


def stated_precision(token: str, value: float, value_high: float | None, unit: str,
                     qualifier: str) -> Stated:
    """Half-widths (in the unit of ``value``) implied by how the number is written."""
    nums = [m.group() for m in _NUM.finditer(token)]
    ordinal = bool(_ORDINAL.search(token)) or (unit == "rank")
    discrete = unit in DISCRETE_UNITS and float(value).is_integer() and qualifier != "about"
    if ordinal or (discrete and not any("." in n or "," in n for n in nums)):
        return Stated(0.0, 0.0, "exact: a whole count or an ordinal")
    ends = [value] if value_high is None or pd.isna(value_high) else [value, value_high]
    parsed = [_parse(n) for n in nums]
    halves, rules = [], []
    for i, v in enumerate(ends):
        cand = parsed[i:] + parsed[:i] if qualifier == "range" else parsed
        hit = None
        for x, dec in cand:
            if x == 0:
                continue
            scale = v / x
            if any(math.isclose(scale, s, rel_tol=1e-3) for s in _SCALES):
                hit = (x, dec, scale)
                break
        if hit is None:  # number in words: rule 1 on the value itself (or 'about' for fractions)
            approx = any(w in token.lower() for w in APPROX_WORDS) and unit not in DISCRETE_UNITS
            hw = digit_half_width(v, None if float(v).is_integer() else 2)
            if approx:
                hw = max(hw, ABOUT_SHARE * abs(v))
                rules.append("verbal fraction or multiple, read as about (±10%)")
            else:
                rules.append("number in words: half a unit of its last digit")
            halves.append(hw)
            continue
        x, dec, scale = hit
        hw = digit_half_width(x, dec) * scale
        halves.append(hw)
        rules.append(f"digits: ±{digit_half_width(x, dec):g} as printed "
                     "(half a unit of the last significant digit)")
    if len(halves) == 1:
        halves.append(halves[0])
    return Stated(halves[0], halves[1], rules[0])


def claim_interval(row) -> Interval:
    """The interval a ledger row's claim covers at its stated precision (see module docstring)."""
    v = float(row["value"])
    vh = row.get("value_high")
    vh = None if vh is None or pd.isna(vh) else float(vh)
    q = row["qualifier"]
    st = stated_precision(str(row["token"]), v, vh, row["unit"], q)
    if q in ("more_than", "at_least"):
        return Interval(v, math.inf)
    if q in ("less_than", "at_most"):
        return Interval(-math.inf, v)
    if q == "almost":
        return Interval(v - max(st.half_low, ABOUT_SHARE * abs(v)), v)
    if q == "range":
        return Interval(v - st.half_low, (vh if vh is not None else v) + st.half_high)
    hw = st.half_low
    if q == "about":
        hw = max(hw, ABOUT_SHARE * abs(v))
    return Interval.around(v, hw)


def precision_rule(row) -> str:
    """One line saying which rule gave the claim its interval."""
    q = row["qualifier"]
    if q in ("more_than", "at_least", "less_than", "at_most"):
        return f"{q.replace('_', ' ')}: one-sided bound at face value"
    if q == "almost":
        return "almost: just under the value, by up to 10% or the digit precision"
    vh = row.get("value_high")
    st = stated_precision(str(row["token"]), float(row["value"]),
                          None if vh is None or pd.isna(vh) else float(vh), row["unit"], q)
    return ("about: ±10% or the digit precision, whichever larger" if q == "about" else st.rule)


# --- verdicts -------------------------------------------------------------------------------

def judge(claimed: Interval, point: float, computed: Interval | None = None) -> str:
    """holds / holds_within_rounding / does_not_hold (see module docstring)."""
    computed = computed or Interval.point(point)
    if claimed.contains(point):
        return HOLDS
    if claimed.overlaps(computed):
        return WITHIN
    return NOT_HOLD


def agree(intervals: list[Interval], points: list[float]) -> str:
    """holds / holds_within_rounding / sources_disagree for claims of different texts."""
    if all(iv.contains(p) for iv in intervals for p in points):
        return HOLDS
    common = intervals[0]
    for iv in intervals[1:]:
        common = common.intersect(iv) if common is not None else None
    return WITHIN if common is not None else DISAGREE
