"""The committed reference extracts: hashes, provenance, reproducibility and sanity.

The sanity tests compare the extracts with figures from *outside* the code (the raw data's
README, Japan's Ministry of Finance as reported in the news, well-known facts), so they fail
if a builder picks the wrong row, sheet, partner or unit.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys

import pytest

from rjnumbers import reference
from rjnumbers.data import load
from rjnumbers.paths import DATA, DATAPACKAGE, ROOT, reference_dir
from rjnumbers.reference import _common
from rjnumbers.reference.islands_map import ring_area_km2

PACKAGE = json.loads(DATAPACKAGE.read_text(encoding="utf-8"))
OURS = [r for r in PACKAGE["resources"] if str(r.get("x-builder", "")).startswith("rjnumbers.reference.")]
CSV = [r["name"] for r in OURS if r["format"] == "csv"]

needs_raw = pytest.mark.skipif(
    not reference_dir().is_dir(),
    reason="../shared/reference (the raw reference data) is not here; the committed extracts "
           "are checked against their hashes instead",
)


def res(name: str) -> dict:
    return next(r for r in OURS if r["name"] == name)


# --- integrity of what is committed -------------------------------------------------------

def test_every_builder_has_a_resource():
    assert sorted(r["name"] for r in OURS) == sorted(reference.BUILDERS)
    for r in OURS:
        assert r["x-builder"] == f"rjnumbers.reference.{r['name']}"


@pytest.mark.parametrize("name", reference.BUILDERS)
def test_committed_extract_matches_its_hash(name):
    r = res(name)
    data = (DATA / r["path"]).read_bytes()
    assert r["hash"] == "sha256:" + hashlib.sha256(data).hexdigest(), (
        f"data/{r['path']} changed since it was built; rerun `python -m rjnumbers.reference`")


@pytest.mark.parametrize("name", reference.BUILDERS)
def test_committed_extract_verifies(name):
    reference.verify(name)  # schema + builder checks + x-rows + hash


@pytest.mark.parametrize("name", CSV)
def test_extract_loads_through_the_project_loader(name):
    df = load(name)
    assert len(df) == res(name)["x-rows"]


@pytest.mark.parametrize("name", reference.BUILDERS)
def test_provenance_is_complete(name):
    r = res(name)
    for key in ("name", "path", "format", "encoding", "title", "description", "sources",
                "licenses", "x-producer", "x-upstream-release", "x-raw-file", "x-raw-sha256",
                "x-rows", "hash", "x-builder"):
        assert key in r, key
    assert r["path"].startswith("reference/")
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', json.dumps(r, ensure_ascii=False))
    assert not [x for x in strings if x.startswith("/")], "absolute (machine) path in datapackage entry"
    assert r["sources"] and all({"title", "path", "citation"} <= set(s) for s in r["sources"])
    assert len(r["x-raw-file"]) == len(r["x-raw-sha256"]) >= 1
    assert all(p.startswith("../shared/reference/") for p in r["x-raw-file"])
    assert all(len(h) == 64 for h in r["x-raw-sha256"])
    if r["x-upstream-release"] is None:
        assert r["x-upstream-release-note"], "an unknown release date must be explained"
    if r["format"] == "csv":
        for f in r["schema"]["fields"]:
            assert f.get("type") and f.get("unit") and f.get("description"), f["name"]
        assert r["schema"]["primaryKey"]


def test_datapackage_json_is_written_deterministically():
    text = DATAPACKAGE.read_bytes()
    assert _common.dump_json(json.loads(text)) == text


def test_extracts_are_deterministic_csv():
    import csv
    import re

    for name in CSV:
        r = res(name)
        data = (DATA / r["path"]).read_bytes()
        assert b"\r" not in data and data.endswith(b"\n")
        rows = list(csv.DictReader(data.decode("utf-8").splitlines()))
        assert list(rows[0]) == [f["name"] for f in r["schema"]["fields"]]
        pk = r["schema"]["primaryKey"]
        pk = [pk] if isinstance(pk, str) else pk
        keys = [tuple(int(x[k]) if k == "year" else x[k] for k in pk) for x in rows]
        assert keys == sorted(keys), f"{name}: rows not sorted by {pk}"
        for f in r["schema"]["fields"]:
            if f["type"] != "number":
                continue
            cells = [x[f["name"]] for x in rows if x[f["name"]] != ""]
            assert all(re.fullmatch(r"\d+\.\d+", c) for c in cells), f"{name}.{f['name']}: not fixed decimals"
            assert len({len(c.split(".")[1]) for c in cells}) == 1, f"{name}.{f['name']}: mixed decimals"


@needs_raw
@pytest.mark.parametrize("name", reference.BUILDERS)
def test_raw_files_are_the_recorded_ones(name):
    r = res(name)
    for rel_path, digest in zip(r["x-raw-file"], r["x-raw-sha256"]):
        path = reference_dir() / rel_path.removeprefix("../shared/reference/")
        assert _common.sha256_file(path) == digest, f"{rel_path} is not the file the extract was built from"


@needs_raw
def test_rebuild_is_byte_identical(tmp_path):
    entries = reference.build_all(out_dir=tmp_path)
    for entry in entries:
        committed = DATA / entry["path"]
        fresh = tmp_path / committed.name
        assert fresh.read_bytes() == committed.read_bytes(), f"rebuilding {committed.name} changes it"
        assert entry == res(entry["name"]), f"datapackage.json entry of {entry['name']} is stale"
    assert not [p.name for p in (DATA / "reference").iterdir() if p.name.startswith(".")], \
        "temporary files left in data/reference"


def test_cli_without_raw_data_exits_nonzero(tmp_path):
    env = dict(os.environ, RJNUMBERS_SHARED=str(tmp_path / "absent"))
    before = {p.name: p.read_bytes() for p in (DATA / "reference").iterdir()}
    proc = subprocess.run([sys.executable, "-m", "rjnumbers.reference"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "raw reference data are not available" in proc.stderr
    assert {p.name: p.read_bytes() for p in (DATA / "reference").iterdir()} == before


# --- sanity: figures from outside the code ------------------------------------------------

@pytest.fixture(scope="module")
def trade():
    return load("trade_japan_russia").set_index(["year", "reporter"])


def test_russia_reported_2013_is_the_figure_officials_quote(trade):
    # ../shared/reference/README.md: exports 19,668 + imports 13,560 = about 33.2 bn
    row = trade.loc[(2013, "Russia")]
    assert row["exports_fob_usd_mn"] == pytest.approx(19668, abs=1)
    assert row["imports_cif_usd_mn"] == pytest.approx(13560, abs=1)
    assert row["total_usd_mn"] == pytest.approx(33228, abs=1)


def test_japan_reported_totals_agree_with_ministry_of_finance(trade):
    mof = load("trade_points")
    mof = mof[(mof["metric"] == "total_trade_with_russia") & (mof["unit"] == "USD billion")]
    checked = 0
    for rec in mof.itertuples():
        ours = trade.loc[(int(rec.period), "Japan"), "total_usd_mn"] / 1000
        assert ours == pytest.approx(rec.value, rel=0.03), rec.period
        checked += 1
    assert checked == 2  # 2015 (20.8 bn) and 2016 (16.4 bn)
    exp_2020 = trade.loc[(2020, "Japan"), "exports_fob_usd_mn"] / 1000
    assert exp_2020 == pytest.approx(6.06, rel=0.05)  # MOF via TASS: exports 6.06 bn


def test_mirror_statistics_differ_but_not_wildly(trade):
    for year in range(1992, 2021):
        j, r = trade.loc[(year, "Japan"), "total_usd_mn"], trade.loc[(year, "Russia"), "total_usd_mn"]
        assert j != r
        assert 0.5 < j / r < 2.0, year
    # each side's exports are roughly the other side's imports (2016)
    assert trade.loc[(2016, "Japan"), "exports_fob_usd_mn"] == pytest.approx(
        trade.loc[(2016, "Russia"), "imports_cif_usd_mn"], rel=0.35)


def test_trade_totals_add_up(trade):
    diff = trade["total_usd_mn"] - trade["exports_fob_usd_mn"] - trade["imports_cif_usd_mn"]
    assert diff.abs().max() < 0.0015
    assert (trade[["exports_fob_usd_mn", "imports_cif_usd_mn"]] >= 0).all().all()
    assert sorted({y for y, _ in trade.index}) == list(range(1992, 2021))


def test_partner_shares():
    p = load("trade_russia_partners")
    world = p[p["partner"] == "World"]
    assert (world[["share_of_total_pct", "share_of_exports_pct", "share_of_imports_pct"]] == 100).all().all()
    others = p[p["partner"] != "World"]
    assert others.groupby("year")["share_of_total_pct"].sum().max() < 100
    # Japan's row here is the Russia-reported row of trade_japan_russia: same source, same numbers
    t = load("trade_japan_russia")
    ru = t[t["reporter"] == "Russia"].set_index("year")["total_usd_mn"]
    jp = p[p["partner"] == "Japan"].set_index("year")["total_usd_mn"]
    assert (ru - jp).abs().max() < 1e-9
    # China has been Russia's largest single trading partner since 2010 (outside knowledge)
    wide = p.pivot(index="year", columns="partner", values="share_of_total_pct")
    late = wide.loc[2010:2020]
    assert (late["China"] > late["Japan"]).all() and (late["China"] > late["South Korea"]).all()
    # Russia-reported trade with the World in 2013 was about US$ 840 bn (exports ~527, imports ~315)
    assert world.set_index("year").loc[2013, "total_usd_mn"] == pytest.approx(842_000, rel=0.03)


def test_unga_agreement():
    u = load("unga_agreement")
    assert len(u) == 84 and u["year"].min() == 1992 and u["year"].max() == 2019
    assert ((u["agreement_pct"] >= 0) & (u["agreement_pct"] <= 100)).all()
    assert (u["same_vote"] + u["opposite_vote"] <= u["both_voted"]).all()
    assert (u["both_voted"] <= u["roll_calls"]).all()
    # the General Assembly holds roughly 60-110 recorded votes a year in this period
    per_year = u.groupby("year")["roll_calls"].first()
    assert per_year.between(40, 150).all()
    mean = u.groupby("pair")["agreement_pct"].mean()
    # the United States votes in a small minority far more often than Russia and China differ
    assert mean["Russia-China"] > mean["Japan-United States"] + 10


def test_island_areas_add_up_and_match_the_map():
    a = load("island_areas").set_index("island_en")
    islands = a[a["row_type"] == "island"]
    total = a.loc["Total"]
    assert abs(int(islands["area_km2_incl_islets"].sum()) - int(total["area_km2_incl_islets"])) <= 1
    assert int(islands["pop_1945_japanese"].sum()) == int(total["pop_1945_japanese"]) == 17291
    assert islands["area_km2_incl_islets"].idxmax() == "Iturup (Etorofu)"
    # Iturup ~3,168 and Kunashir ~1,490 km2 (MOFA); the generalised map is within ~10%
    feats = reference.load_geojson()["features"]
    by_island: dict[str, float] = {}
    for f in feats:
        area = ring_area_km2(f["geometry"]["coordinates"][0])
        assert area == pytest.approx(f["properties"]["area_km2_approx"], abs=0.06)
        by_island[f["properties"]["island_en"]] = by_island.get(f["properties"]["island_en"], 0) + area
    for name in ("Iturup (Etorofu)", "Kunashir (Kunashiri)", "Shikotan"):
        assert by_island[name] == pytest.approx(islands.loc[name, "area_km2_incl_islets"], rel=0.10), name
    assert sum(by_island.values()) == pytest.approx(total["area_km2_incl_islets"], rel=0.05)


def test_map_is_small_and_rounded():
    r = res("islands_map")
    data = (DATA / r["path"]).read_bytes()
    assert len(data) < 20_000
    for f in json.loads(data)["features"]:
        for lon, lat in f["geometry"]["coordinates"][0]:
            assert round(lon, 4) == lon and round(lat, 4) == lat
            assert 145 < lon < 149.5 and 43 < lat < 46


def test_poll_points():
    p = load("poll_points")
    assert p["value_pct"].between(0, 100).all()
    assert set(p["reliability"]) <= {"primary", "secondary"}
    assert p["citation_url"].str.match(r"https?://").all()
    # the Cabinet Office survey is by mail from 2020 on (README): rows after 2020 say so
    co = p[p["org"] == "Cabinet Office Japan"]
    late = co[co["fieldwork_start"].str[:4].astype(int) >= 2020]
    assert len(late) >= 1 and (late["mode"] == "mail").all()
    # the VTsIOM press release is the pollster's own page
    assert (p.loc[p["citation_url"].str.contains("wciom.com"), "reliability"] == "primary").all()


def test_trade_points():
    t = load("trade_points")
    assert set(t["reliability"]) == {"secondary"}  # all are news reports of MOF figures
    assert (t.loc[t["unit"] == "percent", "value"] <= 100).all()
    assert t["citation_url"].str.match(r"https?://").all()


def test_the_rank_extract_agrees_with_the_share_extract_and_places_regions():
    """Both extracts come from Russia's workbook: the partners both hold have the same totals;
    every economy stands under the IMF region the workbook lists it under."""
    ranks = load("trade_russia_ranks")
    shares = load("trade_russia_partners")
    both = shares.merge(ranks, on=["year", "partner_imf"], suffixes=("_share", ""))
    assert len(both) == 3 * 11            # Japan, China, South Korea in 2010-2020
    assert (both["total_usd_mn"] - both["total_usd_mn_share"]).abs().max() < 0.0015
    region = ranks.drop_duplicates("partner_imf").set_index("partner_imf")["imf_region"]
    assert region["Japan"] == "Advanced Economies"
    assert region["Germany"] == "Euro Area"
    assert region["China, P.R.: Mainland"] == "Emerging and Developing Asia"
    assert region["China, P.R.: Macao"] == "Advanced Economies"   # after the Euro Area list
    assert "World" not in region.index and not region.index.str.contains("not specified").any()
    # the partners' totals add up to at most the World's (the rest is unattributed trade)
    world = shares[shares["partner"] == "World"].set_index("year")["total_usd_mn"]
    summed = ranks.groupby("year")["total_usd_mn"].sum()
    assert (summed <= world.loc[summed.index] + 0.01).all()


# --- the coast of Hokkaido on the islands map -------------------------------------------------

def test_hokkaido_coast_is_what_its_script_makes_from_the_pinned_package(tmp_path, monkeypatch):
    """The committed coastline is the output of scripts/hokkaido_coast.py over world-atlas 2.0.2
    (package.json pins it; `npm ci` installs it): nobody edited the coordinates by hand."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import hokkaido_coast as script
    finally:
        sys.path.pop(0)
    assert (ROOT / "node_modules" / "world-atlas").is_dir(), "run `npm ci` (make test does)"
    monkeypatch.setattr(script, "OUT", tmp_path / "coast.geojson")
    script.main()
    assert (tmp_path / "coast.geojson").read_bytes() == (DATA / "reference" /
                                                          "hokkaido_coast.geojson").read_bytes()


def test_hokkaido_coast_lies_where_hokkaido_is():
    """Places on the coast known from any atlas: the tip of the Shiretoko peninsula (about
    145.34 E, 44.35 N) and Cape Nosappu, the eastern end of the Nemuro peninsula (about
    145.82 E, 43.38 N), each within 0.05 degrees of a vertex; no vertex on a disputed island."""
    from rjnumbers import themes_people as tp

    verts = [tuple(p) for ring in tp.hokkaido_coast() for p in ring]
    for lon, lat in [(145.34, 44.35), (145.82, 43.38)]:
        assert min(abs(x - lon) + abs(y - lat) for x, y in verts) < 0.05, (lon, lat)
    east = max(x for x, _ in verts)
    assert east < 145.9, f"the coast reaches {east} E: on the Habomai islets?"
