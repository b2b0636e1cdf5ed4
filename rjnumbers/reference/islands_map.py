"""A light map geometry of the four disputed islands (Natural Earth 1:10m).

The raw file holds one feature, "Kuril Is.", a MultiPolygon of 7 parts.  The extract keeps
the geometry, rounds coordinates to 4 decimals (about 10 m), and splits the parts into one
feature each, labelled with the island it belongs to (the three largest parts are Iturup,
Kunashir and Shikotan; the four small ones are the Habomai islets) and an approximate area.
Natural Earth's coastline is generalised: use the areas in ``island_areas`` for numbers.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from ..errors import DataError
from ._common import OUT_DIR, RawDataError, Spec, out_label, raw_label, raw_root, require_file, write_atomic

NAME = "islands_map"
RAW = "natural_earth/ne10m_southern_kurils_disputed.geojson"
FEATURE = "Kuril Is."
PARTS = 7
DECIMALS = 4
ISLANDS = ["Iturup (Etorofu)", "Kunashir (Kunashiri)", "Shikotan", "Habomai group"]
BBOX = (145.0, 43.0, 149.5, 46.0)  # lon_min, lat_min, lon_max, lat_max
EARTH_RADIUS_KM = 6371.0088

SPEC = Spec(
    name=NAME,
    filename=f"{NAME}.geojson",
    title="Map of the four disputed islands (Natural Earth 1:10m, one feature per island part)",
    description=(
        "GeoJSON FeatureCollection (WGS 84 longitude/latitude) of the southern Kuril Islands / "
        "Northern Territories as drawn in Natural Earth 1:10m 'Admin 0 - Breakaway, Disputed "
        "Areas' (feature 'Kuril Is.', administered by Russia, claimed by Japan). The source "
        "MultiPolygon's 7 parts become 7 features with properties island_en (same names as "
        "island_areas: the three largest parts are Iturup, Kunashir and Shikotan, the four small "
        "ones the Habomai group), part (1-based position in the source MultiPolygon) and "
        "area_km2_approx (spherical area of the generalised outline, km², 1 decimal). "
        "Coordinates rounded to 4 decimals; ring order and winding as in the source. "
        "A generalised coastline: good for a map, not for official areas. x-rows counts features."
    ),
    builder=__name__,
    raw_files=[RAW],
    sources=[
        {"title": "Natural Earth, 1:10m Cultural Vectors, Admin 0 - Breakaway, Disputed Areas",
         "path": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/",
         "citation": "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com"},
        {"title": "Copy used: lifewinning/sovereigns, data/ne_10m_admin_0_disputed_areas.geojson "
                  "(commit b7db6b5), feature 'Kuril Is.'",
         "path": "https://github.com/lifewinning/sovereigns/blob/b7db6b53645f4c5b6ab5822e0e0374681a112bb4/"
                 "data/ne_10m_admin_0_disputed_areas.geojson",
         "citation": "Natural Earth (public domain), via lifewinning/sovereigns"},
    ],
    licenses=[{"name": "public-domain", "title": "Natural Earth: public domain",
               "path": "https://www.naturalearthdata.com/about/terms-of-use/"}],
    producer="Natural Earth (naturalearthdata.com)",
    release=None,
    release_note=("Unknown: the copy in lifewinning/sovereigns does not record which Natural "
                  "Earth version it was taken from."),
    format="geojson",
    mediatype="application/geo+json",
)


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def read(raw_dir: Path) -> list:
    """The 7 polygons of the 'Kuril Is.' feature, checked."""
    path = raw_dir / RAW
    label = raw_label(path, raw_dir)
    require_file(path, label)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise RawDataError(label, f"not valid UTF-8 (byte 0x{data[exc.start:exc.start + 1].hex()})",
                           row=line, column=f"character {col}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RawDataError(label, f"not valid JSON (truncated?): {exc.msg}", row=exc.lineno,
                           column=f"character {exc.colno}") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" \
            or not isinstance(doc.get("features"), list):
        raise RawDataError(label, "not a GeoJSON FeatureCollection", column="type")
    hits = [(i, f) for i, f in enumerate(doc["features"], start=1)
            if isinstance(f, dict) and (f.get("properties") or {}).get("BRK_NAME") == FEATURE]
    if len(hits) != 1:
        raise RawDataError(label, f"expected one feature with BRK_NAME {FEATURE!r}, found {len(hits)}",
                           column="properties.BRK_NAME")
    n, feat = hits[0]
    geom = feat.get("geometry") or {}
    if geom.get("type") != "MultiPolygon" or not isinstance(geom.get("coordinates"), list):
        raise RawDataError(label, f"geometry is {geom.get('type')!r}, expected MultiPolygon",
                           row=n, column="geometry.type")
    polys = geom["coordinates"]
    if len(polys) != PARTS:
        raise RawDataError(label, f"MultiPolygon has {len(polys)} parts, expected {PARTS}",
                           row=n, column="geometry.coordinates")
    for p, poly in enumerate(polys):
        if not isinstance(poly, list) or not poly:
            raise RawDataError(label, "polygon has no rings", row=n,
                               column=f"geometry.coordinates[{p}]")
        for r, ring in enumerate(poly):
            where = f"geometry.coordinates[{p}][{r}]"
            if not isinstance(ring, list) or len(ring) < 4:
                raise RawDataError(label, "ring has fewer than 4 positions", row=n, column=where)
            for k, pos in enumerate(ring):
                if not (isinstance(pos, list) and len(pos) >= 2 and _num(pos[0]) and _num(pos[1])):
                    raise RawDataError(label, f"position {pos!r} is not [lon, lat]", row=n,
                                       column=f"{where}[{k}]")
                lon, lat = pos[0], pos[1]
                if not (BBOX[0] <= lon <= BBOX[2] and BBOX[1] <= lat <= BBOX[3]):
                    raise RawDataError(label, f"position {pos!r} lies outside the islands' box "
                                       f"{BBOX}", row=n, column=f"{where}[{k}]")
            if ring[0][:2] != ring[-1][:2]:
                raise RawDataError(label, "ring is not closed", row=n, column=where)
    return polys


def ring_area_km2(ring: list) -> float:
    """Area of a lon/lat ring on a sphere (absolute value, km²)."""
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(ring, ring[1:]):
        total += math.radians(lon2 - lon1) * (2 + math.sin(math.radians(lat1))
                                              + math.sin(math.radians(lat2)))
    return abs(total) * EARTH_RADIUS_KM ** 2 / 2


def _round_ring(ring: list) -> list:
    out: list[list[float]] = []
    for pos in ring:
        q = [round(float(pos[0]), DECIMALS), round(float(pos[1]), DECIMALS)]
        if not out or q != out[-1]:
            out.append(q)
    if out[0] != out[-1]:
        out.append(list(out[0]))
    return out


def transform(polys: list) -> list[dict]:
    rounded = [[_round_ring(ring) for ring in poly] for poly in polys]
    areas = [ring_area_km2(p[0]) - sum(ring_area_km2(h) for h in p[1:]) for p in rounded]
    rank = sorted(range(len(rounded)), key=lambda i: -areas[i])
    names = {}
    for k, i in enumerate(rank):
        names[i] = ISLANDS[k] if k < 3 else ISLANDS[3]
    return [{"type": "Feature",
             "properties": {"island_en": names[i], "part": i + 1,
                            "area_km2_approx": round(areas[i], 1)},
             "geometry": {"type": "Polygon", "coordinates": rounded[i]}}
            for i in range(len(rounded))]


def _centroid(feature: dict) -> tuple[float, float]:
    ring = feature["geometry"]["coordinates"][0][:-1]
    return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)


def validate(features: list[dict], label: str) -> None:
    """Each part lies where its island is (from the map, not from this code)."""
    for i, f in enumerate(features, start=1):
        ring = f["geometry"]["coordinates"][0]
        if len(ring) < 4 or ring[0] != ring[-1]:
            raise DataError(label, "ring collapsed by rounding", row=i, column="geometry")
        lon, lat = _centroid(f)
        name = f["properties"]["island_en"]
        ok = {
            "Iturup (Etorofu)": lon > 147.0 and lat > 44.4,
            "Kunashir (Kunashiri)": 145.3 < lon < 146.7 and 43.6 < lat < 44.6,
            "Shikotan": lon > 146.5 and lat < 44.0,
            "Habomai group": lon < 146.5 and lat < 43.7,
        }[name]
        if not ok:
            raise DataError(label, f"part labelled {name!r} lies at {lon:.2f}E {lat:.2f}N, not "
                            "where that island is", row=i, column="island_en")
    counts = {n: sum(f["properties"]["island_en"] == n for f in features) for n in ISLANDS}
    if counts != {ISLANDS[0]: 1, ISLANDS[1]: 1, ISLANDS[2]: 1, ISLANDS[3]: PARTS - 3}:
        raise DataError(label, f"unexpected parts per island: {counts}", column="island_en")


def render(features: list[dict]) -> bytes:
    lines = ['{"type":"FeatureCollection","name":"islands_map","features":[']
    body = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    lines.append(",\n".join(body))
    lines.append("]}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def build(out_dir: Path | None = None, raw_dir: Path | None = None) -> dict:
    raw_dir = raw_root(raw_dir)
    out_dir = Path(out_dir) if out_dir is not None else OUT_DIR
    path = out_dir / SPEC.filename
    features = transform(read(raw_dir))
    data = render(features)
    check(data, out_label(path))
    write_atomic(path, data)
    return SPEC.descriptor(data, raw_dir, len(features))


def check(data: bytes, label: str) -> list[dict]:
    """Parse extract bytes and validate them; return the features."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DataError(label, f"not valid UTF-8 at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise DataError(label, f"not valid JSON (truncated?): {exc.msg} at line {exc.lineno}, "
                        f"character {exc.colno}", row=max(exc.lineno - 1, 1), column="geometry") from None
    feats = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(feats, list) or len(feats) != PARTS:
        raise DataError(label, f"expected a FeatureCollection of {PARTS} features", column="features")
    validate(feats, label)
    return feats
