"""The README's test command installs what it needs: Debian's chromium where it is missing."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from rjnumbers.paths import ROOT


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_test_installs_chromium_where_it_is_missing(tmp_path):
    missing = tmp_path / "no-chromium-here"
    out = subprocess.run(["make", "-n", "test", f"CHROMIUM={missing}"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "apt-get install -y -qq chromium" in out.stdout
    # and where it is there, nothing is installed
    here = subprocess.run(["make", "-n", "test", f"CHROMIUM={ROOT / 'Makefile'}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert "apt-get install" not in here.stdout
