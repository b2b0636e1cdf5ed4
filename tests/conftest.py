"""Shared fixtures for the test suite."""
from __future__ import annotations

import pytest

from rjnumbers.paths import ROOT, seeds_dir

#: test files whose tests each run the build in a copy of the project, seconds apiece
LONG_FIRST = ("test_pipeline.py",)


def pytest_collection_modifyitems(config, items):
    """The build tests go first: with ``--dist worksteal`` each worker starts on its half of the
    list, and the short tests at the end are what a worker that runs dry takes over, so the
    workers finish together instead of one waiting out a build test at the tail."""
    items.sort(key=lambda item: item.path.name not in LONG_FIRST)


@pytest.fixture(scope="session")
def seeds():
    """Non-empty lines of each seed text, by file name; skipped where ../shared/seeds is absent."""
    folder = seeds_dir()
    if not folder.is_dir():
        pytest.skip(f"the source texts are not here ({folder.name}/ beside the project is absent); "
                    "provenance can only be checked where ../shared/seeds exists")
    out = {}
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out[path.name] = {"text": text,
                          "lines": [ln for ln in text.split("\n") if ln.strip()]}
    return out


@pytest.fixture(scope="session")
def root():
    return ROOT
