"""A new text costs rows, not code: a sixth source made of rows only builds into the book.

In a throw-away copy of the whole project, every row of one source (ledger, readings,
bibliography) is copied under a new source id, with its seed text copied under a new file name
in a copy of ``../shared``; the book is then built with ``python -m rjnumbers.pipeline`` as
``make book`` does. The new text must be judged like its twin, shifted values must be flagged,
and the built book must show the new source.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from rjnumbers.paths import ROOT, shared_dir

TWIN_OF, NEW = "upperhand2018", "twin2022"
COPY = ["rjnumbers", "data", "book", "notebooks", "_static", "_config.yml", "_toc.yml", "requirements.txt",
        "jupytext.toml"]


def _rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), list(reader)


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def add_twin(project: Path, shared: Path, scale: float = 1.0) -> dict[str, str]:
    """Copy TWIN_OF's rows under NEW; numbers of the twin multiplied by ``scale``."""
    data = project / "data"
    head, claims = _rows(data / "claims.csv")
    ids = {r["claim_id"]: r["claim_id"].replace(TWIN_OF, NEW) for r in claims
           if r["source_id"] == TWIN_OF}
    twins = []
    for r in claims:
        if r["source_id"] == TWIN_OF:
            t = dict(r, claim_id=ids[r["claim_id"]], source_id=NEW)
            if scale != 1.0 and r["unit"] == "percent":
                t["value"] = f"{float(r['value']) * scale:g}"
                t["token"] = r["token"].replace(r["value"].split(".")[0], t["value"], 1)
            twins.append(t)
    _write(data / "claims.csv", head, claims + twins)
    head, readings = _rows(data / "claim_readings.csv")
    extra = [dict(r, claim_id=ids[r["claim_id"]],
                  question=r["question"].replace(TWIN_OF, NEW))
             for r in readings if r["claim_id"] in ids]
    _write(data / "claim_readings.csv", head, readings + extra)
    head, sources = _rows(data / "sources.csv")
    src = next(r for r in sources if r["source_id"] == TWIN_OF)
    seed = "099_" + "0123456789abcdef" + ".txt"
    sources.append(dict(src, source_id=NEW, seed_file=seed, title="A twin for tests: " + src["title"],
                        colour="#56B4E9", marker="P"))
    _write(data / "sources.csv", head, sources)
    (shared / "seeds" / seed).write_bytes((shared / "seeds" / src["seed_file"]).read_bytes())
    return ids


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The whole project with the twin, built once for the tests of this module."""
    tmp = tmp_path_factory.mktemp("newsource")
    project, shared = tmp / "project", tmp / "shared"
    project.mkdir()
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, project / name)
    shutil.copytree(shared_dir() / "seeds", shared / "seeds")
    ids = add_twin(project, shared)
    env = dict(os.environ, PYTHONPATH=str(project), RJNUMBERS_SHARED=str(shared))
    env.pop("RJNUMBERS_READ_LOG", None)
    out = subprocess.run([sys.executable, "-m", "rjnumbers.pipeline", "--jobs", "2"],
                         cwd=project, env=env, capture_output=True, text=True, timeout=1800)
    return project, ids, out


@pytest.mark.slow
def test_the_book_builds_with_a_sixth_text(built):
    project, ids, out = built
    assert out.returncode == 0, out.stderr[-3000:]
    ledger_page = (project / "_build" / "html" / "notebooks" / "01_claims.html").read_text(
        encoding="utf-8")
    for cid in ids.values():
        assert cid in ledger_page, cid
    sources_page = (project / "_build" / "html" / "book" / "sources.html").read_text(encoding="utf-8")
    assert "A twin for tests" in sources_page


@pytest.mark.slow
def test_the_sixth_text_is_judged_like_its_twin(built):
    project, ids, out = built
    assert out.returncode == 0, out.stderr[-3000:]
    t = pd.read_csv(project / "_build" / "audit" / "verdicts.csv", dtype=str,
                    keep_default_na=False)
    ref = t[t["kind"].isin(["reference", "arithmetic"])]
    got = {(c, k): v for c, k, v in zip(ref["claim_id"], ref["check"], ref["verdict"])}
    own = {(c, k): v for (c, k), v in got.items() if c in ids}
    assert own
    for (c, k), v in own.items():
        assert got.get((ids[c], k)) == v, (c, k)
    cs = t[(t["kind"] == "cross_source") & t["claim_id"].isin(set(ids.values()))]
    assert cs["claim_id"].nunique() >= 0.9 * len(ids)
