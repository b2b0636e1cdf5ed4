"""Everything a chapter may read, checked before any chapter runs (``make book``, ``make audit``).

1. **Schemas**: every table of ``data/datapackage.json`` against its Table Schema, foreign keys
   included (:func:`rjnumbers.data.validate_all`).
2. **Manifests**: every reference extract against its builder's checks, its row count and its
   sha256 (:func:`rjnumbers.reference.verify_all`); every other resource that records a hash
   or a row count (hand-transcribed facts, the chronology) against them.
3. **Plausibility of the claims**: a value agrees with the number its token prints (sign, order
   of magnitude, decimal comma), a percentage lies within 0-100, a range runs upwards; and,
   where the source texts are beside the project (``../shared/seeds``), every locator is a line
   of its text and the token stands on that line.
4. **Prose facts**: every figure a chapter quotes about particular claims
   (``data/prose_facts.csv``) names claims, checks and facts that exist.

The first problem stops the build with one :class:`~rjnumbers.errors.DataError` naming the file,
the row and the column; nothing is written.
"""
from __future__ import annotations

import hashlib
import re

from .errors import DataError
from .paths import DATA, DATAPACKAGE, rel, seeds_dir

CLAIMS = "data/claims.csv"
_FIGURE = re.compile(r"(?<![A-Za-z])\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"(19|20)\d\d")
_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:1[6-9]|20)\d\d)(?!\d)")


def token_number(token: str, unit: str) -> float | None:
    """The first figure a token prints (not a name such as G7, not a calendar year), in the
    ledger's unit where the token counts months of a span given in years; None if it has none."""
    figures = [f for f in _FIGURE.findall(token) if not _YEAR.fullmatch(f)]
    if not figures:
        return None
    raw = figures[0]
    if re.fullmatch(r"\d{1,3}(,\d{3})+", raw):
        num = float(raw.replace(",", ""))
    else:
        num = float(raw.replace(",", "."))
    if "month" in token and unit == "years":
        num /= 12
    return num


def value_matches_token(value: float, token: str, unit: str) -> bool:
    """The value is the token's figure up to a power of ten (US$ 1.3 billion = 1300 million)."""
    num = token_number(token, unit)
    if num is None:
        return True
    return any(abs(value - num * 10 ** k) <= 1e-9 * max(1.0, abs(num * 10 ** k))
               for k in range(-6, 7))


def check_claims(claims, sources, seeds: dict[str, list[str]] | None = None) -> None:
    """Raise DataError at the first claim whose value, range or locator is implausible."""
    seed_of = dict(zip(sources["source_id"], sources["seed_file"]))
    for row, c in enumerate(claims.itertuples(index=False), start=1):
        value = float(c.value)
        if value < 0 and "-" not in c.token and "−" not in c.token:
            raise DataError(CLAIMS, f"value {value:g} is negative but the token {c.token!r} has "
                            "no minus sign", row=row, column="value")
        if c.unit == "percent" and not 0 <= value <= 100:
            raise DataError(CLAIMS, f"a percentage of {value:g} is outside 0-100", row=row,
                            column="value")
        if c.value_high == c.value_high and c.value_high is not None:  # not NaN
            if float(c.value_high) <= value:
                raise DataError(CLAIMS, "the high end of a range must exceed its low end",
                                row=row, column="value_high")
        dated = c.kind == "date" or c.unit == "date"
        if dated:
            check_date_claim(row, c)
        elif not c.text_issue and not value_matches_token(value, c.token, c.unit):
            raise DataError(CLAIMS, f"value {value:g} does not match the number the token "
                            f"{c.token!r} prints (nor a power of ten of it); explain it in "
                            "text_issue if the text is damaged", row=row, column="value")
        if seeds is not None:
            check_on_its_line(CLAIMS, row, c, seeds, seed_of)


def check_date_claim(row: int, c) -> None:
    """A dated event: kind and unit say 'date' together, the value is the year the period starts
    in, and every year the token prints lies within the period."""
    if (c.kind == "date") != (c.unit == "date"):
        raise DataError(CLAIMS, "a dated event has kind 'date' and unit 'date' (one of them "
                        f"is {c.kind if c.unit == 'date' else c.unit!r})", row=row,
                        column="unit" if c.kind == "date" else "kind")
    years = [int(p[:4]) for p in str(c.period).split("/") if re.fullmatch(r"\d{4}(-\d\d){0,2}", p)]
    if not years:
        raise DataError(CLAIMS, f"a dated event needs an ISO period (YYYY, YYYY-MM, YYYY-MM-DD or "
                        f"start/end), not {c.period!r}", row=row, column="period")
    if float(c.value) != years[0]:
        raise DataError(CLAIMS, f"a dated event's value is the year its period starts in "
                        f"({years[0]}), not {float(c.value):g}", row=row, column="value")
    for y in (int(y) for y in _YEAR_IN_TEXT.findall(c.token)):
        if not years[0] <= y <= years[-1] and not c.text_issue:
            raise DataError(CLAIMS, f"the token prints the year {y}, outside the period "
                            f"{c.period!r}", row=row, column="period")


def check_on_its_line(file: str, row: int, r, seeds: dict[str, list[str]], seed_of: dict) -> None:
    """Row ``r`` (source_id, locator, token) of ``file``: its token stands on its line."""
    lines = seeds.get(seed_of.get(r.source_id, ""), None)
    if lines is None:
        raise DataError("data/sources.csv", f"no seed text for source {r.source_id!r} in "
                        f"{rel(seeds_dir())}", column="seed_file")
    loc = int(r.locator)
    if not 1 <= loc <= len(lines):
        raise DataError(file, f"line {loc} is past the end of its text "
                        f"({len(lines)} non-empty lines)", row=row, column="locator")
    if r.token not in lines[loc - 1]:
        raise DataError(file, f"the token {r.token!r} does not stand on non-empty line "
                        f"{loc} of its text", row=row, column="token")


def check_forecasts(forecasts, seeds: dict[str, list[str]] | None, sources) -> None:
    """Each forecast's token stands on its line of its text, as a claim's does."""
    if seeds is None:
        return
    seed_of = dict(zip(sources["source_id"], sources["seed_file"]))
    for row, f in enumerate(forecasts.itertuples(index=False), start=1):
        check_on_its_line("data/forecasts.csv", row, f, seeds, seed_of)


def seed_lines() -> dict[str, list[str]] | None:
    """Non-empty lines of each source text, or None where ../shared/seeds is absent."""
    folder = seeds_dir()
    if not folder.is_dir():
        return None
    return {p.name: [ln for ln in p.read_text(encoding="utf-8").split("\n") if ln.strip()]
            for p in sorted(folder.glob("*.txt"))}


def check_manifests(package: dict) -> None:
    """Resources with a recorded hash or row count that no builder makes (facts, chronology)."""
    from .reference import BUILDERS
    for res in package["resources"]:
        if res["name"] in BUILDERS or not ("hash" in res or "x-rows" in res):
            continue
        path = DATA / res["path"]
        label = rel(path)
        data = path.read_bytes()
        if "x-rows" in res:
            from .data import csv_rows
            rows = len(csv_rows(data, [f["name"] for f in res["schema"]["fields"]], label))
            if rows != res["x-rows"]:
                raise DataError(label, f"has {rows} rows, data/datapackage.json says "
                                f"{res['x-rows']} (truncated?)", row=rows or None,
                                column=res["schema"]["fields"][0]["name"])
        if "hash" in res and res["hash"] != "sha256:" + hashlib.sha256(data).hexdigest():
            raise DataError(label, "content differs from the hash in data/datapackage.json "
                            "(edited by hand? record the new hash with the change)")


def validate_inputs() -> None:
    """All the checks above, in order; raise DataError at the first problem."""
    from . import ledger
    from .data import datapackage, load, validate_all
    from .reference import verify_all

    validate_all()
    verify_all()
    check_manifests(datapackage(DATAPACKAGE))
    seeds = seed_lines()
    check_claims(ledger.claims(), ledger.sources(), seeds)
    check_forecasts(load("forecasts"), seeds, ledger.sources())
    check_prose_facts(load("prose_facts"), ledger.claims(), load("outside_facts"))
    check_chart_refs(load("chart_rows"), load("timeline"), ledger.claims(), load("poll_points"))


def check_chart_refs(chart_rows, timeline, claims, points) -> None:
    """The claims and texts that charts and the timeline name exist, and a poll result a chart
    row names is a row of the poll extract; a line names one thing to plot."""
    known = set(claims["claim_id"]) | set(claims["source_id"])
    polls = set(zip(points["org"], points["fieldwork"], points["metric"]))
    for i, r in enumerate(timeline.itertuples(), start=1):
        for ref in r.cited_by.split(";"):
            if ref not in known:
                raise DataError("data/timeline.csv", f"{ref!r} is neither a claim_id nor a "
                                "source_id of data/claims.csv", row=i, column="cited_by")
    for i, r in enumerate(chart_rows.itertuples(), start=1):
        file = "data/chart_rows.csv"
        poll = (r.poll_org, r.poll_fieldwork, r.poll_metric)
        if r.ref and r.ref not in known:
            raise DataError(file, f"{r.ref!r} is neither a claim_id nor a source_id of "
                            "data/claims.csv", row=i, column="ref")
        if any(poll) and poll not in polls:
            raise DataError(file, f"no row of data/reference/poll_points.csv has org, fieldwork "
                            f"and metric {poll}", row=i, column="poll_org")
        if sum(map(bool, (r.ref, any(poll), r.event_id))) != 1:
            raise DataError(file, "a line plots exactly one of: a claim or text (ref), a poll "
                            "result (poll_org, poll_fieldwork, poll_metric), an event "
                            "(event_id)", row=i, column="ref")


def check_prose_facts(table, claims, facts) -> None:
    """Every prose fact names claims of the ledger, checks of the audit and outside facts that
    exist, in an expression that parses and a format with a place for each value."""
    from .audit import checks, prose
    prose.check_rows(table, claims, set(checks.REGISTRY), set(facts["fact_id"]))
