"""Jupyter Book's command line, started before it is needed (``python -m rjnumbers.sphinxrun``).

Importing Jupyter Book, Sphinx and their extensions takes a second and a half, most of an
incremental build's time. The build starts this process while notebooks still execute, at a
lower priority (a worker is often idle then, and the kernels come first), so the imports are
done by the time the book is built. The process reads one line from its standard input: the
arguments of ``jupyter-book`` as a JSON list, which it then runs exactly as the command would;
an empty line or the end of input ends it unused.
"""
from __future__ import annotations

import importlib
import json
import os
import sys

#: what the build would import anyway, the heaviest first (nothing is configured by importing)
MODULES = ("jupyter_book.cli.main", "jupyter_book.sphinx", "myst_nb.sphinx_ext",
           "sphinx_book_theme", "pydata_sphinx_theme", "sphinx.builders.html", "sphinx.search.en",
           "sphinx_design", "sphinx_copybutton", "sphinx_togglebutton", "sphinx_external_toc")


def main() -> int:
    try:   # while notebooks execute, the imports take only the time the kernels leave idle
        os.nice(10)
    except (AttributeError, OSError):
        pass
    for name in MODULES:
        try:
            importlib.import_module(name)
        except ImportError:   # the build itself reports what is missing
            pass
    line = sys.stdin.readline()
    if not line.strip():
        return 0
    from jupyter_book.cli.main import main as jupyter_book

    sys.argv = ["jupyter-book", *json.loads(line)]
    try:
        jupyter_book()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
