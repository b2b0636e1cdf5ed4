"""Helpers for three theme chapters: territory (09), exchanges (10) and UN votes (11).

Everything here reads the validated tables of ``data/datapackage.json`` (via :mod:`.data`)
and the claims ledger; the few dates of events that the chapters need are written down below,
each with what it rests on.  Nothing here writes files.
"""
from __future__ import annotations

import hashlib
import html
import json

import pandas as pd

from . import ledger, style, tables
from .data import load, record_read, resource, resource_path
from .errors import DataError
from .paths import rel

# --- territory: the four islands ------------------------------------------------------------

#: from south-west (nearest Hokkaido) to north-east, as in island_areas / islands_map
ISLANDS = ["Habomai group", "Shikotan", "Kunashir (Kunashiri)", "Iturup (Etorofu)"]
SHORT = {"Habomai group": "Habomai", "Shikotan": "Shikotan",
         "Kunashir (Kunashiri)": "Kunashir", "Iturup (Etorofu)": "Iturup"}
#: the two islands the 1956 Joint Declaration promises to Japan after a peace treaty
TWO_SMALL = ["Habomai group", "Shikotan"]
TWO_LARGE = ["Kunashir (Kunashiri)", "Iturup (Etorofu)"]
ISLAND_COLOURS = {"Habomai group": style.PALETTE["vermillion"],
                  "Shikotan": style.PALETTE["orange"],
                  "Kunashir (Kunashiri)": style.PALETTE["sky"],
                  "Iturup (Etorofu)": style.PALETTE["grey"]}
BASES = {"area_km2_incl_islets": "with surrounding islets",
         "area_km2_main_island_only": "main island only"}

#: Areas quoted by Russian sources, as recorded in the island_areas extract's description
#: (data/datapackage.json); km², low and high.  Only the two islands it names.
RUSSIAN_QUOTED_KM2 = {"Shikotan": (255, 264), "Habomai group": (100, 100)}


def source_line(name: str) -> str:
    """'Title (citation)' of each upstream source of a datapackage resource, joined."""
    return "; ".join(s["citation"] for s in resource(name)["sources"])


def island_areas() -> pd.DataFrame:
    """The four islands (MOFA/GSI 2022), indexed by island, with each one's share of the total.

    Checks that the four add up to MOFA's own total within the rounding of the published areas.
    """
    t = load("island_areas")
    total = t[t["row_type"] == "total"].iloc[0]
    isl = t[t["row_type"] == "island"].set_index("island_en").reindex(ISLANDS)
    for col in BASES:
        isl[col] = isl[col].astype(int)
        diff = abs(isl[col].sum() - int(total[col]))
        if diff > 1:
            raise DataError(rel(resource_path("island_areas")),
                            f"the four islands add up to {isl[col].sum()}, the total row says "
                            f"{int(total[col])}", column=col)
        isl[col.replace("area_km2", "share_pct")] = isl[col] / isl[col].sum() * 100
    isl["pop_1945_japanese"] = isl["pop_1945_japanese"].astype(int)
    isl["short"] = [SHORT[i] for i in isl.index]
    return isl


def mofa_total(col: str = "area_km2_incl_islets") -> int:
    """MOFA's own total row (which may differ by 1 km² from the sum of the rounded areas)."""
    t = load("island_areas")
    return int(t.loc[t["row_type"] == "total", col].iloc[0])


def group_share(areas: pd.DataFrame, islands: list[str], col: str = "area_km2_incl_islets") -> float:
    """Share (%) of the four islands' area that ``islands`` make up."""
    return float(areas.loc[islands, col].sum() / areas[col].sum() * 100)


def russian_two_island_share(areas: pd.DataFrame) -> tuple[float, float]:
    """Habomai + Shikotan share (%) if their areas are the Russian-quoted ones (low, high)."""
    out = []
    for k in (0, 1):
        two = sum(RUSSIAN_QUOTED_KM2[i][k] for i in TWO_SMALL)
        big = areas.loc[TWO_LARGE, "area_km2_incl_islets"].sum()
        out.append(two / (two + big) * 100)
    return out[0], out[1]


def split_line(areas: pd.DataFrame, share: float = 50.0, col: str = "area_km2_incl_islets"):
    """Walking from Habomai to Iturup, where an even split of the area falls.

    Returns (island in which the line falls, km² of that island going to the first side,
    that as a share of the island in %).
    """
    target = areas[col].sum() * share / 100
    cum = 0
    for isl in ISLANDS:
        a = int(areas.loc[isl, col])
        if cum + a >= target:
            part = target - cum
            return isl, part, part / a * 100
        cum += a
    raise ValueError("share above 100")


def _geojson_features(name: str) -> list[dict]:
    """The features of a GeoJSON resource, checked against the datapackage's sha256."""
    res = resource(name)
    path = resource_path(name)
    record_read(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(rel(path), "file does not exist") from None
    want = res.get("hash", "").removeprefix("sha256:")
    if want and hashlib.sha256(raw).hexdigest() != want:
        raise DataError(rel(path), "sha256 does not match the hash in data/datapackage.json")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(rel(path), f"not valid GeoJSON: {exc}") from None
    return doc.get("features") or []


def islands_map() -> list[dict]:
    """The features of the islands_map GeoJSON, checked against the datapackage's sha256."""
    feats = _geojson_features("islands_map")
    names = {f["properties"]["island_en"] for f in feats}
    if names != set(ISLANDS):
        raise DataError(rel(resource_path("islands_map")), f"islands in the map are "
                        f"{sorted(names)}", column="island_en")
    return feats


#: where eastern Hokkaido must lie (lon_min, lat_min, lon_max, lat_max): west and south of the
#: islands, never on them (a plausibility check of the coastline extract)
HOKKAIDO_BOX = (143.0, 42.0, 146.0, 45.5)


def hokkaido_coast() -> list[list[list[float]]]:
    """Outer rings of eastern Hokkaido (context for the islands map), checked for plausibility."""
    rings = []
    label = rel(resource_path("hokkaido_coast"))
    for i, f in enumerate(_geojson_features("hokkaido_coast"), start=1):
        ring = f["geometry"]["coordinates"][0]
        x0, y0, x1, y1 = HOKKAIDO_BOX
        if len(ring) < 4 or ring[0] != ring[-1]:
            raise DataError(label, "ring is not closed", row=i, column="geometry")
        if not all(x0 <= lon <= x1 and y0 <= lat <= y1 for lon, lat in ring):
            raise DataError(label, f"coastline leaves the box {HOKKAIDO_BOX}", row=i,
                            column="geometry")
        rings.append(ring)
    if not rings:
        raise DataError(label, "no coastline in the file", column="features")
    return rings


def map_table(features: list[dict]) -> pd.DataFrame:
    """One row per vertex of each outer ring: exactly what the map draws."""
    rows = []
    for f in features:
        p = f["properties"]
        for lon, lat in f["geometry"]["coordinates"][0]:
            rows.append({"island": p["island_en"], "part": p["part"], "lon": lon, "lat": lat})
    return pd.DataFrame(rows)


LABEL_OFFSET = {  # label position relative to each island's outline (degrees lon, lat)
    "Habomai group": (0.55, -0.22),
    "Shikotan": (0.50, -0.12),
    "Kunashir (Kunashiri)": (1.0, -0.02),
    "Iturup (Etorofu)": (-0.65, 0.30),
}


HOKKAIDO_COLOUR = "#d9d9d9"       # land that is not disputed: a neutral grey under the islands
HOKKAIDO_LABEL = (144.75, 43.55)   # lon, lat of the label, on land west of the Nemuro strait


def draw_islands(ax, features: list[dict], areas: pd.DataFrame) -> None:
    """Fill each part in its island's colour and label each island once (name and km²)."""
    import math

    from matplotlib.patches import Polygon

    for f in features:
        name = f["properties"]["island_en"]
        for k, ring in enumerate(f["geometry"]["coordinates"]):
            ax.add_patch(Polygon(ring, closed=True, facecolor=ISLAND_COLOURS[name] if k == 0
                                 else "white", edgecolor="#333333", linewidth=0.6, zorder=2))
    for ring in hokkaido_coast():
        ax.add_patch(Polygon(ring, closed=True, facecolor=HOKKAIDO_COLOUR, edgecolor="none",
                             zorder=1))
    ax.text(HOKKAIDO_LABEL[0], HOKKAIDO_LABEL[1], "Hokkaido\n(Japan)", fontsize=9,
            ha="center", va="center", color="#333333", zorder=3)
    ax.set_axisbelow(True)
    tab = map_table(features)
    for name in ISLANDS:
        pts = tab[tab["island"] == name]
        x, y = pts["lon"].mean(), pts["lat"].mean()
        dx, dy = LABEL_OFFSET[name]
        ax.annotate(f"{name}\n{int(areas.loc[name, 'area_km2_incl_islets']):,} km²",
                    xy=(x, y), xytext=(x + dx, y + dy), fontsize=9, ha="center", va="center",
                    arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.6})
    ax.set_xlim(HOKKAIDO_LABEL[0] - 0.4, tab["lon"].max() + 0.2)
    ax.set_ylim(tab["lat"].min() - 0.3, tab["lat"].max() + 0.2)
    # equal distances on the ground: one degree of longitude is cos(latitude) degrees of latitude
    ax.set_aspect(1 / math.cos(math.radians(tab["lat"].mean())))


# --- territory: durations ---------------------------------------------------------------------

VERDICT_WORDS = {"holds": "yes", "holds_within_rounding": "only at the edge of the dates' "
                 "precision", "does_not_hold": "no", "not_checkable": "not checkable",
                 "sources_disagree": "texts disagree"}


def durations(claims: pd.DataFrame) -> pd.DataFrame:
    """Every duration the audit judges against two dated events (rule ``dated_span``): the
    stated years, the dates and what they rest on (``data/claim_readings.csv``), the years
    elapsed and the audit's verdict. Nothing is judged here."""
    from .audit import verdicts

    c = claims.set_index("claim_id")
    rd = load("claim_readings").set_index("claim_id")
    vt = verdicts.verdict_table(detail=True)
    vt = vt[vt["check"] == "dated_span"]
    rows = []
    for _, v in vt.iterrows():
        cid = v["claim_id"]
        if cid not in c.index:  # a duration of another theme
            continue
        r, d = c.loc[cid], rd.loc[cid]
        rows.append({
            "claim_id": cid, "source_id": r["source_id"], "span": d["span_label"],
            "token": r["token"], "qualifier": r["qualifier"],
            "stated_low": float(r["value"]),
            "stated_high": float(r["value_high"]) if pd.notna(r["value_high"]) else float(r["value"]),
            "from": d["span_start"], "to": d["span_end"],
            "elapsed_years": round(float(v["computed_value"]), 2),
            "from_basis": d["span_start_basis"], "to_basis": d["span_end_basis"],
            "verdict": v["verdict"],
        })
    out = pd.DataFrame(rows)
    out["source"] = [ledger.short_label(s) for s in out["source_id"]]
    out["consistent"] = out["verdict"].map(VERDICT_WORDS)
    return out


# --- territory: the count claims ---------------------------------------------------------------

def count_claims(claims: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Every count of islands whose reading names the islands meant (data/claim_readings.csv),
    with the share of the area those islands make up."""
    rd = load("claim_readings").set_index("claim_id")["islands"]
    sub = claims[claims["claim_id"].map(lambda c: bool(rd.get(c, "")))].copy()
    sets = [list(ISLANDS) if rd[c] == "all" else rd[c].split(";") for c in sub["claim_id"]]
    sub["islands"] = [" + ".join(SHORT[i] for i in s) if len(s) < 4 else "all four" for s in sets]
    sub["share_pct"] = [group_share(areas, s) for s in sets]
    return sub


def count_table_html(sub: pd.DataFrame) -> str:
    head = ["Claim", "Text", "As written", "Islands", "Which", "Share of the area",
            "Period", "What the text says (our paraphrase)"]
    rows = []
    for _, r in sub.sort_values(["value", "metric", "claim_id"], ascending=[False, True, True]).iterrows():
        cells = [style.claim_links([r["claim_id"]]), html.escape(ledger.short_label(r["source_id"])),
                 html.escape(r["token"]), f"{int(r['value'])}", html.escape(r["islands"]),
                 f"{r['share_pct']:.1f}%", html.escape(r["period"]), html.escape(r["paraphrase"])]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return table_html(head, rows)


def table_html(head: list[str], rows: list[str]) -> str:
    return tables.assemble(head, rows, sortable=True)


def claims_table_html(sub: pd.DataFrame, check: dict[str, str] | None = None) -> str:
    """A short table of claims: id, text, token, value, unit, period, paraphrase, our check."""
    head = ["Claim", "Text", "As written", "Value", "Unit", "Period",
            "What the text says (our paraphrase)"] + (["Our check"] if check else [])
    rows = []
    for _, r in sub.iterrows():
        cells = [style.claim_links([r["claim_id"]]), html.escape(ledger.short_label(r["source_id"])),
                 html.escape(r["token"]), html.escape(ledger.format_value(r)), html.escape(r["unit"]),
                 html.escape(r["period"]), html.escape(r["paraphrase"])]
        if check:
            cells.append(html.escape(check.get(r["claim_id"], "")))
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return table_html(head, rows)


# --- exchanges -----------------------------------------------------------------------------------

def exchange_years() -> list[tuple[int, int, str]]:
    """(first year, last year, name) of each exchange year the chart shades: the years as the
    texts give them, the period of the claim each row of data/chart_rows.csv (chart
    'exchange_years') names."""
    period = ledger.claims().set_index("claim_id")["period"]
    out = []
    for r in ledger.chart_rows("exchange_years").itertuples():
        first, last = (int(y[:4]) for y in str(period[r.ref]).split("/"))
        out.append((first, last, style.wrap_label(r.label, 16)))
    return out


def event_counts(claims: pd.DataFrame) -> pd.DataFrame:
    """Each count of cross-year events, at the date it was stated and with what it counts
    (claim readings: stated_on, stated_on_basis, count_scope, and scope 'part' for a count
    of a narrower set of events: column ``narrower``)."""
    from .data import load
    rd = load("claim_readings").set_index("claim_id")
    c = claims[claims["metric"] == "exchange_year_events"].set_index("claim_id")
    rows = []
    for cid, r in c.iterrows():
        when = rd["stated_on"].get(cid, "")
        if not when:
            from .errors import DataError
            raise DataError("data/claim_readings.csv", f"no stated_on for the count {cid}",
                            column="stated_on")
        rows.append({"claim_id": cid, "source_id": r["source_id"],
                     "source": ledger.short_label(r["source_id"]), "stated_on": when,
                     "events": float(r["value"]), "qualifier": r["qualifier"], "token": r["token"],
                     "scope": rd.at[cid, "count_scope"], "date_basis": rd.at[cid, "stated_on_basis"],
                     # a count of part of what the others count (reading scope 'part')
                     "narrower": rd.at[cid, "scope"] == "part"})
    return pd.DataFrame(rows).sort_values(["stated_on", "claim_id"]).reset_index(drop=True)


# --- UN General Assembly votes --------------------------------------------------------------------

PAIR_STYLE = {  # colour, line width, label
    "Japan-Russia": (style.PALETTE["blue"], 2.6, "Japan–Russia"),
    "Japan-United States": (style.PALETTE["orange"], 1.4, "Japan–United States"),
    "Russia-China": (style.PALETTE["green"], 1.4, "Russia–China"),
}


def un_events() -> pd.DataFrame:
    """The events the texts discuss that the UN-vote charts mark (data/chart_rows.csv, chart
    'un_events'): label, the year and record of the chronology, and the texts that discuss it."""
    events = load("events").set_index("event_id")
    rows = []
    for _, lines in ledger.chart_rows("un_events").groupby("row", sort=True):
        e = events.loc[lines.loc[lines["event_id"] != "", "event_id"].iloc[0]]
        rows.append({"year": int(e["date"][:4]), "label": lines["label"].iloc[0],
                     "description": e["description"], "publisher": e["publisher"],
                     "texts": [r for r in lines["ref"] if r]})
    return pd.DataFrame(rows)


PERIODS = [(1992, 2000, "1992–2000"), (2001, 2013, "2001–2013"), (2014, 2019, "2014–2019")]


def unga() -> pd.DataFrame:
    u = load("unga_agreement").copy()
    u["year"] = u["year"].astype(int)
    u["split_vote"] = u["both_voted"] - u["same_vote"] - u["opposite_vote"]
    return u


def period_means(u: pd.DataFrame) -> pd.DataFrame:
    """Agreement over each period, pooled (same votes / votes both cast, %)."""
    rows = []
    for a, b, label in PERIODS:
        s = u[(u["year"] >= a) & (u["year"] <= b)].groupby("pair")[["same_vote", "both_voted"]].sum()
        for pair, r in s.iterrows():
            rows.append({"period": label, "pair": pair,
                         "agreement_pct": r["same_vote"] / r["both_voted"] * 100})
    return pd.DataFrame(rows).pivot(index="period", columns="pair", values="agreement_pct")


def events_table() -> pd.DataFrame:
    """The events, with the record that dates them and the texts that discuss them."""
    return pd.DataFrame([{"year": r.year, "event": r.label, "the record": r.description,
                          "dated by": r.publisher,
                          "discussed in": "; ".join(ledger.short_label(s) for s in r.texts)}
                         for r in un_events().itertuples()])


def mark_events(ax, y: float = 2.0) -> None:
    """A dashed line at each event's year, labelled vertically along the line's left side."""
    for r in un_events().itertuples():
        ax.axvline(r.year, color="#666666", lw=0.9, ls="--", zorder=2.5)
        ax.text(r.year - 0.12, y, r.label, rotation=90, fontsize=7.5, ha="right",
                va="bottom", color="#333333", zorder=3)


def duration_rows(dur: pd.DataFrame) -> list[str]:
    """Table rows for the durations: claim, text, token, both dates with their basis, check."""
    rows = []
    for _, r in dur.iterrows():
        cells = [style.claim_links([r["claim_id"]]), html.escape(r["source"]), html.escape(r["token"]),
                 html.escape(f"{r['from']}: {r['from_basis']}"), html.escape(f"{r['to']}: {r['to_basis']}"),
                 # a span under a year (the Yalta months) would round to nothing at one decimal
                 f"{r['elapsed_years']:.{1 if r['elapsed_years'] >= 1 else 2}f}",
                 html.escape(r["consistent"])]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return rows
