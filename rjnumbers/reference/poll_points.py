"""Single opinion-poll results on Japan–Russia relations, each with its citation.

From the hand-transcribed ``facts/poll_points.csv``.  Splits the fieldwork period into start
and end dates and the survey mode, and the reliability note into a category (``primary`` =
the pollster's own release, ``secondary`` = a news report of it) and its detail.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ..errors import DataError
from ._common import Spec, finish_table, parse_number, period_bounds, raw_label, raw_root, read_raw_csv

NAME = "poll_points"
RAW = "facts/poll_points.csv"
RAW_COLUMNS = ["org", "survey", "fieldwork", "published", "metric", "value_pct",
               "citation_url", "reliability"]
RELIABILITY = ["primary", "secondary"]
ORGS = ["Cabinet Office Japan", "Levada Center", "VTsIOM"]
#: Number of rows in the facts file; a file truncated at a line break is caught here.
EXPECTED_ROWS = 18
#: metrics that exclude each other within one survey (their sum cannot exceed 100)
EXCLUSIVE = [
    ("affinity_russia", "no_affinity_russia"),
    ("support_transfer_kurils", "against_transfer_kurils"),
    ("positive_attitude_japan", "negative_attitude_japan"),
]
ISO_PARTIAL = "\\d{4}(-\\d{2}(-\\d{2})?)?"
_PAREN = re.compile(r"^(?P<main>[^()]*?)\s*(?:\((?P<note>[^()]*)\))?\s*$")

SPEC = Spec(
    name=NAME,
    filename=f"{NAME}.csv",
    title="Opinion-poll results on Japan–Russia relations (Cabinet Office, Levada, VTsIOM)",
    description=(
        "Single results of opinion polls in Japan (Cabinet Office Public Opinion Survey on "
        "Diplomacy) and Russia (Levada Center, VTsIOM), transcribed by hand, one row per figure, "
        "each with the page that reported it and how direct that report is: 'primary' = the "
        "pollster's own release, 'secondary' = a news report of it. Dates are ISO and may be "
        "partial (YYYY or YYYY-MM). The Cabinet Office survey moved from face-to-face interviews "
        "to mail in 2020: results across that change are not directly comparable."
    ),
    builder=__name__,
    raw_files=[RAW],
    sources=[],  # one entry per cited page, filled in build()
    licenses=[{"name": "other-attribution",
               "title": "Figures transcribed from the cited pages; attribute to the pollster and "
                        "to each row's citation_url"}],
    producer="Cabinet Office of Japan; Levada Center; VTsIOM (as reported by the cited pages)",
    release=None,
    release_note="Differs per row: see the column 'published' (publication date of each result).",
    fields=[
        {"name": "org", "type": "string", "unit": "name", "description": "Pollster",
         "constraints": {"required": True, "enum": ORGS}},
        {"name": "survey", "type": "string", "unit": "name", "description": "Survey or poll series",
         "constraints": {"required": True}},
        {"name": "fieldwork", "type": "string", "unit": "ISO 8601 date or interval",
         "description": "Fieldwork period as transcribed: date or start/end (may be partial)",
         "constraints": {"required": True, "pattern": f"{ISO_PARTIAL}(/{ISO_PARTIAL})?"}},
        {"name": "fieldwork_start", "type": "string", "unit": "ISO 8601 date (may be partial)",
         "description": "First day (or month/year) of fieldwork",
         "constraints": {"required": True, "pattern": ISO_PARTIAL}},
        {"name": "fieldwork_end", "type": "string", "unit": "ISO 8601 date (may be partial)",
         "description": "Last day (or month/year) of fieldwork; equals the start for a single date",
         "constraints": {"required": True, "pattern": ISO_PARTIAL}},
        {"name": "mode", "type": "string", "unit": "category",
         "description": "Survey mode where the transcription states it (e.g. 'mail'); empty if not stated"},
        {"name": "published", "type": "string", "unit": "ISO 8601 date (may be partial)",
         "description": "Date the result was published",
         "constraints": {"required": True, "pattern": ISO_PARTIAL}},
        {"name": "metric", "type": "string", "unit": "label",
         "description": "What was measured (snake_case)",
         "constraints": {"required": True, "pattern": "[a-z0-9_]+"}},
        {"name": "value_pct", "type": "number", "unit": "percent",
         "description": "Share of respondents",
         "constraints": {"required": True, "minimum": 0, "maximum": 100}},
        {"name": "citation_url", "type": "string", "unit": "URL",
         "description": "Page that reported the result",
         "constraints": {"required": True, "pattern": "https?://\\S+"}},
        {"name": "reliability", "type": "string", "unit": "category",
         "description": "'primary' = the pollster's own release; 'secondary' = a news report of it",
         "constraints": {"required": True, "enum": RELIABILITY}},
        {"name": "reliability_note", "type": "string", "unit": "text",
         "description": "Who reported it, or how the figure was derived (from the transcription)"},
    ],
    primary_key=["org", "survey", "fieldwork", "metric"],
    decimals={"value_pct": 1},
    expected_rows=EXPECTED_ROWS,
)


def _split(text: str) -> tuple[str, str]:
    m = _PAREN.match(text.strip())
    if not m:
        raise ValueError(f"{text!r} has unbalanced brackets")
    return m.group("main").strip(), (m.group("note") or "").strip()


def read(raw_dir: Path) -> list[dict]:
    path = raw_dir / RAW
    label = raw_label(path, raw_dir)
    rows = read_raw_csv(path, label, RAW_COLUMNS)
    out, seen = [], {}
    for i, r in enumerate(rows, start=1):
        def err(msg: str, col: str) -> DataError:
            return DataError(label, msg, row=i, column=col)

        if r["org"] not in ORGS:
            raise err(f"unknown pollster {r['org']!r}", "org")
        try:
            fieldwork, mode = _split(r["fieldwork"])
            parts = fieldwork.split("/")
            if len(parts) > 2:
                raise ValueError(f"{fieldwork!r} has more than one '/'")
            start, end = parts[0], parts[-1]
            s0, _ = period_bounds(start)
            _, e1 = period_bounds(end)
        except ValueError as exc:
            raise err(str(exc), "fieldwork") from None
        if e1 < s0:
            raise err(f"fieldwork ends ({end}) before it starts ({start})", "fieldwork")
        try:
            p0, p1 = period_bounds(r["published"].strip())
        except ValueError as exc:
            raise err(str(exc), "published") from None
        if p1 < s0:
            raise err(f"published {r['published']} before fieldwork began ({start})", "published")
        try:
            value = parse_number(r["value_pct"])
        except ValueError as exc:
            raise err(str(exc), "value_pct") from None
        if not 0 <= value <= 100:
            raise err(f"{value} is not a percentage (0-100)", "value_pct")
        if value.as_tuple().exponent < -1:
            raise err(f"{r['value_pct']!r} has more than one decimal (the extract keeps one)",
                      "value_pct")
        try:
            reliability, note = _split(r["reliability"])
        except ValueError as exc:
            raise err(str(exc), "reliability") from None
        if reliability not in RELIABILITY:
            raise err(f"reliability {reliability!r} is not primary or secondary", "reliability")
        if not re.fullmatch(r"https?://\S+", r["citation_url"].strip()):
            raise err(f"{r['citation_url']!r} is not a URL", "citation_url")
        if not re.fullmatch(r"[a-z0-9_]+", r["metric"].strip()):
            raise err(f"{r['metric']!r} is not a snake_case metric name", "metric")
        rec = {"org": r["org"], "survey": r["survey"].strip(), "fieldwork": fieldwork,
               "fieldwork_start": start, "fieldwork_end": end, "mode": mode or None,
               "published": r["published"].strip(), "metric": r["metric"].strip(),
               "value_pct": value, "citation_url": r["citation_url"].strip(),
               "reliability": reliability, "reliability_note": note or None}
        key = (rec["org"], rec["survey"], rec["fieldwork"], rec["metric"])
        if key in seen:
            raise err(f"same poll and metric as row {seen[key]}", "metric")
        seen[key] = i
        out.append(rec)
    if len(out) != EXPECTED_ROWS:
        raise DataError(label, f"has {len(out)} data rows, expected {EXPECTED_ROWS} (truncated? "
                        "if rows were added on purpose, update EXPECTED_ROWS in "
                        f"{__name__})", row=len(out) or None, column=RAW_COLUMNS[0])
    return out


def validate(df: pd.DataFrame, label: str) -> None:
    for i, r in enumerate(df.itertuples(index=False), start=1):
        parts = r.fieldwork.split("/")
        if r.fieldwork_start != parts[0] or r.fieldwork_end != parts[-1]:
            raise DataError(label, "fieldwork_start/fieldwork_end do not match fieldwork", row=i,
                            column="fieldwork_start")
        for col in ("fieldwork_start", "fieldwork_end", "published"):
            try:
                period_bounds(getattr(r, col))
            except ValueError as exc:
                raise DataError(label, str(exc), row=i, column=col) from None
        if period_bounds(r.fieldwork_end)[1] < period_bounds(r.fieldwork_start)[0]:
            raise DataError(label, "fieldwork ends before it starts", row=i, column="fieldwork_end")
        if period_bounds(r.published)[1] < period_bounds(r.fieldwork_start)[0]:
            raise DataError(label, "published before fieldwork began", row=i, column="published")
    for (org, survey, fw), g in df.groupby(["org", "survey", "fieldwork"]):
        vals = dict(zip(g["metric"], g["value_pct"]))
        for a, b in EXCLUSIVE:
            if a in vals and b in vals and vals[a] + vals[b] > 100.05:
                row = int(g.index[list(g["metric"]).index(b)]) + 1
                raise DataError(label, f"{a} + {b} = {vals[a] + vals[b]} exceeds 100 in one poll",
                                row=row, column="value_pct")


def sources(rows: list[dict]) -> list[dict]:
    by_url: dict[str, list[dict]] = {}
    for r in rows:
        by_url.setdefault(r["citation_url"], []).append(r)
    out = []
    for url in sorted(by_url):
        rs = by_url[url]
        polls = sorted({f"{r['org']} ({r['fieldwork']})" for r in rs})
        out.append({"title": f"Poll results reported at {url.split('/')[2]}", "path": url,
                    "citation": "; ".join(polls) + ", as reported at this page"})
    return out


def build(out_dir: Path | None = None, raw_dir: Path | None = None) -> dict:
    raw_dir = raw_root(raw_dir)
    rows = read(raw_dir)
    spec = replace(SPEC, sources=sources(rows))
    return finish_table(spec, rows, out_dir, raw_dir, validate)
