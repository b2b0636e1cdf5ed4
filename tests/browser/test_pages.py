"""Every page of the table of contents, read in headless Chromium as a reader would, offline.

The pages come from ``_toc.yml``.  Each page is one test: it is loaded once (one page object),
a screenshot is saved under ``_build/screenshots/``, and each check is a subtest of its own, so
a report names the page and the check (``SUBFAILED[weight] test_page[notebooks/05_trade]``).
"""
from __future__ import annotations

import re

import pytest
from browserkit import AXE, SCREENSHOTS, VIEWPORT, html_path, load, local_target, toc_pages

pytestmark = pytest.mark.browser

PAGES = toc_pages()
MAX_WEIGHT = 1_500_000          # bytes: a page with its images, styles, scripts and fonts
AXE_IMPACTS = ("serious", "critical")
SEARCH_TERM = "Kireeva"         # an author cited throughout the book
LEDGER_PAGE = "notebooks/01_claims"


def _listing(items, limit=10) -> str:
    items = list(items)
    more = f"\n  ... and {len(items) - limit} more" if len(items) > limit else ""
    return "\n  " + "\n  ".join(str(i) for i in items[:limit]) + more


@pytest.mark.parametrize("docname", PAGES)
def test_page(docname, book, context, origin, ids_in, subtests):
    path = html_path(docname)
    assert (book / path).is_file(), (f"{docname} is in _toc.yml but the built book has no {path}:"
                                     " is the chapter written, and did `make book` run?")
    visit = load(context, origin, path, docname)
    try:
        with subtests.test("offline"):
            assert not visit.blocked, (f"{docname} asked for the network (requests aborted):"
                                       + _listing(visit.blocked))
        with subtests.test("console"):
            assert not visit.console_errors, (f"{docname}: console errors:"
                                              + _listing(visit.console_errors))
        with subtests.test("resources"):
            assert not visit.failed, (f"{docname}: resources that failed to load:"
                                      + _listing(visit.failed))
        with subtests.test("images"):
            check_images(visit.page, docname)
        with subtests.test("figures at their size"):
            check_figure_scale(visit.page, docname)
        with subtests.test("links"):
            check_links(visit.page, docname, book, origin, ids_in)
        with subtests.test("weight"):
            check_weight(visit, docname)
        with subtests.test("accessibility"):
            check_axe(visit.page, docname)
        with subtests.test("code folded"):
            check_code_folded(visit.page, docname)
        if docname == LEDGER_PAGE:
            with subtests.test("claim links land in view"):
                check_claim_links_land(visit.page, origin, path)
        if docname == LEDGER_PAGE or visit.page.locator("div.rj-ledger").count():
            with subtests.test("ledger filter"):
                check_ledger_filter(visit.page, docname)
            with subtests.test("ledger sort"):
                check_ledger_sort(visit.page, docname)
    finally:
        visit.page.close()


def check_images(page, docname):
    images = page.evaluate(
        """() => Array.from(document.images).map((img, i) => ({
              n: i, src: img.currentSrc.slice(0, 60), loaded: img.complete && img.naturalWidth > 0,
              alt: img.getAttribute('alt')}))""")
    broken = [f"image {i['n']} ({i['src']}...)" for i in images if not i["loaded"]]
    no_alt = [f"image {i['n']} ({i['src']}...)" for i in images
              if i["alt"] is None or not i["alt"].strip()]
    assert not broken, f"{docname}: images that did not load:" + _listing(broken)
    assert not no_alt, f"{docname}: images without alt text:" + _listing(no_alt)


MAX_SHRINK = 1.3        # a chart may be shown at most 1.3 times smaller than it was drawn
MIN_TEXT_PX = 11.0      # and its smallest text no smaller than 11 CSS px


def check_figure_scale(page, docname):
    """In the column of a 1280 px window, no chart is shrunk below 1/1.3 of the size it was
    drawn at, and its smallest text (recorded on the image when it was drawn) stays >= 11 px."""
    figs = page.evaluate(
        """() => Array.from(document.querySelectorAll('figure.rj-figure img')).map(i => ({
              id: i.closest('figure').id, natural: i.naturalWidth, shown: i.clientWidth,
              text: parseFloat(i.dataset.minTextPx || 'NaN')}))""")
    bad = []
    for f in figs:
        scale = f["shown"] / f["natural"]
        if scale < 1 / MAX_SHRINK:
            bad.append(f"{f['id']}: drawn {f['natural']} px wide, shown at {f['shown']} px")
        if not f["text"] * min(scale, 1) >= MIN_TEXT_PX:
            bad.append(f"{f['id']}: smallest text {f['text'] * min(scale, 1):.1f} px as shown")
    assert not bad, f"{docname}: charts too small to read in the column:" + _listing(bad)


MAX_CODE_LINES = 15     # lines of code a reader sees on a page before clicking "show code"


def check_code_folded(page, docname):
    """What a reader sees of the code before any click is a few short lines, not the program."""
    lines = page.evaluate(
        """() => Array.from(document.querySelectorAll('div.cell_input pre, div.highlight pre'))
              .map(p => p.innerText.trim()).filter(t => t)
              .reduce((n, t) => n + t.split('\\n').length, 0)""")
    assert lines <= MAX_CODE_LINES, (f"{docname} shows {lines} lines of code before a click "
                                     f"(at most {MAX_CODE_LINES}): fold them (hide-input)")


def check_claim_links_land(page, origin, path):
    """A link to a claim, as #claim-<id> or as the bare #<id>, shows that row in the window,
    below the table's sticky header, in a wide and in a phone window."""
    last = page.evaluate("() => Array.from(document.querySelectorAll('tr[id^=\"claim-\"]'))"
                         ".pop().id")
    bad = []
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for fragment in (last, last.removeprefix("claim-")):
            page.goto("about:blank")
            page.goto(f"{origin}/{path}#{fragment}", wait_until="load")
            box = page.evaluate(
                """(id) => { const r = document.getElementById(id).getBoundingClientRect();
                     const th = document.querySelector('div.rj-ledger thead th');
                     const h = th.getBoundingClientRect();
                     const covered = h.bottom > r.top && h.top < r.bottom ? h.bottom : -1e9;
                     return {top: r.top, bottom: r.bottom, view: innerHeight, covered: covered,
                             marked: document.getElementById(id).classList.contains('rj-target')
                                     || document.getElementById(id).matches(':target')}; }""",
                last)
            if not (0 <= box["top"] and box["bottom"] <= box["view"]):
                bad.append(f"#{fragment} at {width} px: row at {box['top']:.0f} px of {box['view']}")
            elif box["covered"] > box["top"] + 1:
                bad.append(f"#{fragment} at {width} px: the sticky header covers the row")
            if not box["marked"]:
                bad.append(f"#{fragment} at {width} px: the row is not highlighted")
    page.set_viewport_size(VIEWPORT)
    assert not bad, "claim links that do not land on their row:" + _listing(bad)


PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("docname", PAGES)
def test_page_on_a_phone(docname, book, browser, origin):
    """In a 390 px window the page does not run off the screen sideways; each chart keeps its
    drawn size (its frame scrolls, with a hint that it does) instead of shrinking to 5 px text."""
    ctx = browser.new_context(viewport=PHONE, service_workers="block")
    try:
        visit = load(ctx, origin, html_path(docname), docname, screenshot=False)
        page = visit.page
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{docname} is {width} px wide in a {PHONE['width']} px window"
        figs = page.evaluate(
            """() => Array.from(document.querySelectorAll('figure.rj-figure')).map(f => {
                 const i = f.querySelector('img');
                 return {id: f.id, natural: i.naturalWidth, shown: i.clientWidth,
                         hint: getComputedStyle(f, '::before').content,
                         frame: getComputedStyle(i.parentElement).overflowX}; })""")
        bad = [f"{f['id']}: drawn {f['natural']} px, shown {f['shown']} px" for f in figs
               if f["shown"] < f["natural"] / MAX_SHRINK]
        bad += [f"{f['id']}: wider than the window but its frame does not scroll"
                for f in figs if f["natural"] > PHONE["width"] and f["frame"] not in ("auto", "scroll")]
        bad += [f"{f['id']}: no hint that the chart scrolls" for f in figs
                if f["natural"] > PHONE["width"] and "Swipe" not in f["hint"]]
        assert not bad, f"{docname} on a phone:" + _listing(bad)
    finally:
        ctx.close()


@pytest.mark.parametrize("docname", PAGES)
def test_page_dark(docname, book, dark_context, origin):
    """The same page in the theme's dark mode: axe finds nothing serious (contrast above all)."""
    visit = load(dark_context, origin, html_path(docname), docname, screenshot=False)
    try:
        assert visit.page.evaluate("() => document.documentElement.dataset.theme") == "dark"
        check_axe(visit.page, docname + " (dark mode)")
        # axe cannot read text inside an image: a chart must be shown as drawn, not dimmed
        dimmed = visit.page.evaluate(
            """() => Array.from(document.querySelectorAll('figure.rj-figure img'))
                 .filter(i => getComputedStyle(i).filter !== 'none').map(i => i.closest('figure').id)""")
        assert not dimmed, f"{docname} (dark mode): charts dimmed by a CSS filter:" + _listing(dimmed)
    finally:
        visit.page.close()


def check_links(page, docname, book, origin, ids_in):
    """Every link to a file of the book leads to a file that exists, and to an id in it."""
    hrefs = page.evaluate("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
    bad = []
    for href in sorted(set(hrefs)):
        target = local_target(book, origin, href)
        if target is None:  # another site (not followed: the tests are offline), mailto:, data:
            continue
        path, fragment = target
        shown = href.replace(origin, "")
        if not path.is_file():
            bad.append(f"{shown}: no file {path.relative_to(book).as_posix()}")
        elif fragment and path.suffix == ".html" and fragment not in ids_in(path):
            bad.append(f"{shown}: no id {fragment!r} in {path.relative_to(book).as_posix()}")
    assert not bad, f"{docname}: internal links that lead nowhere:" + _listing(bad, 20)


def check_weight(visit, docname):
    heaviest = sorted(visit.sizes, reverse=True)[:5]
    weight = visit.weight
    assert weight <= MAX_WEIGHT, (
        f"{docname} weighs {weight / 1e6:.2f} MB with its assets (limit "
        f"{MAX_WEIGHT / 1e6:.1f} MB); heaviest responses:"
        + _listing(f"{n / 1e3:.0f} kB {re.sub(r'[?#].*$', '', url).rsplit('/', 1)[-1]}"
                   for n, url in heaviest))


def check_axe(page, docname):
    if not AXE.exists():
        pytest.fail("axe-core is missing (node_modules/axe-core/axe.min.js): run `npm ci`",
                    pytrace=False)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))   # inline: no request
    # axe's AA rule asks 4.5:1 of body text but only 3:1 of large text; the book promises 4.5:1
    # for every text, so the AAA rule runs too and its nodes below 4.5:1 count as failures
    result = page.evaluate(
        """async () => {
             const r = await axe.run(document, {resultTypes: ['violations'],
                                                rules: {'color-contrast-enhanced': {enabled: true}}});
             return r.violations.map(v => {
               let nodes = v.nodes;
               if (v.id === 'color-contrast-enhanced')
                 nodes = nodes.filter(n => ((n.any[0] || {}).data || {}).contrastRatio < 4.5);
               return {id: v.id, impact: v.impact, help: v.help, n: nodes.length,
                       nodes: nodes.map(n => n.target.join(' ')).slice(0, 5)};
             }).filter(v => v.n > 0);
           }""")
    serious = [v for v in result if v["impact"] in AXE_IMPACTS]
    lines = [f"{v['id']} ({v['impact']}, {v['n']} node(s)): {v['help']}; e.g. "
             + ", ".join(v["nodes"]) for v in serious]
    assert not serious, f"{docname}: accessibility violations:" + _listing(lines, 30)


def check_ledger_filter(page, docname):
    """Typing a claim id into the filter leaves exactly that claim's row."""
    box = page.locator("div.rj-ledger").first
    assert box.count() == 1, f"{docname} shows no claims ledger (div.rj-ledger)"
    rows = box.locator("table.rj-sortable tbody tr")
    total = rows.count()
    assert total > 1, "the ledger has fewer than two rows"
    # a claim id that no other row mentions, so that exactly one row should stay
    claim = page.evaluate(
        """(box) => {
             const rows = Array.from(box.querySelectorAll('tbody tr'));
             const text = rows.map(r => r.textContent.toLowerCase());
             for (const r of rows) {
               const id = r.id.replace(/^claim-/, '');
               if (id && text.filter(t => t.includes(id.toLowerCase())).length === 1) return id;
             }
             return null;
           }""", box.element_handle())
    assert claim, "every claim id also appears in another row of the ledger"
    field = box.locator("input.rj-filter")
    field.click()
    field.press_sequentially(claim)
    visible = box.locator("table.rj-sortable tbody tr:not([hidden])")
    assert visible.count() == 1, (f"typing {claim!r} into the filter left {visible.count()} "
                                  f"of {total} rows visible")
    assert visible.first.get_attribute("id") == f"claim-{claim}"
    assert visible.first.is_visible()
    assert box.locator(".rj-count").inner_text().startswith("1 ")
    field.fill("")
    assert box.locator("table.rj-sortable tbody tr:not([hidden])").count() == total
    # a reader looking for the claims that fail finds exactly them
    from rjnumbers.audit.verdicts import claim_verdicts
    failing = set(claim_verdicts().query("verdict == 'does not hold'").index)
    assert failing
    field.press_sequentially("does not hold")
    shown = {i.removeprefix("claim-") for i in page.evaluate(
        """(box) => Array.from(box.querySelectorAll('tbody tr:not([hidden])')).map(r => r.id)""",
        box.element_handle())}
    assert shown == failing, (sorted(shown - failing)[:5], sorted(failing - shown)[:5])
    field.fill("")


def check_ledger_sort(page, docname):
    """A column header is a button that sorts the rows (mouse and keyboard) and says how."""
    table = page.locator("div.rj-ledger table.rj-sortable").first
    headers = table.locator("thead th")
    names = [t.strip() for t in headers.all_inner_texts()]
    assert "Value" in names, f"the ledger has no Value column: {names}"
    col = names.index("Value")
    header = headers.nth(col)
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    cells = page.evaluate(
        """([table, col]) => Array.from(table.tBodies[0].rows)
             .map(r => [r.cells[col].getAttribute('data-group'),
                        parseFloat(r.cells[col].getAttribute('data-sort'))])""",
        [table.element_handle(), col])
    units = [u for u, _ in cells]
    # one run of rows per unit (US$ bn never ranked among percentages), each in value order
    runs = [u for k, u in enumerate(units) if k == 0 or u != units[k - 1]]
    assert len(runs) == len(set(units)) > 1, "sorting by Value mixed the units"
    for u in set(units):
        vals = [v for g, v in cells if g == u]
        assert vals == sorted(vals), f"sorting by Value did not order the {u} rows by value"
    header.get_by_role("button").press("Enter")
    assert header.get_attribute("aria-sort") == "descending", "Enter on a header did not sort"


def test_search_finds_a_known_term(context, origin, book):
    if not (book / "search.html").exists():
        pytest.fail("the built book has no search.html", pytrace=False)
    visit = load(context, origin, f"search.html?q={SEARCH_TERM}", "search", screenshot=False)
    page = visit.page
    try:
        page.wait_for_selector("#search-results ul.search li", timeout=15_000)
        found = page.evaluate("() => Array.from(document.querySelectorAll("
                              "'#search-results ul.search li a')).map(a => a.href)")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "search.png"), full_page=True)
        assert found, f"searching for {SEARCH_TERM!r} found nothing"
        pages = {re.sub(r"[?#].*$", "", h).replace(origin + "/", "") for h in found}
        assert pages & {html_path(d) for d in PAGES}, \
            f"searching for {SEARCH_TERM!r} found no page of the book: {sorted(pages)}"
        assert not visit.blocked, "the search page asked for the network:" + _listing(visit.blocked)
        assert not visit.console_errors, ("the search page logged errors:"
                                          + _listing(visit.console_errors))
        assert not visit.failed, "the search page failed to load:" + _listing(visit.failed)
    finally:
        page.close()


def test_network_guard_aborts_and_records(context, origin):
    """The guard the tests rely on: a request for another host is aborted and recorded."""
    visit = load(context, origin, html_path(PAGES[0]), "guard", screenshot=False)
    try:
        outcome = visit.page.evaluate(
            "() => fetch('https://example.org/rjnumbers-guard').then(() => 'sent', () => 'aborted')")
        assert outcome == "aborted"
        assert "https://example.org/rjnumbers-guard" in visit.blocked
    finally:
        visit.page.close()
