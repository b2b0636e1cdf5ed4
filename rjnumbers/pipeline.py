"""The build pipeline behind ``make book``: sync pairs, execute what changed, build the HTML.

Each chapter is a pair: ``notebooks/NN_name.md`` (MyST, what reviewers diff) and
``notebooks/NN_name.ipynb`` (the same cells plus committed outputs, what the book shows).
The ``.ipynb`` carries in its metadata (key ``rjnumbers``) what it was made from:

* ``md_sha256``    - the ``.md`` file at the last sync,
* ``cells_sha256`` - its own cells at the last sync,
* ``code_sha256``  - its code cells at the last execution,
* ``inputs``       - sha256 of every data file the notebook read (recorded by
  :func:`rjnumbers.data.record_read`) and of every module of the shared package it imported,
  at the last execution.

So on any checkout, including a fresh clone, the build knows which notebooks are current:
it syncs a pair whose one side changed (and stops if both did), re-executes a notebook whose
code or inputs changed - and no other - in parallel, and then builds the book with warnings
as errors into a staging directory that replaces ``_build/html`` only when the build succeeds.
Sphinx keeps its state in that directory between builds and re-reads only the pages whose
sources changed, unless the structure or a heading changed (:func:`_incremental`); either way
the pages are byte for byte those of a clean build. When the only change is a re-executed
notebook's ``rjnumbers`` metadata (same outputs), no page changes but the notebook's download
copy, and the build updates that copy without Sphinx (:func:`_copies_only`). Sphinx's imports
run in a process started while the notebooks execute (:mod:`rjnumbers.sphinxrun`).

This module imports nothing heavy at the top, so a no-change ``make book`` is quick.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .paths import BUILD, NOTEBOOKS, ROOT, files_sha

META_KEY = "rjnumbers"
# modules that build the book rather than compute it: changing them re-executes nothing
BUILD_TOOLS = {"pipeline.py", "sphinxext.py", "sphinxrun.py", "pdf.py", "__main__.py"}
PACKAGE_KEY = "rjnumbers/*.py"
FMT = "md:myst"
HTML = BUILD / "html"
STAGE = BUILD / "stage"
STAMP_NAME = ".rjnumbers-stamp"


class PipelineError(RuntimeError):
    """Stops the build with one clear message."""


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


def package_sha() -> str:
    """One hash over the shared package's code (the build tool itself excluded)."""
    h = hashlib.sha256()
    pkg = ROOT / "rjnumbers"
    for path in sorted(pkg.rglob("*.py")):
        if path.name in BUILD_TOOLS or "__pycache__" in path.parts:
            continue
        h.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _cell_key(cell: dict) -> str:
    src = cell.get("source", "")
    if isinstance(src, list):
        src = "".join(src)
    meta = {k: v for k, v in cell.get("metadata", {}).items() if k not in ("execution",)}
    return cell["cell_type"] + "\0" + src + "\0" + json.dumps(meta, sort_keys=True)


def cells_sha(nb: dict) -> str:
    return sha256_bytes("\1".join(_cell_key(c) for c in nb["cells"]).encode("utf-8"))


def code_sha(nb: dict) -> str:
    code = [_cell_key(c) for c in nb["cells"] if c["cell_type"] == "code"]
    kernel = json.dumps(nb.get("metadata", {}).get("kernelspec", {}), sort_keys=True)
    return sha256_bytes(("\1".join(code) + "\2" + kernel).encode("utf-8"))


def pairs() -> list[tuple[Path, Path]]:
    """Every paired notebook: (md, ipynb). A .md is a notebook if its header says jupytext."""
    out = []
    for md in sorted(NOTEBOOKS.glob("*.md")):
        head = md.read_text(encoding="utf-8")[:2000]
        if "jupytext" in head and "format_name: myst" in head:
            out.append((md, md.with_suffix(".ipynb")))
    for nb in sorted(NOTEBOOKS.glob("*.ipynb")):
        if not nb.with_suffix(".md").exists():
            raise PipelineError(f"{nb.relative_to(ROOT)} has no paired .md: "
                                f"run `jupytext --set-formats ipynb,md:myst {nb.relative_to(ROOT)}`")
    return out


def read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PipelineError(f"{path.relative_to(ROOT)} is not valid notebook JSON "
                            f"(line {exc.lineno}, column {exc.colno}): {exc.msg}") from None


def stored_state(nb: dict) -> dict:
    return nb.get("metadata", {}).get(META_KEY, {})


def current_inputs(recorded: dict) -> dict:
    out = {}
    for rel_path in recorded:
        if rel_path == PACKAGE_KEY:
            out[rel_path] = package_sha()
            continue
        path = ROOT / rel_path
        out[rel_path] = sha256_file(path) if path.exists() else "missing"
    return out


def normalise(nb) -> None:
    """Make a notebook's bytes depend only on its cells and their outputs."""
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("execution", None)
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("papermill", None)


ADDRESS = re.compile(r"at 0x[0-9a-fA-F]{6,}")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def check_deterministic(nb, name: str) -> None:
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            for mime, value in out.get("data", {}).items():
                if mime.startswith("text") and ADDRESS.search(str(value)):
                    raise PipelineError(f"{name}: cell {i} prints a memory address ({mime}); "
                                        "outputs must not depend on the run")


def write_nb(nb, path: Path) -> bool:
    """Write only if the bytes change; return True if written."""
    import nbformat

    normalise(nb)
    text = nbformat.writes(nb) + "\n"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    write_atomic(path, text)
    return True


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that a reader (or a killed build) sees the old bytes or the new, never half."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# --- sync -----------------------------------------------------------------------------

def sync_pair(md: Path, ipynb: Path) -> tuple[bool, str]:
    """Bring the pair into step. Returns (needs_execution, what happened)."""
    md_sha = sha256_file(md)
    rel_md = md.relative_to(ROOT)
    if not ipynb.exists():
        import jupytext
        import nbformat

        nb = jupytext.read(md, fmt=FMT)
        normalise(nb)
        nb.metadata[META_KEY] = {"md_sha256": md_sha,
                                 "cells_sha256": cells_sha(json.loads(nbformat.writes(nb)))}
        write_nb(nb, ipynb)
        return True, "created .ipynb from .md"
    raw = read_json(ipynb)
    state = stored_state(raw)
    md_changed = state.get("md_sha256") != md_sha
    nb_changed = state.get("cells_sha256") != cells_sha(raw)
    if not md_changed and not nb_changed:
        need = state.get("code_sha256") != code_sha(raw) or \
            state.get("inputs") != current_inputs(state.get("inputs", {}))
        return need or not state.get("inputs"), "in sync"

    import jupytext
    import nbformat
    from jupytext.combine import combine_inputs_with_outputs

    from_md = jupytext.read(md, fmt=FMT)
    if md_changed and nb_changed and cells_sha(from_md) != cells_sha(raw):
        raise PipelineError(
            f"both sides of the pair {rel_md} and {ipynb.relative_to(ROOT)} changed since the "
            "last sync; nothing was overwritten. Keep the edit you want: either discard the other "
            "side's change (git checkout -- FILE) or copy it across by hand, then run make book.")
    nb = nbformat.reads(json.dumps(raw), as_version=4)
    if md_changed:
        # (combine_inputs_with_outputs returns the combined notebook; it does not change either)
        nb = combine_inputs_with_outputs(from_md, nb, fmt=FMT)
        what = "updated .ipynb from .md"
    else:
        write_atomic(md, jupytext.writes(nb, fmt=FMT))
        md_sha = sha256_file(md)
        what = "updated .md from .ipynb"
    state = dict(state)
    state["md_sha256"] = md_sha
    normalise(nb)
    state["cells_sha256"] = cells_sha(json.loads(nbformat.writes(nb)))
    nb.metadata[META_KEY] = state  # (NotebookNode copies the dict: assign when complete)
    write_nb(nb, ipynb)
    raw = read_json(ipynb)
    need = state.get("code_sha256") != code_sha(raw) or \
        state.get("inputs") != current_inputs(state.get("inputs", {}))
    return need or not state.get("inputs"), what


# --- execute --------------------------------------------------------------------------

# Each worker process keeps one kernel for all the notebooks it executes: starting a kernel and
# importing pandas and matplotlib is most of the cost of a small notebook. Between notebooks the
# kernel is wiped (user namespace, our package's modules and their caches, open figures, the
# execution counter), so a notebook sees what a fresh kernel would - and nbval, which runs every
# notebook in a fresh kernel, checks that it does.
PREAMBLE = """\
get_ipython().run_line_magic("reset", "-f")
import os as _os, sys as _sys
for _m in [m for m in _sys.modules if m == "rjnumbers" or m.startswith("rjnumbers.")]:
    del _sys.modules[_m]
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
_os.environ[{env!r}] = {log!r}
_os.chdir({cwd!r})
get_ipython().execution_count = 1
del _os, _sys
"""
#: run in the kernel after a notebook: record every module of the package it imported, so that
#: editing one theme module re-executes only the notebooks that import it
MODULES = """\
import sys as _sys
from rjnumbers.data import record_read as _record_read
for _m in sorted(_sys.modules):
    if (_m == "rjnumbers" or _m.startswith("rjnumbers.")) and getattr(_sys.modules[_m], "__file__", None):
        _record_read(_sys.modules[_m].__file__)
del _sys, _record_read
"""
#: run in a worker's kernel as soon as it starts, while the build still checks the data and runs
#: the audit: the libraries every chapter imports (never the package, which reads data)
WARM_UP = """\
import importlib as _importlib
for _m in ("numpy", "pandas", "matplotlib.pyplot", "PIL.Image", "IPython.display", "myst_nb",
           "nbformat", "jsonschema", "docutils", "pygments", "fontTools", "dateutil"):
    try:
        _importlib.import_module(_m)
    except ImportError:
        pass
del _importlib, _m
"""
_WORKER: dict = {}


def _worker_kernel(cwd: Path):
    """This worker's kernel manager and its client (connected and ready), started on first use
    and shut down when the worker exits. One client serves every notebook: each new client
    waits for the kernel's output channel to fall quiet (a fifth of a second) before it is used."""
    km, kc = _WORKER.get("km"), _WORKER.get("kc")
    if km is not None and kc is not None and km.is_alive():
        return km, kc
    _shutdown_worker_kernel()
    from multiprocessing.util import Finalize

    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="python3")
    # the kernel's own log (e.g. a warning about its TCP transport) is noise here;
    # errors inside cells reach us through CellExecutionError
    # no history database: restarting the execution counter for each notebook would clash with
    # the lines it recorded for the notebook before (IPython then prints an error into a cell)
    km.start_kernel(stderr=subprocess.DEVNULL, cwd=str(cwd),
                    extra_arguments=["--HistoryManager.enabled=False"])
    _WORKER["km"] = km
    # while the kernel starts: what this worker needs to execute a notebook (a third of a second)
    import nbclient  # noqa: F401
    import nbformat  # noqa: F401
    if not _WORKER.get("finalizer"):
        _WORKER["finalizer"] = Finalize(None, _shutdown_worker_kernel, exitpriority=10)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    _WORKER["kc"] = kc
    return km, kc


def _shutdown_worker_kernel() -> None:
    kc = _WORKER.pop("kc", None)
    if kc is not None:
        kc.stop_channels()
    km = _WORKER.pop("km", None)
    if km is not None:
        try:
            km.shutdown_kernel(now=True)
        except Exception:  # already gone
            pass


def _data_hint(exc) -> str:
    """For a KeyError whose key has the form of a data table's ids: which file and column."""
    if exc.ename != "KeyError":
        return ""
    import ast

    from .data import missing_key_hint
    try:
        key = ast.literal_eval(exc.evalue)
        hint = missing_key_hint(key)
    except (ValueError, SyntaxError):  # a DataError is a ValueError
        return ""
    return f" ({hint})" if hint else ""


def execute_notebook(ipynb_path: str, reuse_kernel: bool = True) -> tuple[str, str | None]:
    """Execute one notebook in place (run in a worker process). Returns (path, error or None)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    from .paths import READ_LOG_ENV  # not from .data: a worker has no use for pandas

    path = Path(ipynb_path)
    name = path.relative_to(ROOT).as_posix()
    nb = nbformat.read(path, as_version=4)
    with tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False) as log:
        log_path = log.name
    os.environ[READ_LOG_ENV] = log_path
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    os.environ["MPLBACKEND"] = "Agg"
    # a last cell, removed again below, records the package's modules the notebook imported
    nb.cells.append(nbformat.v4.new_code_cell(MODULES))
    options = dict(timeout=600, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}})
    client = None
    try:
        if reuse_kernel:
            km, kc = _worker_kernel(path.parent)
            reply = kc.execute_interactive(
                PREAMBLE.format(env=READ_LOG_ENV, log=log_path, cwd=str(path.parent)),
                store_history=False, timeout=120)
            if reply["content"]["status"] != "ok":
                raise RuntimeError("could not reset the kernel between notebooks")
            # given its kernel manager, the client does not own the kernel: it leaves it (and
            # the worker's client) running for the next notebook; one it makes itself it shuts
            # down after use
            client = NotebookClient(nb, km=km, **options)
            client.kc = kc
            client.execute()
        else:
            client = NotebookClient(nb, **options)
            client.execute(stderr=subprocess.DEVNULL)
    except CellExecutionError as exc:
        _shutdown_worker_kernel()
        failed = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                  and any(o.get("output_type") == "error" for o in c.get("outputs", []))]
        where = f"in cell {failed[0] + 1} of {len(nb.cells) - 1}: " if failed else ""
        # a DataError names its file, row and column; anything else is named with its cell
        return name, f"{where}{exc.ename}: {exc.evalue}{_data_hint(exc)}"
    except Exception as exc:  # kernel died, timeout, ...
        _shutdown_worker_kernel()
        return name, f"{type(exc).__name__}: {exc}"
    finally:
        if not reuse_kernel and client is not None and client.kc is not None:
            client.kc.stop_channels()
        read = sorted(set(Path(log_path).read_text(encoding="utf-8").split()))
        os.unlink(log_path)
    nb.cells.pop()
    try:
        check_deterministic(nb, name)
    except PipelineError as exc:
        return name, str(exc)
    inputs = {p: sha256_file(ROOT / p) for p in read
              if (ROOT / p).exists() and Path(p).name not in BUILD_TOOLS}
    if not any(p.startswith("rjnumbers/") for p in inputs):
        inputs[PACKAGE_KEY] = package_sha()  # modules not recorded: depend on the whole package
    state = dict(nb.metadata.get(META_KEY, {}))
    state["code_sha256"] = code_sha(json.loads(nbformat.writes(nb)))
    state["inputs"] = dict(sorted(inputs.items()))
    normalise(nb)
    state["cells_sha256"] = cells_sha(json.loads(nbformat.writes(nb)))
    nb.metadata[META_KEY] = state  # (NotebookNode copies the dict: assign when complete)
    # staged: the notebook in notebooks/ is replaced only when every notebook of the build succeeded
    write_nb(nb, staged(path))
    return name, None


def longest_first(paths: list[Path]) -> list[Path]:
    """The notebooks in the order the workers should take them: those that draw the most
    charts (most of a chapter's time) first, so that no worker is left with a long one at the
    end while the other idles."""
    def charts(path: Path) -> int:
        return path.read_text(encoding="utf-8").count('class=\\"rj-figure') if path.exists() else 0
    return sorted(paths, key=lambda p: (-charts(p), p.name))


def execute_all(paths: list[Path], jobs: int, workers: Workers | None = None) -> None:
    if not paths:
        return
    jobs = max(1, min(jobs, len(paths)))
    print(f"executing {len(paths)} notebook(s) on {jobs} worker(s): "
          + ", ".join(p.name for p in paths), flush=True)
    errors = []
    if jobs == 1 and workers is None:
        results = [execute_notebook(str(p)) for p in paths]
        _shutdown_worker_kernel()
    elif workers is not None:
        results = workers.map(execute_notebook, [str(p) for p in longest_first(paths)])
    else:
        own = Workers(jobs)
        try:
            results = own.map(execute_notebook, [str(p) for p in longest_first(paths)])
        finally:
            own.close()
    for name, err in results:
        if err:
            errors.append(f"{name}: {err}")
    if errors:
        for p in paths:
            staged(p).unlink(missing_ok=True)
        raise PipelineError("notebook execution failed; no notebook was changed:\n  "
                            + "\n  ".join(errors))
    for p in paths:  # all succeeded: commit them all
        new = staged(p)
        if p.exists() and p.read_bytes() == new.read_bytes():
            new.unlink()
        else:
            os.replace(new, p)


def _start_worker(warm: bool) -> None:
    """A worker's start: it watches its parent and, in a pool started ahead of the audit,
    starts its kernel and imports the libraries at once."""
    _die_with_parent()
    signal.signal(signal.SIGTERM, _end_worker)
    if warm:
        os.environ["MPLBACKEND"] = "Agg"
        _, kc = _worker_kernel(NOTEBOOKS)
        kc.execute_interactive(WARM_UP, store_history=False, timeout=120)


def _end_worker(*_) -> None:
    """A worker told to end (the build failed before it had work) exits at once, even in the
    middle of starting its kernel: a kernel that is up is shut down, and any process the worker
    started (a kernel still starting) is killed, so none outlives the build."""
    if "kc" in _WORKER:
        try:
            _shutdown_worker_kernel()
        except Exception:  # ending anyway
            pass
    for pid in _child_pids():
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    os._exit(1)


def _child_pids() -> list[int]:
    """The processes this one started (Linux's /proc; none elsewhere)."""
    me, out = os.getpid(), []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # 'pid (name) state ppid ...': the name may hold spaces, so split after the last ')'
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == me:
            out.append(int(stat.parent.name))
    return out


def _noop() -> None:
    """A task that makes the pool start a worker (it starts them as tasks arrive)."""


class Workers:
    """The processes that execute notebooks, up to ``jobs`` of them, closed with their kernels
    in any case. ``warm`` of them start before the data checks and the audit, when the build
    expects to execute that many notebooks, so that their kernels start and import in the
    meantime; the pool starts the others when more notebooks turn out to need them."""

    def __init__(self, jobs: int, warm: int = 0):
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        self.jobs = jobs
        self.pool = ProcessPoolExecutor(jobs, mp_context=mp.get_context("spawn"),
                                        initializer=_start_worker, initargs=(warm > 0,))
        for _ in range(min(warm, jobs)):
            self.pool.submit(_noop)

    def map(self, fn, items):
        return list(self.pool.map(fn, items))

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def abort(self) -> None:
        """End the workers without waiting for their kernels to finish starting (a failed
        check would otherwise wait seconds for a warm-up nobody needs)."""
        for proc in list(getattr(self.pool, "_processes", {}).values()):
            if proc.is_alive():
                proc.terminate()
        self.close()


def expected_executions(force: bool) -> int:
    """A guess, before the audit has run, how many notebooks this build executes: all when
    forced, else those new, with their .md edited, or with an input outside the build changed.
    It only decides how many workers to start early; :func:`sync_pair` decides what executes."""
    todo = 0
    for md, ipynb in pairs():
        if force or not ipynb.exists():
            todo += 1
            continue
        state = stored_state(read_json(ipynb))
        recorded = {k: v for k, v in state.get("inputs", {}).items()
                    if not k.startswith("_build/")}
        if (not recorded or state.get("md_sha256") != sha256_file(md)
                or current_inputs(recorded) != recorded):
            todo += 1
    return todo


def _die_with_parent() -> None:
    """A worker ends (with its kernel) when the build that started it is killed, instead of
    running on: a watchdog thread notices that its parent process is gone. Whatever the worker
    had executed is only staged, never committed."""
    import threading

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        _shutdown_worker_kernel()
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def staged(ipynb: Path) -> Path:
    """Where an executed notebook waits until the whole build succeeded (same file system)."""
    folder = BUILD / "staged-notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / ipynb.name


# --- book -----------------------------------------------------------------------------

def book_inputs() -> list[Path]:
    files = [ROOT / "_config.yml", ROOT / "_toc.yml"]
    for folder, pattern in (("book", "**/*"), ("_static", "**/*"), ("notebooks", "*.ipynb")):
        files += [p for p in sorted((ROOT / folder).glob(pattern)) if p.is_file()]
    return files


def structure_inputs() -> list[Path]:
    """What shapes every page (navigation, templates, assets): a change means a full rebuild."""
    files = [ROOT / "_config.yml", ROOT / "_toc.yml", ROOT / "rjnumbers" / "sphinxext.py"]
    return files + [p for p in sorted((ROOT / "_static").glob("**/*")) if p.is_file()]


def _stamp(paths: list[Path]) -> str:
    return files_sha(paths)


def book_stamp() -> str:
    from .downloads import published
    return _stamp(book_inputs() + structure_inputs() + [src for src, _ in published()])


#: What the Sphinx build in STAGE was made from (see :func:`build_layout`).
LAYOUT = STAGE / "layout.json"
HEADING = re.compile(r"^(#{1,6} .*|\([\w-]+\)=)\s*$", re.M)


def _headings(text: str) -> str:
    """The headings and labels of a page's markdown: what the other pages show of it (the
    navigation, the previous and next links, a reference by label)."""
    return hashlib.sha256("\n".join(HEADING.findall(text)).encode()).hexdigest()


def _page(path: Path) -> tuple[str, str]:
    """A page's headings (:func:`_headings`) and what the pages show of its source: a
    notebook's hash without its ``rjnumbers`` metadata, the build's record of what the notebook
    was made from, which no page shows. The file is read once for both."""
    raw = path.read_bytes()
    if path.suffix != ".ipynb":
        return _headings(raw.decode("utf-8")), sha256_bytes(raw)
    nb = json.loads(raw)
    markdown = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    nb.get("metadata", {}).pop(META_KEY, None)
    return _headings(markdown), sha256_bytes(json.dumps(nb, sort_keys=True).encode())


def build_layout() -> dict:
    """The structure (configuration, table of contents, assets, the Sphinx extension), each
    page's headings, and each source file's hash, as a file and as the pages show it."""
    pages = {p.relative_to(ROOT).as_posix(): _page(p)
             for p in book_inputs() if p.suffix in (".md", ".ipynb")}
    return {"structure": _stamp(structure_inputs()),
            "headings": {name: h for name, (h, _) in pages.items()},
            "sources": {p.relative_to(ROOT).as_posix(): sha256_file(p) for p in book_inputs()},
            "pages": {name: sha for name, (_, sha) in pages.items()}}


def _last_layout() -> dict | None:
    """The layout of the last build that succeeded (:func:`build_layout`), if any."""
    return json.loads(LAYOUT.read_text(encoding="utf-8")) if LAYOUT.exists() else None


def _copies_only(before: dict | None, layout: dict) -> list[str] | None:
    """The notebooks whose new bytes the book only copies: when every source that changed since
    the last build is a notebook that changed in its ``rjnumbers`` metadata alone (re-executed
    on a changed input, with the same outputs), no page changes but the verbatim copy of the
    notebook under ``_sources/`` (its download). None when Sphinx must run."""
    if before is None or not (HTML / STAMP_NAME).exists():
        return None
    if any(before.get(k) != layout[k] for k in ("structure", "headings", "pages")) \
            or before["sources"].keys() != layout["sources"].keys():
        return None
    changed = [n for n, sha in layout["sources"].items() if before["sources"][n] != sha]
    for name in changed:
        copy = HTML / "_sources" / name
        if not name.endswith(".ipynb") or not copy.is_file() \
                or sha256_file(copy) != before["sources"][name]:
            return None
    return changed


def _refresh_copies(names: list[str], layout: dict, stamp: str) -> None:
    """Bring the copies of ``names`` under ``_sources/`` up to date, in the book and in Sphinx's
    own output (which the next incremental build starts from), publish the downloads again
    (the audit's tables may have changed), and replace the book at once."""
    from .downloads import publish

    def update(new: Path) -> None:
        for name in names:
            data = (ROOT / name).read_bytes()
            (new / "_sources" / name).write_bytes(data)
            staged_copy = STAGE / "_build" / "html" / "_sources" / name
            if staged_copy.is_file():
                staged_copy.write_bytes(data)
        publish(new)

    LAYOUT.unlink()                          # written again only once the book is replaced
    _commit_book(HTML, stamp, layout, update)


def _commit_book(source: Path, stamp: str, layout: dict, update=None) -> None:
    """A copy of ``source`` (changed by ``update``, if given) becomes _build/html in one rename,
    stamped with what it was made from; then the layout of this build is recorded."""
    new = BUILD / "html.new"
    if new.exists():
        shutil.rmtree(new)
    shutil.copytree(source, new)
    if update is not None:
        update(new)
    (new / STAMP_NAME).write_text(stamp)
    _replace_html(new)
    LAYOUT.write_text(json.dumps(layout, sort_keys=True), encoding="utf-8")


def _replace_html(new: Path) -> None:
    """``new`` becomes _build/html in one rename (the old book is removed after)."""
    old = BUILD / "html.old"
    if old.exists():
        shutil.rmtree(old)
    if HTML.exists():
        HTML.rename(old)
    new.rename(HTML)
    if old.exists():
        shutil.rmtree(old)


def _incremental(before: dict | None, layout: dict, force: bool) -> bool:
    """Whether Sphinx may re-read only the pages whose sources changed and keep the rest: never
    when forced, after a failed build, or when the structure or any page's headings changed,
    since every page shows those; else the result is byte for byte a clean build's (a test
    compares). The changed sources are touched, so that Sphinx, which goes by modification
    times, re-reads exactly them (and the pages that glue from them)."""
    if force or before is None or not (STAGE / "_build" / ".doctrees").is_dir():
        return False
    if before["structure"] != layout["structure"] or before["headings"] != layout["headings"]:
        return False
    for name, sha in layout["sources"].items():
        if before["sources"].get(name) != sha:
            os.utime(ROOT / name)
    return True


def start_sphinx() -> subprocess.Popen:
    """Jupyter Book's command, its imports done ahead of time (:mod:`rjnumbers.sphinxrun`),
    waiting for its arguments."""
    env = dict(os.environ, NO_COLOR="1", TERM="dumb")
    # Sphinx rewrites the copyright year to SOURCE_DATE_EPOCH's: the book must not depend on it
    env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.Popen([sys.executable, "-m", "rjnumbers.sphinxrun"], cwd=ROOT, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def run_sphinx(args: list[str], sphinx: subprocess.Popen | None = None):
    """``jupyter-book ARGS`` in the process ``sphinx`` started ahead (or in a new one)."""
    proc = sphinx if sphinx is not None and sphinx.poll() is None else start_sphinx()
    out, err = proc.communicate(json.dumps(args) + "\n")
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def end_sphinx(sphinx: subprocess.Popen | None) -> None:
    """End a process :func:`start_sphinx` started that the build did not use."""
    if sphinx is not None and sphinx.poll() is None:
        sphinx.kill()
        sphinx.communicate()


def build_html(force: bool = False, sphinx: subprocess.Popen | None = None) -> bool:
    """Build the book; replace _build/html only on success. Returns True if it built.
    ``sphinx``: a process of :func:`start_sphinx`, started while the notebooks executed."""
    stamp = book_stamp()
    stamp_file = HTML / STAMP_NAME
    if not force and stamp_file.exists() and stamp_file.read_text() == stamp:
        return False
    layout, before = build_layout(), _last_layout()
    copies = None if force else _copies_only(before, layout)
    if copies is not None:
        _refresh_copies(copies, layout, stamp)
        return True
    incremental = _incremental(before, layout, force)
    LAYOUT.unlink(missing_ok=True)          # written again only once this build has succeeded
    if not incremental:
        if STAGE.exists():
            shutil.rmtree(STAGE)
        STAGE.mkdir(parents=True)
    args = ["build", str(ROOT), "--path-output", str(STAGE), "--builder", "html",
            "-W", "-n", "--keep-going", "-q"] + ([] if incremental else ["--all"])
    proc = run_sphinx(args, sphinx)
    if proc.returncode != 0:
        shutil.rmtree(STAGE, ignore_errors=True)    # the next build starts clean
        text = ANSI.sub("", proc.stdout + proc.stderr).replace(str(ROOT) + os.sep, "")
        lines = text.strip().splitlines()
        causes = [ln for ln in lines if re.search(r"WARNING|ERROR|Error:|Exception", ln)]
        tail = "\n".join(causes[:30] or lines[-40:])
        raise PipelineError("the book build failed; the previous book in _build/html is "
                            f"untouched.\n{tail}")
    _commit_book(STAGE / "_build" / "html", stamp, layout)
    return True


VALIDATED = BUILD / "validated.sha256"


def inputs_stamp() -> str:
    """One hash over what :mod:`rjnumbers.validate` checks and the code that checks it."""
    from .paths import DATA, seeds_dir

    files = sorted(p for p in DATA.rglob("*") if p.is_file())
    seeds = seeds_dir()
    files += sorted(seeds.glob("*.txt")) if seeds.is_dir() else []
    pkg = ROOT / "rjnumbers"
    files += [pkg / "validate.py", pkg / "data.py", pkg / "ledger.py"]
    files += sorted((pkg / "reference").glob("*.py"))
    return files_sha(files)


def validate_data() -> None:
    """Check every input before anything runs (schemas, manifests, claims against their texts);
    skipped when nothing it checks changed since the last check that passed."""
    from .errors import DataError

    stamp = inputs_stamp()
    if VALIDATED.exists() and VALIDATED.read_text().strip() == stamp:
        return
    from .validate import validate_inputs

    try:
        validate_inputs()
    except DataError as exc:
        raise PipelineError(f"bad input: {exc}") from None
    VALIDATED.parent.mkdir(parents=True, exist_ok=True)
    VALIDATED.write_text(stamp + "\n")


def write_audit() -> None:
    """The one judge: compute the verdict table once per build, before any notebook executes.

    Chapters read ``_build/audit/verdicts*.csv`` (recorded as their input), so a ledger change
    re-executes exactly the chapters whose verdict tables changed. Each table (the verdicts, the
    forecasts' scores) is remade only when a file it read, or the audit's code, changed since."""
    from .audit import forecasts, verdicts
    from .errors import DataError

    try:
        if not verdicts.is_current():
            verdicts.write_tables()
        if not forecasts.is_current():
            forecasts.write()
    except DataError as exc:
        raise PipelineError(f"bad input: {exc}") from None


def run(force_execute: bool = False, jobs: int | None = None, html: bool = True,
        only: list[str] | None = None) -> None:
    t0 = time.perf_counter()
    jobs = jobs or os.cpu_count() or 1
    expect = expected_executions(force_execute) if jobs > 1 else 0
    workers = Workers(jobs, warm=expect) if expect else None
    sphinx = None
    try:
        validate_data()
        write_audit()
        todo = []
        for md, ipynb in pairs():
            if only and not any(md.stem == Path(o).stem for o in only):
                continue
            need, what = sync_pair(md, ipynb)
            if what != "in sync":
                print(f"{md.relative_to(ROOT)}: {what}", flush=True)
            if need or force_execute:
                todo.append(ipynb)
        if todo:
            # the book is built next: its imports run while the notebooks execute
            sphinx = start_sphinx() if html else None
            execute_all(todo, jobs, workers)
            print(f"executed in {time.perf_counter() - t0:.1f} s", flush=True)
    except BaseException:   # a failed check or chapter: no warm-up is waited for
        if workers is not None:
            workers.abort()
        end_sphinx(sphinx)
        raise
    # the workers shut their kernels down (a third of a second of waiting) while the book builds
    closing = threading.Thread(target=workers.close) if workers is not None else None
    if closing is not None:
        closing.start()
    try:
        built = build_html(sphinx=sphinx) if html else False
    finally:
        end_sphinx(sphinx)
        if closing is not None:
            closing.join()
    dt = time.perf_counter() - t0
    if html:
        state = "built" if built else "up to date"
        print(f"book {state} in {dt:.1f} s: {(HTML / 'index.html').relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m rjnumbers.pipeline", description=__doc__.split("\n")[0])
    ap.add_argument("--force", action="store_true", help="re-execute every notebook")
    ap.add_argument("--jobs", type=int, default=None, help="parallel notebook executions")
    ap.add_argument("--no-html", action="store_true", help="sync and execute only")
    ap.add_argument("--html-only", action="store_true",
                    help="build the HTML from the notebooks as they are (no sync, no execution)")
    ap.add_argument("--only", nargs="+", metavar="NOTEBOOK",
                    help="sync and execute only these notebooks (implies --no-html)")
    args = ap.parse_args(argv)
    try:
        if args.html_only:
            build_html(force=True)
            print(f"book built: {(HTML / 'index.html').relative_to(ROOT)}")
            return 0
        run(force_execute=args.force, jobs=args.jobs, html=not (args.no_html or args.only),
            only=args.only)
    except PipelineError as exc:
        print(f"make book: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
