"""Each chapter is a pair: the .md (for review) and the .ipynb (with outputs) hold the same cells,
every code cell was executed, and the .ipynb records what it was made from."""
from __future__ import annotations

import json

import jupytext
import pytest

from rjnumbers import pipeline

PAIRS = pipeline.pairs()


def test_there_are_chapters():
    assert PAIRS, "no paired notebooks found in notebooks/"


def _cells(nb):
    return [(c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list) else c["source"])
            for c in nb["cells"]]


@pytest.mark.parametrize("md, ipynb", PAIRS, ids=[p[0].stem for p in PAIRS])
def test_md_and_ipynb_hold_the_same_cells(md, ipynb):
    assert ipynb.exists(), f"{ipynb.name} is missing: run make book"
    from_md = json.loads(jupytext.writes(jupytext.read(md, fmt="md:myst"), fmt="ipynb"))
    from_nb = json.loads(ipynb.read_text(encoding="utf-8"))
    assert _cells(from_md) == _cells(from_nb), f"{md.name} and {ipynb.name} are out of step: run make book"


@pytest.mark.parametrize("md, ipynb", PAIRS, ids=[p[0].stem for p in PAIRS])
def test_every_code_cell_was_executed_and_state_is_current(md, ipynb):
    nb = json.loads(ipynb.read_text(encoding="utf-8"))
    counts = [c.get("execution_count") for c in nb["cells"] if c["cell_type"] == "code"]
    assert counts and all(isinstance(n, int) for n in counts), f"{ipynb.name} has unexecuted cells"
    assert counts == list(range(1, len(counts) + 1)), f"{ipynb.name} was not run top to bottom"
    need, what = pipeline.sync_pair(md, ipynb)
    assert what == "in sync" and not need, f"{ipynb.name} is stale ({what}): run make book"


@pytest.mark.parametrize("md, ipynb", PAIRS, ids=[p[0].stem for p in PAIRS])
def test_no_run_dependent_metadata(md, ipynb):
    text = ipynb.read_text(encoding="utf-8")
    nb = json.loads(text)
    for cell in nb["cells"]:
        assert "execution" not in cell.get("metadata", {}), "execution timings stored"
    assert not pipeline.ADDRESS.search(text), "a memory address is stored in the outputs"
    assert '"iopub.' not in text and "Z\"" not in text.replace('"Z"', ""), "timestamps stored"


def test_lab_requirements_are_pinned_and_agree_with_the_book():
    """`make lab` installs requirements-lab.txt with requirements.txt as constraints: every line
    is pinned, and no package is pinned twice (a second pin would fight the book's)."""
    from rjnumbers.paths import ROOT

    def pins(name):
        out = {}
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                assert "==" in line, f"{name}: {line!r} is not pinned with =="
                pkg, version = line.split("==", 1)
                out[pkg.lower().replace("_", "-")] = version
        return out

    book, lab = pins("requirements.txt"), pins("requirements-lab.txt")
    assert "jupyterlab" in lab
    assert "jupytext" in book, "jupytext (the pairing) comes from the book's own requirements"
    twice = sorted(set(book) & set(lab))
    assert not twice, f"pinned in both requirements files: {twice}"
