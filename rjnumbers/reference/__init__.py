"""Reference-data builders: small extracts of outside data, committed under ``data/reference/``.

Each module builds one extract from the raw files in ``../shared/reference/`` (never
committed) with ``read -> transform -> validate -> write`` and returns the extract's entry
for ``data/datapackage.json`` (provenance, raw-file sha256, row count, hash of the extract).

Rebuild everything (needs ``../shared/reference``)::

    python -m rjnumbers.reference            # writes data/reference/ and datapackage.json
    python -m rjnumbers.reference --out DIR  # somewhere else; datapackage.json untouched

Notebooks read the CSV extracts like every other table, validated against their schema::

    from rjnumbers.data import load
    trade = load("trade_japan_russia")

and the map with :func:`load_geojson`.  :func:`verify` re-checks one committed extract
(schema, builder checks, row count, hash) without the raw files.
"""
from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType

from ..errors import DataError
from ..paths import DATA, DATAPACKAGE, rel
from ._common import RawDataError, check_extract, raw_root, sha256_bytes, update_datapackage

#: Builder modules, in the order their resources appear in datapackage.json.
BUILDERS = (
    "trade_japan_russia",
    "trade_russia_partners",
    "trade_russia_ranks",
    "unga_agreement",
    "island_areas",
    "islands_map",
    "poll_points",
    "trade_points",
)
NAMES = BUILDERS  # each module builds the resource of the same name

__all__ = ["BUILDERS", "NAMES", "RawDataError", "builder", "build", "build_all", "verify",
           "verify_all", "load_geojson", "raw_available"]


def builder(name: str) -> ModuleType:
    if name not in BUILDERS:
        raise KeyError(f"no reference builder named {name!r} (known: {', '.join(BUILDERS)})")
    return importlib.import_module(f"{__name__}.{name}")


def raw_available(raw_dir: Path | None = None) -> bool:
    return raw_root(raw_dir).is_dir()


def build(name: str, out_dir: Path | None = None, raw_dir: Path | None = None) -> dict:
    """Build one extract into ``out_dir`` (default ``data/reference``); return its descriptor."""
    return builder(name).build(out_dir=out_dir, raw_dir=raw_dir)


def build_all(out_dir: Path | None = None, raw_dir: Path | None = None,
              names: list[str] | tuple[str, ...] | None = None,
              package: Path | None = None) -> list[dict]:
    """Build the extracts; if ``package`` is given, write their entries into that datapackage."""
    entries = [build(n, out_dir=out_dir, raw_dir=raw_dir) for n in (names or BUILDERS)]
    if package is not None:
        update_datapackage(entries, package)
    return entries


def _resource(name: str, package_path: Path = DATAPACKAGE) -> dict:
    package = json.loads(Path(package_path).read_text(encoding="utf-8"))
    for res in package["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(f"no resource named {name!r} in {rel(package_path)}")


def verify(name: str, path: Path | None = None, package_path: Path = DATAPACKAGE) -> None:
    """Check a committed extract: schema, the builder's checks, row count, then hash.

    Raises DataError naming the file (and row and column where there is one).
    """
    res = _resource(name, package_path)
    mod = builder(name)
    path = Path(path) if path is not None else DATA / res["path"]
    label = rel(path)
    if not path.is_file():
        raise DataError(label, "file does not exist")
    data = path.read_bytes()
    if res.get("format") == "csv":
        df = check_extract(res["schema"], data, label, mod.validate, mod.SPEC.expected_rows)
        rows, first = len(df), res["schema"]["fields"][0]["name"]
    else:
        rows, first = len(mod.check(data, label)), "features"
    if rows != res["x-rows"]:
        raise DataError(label, f"has {rows} rows, data/datapackage.json says {res['x-rows']} "
                        "(truncated?)", row=rows or None, column=first)
    digest = "sha256:" + sha256_bytes(data)
    if digest != res["hash"]:
        raise DataError(label, "content differs from the hash in data/datapackage.json "
                        "(edited by hand? rerun `python -m rjnumbers.reference`)")


def verify_all(package_path: Path = DATAPACKAGE) -> list[str]:
    for name in BUILDERS:
        verify(name, package_path=package_path)
    return list(BUILDERS)


def load_geojson(name: str = "islands_map") -> dict:
    """The map extract as a GeoJSON dict, after checking it against datapackage.json."""
    from ..data import record_read

    res = _resource(name)
    path = DATA / res["path"]
    record_read(path)
    verify(name, path)
    return json.loads(path.read_text(encoding="utf-8"))

