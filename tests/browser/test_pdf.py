"""The PDF of the whole book (``make pdf``): there, whole, and holding every chapter's title.

The PDF is made here when it is missing or older than the book's sources (``rjnumbers.pdf``
keeps a stamp of what it was made from), so ``make test`` needs no ``make pdf`` first, and an
unchanged book costs nothing.
"""
from __future__ import annotations

import io
import unicodedata

import pytest
from browserkit import toc_pages

from rjnumbers import pdf

pytestmark = pytest.mark.browser

PAGES = toc_pages()


#: Sphinx's smart quotes turn a title's straight quotes into typographic ones
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def normal(text: str) -> str:
    """Text as compared: ligatures and compatibility forms folded, quotes straight, all
    whitespace one space."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(QUOTES).split())


@pytest.fixture(scope="session")
def book_pdf(request):
    """(the PDF's bytes, what its build counted), read together even while another worker builds."""
    try:
        if not pdf.is_current():  # the session's browser prints it (started only if needed)
            pdf.build(browser=request.getfixturevalue("browser"))
        return pdf.read()
    except pdf.PdfError as exc:
        pytest.fail(f"make pdf failed: {exc}", pytrace=False)
    except FileNotFoundError as exc:
        pytest.fail(f"make pdf left no {exc.filename}", pytrace=False)


class PdfText:
    """The PDF's text, page by page, extracted (with pypdf) only where a check looks.

    Extracting all of a long book takes pypdf half a minute, so a title is looked for on the
    page its bookmark points to (Chromium makes a bookmark of every heading); only a title with
    no bookmark makes the whole text be read.
    """

    def __init__(self, data: bytes):
        from pypdf import PdfReader

        self.reader = PdfReader(io.BytesIO(data))
        self._pages: dict[int, str] = {}
        self.bookmarks: dict[str, list[int]] = {}
        self._walk(self.reader.outline)

    def _walk(self, items):
        for item in items:
            if isinstance(item, list):
                self._walk(item)
                continue
            try:
                page = self.reader.get_destination_page_number(item)
            except Exception:  # a bookmark without a page
                continue
            self.bookmarks.setdefault(normal(item.title), []).append(page)

    def page(self, n: int) -> str:
        if n not in self._pages:
            self._pages[n] = normal(self.reader.pages[n].extract_text() or "")
        return self._pages[n]

    def holds(self, title: str) -> bool:
        want = normal(title)
        pages = sorted({n for mark, ns in self.bookmarks.items() if want in mark for n in ns})
        if any(want in self.page(n) for n in pages):
            return True
        return any(want in self.page(n) for n in range(len(self.reader.pages)))


@pytest.fixture(scope="session")
def pdf_text(book_pdf):
    return PdfText(book_pdf[0])


def image_count(node) -> int:
    """Images a page (or a form inside it) draws, counted without decoding them."""
    resources = node.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources else None
    count = 0
    for ref in (xobjects.get_object().values() if xobjects else ()):
        obj = ref.get_object()
        if obj.get("/Subtype") == "/Image":
            count += 1
        elif obj.get("/Subtype") == "/Form":
            count += image_count(obj)
    return count


def test_pdf_is_one_a4_document(pdf_text, book_pdf):
    reader = pdf_text.reader
    assert book_pdf[0][:5] == b"%PDF-"
    assert len(reader.pages) >= len(PAGES), (f"{len(reader.pages)} pages for "
                                             f"{len(PAGES)} documents in the toc")
    box = reader.pages[0].mediabox
    width_mm, height_mm = float(box.width) * 25.4 / 72, float(box.height) * 25.4 / 72
    assert abs(width_mm - 210) < 1 and abs(height_mm - 297) < 1, \
        f"page 1 is {width_mm:.0f} x {height_mm:.0f} mm, not A4"
    assert normal(pdf.doc_title(PAGES[0]) or "") in pdf_text.page(0), \
        "the first page does not show the book's title"
    assert pdf_text.bookmarks, "the PDF has no bookmarks (outline)"


@pytest.mark.parametrize("docname", PAGES)
def test_pdf_holds_chapter_title(pdf_text, docname):
    title = pdf.doc_title(docname)
    if pdf.doc_source(docname) is None:
        pytest.skip(f"{docname} is not written yet (see test_page_is_built)")
    assert title, f"{docname} has no level-1 heading to check"
    assert pdf_text.holds(title), f"the PDF does not hold the title of {docname}: {title!r}"


def test_pdf_figures_intact(pdf_text, book_pdf):
    """Every image of the printed page, every figure among them, is in the PDF as an image."""
    reader = pdf_text.reader
    counts = book_pdf[1]
    n_images = sum(image_count(page) for page in reader.pages)
    assert counts["figures"] > 0, "the printed page held no figure"
    assert n_images >= counts["images"], (f"the PDF holds {n_images} images; the page printed "
                                          f"held {counts['images']} ({counts['figures']} figures)")
