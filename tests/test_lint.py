"""The code passes the linter configuration of pyproject.toml (ruff, pinned in requirements)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from rjnumbers.paths import ROOT


def test_the_code_passes_the_linter():
    ruff = Path(sys.executable).with_name("ruff")
    exe = str(ruff) if ruff.exists() else shutil.which("ruff")
    assert exe, "ruff is not installed (it is pinned in requirements.txt)"
    out = subprocess.run([exe, "check", "rjnumbers", "tests", "scripts"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:]
