"""The audit: can each claim of the ledger be checked, and does it hold?

* :mod:`.tolerance` - the precision a claim was stated with, interval arithmetic, verdict rules;
* :mod:`.checks` - every check, defined once, with its kind and the claims it covers;
* :mod:`.verdicts` - all checks run into one table (one row per claim and check) and the
  headline figures;
* :mod:`.figures` - the charts of the audit chapters;
* ``python -m rjnumbers.audit`` writes ``_build/audit/verdicts.csv``.

Verdicts are computed from ``data/`` by code; none is typed in.
"""
from __future__ import annotations

from .verdicts import checks_table, counts, headline, per_claim, verdict_table, write_tables  # noqa: F401
