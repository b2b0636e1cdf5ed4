"""Helpers of the browser tests (imported by conftest.py and the test modules)."""
from __future__ import annotations

import html.parser
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from rjnumbers.paths import BUILD, ROOT
from rjnumbers.pdf import WAIT_FOR_IMAGES, block_outside, toc_docnames

HTML = BUILD / "html"
SCREENSHOTS = BUILD / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORT = {"width": 1280, "height": 900}


@dataclass
class Visit:
    """One page of the book as the browser saw it."""

    docname: str
    url: str
    page: object                      # playwright Page, kept open for the tests
    blocked: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    responses: list = field(default_factory=list)
    sizes: list = field(default_factory=list)      # (bytes, url) of every response
    weight: int = 0
    screenshot: Path | None = None

    def __repr__(self) -> str:  # short, for assertion messages
        return f"<visit of {self.docname}>"


def html_path(docname: str) -> str:
    return docname + ".html"


def load(context, origin: str, path: str, docname: str, screenshot: bool = True) -> Visit:
    """Open one page, wait until it and everything it asks for have loaded, and record it all."""
    page = context.new_page()
    url = f"{origin}/{path}"
    visit = Visit(docname=docname, url=url, page=page)
    block_outside(page, origin, visit.blocked)   # this page's own record (the context has one too)

    def on_console(msg):
        if msg.type == "error":
            loc = msg.location or {}
            visit.console_errors.append(f"{msg.text} ({loc.get('url', '')}:{loc.get('lineNumber', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: visit.console_errors.append(f"uncaught: {exc}"))
    page.on("requestfailed",
            lambda req: visit.failed.append(f"{req.url} ({req.failure})"))
    page.on("response", lambda resp: visit.responses.append(resp))
    page.goto(url, wait_until="load", timeout=30_000)
    page.evaluate("() => document.fonts.ready.then(() => true)")   # web fonts load after layout
    # lazy images count too: load every one of them before looking
    page.evaluate("() => document.querySelectorAll('img[loading=lazy]')"
                  ".forEach(i => { i.loading = 'eager'; })")
    page.wait_for_function(WAIT_FOR_IMAGES, timeout=30_000)
    # a request we aborted is reported as asking for the network, not again as a failure
    visit.failed = [f for f in visit.failed if f.split(" (", 1)[0] not in visit.blocked]
    for resp in visit.responses:
        if resp.status >= 400:
            visit.failed.append(f"{resp.url} (HTTP {resp.status})")
    for resp in visit.responses:
        if 300 <= resp.status < 400:
            continue
        try:
            visit.sizes.append((len(resp.body()), resp.url))
        except Exception:  # a body the browser did not keep (an aborted request): not sent
            pass
    visit.weight = sum(n for n, _ in visit.sizes)
    if screenshot:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / (docname.replace("/", "__") + ".png")
        tmp = shot.with_name(f".{shot.stem}.{os.getpid()}.png")
        page.screenshot(path=str(tmp), full_page=True)
        tmp.replace(shot)
        visit.screenshot = shot
    return visit


# --- the static side: which files and ids the built book holds ----------------------------

class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" or (name == "name" and tag == "a"):
                if value:
                    self.ids.add(value)


def local_target(book: Path, origin: str, href: str) -> tuple[Path, str] | None:
    """(file in the book, fragment) for an absolute URL on our origin; None for anything else."""
    parts = urlsplit(href)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    rel_path = unquote(parts.path).lstrip("/")
    target = book / rel_path
    if rel_path == "" or target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def toc_pages() -> list[str]:
    return toc_docnames()
