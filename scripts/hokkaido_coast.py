"""Write data/reference/hokkaido_coast.geojson: eastern Hokkaido, for context on the islands map.

The source is Natural Earth's 1:10m Admin 0 countries as packaged in the npm package
``world-atlas`` 2.0.2 (``countries-10m.json``, TopoJSON; pinned in package.json, installed by
``npm ci``).  The script decodes Japan's MultiPolygon, keeps the parts that reach the box
below and clips them to it (Sutherland-Hodgman), rounding to 4 decimals.  The box is larger
than the map's view, so the clipped edges never show.  Run it by hand after a change of the
package (``.venv/bin/python scripts/hokkaido_coast.py``), then record the file's sha256 in
data/datapackage.json; the build itself never runs it.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "node_modules" / "world-atlas" / "countries-10m.json"
OUT = ROOT / "data" / "reference" / "hokkaido_coast.geojson"
BOX = (143.9, 42.5, 146.0, 45.0)      # lon_min, lat_min, lon_max, lat_max
DECIMALS = 4


def decode(topo: dict, country: str) -> list[list[list[tuple[float, float]]]]:
    """The polygons (rings of lon, lat) of one country of a quantized TopoJSON."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]

    def arc(i: int) -> list[tuple[float, float]]:
        x = y = 0
        pts = []
        for dx, dy in topo["arcs"][i if i >= 0 else ~i]:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        return pts if i >= 0 else pts[::-1]

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        pts: list[tuple[float, float]] = []
        for i in indices:
            a = arc(i)
            pts.extend(a if not pts else a[1:])
        return pts

    geoms = [g for g in topo["objects"]["countries"]["geometries"]
             if g.get("properties", {}).get("name") == country]
    if len(geoms) != 1 or geoms[0]["type"] != "MultiPolygon":
        sys.exit(f"{SOURCE.name}: expected one MultiPolygon named {country!r}")
    return [[ring(r) for r in poly] for poly in geoms[0]["arcs"]]


def clip(ring: list[tuple[float, float]], box=BOX) -> list[tuple[float, float]]:
    """Sutherland-Hodgman clip of a closed ring to an axis-aligned box."""
    x0, y0, x1, y1 = box
    edges = [(lambda p: p[0] >= x0, 0, x0), (lambda p: p[0] <= x1, 0, x1),
             (lambda p: p[1] >= y0, 1, y0), (lambda p: p[1] <= y1, 1, y1)]
    pts = ring[:-1] if ring and ring[0] == ring[-1] else list(ring)
    for inside, axis, value in edges:
        out = []
        for k, cur in enumerate(pts):
            prev = pts[k - 1]
            if inside(cur) != inside(prev):
                t = (value - prev[axis]) / (cur[axis] - prev[axis])
                cut = (prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1]))
                out.append((value, cut[1]) if axis == 0 else (cut[0], value))
            if inside(cur):
                out.append(cur)
        pts = out
        if not pts:
            return []
    rounded = []
    for lon, lat in pts:
        q = [round(lon, DECIMALS), round(lat, DECIMALS)]
        if not rounded or q != rounded[-1]:
            rounded.append(q)
    return rounded + [rounded[0]] if len(rounded) >= 3 else []


def main() -> None:
    topo = json.loads(SOURCE.read_text(encoding="utf-8"))
    features = []
    for poly in decode(topo, "Japan"):
        outer = clip(poly[0])
        if len(outer) >= 4:
            features.append({"type": "Feature", "properties": {"name": "Hokkaido (Japan)",
                                                               "part": len(features) + 1},
                             "geometry": {"type": "Polygon", "coordinates": [outer]}})
    body = ",\n".join(json.dumps(f, separators=(",", ":")) for f in features)
    OUT.write_text('{"type":"FeatureCollection","name":"hokkaido_coast","features":[\n'
                   + body + "\n]}\n", encoding="utf-8")
    print(f"{OUT.name}: {len(features)} polygons, "
          f"{sum(len(f['geometry']['coordinates'][0]) for f in features)} positions")


if __name__ == "__main__":
    main()
