"""What the book publishes beside its pages, under ``downloads/``: the audit's tables (written
by the build before any notebook ran), which a chapter links to instead of carrying them inside
the page, and the data files too large to be embedded in the data page (``downloads/data/``).

Light on purpose (no pandas): the build stamps these files on every ``make book``."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from .paths import BUILD, DATA, DATAPACKAGE

#: the audit's tables published under downloads/
AUDIT_TABLES = ("verdicts.csv", "verdicts-detail.csv", "forecasts.csv", "claimreview.jsonld")
#: data files larger than this are linked to their copy under downloads/data/ instead of being
#: carried inside the page (the data page must stay light enough for a phone)
EMBED_MAX_BYTES = 64_000


def published() -> list[tuple[Path, str]]:
    """(file, its path under downloads/) for every file the book publishes there."""
    out = [(BUILD / "audit" / name, name) for name in AUDIT_TABLES
           if (BUILD / "audit" / name).exists()]
    for res in json.loads(DATAPACKAGE.read_text(encoding="utf-8"))["resources"]:
        src = DATA / res["path"]
        if src.exists() and src.stat().st_size > EMBED_MAX_BYTES:
            out.append((src, "data/" + res["path"]))
    return out


def publish(html_dir: Path) -> None:
    """Copy every published file into ``html_dir/downloads``, and nothing left from before."""
    out = Path(html_dir) / "downloads"
    out.mkdir(exist_ok=True)
    shutil.rmtree(out / "data", ignore_errors=True)   # no file left from an earlier build
    for src, name in published():
        dest = out / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(src.read_bytes())
