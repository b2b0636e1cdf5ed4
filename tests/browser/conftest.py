"""Fixtures for the browser tests: the built book, served on 127.0.0.1, read by headless Chromium.

One browser for the whole session (per xdist worker) and one context, in which every request
that would leave 127.0.0.1 is aborted and recorded.  Each page of the book is one test with one
page object (see test_pages.py), so xdist never loads a page twice.

A missing browser or a missing book is a failure, never a skip: CI must not pass without them.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from browserkit import HTML, VIEWPORT, _Ids

from rjnumbers.paths import ROOT
from rjnumbers.pdf import block_outside, launch, missing_browser, serve


@pytest.fixture(scope="session")
def book() -> Path:
    """The built HTML book (``_build/html``); fails when it is not there."""
    if not (HTML / "index.html").exists():
        pytest.fail(f"the built book is missing ({HTML.relative_to(ROOT)}/index.html): "
                    "run `make book` first", pytrace=False)
    return HTML


@pytest.fixture(scope="session")
def origin(book):
    with serve(book) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    why = missing_browser()
    if why:
        pytest.fail(f"no browser for the browser tests: {why}", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = launch(pw)
        try:
            yield chromium
        finally:
            chromium.close()


def _offline_context(browser, origin, **options):
    ctx = browser.new_context(viewport=VIEWPORT, service_workers="block", **options)
    # a backstop: each page also routes its own requests (browserkit.load) and records them
    block_outside(ctx, origin, [])
    return ctx


@pytest.fixture(scope="session")
def context(browser, origin):
    ctx = _offline_context(browser, origin)
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def ids_in(book):
    """file path inside the book -> the ids (and <a name>s) its HTML holds."""
    cache: dict[Path, set[str]] = {}

    def get(path: Path) -> set[str]:
        if path not in cache:
            parser = _Ids()
            parser.feed(path.read_text(encoding="utf-8", errors="replace"))
            cache[path] = parser.ids
        return cache[path]

    return get




@pytest.fixture(scope="session")
def dark_context(browser, origin):
    """A reader who chose the theme's dark mode (the theme keeps the choice in localStorage)."""
    ctx = _offline_context(browser, origin, color_scheme="dark")
    ctx.add_init_script("localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');")
    yield ctx
    ctx.close()
