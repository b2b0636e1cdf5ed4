"""Shared fixtures for the test suite."""
from __future__ import annotations

import pytest

from rjnumbers.paths import ROOT, seeds_dir


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
