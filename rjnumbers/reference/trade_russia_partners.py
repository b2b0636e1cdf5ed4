"""Russia-reported trade with Japan, China, South Korea and the World, 1992–2020 (IMF DOTS).

Gives the scale against which Japan's place in Russia's trade can be judged: each partner's
share of Russia's total (exports + imports) trade, all from Russia's own workbook
(``DOTS_162.xlsx``) so that numerator and denominator come from the same reporter.
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..errors import DataError
from . import _imf
from ._common import Spec, finish_table, quantize, raw_label, raw_root

NAME = "trade_russia_partners"
YEARS = range(1992, 2021)
RAW = "imf_dots/DOTS_162.xlsx"
REPORTER = "Russian Federation"
#: label in the extract -> partner name exactly as in the workbook's column B
PARTNERS = {
    "Japan": "Japan",
    "China": "China, P.R.: Mainland",
    "South Korea": "Korea, Rep. of",
    "World": "World",
}
MONEY = "US$ million (current prices)"
_WORLD = "World"


def _share_field(name: str, what: str) -> dict:
    return {"name": name, "type": "number", "unit": "percent",
            "description": f"Partner's share of Russia's {what} with the World "
                           "(100 for the World row)",
            "constraints": {"required": True, "minimum": 0, "maximum": 100}}


SPEC = Spec(
    name=NAME,
    filename=f"{NAME}.csv",
    title="Russia's trade with Japan, China, South Korea and the World, 1992–2020 (IMF DOTS, Russia-reported)",
    description=(
        "Annual merchandise trade of Russia as Russia reports it to the IMF (DOTS_162.xlsx), with "
        "Japan, China (IMF 'China, P.R.: Mainland', i.e. without Hong Kong, Macao and Taiwan), "
        "South Korea (IMF 'Korea, Rep. of') and the World, in US$ millions at current "
        "prices, with each partner's share of Russia's trade with the World in percent. Exports "
        "FOB, imports CIF, total = exports + imports. Shares are computed from the rounded values "
        "(3 decimals) and rounded to 2 decimals."
    ),
    builder=__name__,
    raw_files=[RAW],
    sources=_imf.SOURCES,
    licenses=_imf.LICENSES,
    producer=_imf.PRODUCER,
    release=None,
    release_note=_imf.RELEASE_NOTE,
    fields=[
        {"name": "year", "type": "year", "unit": "calendar year",
         "description": "Calendar year the trade took place",
         "constraints": {"required": True, "minimum": YEARS.start, "maximum": YEARS.stop - 1}},
        {"name": "partner", "type": "string", "unit": "country name",
         "description": "Russia's partner: Japan; China = IMF 'China, P.R.: Mainland'; "
                        "South Korea = IMF 'Korea, Rep. of'; World = all partners",
         "constraints": {"required": True, "enum": list(PARTNERS)}},
        {"name": "partner_imf", "type": "string", "unit": "IMF economy name",
         "description": "The partner's name exactly as in the IMF workbook",
         "constraints": {"required": True, "enum": list(PARTNERS.values())}},
        {"name": "exports_fob_usd_mn", "type": "number", "unit": MONEY,
         "description": "Russia's exports to the partner, valued free on board",
         "constraints": {"required": True, "minimum": 0}},
        {"name": "imports_cif_usd_mn", "type": "number", "unit": MONEY,
         "description": "Russia's imports from the partner, valued cost, insurance and freight",
         "constraints": {"required": True, "minimum": 0}},
        {"name": "total_usd_mn", "type": "number", "unit": MONEY,
         "description": "Russia's total trade with the partner: exports + imports",
         "constraints": {"required": True, "minimum": 0}},
        _share_field("share_of_total_pct", "total trade (exports + imports)"),
        _share_field("share_of_exports_pct", "exports"),
        _share_field("share_of_imports_pct", "imports"),
    ],
    primary_key=["year", "partner"],
    decimals={"exports_fob_usd_mn": 3, "imports_cif_usd_mn": 3, "total_usd_mn": 3,
              "share_of_total_pct": 2, "share_of_exports_pct": 2, "share_of_imports_pct": 2},
    expected_rows=len(YEARS) * len(PARTNERS),
    plausible=[
        {"field": f, "minimum": 0, "maximum": 2_500_000,
         "why": "US$ 2.5 trillion is about three times Russia's highest yearly trade with "
                "the whole world; a larger figure is a corrupt cell"}
        for f in ("exports_fob_usd_mn", "imports_cif_usd_mn", "total_usd_mn")],
)


def read(raw_dir: Path) -> dict:
    path = raw_dir / RAW
    return _imf.read_dots(path, raw_label(path, raw_dir), REPORTER, list(PARTNERS.values()), YEARS)


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    return quantize(part / whole * 100, 2) if whole else Decimal(0)


def transform(values: dict) -> list[dict]:
    q = {k: quantize(v, 3) for k, v in values.items()}
    rows = []
    for y in YEARS:
        w_exp, w_imp = q[("exports", _WORLD, y)], q[("imports", _WORLD, y)]
        for label, imf in PARTNERS.items():
            exp, imp = q[("exports", imf, y)], q[("imports", imf, y)]
            rows.append({"year": y, "partner": label, "partner_imf": imf,
                         "exports_fob_usd_mn": exp, "imports_cif_usd_mn": imp,
                         "total_usd_mn": exp + imp,
                         "share_of_total_pct": _pct(exp + imp, w_exp + w_imp),
                         "share_of_exports_pct": _pct(exp, w_exp),
                         "share_of_imports_pct": _pct(imp, w_imp)})
    return rows


def validate(df: pd.DataFrame, label: str) -> None:
    for i, r in enumerate(df.itertuples(index=False), start=1):
        if PARTNERS.get(r.partner) != r.partner_imf:
            raise DataError(label, f"IMF name {r.partner_imf!r} does not belong to {r.partner!r}",
                            row=i, column="partner_imf")
        if abs(r.total_usd_mn - (r.exports_fob_usd_mn + r.imports_cif_usd_mn)) > 0.0015:
            raise DataError(label, "total is not exports + imports", row=i, column="total_usd_mn")
        if r.partner == _WORLD:
            for col in ("share_of_total_pct", "share_of_exports_pct", "share_of_imports_pct"):
                if getattr(r, col) != 100:
                    raise DataError(label, f"the World's share must be 100, not {getattr(r, col)}",
                                    row=i, column=col)
    world = df[df["partner"] == _WORLD].set_index("year")
    for i, r in enumerate(df.itertuples(index=False), start=1):
        if r.year not in world.index:
            raise DataError(label, f"no World row for {r.year}", row=i, column="year")
        w = world.loc[r.year]
        for col in ("exports_fob_usd_mn", "imports_cif_usd_mn", "total_usd_mn"):
            if getattr(r, col) > w[col] + 1e-9:
                raise DataError(label, f"{r.partner} exceeds the World ({getattr(r, col)} > {w[col]})",
                                row=i, column=col)
        expected = 100 * r.total_usd_mn / w["total_usd_mn"] if w["total_usd_mn"] else 0
        if abs(r.share_of_total_pct - expected) > 0.006:
            raise DataError(label, f"share {r.share_of_total_pct} does not match "
                            f"total / World total ({expected:.3f})", row=i, column="share_of_total_pct")
    for y, g in df[df["partner"] != _WORLD].groupby("year"):
        if g["share_of_total_pct"].sum() > 100:
            raise DataError(label, f"partner shares in {y} add up to more than 100",
                            column="share_of_total_pct")
    counts = df.groupby("partner")["year"].nunique()
    for p in PARTNERS:
        if counts.get(p, 0) != len(YEARS):
            raise DataError(label, f"partner {p} does not cover {YEARS.start}-{YEARS.stop - 1}",
                            column="year")


def build(out_dir: Path | None = None, raw_dir: Path | None = None) -> dict:
    raw_dir = raw_root(raw_dir)
    rows = transform(read(raw_dir))
    spec = replace(SPEC, release=_imf.export_date(raw_dir / RAW))
    return finish_table(spec, rows, out_dir, raw_dir, validate)
