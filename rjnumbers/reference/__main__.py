"""Rebuild the reference extracts: ``python -m rjnumbers.reference [--out DIR] [NAME ...]``.

Needs the raw files in ``../shared/reference`` (or ``$RJNUMBERS_SHARED/reference``); without
them it changes nothing and exits with status 2.  A corrupt raw file stops the run with
status 1 and a message naming the file, row and column.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import DataError
from ..paths import DATAPACKAGE, rel
from . import BUILDERS, build_all, raw_available
from ._common import OUT_DIR, raw_root, update_datapackage


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m rjnumbers.reference", description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", metavar="NAME", help=f"extracts to build (default: all: {', '.join(BUILDERS)})")
    ap.add_argument("--out", type=Path, default=None, help="output folder (default data/reference)")
    ap.add_argument("--raw", type=Path, default=None, help="raw reference folder (default ../shared/reference)")
    ap.add_argument("--no-package", action="store_true",
                    help="do not update data/datapackage.json (implied when --out is given)")
    args = ap.parse_args(argv)

    unknown = [n for n in args.names if n not in BUILDERS]
    if unknown:
        ap.error(f"unknown extract(s): {', '.join(unknown)}")
    raw_dir = raw_root(args.raw)
    if not raw_available(raw_dir):
        print(f"rjnumbers.reference: the raw reference data are not available ({rel(raw_dir)} "
              "does not exist; set RJNUMBERS_SHARED or pass --raw). Nothing was rebuilt; the "
              "committed extracts in data/reference/ are unchanged.", file=sys.stderr)
        return 2
    out_dir = args.out if args.out is not None else OUT_DIR
    package = None if (args.no_package or args.out is not None) else DATAPACKAGE
    try:
        entries = build_all(out_dir=out_dir, raw_dir=raw_dir, names=args.names or None)
    except DataError as exc:
        print(f"rjnumbers.reference: {exc}", file=sys.stderr)
        return 1
    for e in entries:
        print(f"{e['name']:<24} {e['x-rows']:>4} rows  {rel(out_dir / Path(e['path']).name)}  {e['hash'][:19]}")
    if package is not None:
        changed = update_datapackage(entries, package)
        print(f"{rel(package)}: {'updated' if changed else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
