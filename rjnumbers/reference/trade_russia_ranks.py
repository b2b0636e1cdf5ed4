"""Every partner of Russia's trade, 2010–2020, ranked by total trade (IMF DOTS, Russia-reported).

The rank extract: all the economies of Russia's own workbook (``DOTS_162.xlsx``), not only the
few the share extract keeps, so that "Japan was Russia's Nth trading partner" can be checked.
The workbook lists economies under region headings ("Advanced Economies", "Emerging and
Developing Asia", ...) and then aggregates ("Memorandum Items": Africa, European Union, ...);
the members of the Euro Area stand, in alphabetical order, under their own heading inside the
advanced economies, and the other advanced economies follow them with no heading of their own.
Each row keeps the IMF region it stands under, which is the only grouping the extract uses: a
rank within a region names the IMF's members of that region.

An empty cell in the workbook is no trade recorded, read as 0. Aggregates, the "... not
specified" lines and everything from "Memorandum Items" on are not partners and are left out.
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..errors import DataError
from . import _imf
from ._common import RawDataError, Spec, finish_table, quantize, raw_label, raw_root

NAME = "trade_russia_ranks"
YEARS = range(2010, 2021)
RAW = "imf_dots/DOTS_162.xlsx"
REPORTER = "Russian Federation"
MONEY = "US$ million (current prices)"
WORLD = "World"
#: region headings of the workbook, in its order; an economy belongs to the last one above it
REGIONS = ("Advanced Economies", "Euro Area", "Emerging and Developing Economies",
           "Emerging and Developing Asia", "Emerging and Developing Europe",
           "Middle East and Central Asia", "Sub-Saharan Africa", "Western Hemisphere",
           "Other Countries not included elsewhere", "Special Categories")
#: the Euro Area is a sub-heading of the advanced economies
PARENT = {"Euro Area": "Advanced Economies"}
#: where the partner list ends and the aggregates begin
END = "Memorandum Items"
NOT_PARTNERS = ("Countries & Areas not specified",)

SPEC = Spec(
    name=NAME,
    filename=f"{NAME}.csv",
    title="Russia's trade with every partner, 2010–2020, and each partner's rank (IMF DOTS, "
          "Russia-reported)",
    description=(
        "Annual merchandise trade of Russia with each partner economy as Russia reports it to the "
        "IMF (DOTS_162.xlsx), in US$ millions at current prices (exports FOB, imports CIF, total "
        "= exports + imports), with the partner's rank among all partners by total trade that "
        "year (1 = largest; equal totals share the better rank) and the IMF region the workbook "
        "lists it under. An empty cell is read as no trade recorded (0). Aggregates and lines "
        "of trade not attributed to a partner are left out."
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
        {"name": "partner_imf", "type": "string", "unit": "IMF economy name",
         "description": "The partner economy's name exactly as in the IMF workbook",
         "constraints": {"required": True}},
        {"name": "imf_region", "type": "string", "unit": "IMF region",
         "description": "The region heading the workbook lists the partner under (economies "
                        "of the Euro Area are also advanced economies)",
         "constraints": {"required": True, "enum": [r for r in REGIONS]}},
        {"name": "exports_fob_usd_mn", "type": "number", "unit": MONEY,
         "description": "Russia's exports to the partner, valued free on board",
         "constraints": {"required": True, "minimum": 0}},
        {"name": "imports_cif_usd_mn", "type": "number", "unit": MONEY,
         "description": "Russia's imports from the partner, valued cost, insurance and freight",
         "constraints": {"required": True, "minimum": 0}},
        {"name": "total_usd_mn", "type": "number", "unit": MONEY,
         "description": "Russia's total trade with the partner: exports + imports",
         "constraints": {"required": True, "minimum": 0}},
        {"name": "rank", "type": "integer", "unit": "rank",
         "description": "The partner's place among all partners that year by total trade "
                        "(1 = largest; equal totals share the better place)",
         "constraints": {"required": True, "minimum": 1}},
    ],
    primary_key=["year", "partner_imf"],
    decimals={"exports_fob_usd_mn": 3, "imports_cif_usd_mn": 3, "total_usd_mn": 3},
    plausible=[
        {"field": f, "minimum": 0, "maximum": 2_500_000,
         "why": "US$ 2.5 trillion is about three times Russia's highest yearly trade with "
                "the whole world; a larger figure is a corrupt cell"}
        for f in ("exports_fob_usd_mn", "imports_cif_usd_mn", "total_usd_mn")],
)


def _partners(ws, header_row: int, label: str, sheet: str) -> list[tuple[int, str, str]]:
    """(row, name, region) of every partner economy in column B, in the workbook's order."""
    names = [(r, ws.value(r, 2)) for r in range(header_row + 1, ws.max_row + 1)]
    start = next((i for i, (_, n) in enumerate(names) if n == WORLD), None)
    if start is None:
        raise RawDataError(label, f"no {WORLD!r} line in column B", sheet=sheet, column="B")
    out, region, seen, prev = [], None, set(), ""
    for r, name in names[start + 1:]:
        if name is None:
            continue
        name = str(name).strip()
        if name == END:
            break
        if name in REGIONS:
            region, prev = name, ""
            continue
        # a sub-region lists its members in alphabetical order; where the order starts again,
        # the list has returned to the parent region (the other advanced economies)
        if region in PARENT and name.casefold() < prev.casefold():
            region = PARENT[region]
        prev = name
        if name.endswith("not specified") or name in NOT_PARTNERS or name in seen:
            continue
        if region is None:
            raise RawDataError(label, f"partner {name!r} stands above any region heading",
                               sheet=sheet, row=r, column="B")
        seen.add(name)
        out.append((r, name, region))
    if not out:
        raise RawDataError(label, "no partner economies found under the region headings",
                           sheet=sheet, column="B")
    return out


def read(raw_dir: Path) -> dict:
    """{(flow, partner, year): value} and {partner: region}; an empty cell is 0."""
    path = raw_dir / RAW
    label = raw_label(path, raw_dir)
    sheets = _imf._load(path, label)
    values: dict[tuple[str, str, int], Decimal] = {}
    regions: dict[str, str] = {}
    for flow, sheet in _imf.SHEETS.items():
        if sheet not in sheets:
            raise RawDataError(label, f"sheet '{sheet}' is missing", sheet=sheet)
        ws = sheets[sheet]
        header_row, year_cols = _imf._header(ws, label, sheet)
        for y in YEARS:
            if y not in year_cols:
                raise RawDataError(label, f"year {y} is missing from the header row",
                                   sheet=sheet, row=header_row, column=str(y))
        for r, name, region in _partners(ws, header_row, label, sheet):
            if regions.setdefault(name, region) != region:
                raise RawDataError(label, f"partner {name!r} stands under {region!r} here and "
                                   f"under {regions[name]!r} in the other sheet", sheet=sheet,
                                   row=r, column="B")
            for y in YEARS:
                cell = ws.value(r, year_cols[y])
                values[(flow, name, y)] = (Decimal(0) if cell is None or
                                           (isinstance(cell, str) and not cell.strip()) else
                                           _imf._cell_value(ws, r, year_cols[y], y, name, label,
                                                            sheet))
    return {"values": values, "regions": regions}


def transform(read_out: dict) -> list[dict]:
    values, regions = read_out["values"], read_out["regions"]
    rows = []
    for y in YEARS:
        year_rows = []
        for name, region in regions.items():
            exp = quantize(values.get(("exports", name, y), Decimal(0)), 3)
            imp = quantize(values.get(("imports", name, y), Decimal(0)), 3)
            year_rows.append({"year": y, "partner_imf": name, "imf_region": region,
                              "exports_fob_usd_mn": exp, "imports_cif_usd_mn": imp,
                              "total_usd_mn": exp + imp})
        totals = sorted((r["total_usd_mn"] for r in year_rows), reverse=True)
        for r in year_rows:
            r["rank"] = totals.index(r["total_usd_mn"]) + 1
        rows += year_rows
    return rows


def validate(df: pd.DataFrame, label: str) -> None:
    for i, r in enumerate(df.itertuples(index=False), start=1):
        if abs(r.total_usd_mn - (r.exports_fob_usd_mn + r.imports_cif_usd_mn)) > 0.0015:
            raise DataError(label, "total is not exports + imports", row=i, column="total_usd_mn")
    for y, g in df.groupby("year"):
        expect = g["total_usd_mn"].rank(method="min", ascending=False).astype(int)
        bad = g.index[expect.values != g["rank"].values]
        if len(bad):
            raise DataError(label, f"ranks of {y} do not follow the totals", row=int(bad[0]) + 1,
                            column="rank")
    counts = df.groupby("year")["partner_imf"].nunique()
    if counts.nunique() != 1:
        raise DataError(label, "the years do not list the same partners", column="partner_imf")


def build(out_dir: Path | None = None, raw_dir: Path | None = None) -> dict:
    raw_dir = raw_root(raw_dir)
    rows = transform(read(raw_dir))
    spec = replace(SPEC, release=_imf.export_date(raw_dir / RAW))
    return finish_table(spec, rows, out_dir, raw_dir, validate)
