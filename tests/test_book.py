"""Tests of the built book (_build/html, made by `make book`, which `make test` runs first)."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml

from rjnumbers import ledger
from rjnumbers.paths import ROOT

HTML_DIR = ROOT / "_build" / "html"


def toc_entries() -> list[tuple[str, str]]:
    """(part caption, file) for every page of the table of contents."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    out = [("root", toc["root"])]
    for part in toc.get("parts", []):
        for ch in part.get("chapters", []):
            out.append((part.get("caption", ""), ch["file"]))
    for ch in toc.get("chapters", []):
        out.append(("", ch["file"]))
    return out


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    if not (HTML_DIR / "index.html").exists():
        pytest.fail("the built book is missing: run `make book` (make test does it first)")
    out = {}
    for _, f in toc_entries():
        page = HTML_DIR / (f + ".html")
        assert page.exists(), f"{f} is in _toc.yml but was not built"
        out[f] = page.read_text(encoding="utf-8")
    return out


class Loads(HTMLParser):
    """Collect every URL the browser would fetch by itself (not links a reader may click)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") not in ("canonical",):
            self.urls.append(a["href"])
        if tag == "object" and a.get("data"):
            self.urls.append(a["data"])
        style = a.get("style") or ""
        self.urls += re.findall(r"url\(([^)]+)\)", style)


REMOTE = re.compile(r"^\s*['\"]?(https?:)?//", re.I)


def test_no_page_loads_anything_from_the_network():
    offenders = []
    for page in sorted(HTML_DIR.rglob("*.html")):
        parser = Loads()
        parser.feed(page.read_text(encoding="utf-8"))
        offenders += [f"{page.relative_to(HTML_DIR)}: {u}" for u in parser.urls if REMOTE.match(u)]
    for asset in sorted(HTML_DIR.rglob("*")):
        if asset.suffix in (".css", ".js") and asset.is_file():
            text = asset.read_text(encoding="utf-8", errors="replace")
            offenders += [f"{asset.relative_to(HTML_DIR)}: @import {m}"
                          for m in re.findall(r"@import\s+(?:url\()?['\"]?(https?://[^'\")]+)", text)]
            if asset.suffix == ".css":
                offenders += [f"{asset.relative_to(HTML_DIR)}: url({m})"
                              for m in re.findall(r"url\(['\"]?(https?://[^'\")]+)", text)]
    assert not offenders, "remote resources:\n" + "\n".join(offenders)


def test_no_cdn_or_thebe_configuration_in_pages(pages):
    for name, text in pages.items():
        assert "unpkg.com" not in text and "cdn.jsdelivr" not in text and "mathjax" not in text.lower(), name


def test_every_figure_has_alt_text_sources_and_data(pages):
    n = 0
    for name, text in pages.items():
        for fig in re.findall(r'<figure class="rj-figure".*?</figure>', text, flags=re.S):
            n += 1
            assert re.search(r'<img [^>]*alt="[^"]{10,}"', fig), f"{name}: figure without alt text"
            assert "Sources:" in fig, f"{name}: figure without sources"
            assert 'download="' in fig and "data:text/csv" in fig, f"{name}: figure without data"
    assert n > 0


def theme_pages(pages) -> dict[str, str]:
    return {f: t for (part, f) in toc_entries() if part == "Themes" for t in [pages[f]]}


RECORD_CHAPTER = "notebooks/04_record"  # shows the claims of theme 'record' (dates, firsts, onlys)


def test_every_claim_appears_in_a_theme_chapter(pages):
    themes = theme_pages(pages)
    assert themes, "no part captioned 'Themes' in _toc.yml"
    text = "\n".join(themes.values())
    record = pages[RECORD_CHAPTER]
    by_theme = ledger.claims().set_index("claim_id")["theme"]
    gone = [c for c, t in by_theme.items() if t == "record"
            and not re.search(rf"\b{re.escape(c)}\b", record)]
    assert not gone, f"record claims missing from {RECORD_CHAPTER}: {gone[:20]}"
    text += "\n" + record
    missing = [c for c in ledger.claims()["claim_id"] if not re.search(rf"\b{re.escape(c)}\b", text)]
    assert not missing, f"{len(missing)} claims appear in no theme chapter: {missing[:20]}"


def test_every_claim_has_an_anchor_in_the_ledger_page(pages):
    text = pages["notebooks/01_claims"]
    missing = [c for c in ledger.claims()["claim_id"] if f'id="claim-{c}"' not in text]
    assert not missing, missing[:10]


def test_glue_was_resolved_everywhere(pages):
    for name, text in pages.items():
        assert "{glue" not in text and "pending_glue" not in text.lower(), name


TYPED = re.compile(r"\d+(?:[.,]\d+)?\s?(?:%|percent|per cent|billion|million|bn)\b", re.I)


def test_no_numbers_typed_into_chapter_prose():
    """Figures in prose come from code (glue), never typed: scan markdown outside code cells."""
    offenders = []
    for md in sorted((ROOT / "notebooks").glob("*.md")) + sorted((ROOT / "book").glob("*.md")):
        in_code = False
        for i, line in enumerate(md.read_text(encoding="utf-8").splitlines(), start=1):
            if line.startswith("```"):
                in_code = not in_code
                continue
            if in_code or "{glue" in line:
                continue
            if TYPED.search(line):
                offenders.append(f"{md.relative_to(ROOT)}:{i}: {line.strip()[:100]}")
    assert not offenders, "\n".join(offenders)


def test_no_page_carries_a_build_date(pages):
    """The same bytes on any day: no 'Last updated', no build-date meta tag, no date of today."""
    import datetime
    today = datetime.date.today()
    stamps = [today.isoformat(), today.strftime("%b %d, %Y"), today.strftime("%d %B %Y")]
    for name, html in pages.items():
        assert "Last updated" not in html, name
        assert "docbuild:last-update" not in html, name
        for s in stamps:
            assert s not in html, (name, s)


APPENDIX = {"book/method", "notebooks/12_data_sources", "notebooks/13_environment"}
INTERNAL = re.compile(r"\brjnumbers([./][a-z_]+)+|\bmake (book|test|test-fast|audit|bench|lab|data|"
                      r"pdf|lint)\b|_build/")


def reader_text(page: str) -> str:
    """What a reader reads on a page: no code (folded or not), no embedded files, no tags."""
    page = re.sub(r"<(pre|script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<details\b.*?</details>", " ", page, flags=re.S)
    page = re.sub(r'(href|src)="data:[^"]*"', " ", page)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", page)


def test_chapters_speak_to_readers_not_to_developers(pages):
    """Module paths, make targets and build paths belong in the method and environment
    appendices, not in a chapter's prose, captions or notes."""
    bad = []
    for name, page in pages.items():
        if name in APPENDIX:
            continue
        text = reader_text(page)
        bad += [f"{name}: …{text[max(m.start() - 50, 0):m.end() + 30]}…"
                for m in INTERNAL.finditer(text)]
    assert not bad, "developer words in chapters:\n" + "\n".join(bad[:30])


def internal_names() -> set[str]:
    """Identifiers of the project's own data that mean nothing to a reader: metric ids, check
    ids, extract names, event types and qualifier codes (those with an underscore)."""
    from rjnumbers.audit import checks
    from rjnumbers.data import datapackage, load
    from rjnumbers.paths import DATAPACKAGE

    names = set(load("metrics")["metric"]) | set(checks.REGISTRY)
    names |= {r["name"] for r in datapackage(DATAPACKAGE)["resources"]}
    names |= set(load("events")["type"]) | set(ledger.claims()["qualifier"])
    return {n for n in names if "_" in n}


def test_chapters_show_words_not_identifiers(pages):
    """A chapter's prose, tables, captions and notes name a metric by its catalogue label and a
    check by what it tests, never by its id (a file name such as poll_points.csv is fine)."""
    names = internal_names()
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True))
                         + r")\b(?!\.(csv|json|geojson))")
    bad = []
    for name, page in pages.items():
        if name in APPENDIX:
            continue
        text = reader_text(page)
        hits = sorted({m.group(1) for m in pattern.finditer(text)})
        if hits:
            bad.append(f"{name}: {', '.join(hits[:12])}" + (" …" if len(hits) > 12 else ""))
    assert not bad, "identifiers shown to readers:\n" + "\n".join(bad)


def test_every_page_carries_the_licence_footer(pages):
    """The licence the book is published under is in the footer of every page."""
    import yaml as _yaml
    cfg = _yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    footer = cfg["sphinx"]["config"]["html_theme_options"]["extra_footer"]
    assert "licence" in footer
    missing = [name for name, page in pages.items() if footer not in page.replace("&#39;", "'")]
    assert not missing, f"pages without the licence footer: {missing}"
