"""A small Sphinx extension that keeps every page of the book offline.

Jupyter Book 1 always loads ``sphinx_thebe``, which writes the address of a CDN copy of thebe
into every page (loaded only when a reader clicks a launch button, which this book does not
offer).  We drop those scripts and styles from every page so that no page refers to the network.
"""
from __future__ import annotations


def _is_thebe(asset) -> bool:
    name = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return "thebe" in name or "THEBE" in body or "thebe" in body


def _strip_thebe(app, pagename, templatename, context, doctree):
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _is_thebe(a)]


def setup(app):
    app.connect("html-page-context", _strip_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
