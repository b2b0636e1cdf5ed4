"""A small Sphinx extension that keeps every page of the book offline.

Jupyter Book 1 always loads ``sphinx_thebe``, which writes the address of a CDN copy of thebe
into every page (loaded only when a reader clicks a launch button, which this book does not
offer).  We drop those scripts and styles from every page so that no page refers to the network.

For the same reason we drop MathJax (a CDN address too) from a page that has no equation.
Jupyter Book asks Sphinx to put MathJax on every page of a ``singlehtml`` build (the one behind
``make pdf``) whether or not the book has any mathematics; a page that really holds an equation
keeps it, and the browser tests then report that page as asking for the network.

And we drop one script the theme puts on every page, ``fontawesome.js`` (1.5 MB, three times
the rest of a page): it only redraws the theme's icons as SVG, and the theme's stylesheet already
draws the same icons with the Font Awesome web font.  Without it a page of the book stays under
the 1.5 MB the browser tests allow.

Last, the files of :mod:`rjnumbers.downloads` (the audit's tables, the largest data files) are
published beside the pages under ``downloads/``.
"""
from __future__ import annotations

import re
from pathlib import Path

from jinja2 import BaseLoader, TemplateNotFound

WEBPACK_MACROS = "static/webpack-macros.html"   # pydata-sphinx-theme's asset macros
FONTAWESOME_JS = re.compile(r"[ \t]*<script[^>]*_static/scripts/fontawesome\.js[^>]*></script>\n?")


def _is_thebe(asset) -> bool:
    name = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return "thebe" in name or "THEBE" in body or "thebe" in body


def _is_mathjax(app, asset) -> bool:
    name = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    path = str(getattr(app.config, "mathjax_path", "") or "")
    return (bool(path) and name == path) or "mathjax" in name.lower() \
        or body.startswith(("window.MathJax", "MathJax.Hub.Config"))


def _has_equations(app, pagename: str) -> bool:
    try:
        domain = app.env.get_domain("math")
    except Exception:  # no math domain: nothing can need MathJax
        return False
    if app.builder.name == "singlehtml":  # one page holds every document
        return domain.has_equations()
    return domain.has_equations(pagename)


def _strip_network_assets(app, pagename, templatename, context, doctree):
    keep_mathjax = _has_equations(app, pagename)
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _is_thebe(a)
                            and (keep_mathjax or not _is_mathjax(app, a))]


class _WithoutFontAwesomeJs(BaseLoader):
    """Serves the theme's asset macros without the <script> that loads fontawesome.js."""

    def __init__(self, loaders):
        self.loaders = list(loaders)

    def get_source(self, environment, template):
        if template != WEBPACK_MACROS:
            raise TemplateNotFound(template)
        for loader in self.loaders:
            try:
                source, filename, uptodate = loader.get_source(environment, template)
            except TemplateNotFound:
                continue
            return FONTAWESOME_JS.sub("", source), filename, uptodate
        raise TemplateNotFound(template)


def _drop_fontawesome_js(app):
    templates = getattr(app.builder, "templates", None)
    loaders = getattr(templates, "loaders", None)
    if loaders is None:  # not an HTML builder
        return
    loaders.insert(0, _WithoutFontAwesomeJs(loaders))
    templates.templatepathlen += 1  # so that "!name" (the theme's own template) skips it too


# `{glue:text}`../notebooks/x.ipynb::key:s`` and ```{glue:} key + `:doc: ../notebooks/x.ipynb`
GLUE_FROM_DOC = re.compile(r"\{glue(?::\w*)?\}`([^`\s:]+\.(?:ipynb|md))::|^:doc:\s*(\S+\.(?:ipynb|md))\s*$",
                           re.M)


def _note_glue_sources(app, docname, source):
    """A page that pastes glue from another notebook depends on that notebook's file: Sphinx
    then re-reads the page whenever the notebook is re-executed (an incremental build would
    otherwise keep the old numbers)."""
    here = Path(app.env.doc2path(docname)).parent
    for inline, option in sorted(set(GLUE_FROM_DOC.findall(source[0]))):
        app.env.note_dependency(str((here / (inline or option)).resolve()))


def _publish_downloads(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    from .downloads import publish
    publish(Path(app.outdir))


def _stylesheets_first(app):
    """myst-nb copies its stylesheet into the output only when the build ends, so a clean build
    writes every page before the file exists and links it without Sphinx's ``?v=`` checksum,
    while an incremental build finds it and adds one. Copied before any page is written, the
    link is the same however the page came to be written."""
    if app.builder.format != "html":
        return
    from myst_nb.sphinx_ext import add_global_html_resources
    (Path(app.builder.outdir) / "_static").mkdir(parents=True, exist_ok=True)
    add_global_html_resources(app, None)


def _forget_pruned_terms(app):
    """An incremental build reloads the search index and prunes the pages it rewrites; a word
    that only a rewritten page held stays behind with no page. Drop such words before the index
    is written, so it holds what a clean build would hold."""
    indexer = getattr(app.builder, "indexer", None)
    if indexer is None:
        return []
    for mapping in (indexer._mapping, indexer._title_mapping):
        for word in [w for w, docs in mapping.items() if not docs]:
            del mapping[word]
    return []


def _english_with_stems_kept():
    """Sphinx's English for the search index, each word's stem computed once per build: the
    pure-Python stemmer, called on every word of every page, was an eighth of the HTML build."""
    from sphinx.search.en import SearchEnglish

    class English(SearchEnglish):
        def init(self, options):
            super().init(options)
            self._stems: dict[str, str] = {}

        def stem(self, word: str) -> str:
            stem = self._stems.get(word)
            if stem is None:
                stem = self._stems[word] = super().stem(word)
            return stem

    return English


def _patterns_translated_once():
    """Sphinx turns every glob of ``exclude_patterns`` into a regular expression, character by
    character, each time it resolves a page's table of contents: 200 times a build, most of the
    time the navigation takes. The translation is a pure function of the pattern, so it is kept
    (Sphinx is pinned in requirements.txt; without the function nothing is changed)."""
    import functools

    from sphinx.util import matching

    translate = getattr(matching, "_translate_pattern", None)
    if translate is not None and not hasattr(translate, "cache_info"):
        matching._translate_pattern = functools.lru_cache(maxsize=None)(translate)


def setup(app):
    _patterns_translated_once()
    app.add_search_language(_english_with_stems_kept())
    app.connect("builder-inited", _stylesheets_first)
    app.connect("html-collect-pages", _forget_pruned_terms)
    app.connect("source-read", _note_glue_sources)
    app.connect("builder-inited", _drop_fontawesome_js)
    app.connect("html-page-context", _strip_network_assets, priority=900)
    app.connect("build-finished", _publish_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
