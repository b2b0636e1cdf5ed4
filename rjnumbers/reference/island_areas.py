"""Areas and 1945 population of the four disputed islands (Japan MOFA, GSI 2022 areas).

From the hand-transcribed ``facts/island_areas.csv``; adds the citation columns and checks that
the four islands add up to the page's own total.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataError
from ._common import Spec, finish_table, parse_int, raw_label, raw_root, read_raw_csv

NAME = "island_areas"
RAW = "facts/island_areas.csv"
RAW_COLUMNS = ["island_en", "island_ja", "island_ru", "area_km2_incl_islets",
               "area_km2_main_island_only", "pop_1945_japanese"]
NUMERIC = ["area_km2_incl_islets", "area_km2_main_island_only", "pop_1945_japanese"]
ISLANDS = ["Habomai group", "Shikotan", "Kunashir (Kunashiri)", "Iturup (Etorofu)"]
TOTAL = "Total"
MOFA_URL = "https://www.mofa.go.jp/mofaj/erp/rss/hoppo/page1w_000024.html"
MOFA_TITLE = "外務省「北方領土データ」(Ministry of Foreign Affairs of Japan, Northern Territories data)"
AREA_BASIS = "Geospatial Information Authority of Japan (GSI), 2022 area survey, as quoted by MOFA"
#: rounding tolerance of the total, km² (each published area is rounded to 1 km²)
TOLERANCE_KM2 = 1

SPEC = Spec(
    name=NAME,
    filename=f"{NAME}.csv",
    title="The four disputed islands: areas (km²) and Japanese population of 1945 (MOFA)",
    description=(
        "Areas in km² of the Habomai group, Shikotan, Kunashir (Kunashiri) and Iturup (Etorofu), "
        "with and without their islets, and the Japanese population of 1945, as given by Japan's "
        "Ministry of Foreign Affairs (page '北方領土データ'), whose areas come from the Geospatial "
        "Information Authority of Japan's 2022 area survey. The last row is MOFA's own total, "
        "checked against the sum of the four islands (published areas are rounded to 1 km², so "
        "the sum may differ by 1). Russian sources quote slightly different areas (e.g. "
        "Shikotan about 255-264 km², Habomai about 100 km²)."
    ),
    builder=__name__,
    raw_files=[RAW],
    sources=[{"title": MOFA_TITLE, "path": MOFA_URL,
              "citation": "Ministry of Foreign Affairs of Japan, 北方領土データ; areas: Geospatial "
                          "Information Authority of Japan, 2022 area survey"}],
    licenses=[{"name": "other-attribution",
               "title": "Figures transcribed from the cited government page; attribute to the "
                        "Ministry of Foreign Affairs of Japan"}],
    producer="Ministry of Foreign Affairs of Japan; areas by the Geospatial Information Authority of Japan",
    release="2022",
    release_note=("Year of the GSI area survey the MOFA page cites; the page's own date was not "
                  "recorded when the figures were transcribed."),
    fields=[
        {"name": "island_en", "type": "string", "unit": "name",
         "description": "Island in English (Russian name first, Japanese in brackets), or 'Total'",
         "constraints": {"required": True, "enum": ISLANDS + [TOTAL]}},
        {"name": "island_ja", "type": "string", "unit": "name",
         "description": "Name in Japanese as on the MOFA page", "constraints": {"required": True}},
        {"name": "island_ru", "type": "string", "unit": "name",
         "description": "Name in Russian (empty for the total)"},
        {"name": "row_type", "type": "string", "unit": "category",
         "description": "'island' for one of the four, 'total' for MOFA's total (do not add it "
                        "to the islands)",
         "constraints": {"required": True, "enum": ["island", "total"]}},
        {"name": "area_km2_incl_islets", "type": "integer", "unit": "km²",
         "description": "Area including the surrounding islets",
         "constraints": {"required": True, "minimum": 1}},
        {"name": "area_km2_main_island_only", "type": "integer", "unit": "km²",
         "description": "Area without the surrounding islets, as MOFA gives it",
         "constraints": {"required": True, "minimum": 1}},
        {"name": "pop_1945_japanese", "type": "integer", "unit": "persons",
         "description": "Japanese residents in 1945 (before the Soviet occupation)",
         "constraints": {"required": True, "minimum": 0}},
        {"name": "area_basis", "type": "string", "unit": "text",
         "description": "Where the areas come from", "constraints": {"required": True}},
        {"name": "source", "type": "string", "unit": "text",
         "description": "Publication the row is transcribed from", "constraints": {"required": True}},
        {"name": "citation_url", "type": "string", "unit": "URL",
         "description": "Page the row is transcribed from",
         "constraints": {"required": True, "pattern": "https?://\\S+"}},
    ],
    primary_key=["island_en"],
    expected_rows=len(ISLANDS) + 1,
    plausible=[
        {"field": f, "minimum": 1, "maximum": 10_000,
         "why": "the four islands together cover about 5,000 km2"}
        for f in ("area_km2_incl_islets", "area_km2_main_island_only")],
)


def read(raw_dir: Path) -> list[dict]:
    path = raw_dir / RAW
    label = raw_label(path, raw_dir)
    rows = read_raw_csv(path, label, RAW_COLUMNS)
    seen: dict[str, int] = {}
    out = []
    for i, r in enumerate(rows, start=1):
        name = r["island_en"].strip()
        if name not in ISLANDS + [TOTAL]:
            raise DataError(label, f"unknown island {name!r} (expected one of "
                            f"{', '.join(ISLANDS + [TOTAL])})", row=i, column="island_en")
        if name in seen:
            raise DataError(label, f"{name!r} appears twice (first at row {seen[name]})",
                            row=i, column="island_en")
        seen[name] = i
        rec = dict(r, island_en=name, _row=i)
        for c in NUMERIC:
            try:
                rec[c] = parse_int(r[c])
            except ValueError as exc:
                raise DataError(label, str(exc), row=i, column=c) from None
            if rec[c] < 0:
                raise DataError(label, f"negative value {rec[c]}", row=i, column=c)
        out.append(rec)
    missing = [n for n in ISLANDS + [TOTAL] if n not in seen]
    if missing:
        raise DataError(label, f"rows missing for {', '.join(missing)} (truncated file?)",
                        row=len(rows) or None, column="island_en")
    total = next(r for r in out if r["island_en"] == TOTAL)
    for c in NUMERIC:
        s = sum(r[c] for r in out if r["island_en"] != TOTAL)
        tol = 0 if c == "pop_1945_japanese" else TOLERANCE_KM2
        if abs(s - total[c]) > tol:
            raise DataError(label, f"the four islands add up to {s}, the Total row says {total[c]}",
                            row=total["_row"], column=c)
    return out


def transform(rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        rec = {k: v for k, v in r.items() if not k.startswith("_")}
        rec["island_ru"] = rec["island_ru"].strip() or None
        rec["row_type"] = "total" if r["island_en"] == TOTAL else "island"
        rec.update(area_basis=AREA_BASIS, source=MOFA_TITLE, citation_url=MOFA_URL)
        out.append(rec)
    return out


def validate(df: pd.DataFrame, label: str) -> None:
    islands = df[df["row_type"] == "island"]
    totals = df[df["row_type"] == "total"]
    if sorted(islands["island_en"]) != sorted(ISLANDS) or len(totals) != 1:
        raise DataError(label, "expected the four islands and one total row", column="island_en")
    for i, r in enumerate(df.itertuples(index=False), start=1):
        if (r.row_type == "total") != (r.island_en == TOTAL):
            raise DataError(label, f"row_type {r.row_type!r} does not fit {r.island_en!r}",
                            row=i, column="row_type")
        if r.area_km2_main_island_only > r.area_km2_incl_islets:
            raise DataError(label, "main island larger than island with islets", row=i,
                            column="area_km2_main_island_only")
    t_pos = int(totals.index[0]) + 1
    for c in NUMERIC:
        tol = 0 if c == "pop_1945_japanese" else TOLERANCE_KM2
        if abs(int(islands[c].sum()) - int(totals[c].iloc[0])) > tol:
            raise DataError(label, "the four islands do not add up to the total", row=t_pos, column=c)


def build(out_dir: Path | None = None, raw_dir: Path | None = None) -> dict:
    raw_dir = raw_root(raw_dir)
    # rows sorted by island_en; 'Total' sorts last
    return finish_table(SPEC, transform(read(raw_dir)), out_dir, raw_dir, validate)
