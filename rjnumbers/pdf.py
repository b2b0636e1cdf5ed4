"""``make pdf``: one PDF of the whole book, printed by headless Chromium, offline.

1. Jupyter Book's ``singlehtml`` builder writes the whole book as one HTML page into a staging
   directory (``_build/pdf-stage``); the notebooks are not executed (``execute_notebooks: off``),
   so the PDF shows exactly the committed outputs, like the HTML book.
2. That page is served on 127.0.0.1 and printed with Playwright's ``page.pdf()`` (A4, with
   backgrounds) in Debian's Chromium, with every request that would leave the machine refused.
3. The result replaces ``_build/pdf/book.pdf`` only when printing succeeded.

A stamp beside the PDF records what it was made from (the book's inputs, this module and the
Sphinx extension), so a second ``make pdf`` (or the PDF test) on an unchanged book does nothing;
``--force`` rebuilds.

The small helpers here (the table of contents, page titles, the local server, the offline
browser) are shared with the browser tests in ``tests/browser``.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import http.server
import importlib.util
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from .paths import BUILD, ROOT, rel

CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium, headless, with nothing that phones home (this machine has no network).
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PDF_DIR = BUILD / "pdf"
PDF = PDF_DIR / "book.pdf"
STAMP = PDF_DIR / ".book.pdf-stamp"
MANIFEST = PDF_DIR / "book.json"       # what the printed page held: images, figures
STAGE = BUILD / "pdf-stage"
TOC = ROOT / "_toc.yml"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class PdfError(RuntimeError):
    """Stops ``make pdf`` with one clear message."""


# --- the table of contents --------------------------------------------------------------

def toc_docnames(toc: Path = TOC) -> list[str]:
    """Every document of the table of contents, in reading order ('book/index', ...)."""
    import yaml

    data = yaml.safe_load(toc.read_text(encoding="utf-8"))
    out: list[str] = []

    def strip(name: str) -> str:
        name = str(name).strip().lstrip("/")
        return re.sub(r"\.(md|ipynb|rst)$", "", name)

    def walk(node) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if "file" in node:
                out.append(strip(node["file"]))
            if "glob" in node:
                for path in sorted(ROOT.glob(str(node["glob"]))):
                    if path.suffix in (".md", ".ipynb"):
                        name = strip(path.relative_to(ROOT).as_posix())
                        if name not in out:
                            out.append(name)
            for key in ("parts", "chapters", "sections"):
                if key in node:
                    walk(node[key])

    out.append(strip(data["root"]))
    walk({k: v for k, v in data.items() if k != "root"})
    return out


def doc_source(docname: str) -> Path | None:
    """The file the book reads for a document (a notebook's .ipynb before its .md twin)."""
    for suffix in (".ipynb", ".md", ".rst"):
        path = ROOT / (docname + suffix)
        if path.exists():
            return path
    return None


_MARKUP = [(re.compile(r"\{[a-z:-]+\}`([^`]*)`"), r"\1"),   # {role}`text`
           (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),     # [text](target)
           (re.compile(r"[*_`]+"), "")]


def plain_heading(text: str) -> str:
    for pattern, repl in _MARKUP:
        text = pattern.sub(repl, text)
    return " ".join(text.split())


def doc_title(docname: str) -> str | None:
    """The first level-1 heading of a document's source, without markup; None if none."""
    path = doc_source(docname)
    if path is None:
        return None
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        texts = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                 for c in nb.get("cells", []) if c.get("cell_type") == "markdown"]
    else:
        text = path.read_text(encoding="utf-8")
        if text.startswith("---"):
            end = text.find("\n---", 3)
            text = text[end + 4:] if end != -1 else text
        texts = [text]
    for text in texts:
        in_fence = False
        for line in text.splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            if not in_fence and re.match(r"#\s+\S", line):
                return plain_heading(line.lstrip("#"))
    return None


# --- a local server and an offline browser -------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def end_headers(self):
        # always read the files as they are now: a rebuilt book must never be served from cache
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@contextlib.contextmanager
def serve(directory: Path):
    """Serve a folder on 127.0.0.1 (a free port) for as long as the block runs; yield its URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="book-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def missing_browser() -> str | None:
    """Why the browser cannot run here, or None when it can."""
    if not CHROMIUM.exists():
        return (f"Chromium is not installed ({CHROMIUM} is missing): install Debian's package "
                "with `apt-get install chromium` (make test does this where it can)")
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed in this environment: run `make book`"
    return None


def launch(playwright):
    """Debian's Chromium, headless and offline, driven by Playwright."""
    why = missing_browser()
    if why:
        raise PdfError(why)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def block_outside(target, origin: str, blocked: list[str]) -> None:
    """Let requests to ``origin`` through; abort every other one and record its URL.

    ``target`` is a Playwright browser context or page (a page's routes are asked first).
    """
    prefix = origin.rstrip("/") + "/"

    def handle(route):
        url = route.request.url
        if url.startswith(prefix) or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            blocked.append(url)
            route.abort("blockedbyclient")

    target.route("**/*", handle)


WAIT_FOR_IMAGES = """() => Array.from(document.images).every(i => i.complete)"""


# --- the PDF --------------------------------------------------------------------------------

def stamp() -> str:
    """What the PDF is made from: the book's inputs (as ``make book`` sees them), this module and
    the Sphinx extension."""
    from .pipeline import book_stamp

    h = hashlib.sha256(book_stamp().encode())
    for module in ("pdf.py", "sphinxext.py"):
        h.update((Path(__file__).parent / module).read_bytes())
    return h.hexdigest()


def is_current() -> bool:
    return PDF.exists() and MANIFEST.exists() and STAMP.exists() and STAMP.read_text() == stamp()


def build_singlehtml() -> Path:
    """The whole book as one HTML page in the staging folder; returns that page's path."""
    jb = Path(sys.executable).with_name("jupyter-book")
    STAGE.mkdir(parents=True, exist_ok=True)
    cmd = [str(jb), "build", str(ROOT), "--builder", "singlehtml", "--path-output", str(STAGE),
           "--all", "-q"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    out = STAGE / "_build" / "singlehtml"
    docs = toc_docnames()
    page = out / (docs[0] + ".html")
    if proc.returncode != 0 or not page.exists():
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-30:])
        raise PdfError(f"the single-page build failed (`jupyter-book build --builder singlehtml`):"
                       f"\n{tail}")
    warnings = [ln for ln in (proc.stdout + proc.stderr).splitlines() if "WARNING" in ln]
    if warnings:
        first = ANSI.sub("", warnings[0]).replace(str(ROOT) + os.sep, "")
        print(f"make pdf: the single-page build gave {len(warnings)} warning(s); the first: "
              f"{first}", file=sys.stderr)
    return print_copy(page, out / "print.html")


HREF = re.compile(r'href="([^"#]*\.html)?#([^"]+)"')


def print_copy(page: Path, target: Path) -> Path:
    """The single page as the printer reads it, at the top of the build folder.

    Sphinx writes the single page as ``<root>.html`` (``book/index.html``) with its addresses
    relative to the top folder, so the copy to print sits there.  A link into another page of
    the HTML book (``01_claims.html#claim-...``, written by the chapters' raw HTML) becomes a
    link inside the PDF when its target is in the single page.  The search index the theme asks
    for is not written by this builder, so the copy does not ask for it.
    """
    text = page.read_text(encoding="utf-8")
    ids = set(re.findall(r'\bid="([^"]+)"', text))

    def local(m: re.Match) -> str:
        return f'href="#{m.group(2)}"' if m.group(2) in ids else m.group(0)

    text = HREF.sub(local, text)
    # the singlehtml builder writes no search index, but the theme's page still asks for one
    if not (target.parent / "searchindex.js").exists():
        text = re.sub(r'<script[^>]*src="searchindex\.js"[^>]*></script>', "", text)
    target.write_text(text, encoding="utf-8")
    return target


# The page printed at 80 %: A4 then holds about 860 CSS pixels, so the wide tables fit.
SCALE = 0.8

FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#444;'
          'font-family:sans-serif"><span class="pageNumber"></span> / '
          '<span class="totalPages"></span></div>')


def print_pdf(page_file: Path, target: Path, browser=None) -> dict:
    """Print one HTML page (and what it loads from its folder) to ``target``; offline."""
    from playwright.sync_api import sync_playwright

    root = page_file.parent
    blocked: list[str] = []
    failed: list[str] = []
    with contextlib.ExitStack() as stack:
        if browser is None:
            pw = stack.enter_context(sync_playwright())
            browser = launch(pw)
            stack.callback(browser.close)
        base = stack.enter_context(serve(root))
        context = browser.new_context(viewport={"width": 1000, "height": 1400})
        stack.callback(context.close)
        block_outside(context, base, blocked)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: failed.append(f"{r.url} (HTTP {r.status})")
                if r.status >= 400 else None)
        url = f"{base}/{page_file.relative_to(root).as_posix()}"
        # generous: the whole book is one page, and the machine may be busy with other tests
        page.goto(url, wait_until="load", timeout=300_000)
        page.wait_for_load_state("networkidle", timeout=300_000)
        page.evaluate("() => document.querySelectorAll('img[loading=lazy]')"
                      ".forEach(i => { i.loading = 'eager'; })")
        page.wait_for_function(WAIT_FOR_IMAGES, timeout=300_000)
        page.evaluate("() => document.fonts.ready.then(() => true)")
        broken = page.evaluate("() => Array.from(document.images)"
                               ".filter(i => !i.naturalWidth).map(i => i.src.slice(0, 80))")
        if blocked:
            raise PdfError("the single page asked for the network: " + ", ".join(blocked[:5]))
        if failed:
            raise PdfError("the single page failed to load: " + ", ".join(failed[:5]))
        if broken:
            raise PdfError("images failed to load in the single page: " + ", ".join(broken[:5]))
        if errors:
            raise PdfError("the single page raised a script error: " + errors[0])
        tmp = target.with_name(target.name + ".tmp")
        page.emulate_media(media="print")
        page.pdf(path=str(tmp), format="A4", print_background=True, scale=SCALE,
                 margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
                 display_header_footer=True, header_template="<span></span>",
                 footer_template=FOOTER, outline=True, tagged=True)
        tmp.replace(target)
        # the images printed (shown in print, each picture once: the PDF stores a repeat once)
        counts = page.evaluate("""() => {
            const shown = Array.from(document.images).filter(i => i.getClientRects().length);
            return {images: new Set(shown.map(i => i.currentSrc)).size,
                    figures: document.querySelectorAll('figure.rj-figure img').length}; }""")
    return counts


@contextlib.contextmanager
def _locked():
    """One build at a time (two test workers may ask for the PDF at once): the others wait."""
    import fcntl

    PDF_DIR.mkdir(parents=True, exist_ok=True)
    with open(PDF_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build(force: bool = False, browser=None) -> bool:
    """Make ``_build/pdf/book.pdf`` unless it is current. Returns True if it printed."""
    if not force and is_current():
        return False
    why = missing_browser()
    if why:
        raise PdfError(why)
    with _locked():
        if not force and is_current():  # another process made it while this one waited
            return False
        made = stamp()
        page = build_singlehtml()
        counts = print_pdf(page, PDF, browser=browser)
        MANIFEST.write_text(json.dumps(counts) + "\n")
        STAMP.write_text(made)
    return True


def read() -> tuple[bytes, dict]:
    """The PDF and what its build counted in the page it printed, read together."""
    with _locked():
        return PDF.read_bytes(), json.loads(MANIFEST.read_text())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m rjnumbers.pdf", description=__doc__.split("\n")[0])
    ap.add_argument("--force", action="store_true", help="rebuild even if the PDF is current")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    try:
        printed = build(force=args.force)
    except PdfError as exc:
        print(f"make pdf: {exc}", file=sys.stderr)
        return 1
    size = PDF.stat().st_size / 1e6
    state = "printed" if printed else "up to date"
    print(f"pdf {state} in {time.perf_counter() - t0:.1f} s: {rel(PDF)} ({size:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
