"""Japan–Russia trade 1992–2020 as each side reports it (IMF DOTS).

Japan's figures come from Japan's workbook (``DOTS_101.xlsx``, partner *Russian Federation*),
Russia's from Russia's workbook (``DOTS_162.xlsx``, partner *Japan*).  The two sides do not
agree (mirror statistics: exports FOB vs imports CIF, timing, attribution of goods that pass
through third countries), so both are kept and labelled by reporter.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from ..errors import DataError
from . import _imf
from ._common import Spec, finish_table, quantize, raw_label, raw_root

NAME = "trade_japan_russia"
YEARS = range(1992, 2021)
RAW = {"Japan": "imf_dots/DOTS_101.xlsx", "Russia": "imf_dots/DOTS_162.xlsx"}
IMF_NAME = {"Japan": "Japan", "Russia": "Russian Federation"}
PARTNER_OF = {"Japan": "Russia", "Russia": "Japan"}
#: Russia-reported 2013 trade with Japan, the figure Russian officials quote
#: (../shared/reference/README.md: exports 19,668 + imports 13,560).
RUSSIA_2013_TOTAL = 33228
MONEY = "US$ million (current prices)"

SPEC = Spec(
    name=NAME,
    filename=f"{NAME}.csv",
    title="Japan–Russia trade as each side reports it, 1992–2020 (IMF DOTS)",
    description=(
        "Annual merchandise trade between Japan and Russia in US$ millions at current prices, "
        "once as Japan reports it (reporter Japan, partner Russian Federation, DOTS_101.xlsx) and "
        "once as Russia reports it (reporter Russian Federation, partner Japan, DOTS_162.xlsx). "
        "Exports are valued FOB, imports CIF; total = exports + imports of the reporter. The two "
        "reporters' figures for the same year differ (mirror statistics) and should not be mixed "
        "in one series. Values are the IMF's, rounded to US$ 1,000 (3 decimals)."
    ),
    builder=__name__,
    raw_files=[RAW["Japan"], RAW["Russia"]],
    sources=_imf.SOURCES,
    licenses=_imf.LICENSES,
    producer=_imf.PRODUCER,
    release=None,  # set in build() from the workbooks' export date
    release_note=_imf.RELEASE_NOTE,
    fields=[
        {"name": "year", "type": "year", "unit": "calendar year",
         "description": "Calendar year the trade took place",
         "constraints": {"required": True, "minimum": YEARS.start, "maximum": YEARS.stop - 1}},
        {"name": "reporter", "type": "string", "unit": "country name",
         "description": "Whose customs statistics the row reports (IMF DOTS reporting economy)",
         "constraints": {"required": True, "enum": ["Japan", "Russia"]}},
        {"name": "partner", "type": "string", "unit": "country name",
         "description": "The other country (IMF partner: 'Russian Federation' or 'Japan')",
         "constraints": {"required": True, "enum": ["Japan", "Russia"]}},
        {"name": "exports_fob_usd_mn", "type": "number", "unit": MONEY,
         "description": "Reporter's exports to the partner, valued free on board",
         "constraints": {"required": True, "minimum": 0}},
        {"name": "imports_cif_usd_mn", "type": "number", "unit": MONEY,
         "description": "Reporter's imports from the partner, valued cost, insurance and freight",
         "constraints": {"required": True, "minimum": 0}},
        {"name": "total_usd_mn", "type": "number", "unit": MONEY,
         "description": "Total trade as the reporter records it: exports + imports",
         "constraints": {"required": True, "minimum": 0}},
    ],
    primary_key=["year", "reporter"],
    decimals={"exports_fob_usd_mn": 3, "imports_cif_usd_mn": 3, "total_usd_mn": 3},
    expected_rows=len(YEARS) * 2,
    plausible=[
        {"field": f, "minimum": 0, "maximum": 100_000,
         "why": "US$ 100 billion is about three times the highest year either side has "
                "reported; a larger figure is a corrupt cell"}
        for f in ("exports_fob_usd_mn", "imports_cif_usd_mn", "total_usd_mn")],
)


def read(raw_dir: Path) -> dict[str, dict]:
    out = {}
    for reporter, rel_path in RAW.items():
        path = raw_dir / rel_path
        out[reporter] = _imf.read_dots(path, raw_label(path, raw_dir), IMF_NAME[reporter],
                                       [IMF_NAME[PARTNER_OF[reporter]]], YEARS)
    return out


def transform(raw: dict[str, dict]) -> list[dict]:
    rows = []
    for reporter, values in raw.items():
        partner_imf = IMF_NAME[PARTNER_OF[reporter]]
        for y in YEARS:
            exp = quantize(values[("exports", partner_imf, y)], 3)
            imp = quantize(values[("imports", partner_imf, y)], 3)
            rows.append({"year": y, "reporter": reporter, "partner": PARTNER_OF[reporter],
                         "exports_fob_usd_mn": exp, "imports_cif_usd_mn": imp,
                         "total_usd_mn": exp + imp})
    return rows


def validate(df: pd.DataFrame, label: str) -> None:
    """Checks on the extract as parsed (row numbers are the extract's data rows)."""
    for i, r in enumerate(df.itertuples(index=False), start=1):
        if r.partner != PARTNER_OF[r.reporter]:
            raise DataError(label, f"partner {r.partner!r} does not match reporter {r.reporter!r}",
                            row=i, column="partner")
        if abs(r.total_usd_mn - (r.exports_fob_usd_mn + r.imports_cif_usd_mn)) > 0.0015:
            raise DataError(label, f"total {r.total_usd_mn} != exports {r.exports_fob_usd_mn} + "
                            f"imports {r.imports_cif_usd_mn}", row=i, column="total_usd_mn")
    for reporter in ("Japan", "Russia"):
        got = sorted(int(y) for y in df.loc[df["reporter"] == reporter, "year"])
        if got != list(YEARS):
            missing = sorted(set(YEARS) - set(got))
            raise DataError(label, f"reporter {reporter} lacks years {missing}", column="year")
    hit = df.index[(df["reporter"] == "Russia") & (df["year"] == 2013)]
    if len(hit) == 1:
        total = float(df.at[hit[0], "total_usd_mn"])
        if abs(total - RUSSIA_2013_TOTAL) > 1.0:
            raise DataError(label, f"Russia-reported 2013 total is {total:.1f}, expected about "
                            f"{RUSSIA_2013_TOTAL} (exports 19,668 + imports 13,560; see "
                            "../shared/reference/README.md)", row=int(hit[0]) + 1,
                            column="total_usd_mn")


def build(out_dir: Path | None = None, raw_dir: Path | None = None) -> dict:
    raw_dir = raw_root(raw_dir)
    rows = transform(read(raw_dir))
    spec = replace(SPEC, release=max(_imf.export_date(raw_dir / f) for f in SPEC.raw_files))
    return finish_table(spec, rows, out_dir, raw_dir, validate)
