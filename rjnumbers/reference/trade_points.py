"""Japan–Russia trade figures reported in the news from Japan's Ministry of Finance statistics.

From the hand-transcribed ``facts/trade_points.csv``: years the IMF files do not cover, and
cross-checks of the IMF figures.  Units are normalised to the claims ledger's spelling
(``USD billion``, ``JPY billion``, ``percent``); each row gets a reliability category.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from ..errors import DataError
from ._common import Spec, finish_table, parse_number, raw_label, raw_root, read_raw_csv

NAME = "trade_points"
RAW = "facts/trade_points.csv"
RAW_COLUMNS = ["year", "reporter", "metric", "value", "unit", "citation_url", "note"]
UNITS = {"USD bn": "USD billion", "JPY bn": "JPY billion", "pct": "percent"}
REPORTERS = ["Japan", "Russia"]
#: pages of the statistical offices themselves; anything else is a report of their figures
PRIMARY_HOSTS = ("mof.go.jp", "customs.go.jp", "customs.gov.ru")
EXPECTED_ROWS = 6
PERIOD = "\\d{4}(H[12]|Q[1-4])?"

SPEC = Spec(
    name=NAME,
    filename=f"{NAME}.csv",
    title="Japan–Russia trade figures from Japan's Ministry of Finance, as reported in the news",
    description=(
        "Japan–Russia trade totals and components from Japan's Ministry of Finance (MOF) trade "
        "statistics, as quoted in news reports, for years the IMF files do not cover or as "
        "cross-checks of them. One row per figure, with the page that reported it. "
        "reliability: 'primary' = the statistical office's own page, 'secondary' = a report of "
        "its figures (all rows at present). MOF figures are customs-basis and in yen at source; "
        "dollar figures are the reporters' conversions."
    ),
    builder=__name__,
    raw_files=[RAW],
    sources=[],
    licenses=[{"name": "other-attribution",
               "title": "Figures transcribed from the cited pages; attribute to Japan's Ministry "
                        "of Finance and to each row's citation_url"}],
    producer="Ministry of Finance of Japan (trade statistics), as reported by the cited pages",
    release=None,
    release_note="Differs per row: publication dates of the cited news reports (not recorded).",
    fields=[
        {"name": "period", "type": "string", "unit": "year or half/quarter",
         "description": "Period the figure refers to: YYYY, YYYYH1/H2 or YYYYQ1-Q4",
         "constraints": {"required": True, "pattern": PERIOD}},
        {"name": "reporter", "type": "string", "unit": "country name",
         "description": "Whose statistics the figure comes from",
         "constraints": {"required": True, "enum": REPORTERS}},
        {"name": "metric", "type": "string", "unit": "label",
         "description": "What the figure measures (snake_case), from the reporter's viewpoint",
         "constraints": {"required": True, "pattern": "[a-z0-9_]+"}},
        {"name": "value", "type": "number", "unit": "see column unit",
         "description": "The figure as reported, in the row's unit",
         "constraints": {"required": True, "minimum": 0}},
        {"name": "unit", "type": "string", "unit": "unit name",
         "description": "Unit of value (nominal currency)",
         "constraints": {"required": True, "enum": sorted(set(UNITS.values()))}},
        {"name": "citation_url", "type": "string", "unit": "URL",
         "description": "Page that reported the figure",
         "constraints": {"required": True, "pattern": "https?://\\S+"}},
        {"name": "reliability", "type": "string", "unit": "category",
         "description": "'primary' = the statistical office's own page; 'secondary' = a report of its figures",
         "constraints": {"required": True, "enum": ["primary", "secondary"]}},
        {"name": "reliability_note", "type": "string", "unit": "text",
         "description": "Who reported the figure (host of citation_url)",
         "constraints": {"required": True}},
        {"name": "note", "type": "string", "unit": "text",
         "description": "Transcriber's note: whom the report cites, related figures"},
    ],
    primary_key=["period", "reporter", "metric"],
    decimals={"value": 2},
    expected_rows=EXPECTED_ROWS,
    plausible=[
        {"field": "value", "where": {"unit": "USD billion"}, "minimum": 0, "maximum": 100,
         "why": "about three times the highest yearly Japan-Russia trade either side reported"},
        {"field": "value", "where": {"unit": "JPY billion"}, "minimum": 0, "maximum": 10_000,
         "why": "about three times the highest yearly Japan-Russia trade in yen"},
        {"field": "value", "where": {"unit": "percent"}, "minimum": 0, "maximum": 100,
         "why": "a share"}],
)


def read(raw_dir: Path) -> list[dict]:
    path = raw_dir / RAW
    label = raw_label(path, raw_dir)
    rows = read_raw_csv(path, label, RAW_COLUMNS)
    out, seen = [], {}
    for i, r in enumerate(rows, start=1):
        def err(msg: str, col: str) -> DataError:
            return DataError(label, msg, row=i, column=col)

        period = r["year"].strip()
        if not re.fullmatch(PERIOD, period) or not 1990 <= int(period[:4]) <= 2100:
            raise err(f"{r['year']!r} is not a year (YYYY, YYYYH1, YYYYQ1)", "year")
        if r["reporter"] not in REPORTERS:
            raise err(f"unknown reporter {r['reporter']!r}", "reporter")
        if not re.fullmatch(r"[a-z0-9_]+", r["metric"]):
            raise err(f"{r['metric']!r} is not a snake_case metric name", "metric")
        try:
            value = parse_number(r["value"])
        except ValueError as exc:
            raise err(str(exc), "value") from None
        if value < 0:
            raise err(f"negative value {value}", "value")
        if value.as_tuple().exponent < -2:
            raise err(f"{r['value']!r} has more than two decimals", "value")
        if r["unit"] not in UNITS:
            raise err(f"unknown unit {r['unit']!r} (expected {', '.join(UNITS)})", "unit")
        unit = UNITS[r["unit"]]
        if unit == "percent" and value > 100:
            raise err(f"{value} is not a percentage (0-100)", "value")
        url = r["citation_url"].strip()
        host = urlparse(url).hostname or ""
        if not re.fullmatch(r"https?://\S+", url) or not host:
            raise err(f"{url!r} is not a URL", "citation_url")
        primary = any(host == h or host.endswith("." + h) for h in PRIMARY_HOSTS)
        rec = {"period": period, "reporter": r["reporter"], "metric": r["metric"], "value": value,
               "unit": unit, "citation_url": url,
               "reliability": "primary" if primary else "secondary",
               "reliability_note": f"official page ({host})" if primary else f"reported by {host}",
               "note": r["note"].strip() or None}
        key = (period, rec["reporter"], rec["metric"])
        if key in seen:
            raise err(f"same period, reporter and metric as row {seen[key]}", "metric")
        seen[key] = i
        out.append(rec)
    if len(out) != EXPECTED_ROWS:
        raise DataError(label, f"has {len(out)} data rows, expected {EXPECTED_ROWS} (truncated? "
                        f"if rows were added on purpose, update EXPECTED_ROWS in {__name__})",
                        row=len(out) or None, column=RAW_COLUMNS[0])
    return out


def validate(df: pd.DataFrame, label: str) -> None:
    for i, r in enumerate(df.itertuples(index=False), start=1):
        if r.unit == "percent" and r.value > 100:
            raise DataError(label, f"{r.value} is not a percentage", row=i, column="value")
        host = urlparse(r.citation_url).hostname or ""
        primary = any(host == h or host.endswith("." + h) for h in PRIMARY_HOSTS)
        if (r.reliability == "primary") != primary:
            raise DataError(label, f"reliability {r.reliability!r} does not fit {host}", row=i,
                            column="reliability")


def sources(rows: list[dict]) -> list[dict]:
    out = []
    for url in sorted({r["citation_url"] for r in rows}):
        rs = [r for r in rows if r["citation_url"] == url]
        what = "; ".join(sorted(f"{r['metric']} {r['period']}" for r in rs))
        out.append({"title": f"Japan MOF trade figures reported at {urlparse(url).hostname}",
                    "path": url, "citation": f"Ministry of Finance of Japan, trade statistics, "
                                             f"as reported at this page ({what})"})
    return out


def build(out_dir: Path | None = None, raw_dir: Path | None = None) -> dict:
    raw_dir = raw_root(raw_dir)
    rows = read(raw_dir)
    return finish_table(replace(SPEC, sources=sources(rows)), rows, out_dir, raw_dir, validate)
