"""Where things are, relative to the repository root (never machine paths)."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "_build"
DATAPACKAGE = DATA / "datapackage.json"
#: the environment variable naming the log a notebook's reads are recorded in
#: (:func:`rjnumbers.data.record_read`); here so that the build reads it without pandas
READ_LOG_ENV = "RJNUMBERS_READ_LOG"


def shared_dir() -> Path:
    """The ``shared`` folder beside the project (seeds and raw reference data).

    ``RJNUMBERS_SHARED`` overrides it (used by tests that corrupt a copy).
    """
    env = os.environ.get("RJNUMBERS_SHARED")
    return Path(env) if env else ROOT.parent / "shared"


def seeds_dir() -> Path:
    return shared_dir() / "seeds"


def reference_dir() -> Path:
    return shared_dir() / "reference"


def files_sha(files) -> str:
    """One sha256 over files, each keyed by its path as :func:`rel` names it: a stamp of what a
    step was made from (the build's, the audit's, the validation's)."""
    import hashlib

    h = hashlib.sha256()
    for p in files:
        h.update(rel(p).encode() + b"\0" + Path(p).read_bytes() + b"\0")
    return h.hexdigest()


def rel(path: Path | str) -> str:
    """A path as it should appear in messages: relative to the repo root when inside it."""
    p = Path(path).resolve()
    try:
        return p.relative_to(ROOT).as_posix()
    except ValueError:
        # outside the repo (e.g. ../shared): show it relative to the repo's parent
        try:
            return "../" + p.relative_to(ROOT.parent).as_posix()
        except ValueError:
            return p.name
