"""What the book is made from: the datasets with their records, and the environment."""
from __future__ import annotations

import base64
import hashlib
import html
import platform
import sys
from importlib import metadata

import pandas as pd

from .data import datapackage, record_read
from .downloads import EMBED_MAX_BYTES
from .paths import DATA, ROOT


def resources() -> list[dict]:
    return datapackage()["resources"]


def _provenance(res: dict) -> str:
    bits = []
    for src in res.get("sources", []):
        label = src.get("citation") or src.get("title", "")
        bits.append(html.escape(label))
    if res.get("x-producer"):
        bits.insert(0, "Producer: " + html.escape(str(res["x-producer"])))
    if res.get("x-upstream-release"):
        bits.append("upstream release: " + html.escape(str(res["x-upstream-release"])))
    files = res.get("x-raw-file") or []
    hashes = res.get("x-raw-sha256") or []
    files = [files] if isinstance(files, str) else files
    hashes = [hashes] if isinstance(hashes, str) else hashes
    for f, h in zip(files, hashes):
        bits.append(f"raw file <code>{html.escape(f)}</code> (sha256 <code>{html.escape(h)}</code>)")
    return "; ".join(bits) or "compiled by this project (hand-curated)"


def download_link(res: dict) -> str:
    """A link that downloads the committed file byte for byte: embedded in the page when it is
    small, else the copy the book publishes under ``downloads/data/`` (rjnumbers.downloads)."""
    path = DATA / res["path"]
    record_read(path)
    raw = path.read_bytes()
    if len(raw) > EMBED_MAX_BYTES:
        href = "../downloads/data/" + res["path"]
        return (f'<a class="rj-download" download="{html.escape(path.name)}" '
                f'href="{html.escape(href)}">Download {html.escape(path.name)} '
                f'({len(raw):,} bytes)</a>')
    mime = "application/geo+json" if res.get("format") == "geojson" else "text/csv"
    b64 = base64.b64encode(raw).decode("ascii")
    return (f'<a download="{html.escape(path.name)}" href="data:{mime};base64,{b64}">'
            f'Download {html.escape(path.name)} ({len(raw):,} bytes)</a>')


def datasets_html() -> str:
    """One section per dataset: title, description, provenance, columns, download."""
    out = []
    for res in resources():
        rows = res.get("x-rows")  # verified against the file before the build ran
        if rows is None and res.get("format", "csv") == "csv":
            from .data import load
            rows = len(load(res["name"]))  # records, not lines: a quoted line break is one row
        lic = ", ".join(x.get("name", "") for x in res.get("licenses", [])) or "see the package licence"
        fields = res.get("schema", {}).get("fields", [])
        col_rows = "".join(
            f"<tr><td><code>{html.escape(f['name'])}</code></td><td>{html.escape(f.get('type', ''))}</td>"
            f"<td>{html.escape(str(f.get('unit', '')))}</td>"
            f"<td>{html.escape(f.get('description', ''))}</td></tr>" for f in fields)
        table = ("<table class='rj-table'><thead><tr><th scope='col'>Column</th><th scope='col'>Type</th>"
                 "<th scope='col'>Unit</th><th scope='col'>Meaning</th></tr></thead>"
                 f"<tbody>{col_rows}</tbody></table>") if fields else ""
        out.append(
            f"<section class='rj-dataset' id='data-{html.escape(res['name'])}'>"
            f"<h3>{html.escape(res.get('title', res['name']))}</h3>"
            f"<p><code>data/{html.escape(res['path'])}</code>"
            + (f" — {rows:,} rows" if rows is not None else "") +
            f" — licence: {html.escape(lic)}</p>"
            f"<p>{html.escape(res.get('description', ''))}</p>"
            f"<p class='rj-provenance'>{_provenance(res)}</p>{table}"
            f"<p>{download_link(res)}</p></section>")
    return "".join(out)


def data_hashes() -> pd.DataFrame:
    rows = []
    for path in sorted(DATA.rglob("*")):
        if path.is_file():
            record_read(path)
            rows.append({"file": path.relative_to(ROOT).as_posix(),
                         "bytes": path.stat().st_size,
                         "sha256": hashlib.sha256(path.read_bytes()).hexdigest()})
    return pd.DataFrame(rows)


def package_versions() -> pd.DataFrame:
    """Exact versions of every pinned requirement, as installed."""
    req = ROOT / "requirements.txt"
    record_read(req)
    rows = []
    for line in req.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "==" not in line:
            continue
        name, pinned = line.split("==", 1)
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "not installed"
        rows.append({"package": name, "pinned": pinned, "installed": installed})
    return pd.DataFrame(rows)


def python_version() -> str:
    return f"{platform.python_implementation()} {platform.python_version()}"


def mismatches(versions: pd.DataFrame) -> pd.DataFrame:
    return versions[versions["pinned"] != versions["installed"]]


__all__ = ["datasets_html", "data_hashes", "package_versions", "python_version", "sys"]
