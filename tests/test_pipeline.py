"""The build's mechanics, in a throw-away copy of the project: sync, re-execution, bad input,
atomic HTML. Each test runs `python -m rjnumbers.pipeline` as `make book` does."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rjnumbers.paths import ROOT

KEEP = ["rjnumbers", "data", "book", "_static", "_config.yml", "jupytext.toml"]
CHAPTER = "01_claims"


def tree_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode() + p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="session")
def checked_project(tmp_path_factory):
    """A copy of the project with one chapter and a table of contents to match, its data checked
    and its audit written once (``_build/``), as a build leaves them: each test starts from a
    copy, so a test that changes no data does not check and judge it all again."""
    dst = tmp_path_factory.mktemp("checked") / "project"
    dst.mkdir()
    for name in KEEP:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dst / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dst / name)
    (dst / "notebooks").mkdir()
    for ext in (".md", ".ipynb"):
        shutil.copy2(ROOT / "notebooks" / f"{CHAPTER}{ext}", dst / "notebooks" / f"{CHAPTER}{ext}")
    (dst / "_toc.yml").write_text(
        "format: jb-book\nroot: book/index\nchapters:\n"
        f"  - file: notebooks/{CHAPTER}\n", encoding="utf-8")
    (dst / "book" / "index.md").write_text("# Test book\n\nA copy for tests.\n", encoding="utf-8")
    for extra in (dst / "book").glob("*.md"):
        if extra.name != "index.md":
            extra.unlink()
    before = tree_hash(dst / "notebooks")
    out = run(dst, "--no-html")
    assert out.returncode == 0, out.stderr
    assert "executing" not in out.stdout and tree_hash(dst / "notebooks") == before, \
        "the committed chapter is not up to date with its inputs"
    assert sorted(p.name for p in (dst / "_build").iterdir()) == ["audit", "validated.sha256"]
    return dst


@pytest.fixture
def project(checked_project, tmp_path):
    """A private copy of :func:`checked_project`."""
    dst = tmp_path / "project"
    shutil.copytree(checked_project, dst, symlinks=True)
    return dst


def small_chapter(project: Path, name: str, code: str) -> Path:
    """A new chapter ``notebooks/<name>.md`` (no .ipynb yet): the chapter's front matter, a
    title and one code cell."""
    text = (project / "notebooks" / f"{CHAPTER}.md").read_text(encoding="utf-8")
    front = text[:text.index("\n---\n", 4) + 5]
    md = project / "notebooks" / f"{name}.md"
    md.write_text(f"{front}\n# A chapter for a test\n\n```{{code-cell}} ipython3\n{code}\n```\n",
                  encoding="utf-8")
    return md


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(project))
    env.pop("RJNUMBERS_READ_LOG", None)
    return subprocess.run([sys.executable, "-m", "rjnumbers.pipeline", *args], cwd=project,
                          env=env, capture_output=True, text=True, timeout=600)


def test_unchanged_notebook_is_not_executed_and_stays_byte_identical(project):
    nb = project / "notebooks" / f"{CHAPTER}.ipynb"
    before = nb.read_bytes()
    out = run(project, "--no-html")
    assert out.returncode == 0, out.stderr
    assert "executing" not in out.stdout
    assert nb.read_bytes() == before


def test_executing_reproduces_the_committed_bytes_in_a_fresh_and_in_a_reused_kernel(project):
    """Re-executing an unchanged chapter gives its committed .ipynb, byte for byte. A worker
    keeps its kernel from one notebook to the next (starting one per notebook cost a second
    each), wiped in between: a twin of the chapter, executed second in the same kernel, gets
    the same bytes as well."""
    nbdir = project / "notebooks"
    for ext in (".md", ".ipynb"):
        shutil.copy2(nbdir / f"{CHAPTER}{ext}", nbdir / f"{CHAPTER}_twin{ext}")
    script = ("import sys\n"
              "from rjnumbers import pipeline\n"
              "pipeline.write_audit()\n"
              "kernels = []\n"
              "for p in sys.argv[1:]:\n"
              "    name, err = pipeline.execute_notebook(p)\n"
              "    assert err is None, err\n"
              "    km = pipeline._WORKER.get('km')\n"
              "    kernels.append((id(km), km is not None and km.is_alive()))\n"
              "print(kernels[0] == kernels[1] and kernels[0][1])\n"
              "pipeline._shutdown_worker_kernel()\n")
    env = dict(os.environ, PYTHONPATH=str(project))
    env.pop("RJNUMBERS_READ_LOG", None)
    out = subprocess.run([sys.executable, "-c", script, str(nbdir / f"{CHAPTER}.ipynb"),
                          str(nbdir / f"{CHAPTER}_twin.ipynb")], cwd=project, env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True", "the second notebook did not run in the first's kernel"
    staged = project / "_build" / "staged-notebooks"
    committed = (nbdir / f"{CHAPTER}.ipynb").read_bytes()
    assert (staged / f"{CHAPTER}.ipynb").read_bytes() == committed, \
        "re-executing an unchanged notebook changed its .ipynb"
    assert (staged / f"{CHAPTER}_twin.ipynb").read_bytes() == committed, \
        "a notebook executed in a kernel that served another differs from a fresh execution"


def _processes_marked(mark: str) -> list[str]:
    """Command lines of the live processes whose environment holds ``RJ_TEST_MARK=mark`` (they
    inherited it from a process this test started; Linux's /proc)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            env = (proc / "environ").read_bytes().split(b"\0")
            if f"RJ_TEST_MARK={mark}".encode() in env:
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:  # gone, or not ours
            continue
    return found


@pytest.mark.parametrize("after", [0.0, 0.4, 0.8, 3.0])
def test_workers_ended_early_leave_no_kernel_behind(project, tmp_path, after):
    """A build that fails its data checks ends its workers without waiting for their kernels
    to start: ended before, while or after a kernel starts, no kernel outlives them."""
    script = ("import time\n"
              "from rjnumbers import pipeline\n"
              "if __name__ == '__main__':\n"
              "    w = pipeline.Workers(2, warm=2)\n"
              f"    time.sleep({after})\n"
              "    w.abort()\n"
              "    print('ended')\n")
    (tmp_path / "end_early.py").write_text(script, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(project), RJ_TEST_MARK=str(tmp_path))
    env.pop("RJNUMBERS_READ_LOG", None)
    # output to files, not pipes: reading a pipe to its end would wait for every process that
    # holds it, an orphaned kernel included, and so hide one
    log, err = tmp_path / "stdout", tmp_path / "stderr"
    with log.open("w") as o, err.open("w") as e:
        out = subprocess.run([sys.executable, str(tmp_path / "end_early.py")], cwd=project,
                             env=env, stdout=o, stderr=e, timeout=600)
    # (multiprocessing's resource tracker may take a moment longer to notice; it is no kernel)
    left = [c for c in _processes_marked(str(tmp_path)) if "ipykernel" in c]
    assert out.returncode == 0 and log.read_text().strip() == "ended", err.read_text()
    assert left == [], f"{len(left)} process(es) outlived the build's workers: {left}"


def test_changed_data_file_reexecutes_its_readers(project):
    claims = project / "data" / "claims.csv"
    lines = claims.read_text(encoding="utf-8").splitlines(keepends=True)
    claims.write_text("".join(lines[:-1]), encoding="utf-8")  # drop the last claim
    out = run(project, "--no-html")
    assert out.returncode == 0, out.stderr
    assert "executing 1 notebook(s)" in out.stdout and CHAPTER in out.stdout
    again = run(project, "--no-html")
    assert "executing" not in again.stdout, "a second run re-executed an up-to-date notebook"


def test_markdown_edit_syncs_into_the_ipynb(project):
    md = project / "notebooks" / f"{CHAPTER}.md"
    md.write_text(md.read_text(encoding="utf-8").replace(
        "## The ledger", "## The ledger, in full"), encoding="utf-8")
    out = run(project, "--no-html")
    assert out.returncode == 0, out.stderr
    assert "updated .ipynb from .md" in out.stdout
    assert "executing" not in out.stdout, "a prose-only edit must not re-execute"
    assert "The ledger, in full" in (project / "notebooks" / f"{CHAPTER}.ipynb").read_text()
    # ... and every code cell keeps the outputs it had (they are not re-made)
    after = json.loads((project / "notebooks" / f"{CHAPTER}.ipynb").read_text(encoding="utf-8"))
    before = json.loads((ROOT / "notebooks" / f"{CHAPTER}.ipynb").read_text(encoding="utf-8"))
    outputs = [[c["outputs"] for c in nb["cells"] if c["cell_type"] == "code"] for nb in (before, after)]
    assert outputs[0] == outputs[1] and any(outputs[1]), "a prose edit dropped the stored outputs"


def test_both_sides_changed_stops_without_overwriting(project):
    md = project / "notebooks" / f"{CHAPTER}.md"
    nb = project / "notebooks" / f"{CHAPTER}.ipynb"
    md.write_text(md.read_text(encoding="utf-8").replace("## The ledger", "## Ledger A"))
    nb.write_text(nb.read_text(encoding="utf-8").replace("## The ledger", "## Ledger B"))
    md_before, nb_before = md.read_bytes(), nb.read_bytes()
    out = run(project, "--no-html")
    assert out.returncode != 0
    assert "both sides of the pair" in out.stderr
    assert md.read_bytes() == md_before and nb.read_bytes() == nb_before


def test_bad_data_stops_the_build_naming_file_row_column(project):
    claims = project / "data" / "claims.csv"
    lines = claims.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[3].split(",")
    cells[4] = "twelve"  # the value column of data row 3
    lines[3] = ",".join(cells)
    claims.write_text("".join(lines), encoding="utf-8")
    data_before = tree_hash(project / "data")
    nb_before = (project / "notebooks" / f"{CHAPTER}.ipynb").read_bytes()
    out = run(project)
    assert out.returncode != 0
    assert "data/claims.csv, row 3 (line 4), column 'value'" in out.stderr
    assert "Traceback" not in out.stderr
    assert tree_hash(project / "data") == data_before, "the build wrote to data/"
    assert (project / "notebooks" / f"{CHAPTER}.ipynb").read_bytes() == nb_before
    assert not (project / "_build" / "html").exists(), "a book was built from bad data"


@pytest.mark.slow
def test_failed_html_build_leaves_the_previous_book_intact(project):
    out = run(project)
    assert out.returncode == 0, out.stderr
    index = project / "_build" / "html" / "index.html"
    before = index.read_bytes()
    data_before = tree_hash(project / "data")
    # a broken cross-reference is a warning, and warnings are errors
    page = project / "book" / "index.md"
    page.write_text(page.read_text() + "\nSee {ref}`no-such-label`.\n", encoding="utf-8")
    out = run(project)
    assert out.returncode != 0
    assert "previous book in _build/html is untouched" in out.stderr
    assert index.read_bytes() == before
    assert tree_hash(project / "data") == data_before


def _cut_tail(n):
    def f(path: Path) -> None:
        path.write_bytes(path.read_bytes()[:-n])
    return f


def _replace_cell(row: int, column: str, value: str):
    """Set one cell of a CSV (data row ``row``, 1-based) to ``value``."""
    def f(path: Path) -> None:
        import csv
        import io
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        rows[row][rows[0].index(column)] = value
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
    return f


def _keep_rows(n):
    def f(path: Path) -> None:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(lines[:n + 1]), encoding="utf-8")
    return f


# (file, corruption, words the one message must hold) - each a case from the issue that used to
# ship a wrong book with exit status 0
CORRUPT = {
    "extract cut mid-number": ("reference/trade_japan_russia.csv", _cut_tail(8),
                               "data/reference/trade_japan_russia.csv"),
    "extract value 1e308": ("reference/trade_japan_russia.csv",
                            _replace_cell(44, "total_usd_mn", "1e308"),
                            "data/reference/trade_japan_russia.csv"),
    "extract truncated to 3 rows": ("reference/trade_points.csv", _keep_rows(3),
                                    "data/reference/trade_points.csv"),
    "fact edited": ("reference/outside_facts.csv", _replace_cell(2, "value", "1.5"),
                    "data/reference/outside_facts.csv: content differs from the hash"),
    "claim value negative": ("claims.csv", _replace_cell(6, "value", "-32"),
                             "data/claims.csv, row 6 (line 7), column 'value'"),
    "claim value 1e308": ("claims.csv", _replace_cell(6, "value", "1e308"),
                          "data/claims.csv, row 6 (line 7), column 'value'"),
    "claim value 250 for $32 billion": ("claims.csv", _replace_cell(6, "value", "250"),
                                        "data/claims.csv, row 6 (line 7), column 'value'"),
    "claim locator past the end": ("claims.csv", _replace_cell(6, "locator", "99999"),
                                   "data/claims.csv, row 6 (line 7), column 'locator'"),
}


@pytest.mark.parametrize("case", sorted(CORRUPT))
def test_bad_input_that_fits_the_schema_stops_the_build(project, case):
    """Every input is checked against its manifest and its plausibility before anything runs."""
    from rjnumbers.paths import shared_dir
    rel_path, corrupt, words = CORRUPT[case]
    corrupt(project / "data" / rel_path)
    data_before = tree_hash(project / "data")
    nb_before = (project / "notebooks" / f"{CHAPTER}.ipynb").read_bytes()
    env = dict(os.environ, PYTHONPATH=str(project), RJNUMBERS_SHARED=str(shared_dir()))
    env.pop("RJNUMBERS_READ_LOG", None)
    out = subprocess.run([sys.executable, "-m", "rjnumbers.pipeline"], cwd=project, env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode != 0, out.stdout
    assert words in out.stderr, out.stderr
    assert "Traceback" not in out.stderr
    assert tree_hash(project / "data") == data_before, "the build wrote to data/"
    assert (project / "notebooks" / f"{CHAPTER}.ipynb").read_bytes() == nb_before
    assert not (project / "_build" / "html").exists(), "a book was built from bad data"


def test_a_failing_notebook_leaves_every_notebook_unchanged(project):
    """The build commits all of its outputs or none: one chapter fails, so the other, which ran
    fine on the changed data, is not rewritten either."""
    nbdir = project / "notebooks"
    small_chapter(project, "00_fails", "raise RuntimeError('this chapter breaks')")
    claims = project / "data" / "claims.csv"
    claims.write_text(claims.read_text(encoding="utf-8").replace(
        "After the Soviet collapse", "When the USSR broke up", 1), encoding="utf-8")
    before = (nbdir / f"{CHAPTER}.ipynb").read_bytes()
    out = run(project, "--no-html", "--jobs", "2")
    assert out.returncode != 0
    assert "this chapter breaks" in out.stderr and "no notebook was changed" in out.stderr
    assert "in cell " in out.stderr, "the failing cell is named"
    assert (nbdir / f"{CHAPTER}.ipynb").read_bytes() == before
    # with the failing chapter gone, the same build goes through and rewrites the other
    for p in nbdir.glob("00_fails.*"):
        p.unlink()
    out = run(project, "--no-html")
    assert out.returncode == 0, out.stderr
    assert (nbdir / f"{CHAPTER}.ipynb").read_bytes() != before


def test_a_chapter_asking_for_a_removed_row_names_the_data_file(project):
    """Data that passes every check can still lack a row a chapter reads (a claim deleted from
    the ledger): the failure names the file and the id, not just a KeyError in a cell."""
    nbdir = project / "notebooks"
    small_chapter(project, "00_reads", "from rjnumbers import ledger\n"
                  "ledger.claims().set_index('claim_id')['value']['kireeva2019-003']")
    claims = project / "data" / "claims.csv"
    lines = claims.read_text(encoding="utf-8").splitlines(keepends=True)
    claims.write_text("".join(ln for ln in lines if not ln.startswith("kireeva2019-003,")),
                      encoding="utf-8")
    before = (nbdir / f"{CHAPTER}.ipynb").read_bytes()
    out = run(project, "--no-html", "--jobs", "2")
    assert out.returncode != 0
    assert "KeyError" in out.stderr
    assert "no row of data/claims.csv has claim_id 'kireeva2019-003'" in out.stderr, out.stderr
    assert (nbdir / f"{CHAPTER}.ipynb").read_bytes() == before


@pytest.mark.slow
def test_the_book_has_the_same_bytes_after_any_history_of_builds(project):
    """A clean build, and a build after an edit and its revert, give the same files."""
    assert run(project).returncode == 0
    first = tree_hash(project / "_build" / "html")
    page = project / "book" / "index.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(original + "\nA passing sentence with the word zanzibarite.\n", encoding="utf-8")
    assert run(project).returncode == 0
    assert "zanzibar" in (project / "_build" / "html" / "searchindex.js").read_text()
    page.write_text(original, encoding="utf-8")
    assert run(project).returncode == 0
    assert tree_hash(project / "_build" / "html") == first


def _clean_build_hash(project: Path) -> str:
    """The book as a clean build (``--html-only`` always starts Sphinx afresh) makes it."""
    out = run(project, "--html-only")
    assert out.returncode == 0, out.stderr
    return tree_hash(project / "_build" / "html")


@pytest.mark.slow
@pytest.mark.parametrize("edit", ["prose", "heading"])
def test_a_build_that_rereads_only_changed_pages_gives_a_clean_builds_bytes(project, edit):
    """After a first build, the next one lets Sphinx re-read only what changed; every page must
    still be what a clean build makes. A changed heading shows on every page (the navigation,
    the previous and next links), so it must rebuild them all: without that rule the chapter
    would keep the index page's old title in its navigation."""
    assert run(project).returncode == 0
    md = project / "notebooks" / f"{CHAPTER}.md"
    index = project / "book" / "index.md"
    if edit == "prose":
        md.write_text(md.read_text(encoding="utf-8").replace(
            "distinct metrics. A claim is", "distinct metrics, every row of it. A claim is", 1),
            encoding="utf-8")
    else:
        index.write_text(index.read_text(encoding="utf-8").replace(
            "# Test book", "# A test book renamed", 1), encoding="utf-8")
    out = run(project)
    assert out.returncode == 0, out.stderr
    page = (project / "_build" / "html" / "notebooks" / f"{CHAPTER}.html").read_text()
    assert ("every row of it" if edit == "prose" else "A test book renamed") in page
    assert tree_hash(project / "_build" / "html") == _clean_build_hash(project)


@pytest.mark.slow
def test_a_rerun_with_the_same_outputs_only_updates_the_notebooks_download(project):
    """A data file rewritten without changing its table (a cell quoted) re-executes its reader,
    whose outputs stay the same: only the record of its inputs in its metadata changes, which
    no page shows but the notebook's download (``_sources/``) carries. The book then updates
    that copy without running Sphinx, and must still be byte for byte a clean build's."""
    assert run(project).returncode == 0
    page = project / "_build" / "html" / "notebooks" / f"{CHAPTER}.html"
    written = page.stat().st_mtime_ns
    claims = project / "data" / "claims.csv"
    lines = claims.read_text(encoding="utf-8").split("\n")
    first, rest = lines[1].split(",", 1)
    lines[1] = f'"{first}",{rest}'
    claims.write_text("\n".join(lines), encoding="utf-8")
    out = run(project)
    assert out.returncode == 0, out.stderr
    assert "executing 1 notebook(s)" in out.stdout
    nb = project / "notebooks" / f"{CHAPTER}.ipynb"
    copy = project / "_build" / "html" / "_sources" / "notebooks" / f"{CHAPTER}.ipynb"
    assert copy.read_bytes() == nb.read_bytes()
    assert page.stat().st_mtime_ns == written, "Sphinx rewrote a page that did not change"
    assert tree_hash(project / "_build" / "html") == _clean_build_hash(project)


@pytest.mark.slow
def test_the_book_has_the_same_bytes_on_any_day(project, tmp_path):
    """Built as if on two different dates (SOURCE_DATE_EPOCH), the book is byte-identical."""
    hashes = []
    for epoch in ("946684800", "1893456000"):  # 2000-01-01 and 2030-01-01
        env = dict(os.environ, PYTHONPATH=str(project), SOURCE_DATE_EPOCH=epoch)
        env.pop("RJNUMBERS_READ_LOG", None)
        out = subprocess.run([sys.executable, "-m", "rjnumbers.pipeline", "--html-only"],
                             cwd=project, env=env, capture_output=True, text=True, timeout=600)
        assert out.returncode == 0, out.stderr
        hashes.append(tree_hash(project / "_build" / "html"))
    assert hashes[0] == hashes[1]
