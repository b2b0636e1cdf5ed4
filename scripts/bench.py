"""Benchmark of the build (`make bench`): prints each timing as a ratio to the floor.

(a) floor   - executing a bare notebook that only imports pandas and matplotlib
(b) clean   - `make book` from an empty build directory (notebooks current: HTML only)
(b') full   - the same, with every notebook re-executed (`--force`), as after a package change
(c) no-op   - `make book` again, nothing changed
(d) data    - `make book` after changing one data file (content, not just its time stamp)

Targets (issue 2): b' <= 0.8 x notebooks x floor; c <= 1 x floor; d <= (readers + 1) x floor.
The script restores every file it changes. It is a benchmark, not a test: it prints figures.

The machine's speed drifts by a sixth from one minute to the next, so (b'), (c) and (d) are each
run ``BENCH_RUNS`` times (3 unless set) and reported as their median, with every run's time.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rjnumbers import pipeline  # noqa: E402


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def floor(runs: int = 5) -> float:
    """Median of ``runs`` executions, after one warm-up run that is not counted."""
    import nbformat
    from nbclient import NotebookClient

    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs + 1):
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
                "import pandas as pd\nimport matplotlib\nimport matplotlib.pyplot as plt")])
            nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                         "language": "python"}
            t0 = time.perf_counter()
            NotebookClient(nb, kernel_name="python3",
                           resources={"metadata": {"path": tmp}}).execute(stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - t0)
    return statistics.median(times[1:])


def pinned() -> set[str]:
    """Data files whose manifest entry carries a hash: changing their bytes stops the build by
    design, so (d) edits a file that a user edits (the ledger's tables), not one of these."""
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    return {f"data/{r['path']}" for r in package["resources"] if "hash" in r}


def readers() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    skip = pinned()
    for _, ipynb in pipeline.pairs():
        state = json.loads(ipynb.read_text(encoding="utf-8"))["metadata"].get("rjnumbers", {})
        for path in state.get("inputs", {}):
            if path.startswith("data/") and path.endswith(".csv") and path not in skip:
                out.setdefault(path, []).append(ipynb.name)
    return out


RUNS = max(1, int(os.environ.get("BENCH_RUNS", "3")))


def median_of(measure) -> tuple[float, str]:
    """The median of ``RUNS`` calls of ``measure`` (seconds), and every run's time."""
    times = [measure() for _ in range(RUNS)]
    return statistics.median(times), " ".join(f"{t:.2f}" for t in times)


def main() -> int:
    make = ["make", "--no-print-directory", "book"]
    n = len(pipeline.pairs())
    f = floor()
    print(f"(a) floor: bare notebook execution         {f:6.2f} s   = 1.00 x floor")

    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    b = timed(make)
    print(f"(b) clean make book (empty _build)         {b:6.2f} s   = {b / f:5.2f} x floor")

    def full() -> float:
        saved = {p: p.read_bytes() for _, p in pipeline.pairs()}
        shutil.rmtree(ROOT / "_build", ignore_errors=True)
        try:
            return timed([sys.executable, "-m", "rjnumbers.pipeline", "--force", "--jobs", "2"])
        finally:
            for p, data in saved.items():
                p.write_bytes(data)

    bf, runs = median_of(full)
    print(f"(b') clean build, all {n} notebooks executed {bf:6.2f} s   = {bf / f:5.2f} x floor"
          f"   (target <= {0.8 * n:.1f}; runs: {runs})")
    # settle: rebuild the HTML from the restored notebooks, so that Sphinx's record of when it
    # last read each page is newer than the restored files' time stamps
    timed([sys.executable, "-m", "rjnumbers.pipeline", "--html-only"])
    timed(make)

    c, runs = median_of(lambda: timed(make))
    print(f"(c) no-change make book                    {c:6.2f} s   = {c / f:5.2f} x floor"
          f"   (target <= 1.0; runs: {runs})")

    rd = readers()
    path, who = min(rd.items(), key=lambda kv: (len(kv[1]), kv[0]))
    target = ROOT / path

    def one_file() -> float:
        original = target.read_bytes()
        saved = {p: p.read_bytes() for _, p in pipeline.pairs()}
        lines = original.decode("utf-8").split("\n")
        # same table, different bytes: quote the first cell of the first data row
        first = lines[1].split(",", 1)
        lines[1] = f'"{first[0]}",{first[1]}' if not first[0].startswith('"') else lines[1]
        try:
            target.write_text("\n".join(lines), encoding="utf-8")
            return timed(make)
        finally:
            target.write_bytes(original)
            for p, data in saved.items():
                p.write_bytes(data)
            timed(make)

    d, runs = median_of(one_file)
    print(f"(d) one data file changed ({path}, read by {len(who)} notebook(s))"
          f"\n                                            {d:6.2f} s   = {d / f:5.2f} x floor"
          f"   (target <= {len(who) + 1:.1f}; runs: {runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
