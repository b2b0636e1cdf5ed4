"""``python -m rjnumbers.audit``: write ``_build/audit/verdicts.csv`` and print a summary."""
from __future__ import annotations

import sys

from ..errors import DataError
from ..paths import rel
from ..validate import validate_inputs
from . import forecasts
from . import verdicts as v

OUT = v.TABLE


def main(argv: list[str] | None = None) -> int:
    try:
        validate_inputs()
        detail = v.run_all(detail=True)
    except DataError as exc:
        print(f"make audit: bad input: {exc}", file=sys.stderr)
        return 1
    v.write_tables(detail)
    forecasts.write()
    table = detail[v.COLUMNS]
    print(f"wrote {rel(OUT)}: {len(table)} verdict rows for "
          f"{table['claim_id'].nunique()} claims from {len(v.REGISTRY)} checks")
    for verdict, n in v.counts(table).items():
        print(f"  {verdict:<22} {n:>4} rows")
    for key, n in v.headline(table).items():
        print(f"  {key:<22} {n:>4}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
