"""Run every check of :mod:`rjnumbers.audit.checks` into one verdict table, and its headline.

One row per (claim, check) with the columns of :data:`~rjnumbers.audit.checks.COLUMNS`.  Every
claim of the ledger gets at least one row: a claim no check covers gets a ``not_checkable`` row
(check ``no_check``) whose note, generated from the ledger, says why.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from ..data import recording
from ..paths import BUILD, DATA, ROOT, files_sha
from . import checks
from .checks import COLUMNS, DETAIL, REGISTRY, Refs
from .tolerance import DISAGREE, HOLDS, NOT_CHECKABLE, NOT_HOLD, VERDICTS, WITHIN

NO_CHECK = "no_check"


#: the fixed list of reasons a claim stays unjudged (claim readings, column ``unchecked``)
UNCHECKED = {
    "no_public_record": "no public record counts or lists this",
    "opinion": "a judgement, not a measurable fact",
    "attributed": "a statement the text attributes to someone",
    "future": "an expectation about the future (see the forecast register)",
    "not_in_project_data": "a public record exists, but the project's data do not hold it yet",
}


def uncovered_note(claims: pd.DataFrame, cid: str, refs=None) -> str:
    """Why no rule could judge a claim: the reason its reading gives (a fixed list), else one
    read off the ledger and the metric catalogue."""
    refs = refs if isinstance(refs, Refs) else Refs(refs)
    rd = refs["claim_readings"]
    mine = rd[rd["claim_id"] == cid]
    if len(mine) and mine["unchecked"].iloc[0]:
        why = mine["unchecked_why"].iloc[0]
        label = UNCHECKED[mine["unchecked"].iloc[0]]
        return f"Not checkable: {label}." + (f" {why}" if why else "")
    r = claims.set_index("claim_id").loc[cid]
    cat = refs[checks.CATALOGUE].set_index("metric")
    label = cat.at[r["metric"], "label"] if r["metric"] in cat.index else r["metric"]
    same = claims[claims["metric"] == r["metric"]]
    others = same[same["source_id"] != r["source_id"]]
    if others.empty:
        first = f"no other text states this quantity ({label.lower()})"
    else:
        periods = ", ".join(sorted(set(others["period"])))
        first = (f"{others['source_id'].nunique()} other text(s) state {label.lower()}, but for "
                 f"another period ({periods})")
    series = str(cat.at[r["metric"], "series"]) if r["metric"] in cat.index else ""
    if not series:
        second = "no reference series records it"
    else:
        second = (f"the reference series ({series.replace(';', ', ')}) has nothing for this "
                  "claim's period or reading")
    return f"{first}; {second}"


def run_all(claims: pd.DataFrame | None = None, refs=None, detail: bool = False) -> pd.DataFrame:
    """Every check, plus a ``no_check`` row for each claim no check judged."""
    if claims is None:
        from ..ledger import claims as load_claims
        claims = load_claims()
    refs = refs if isinstance(refs, Refs) else Refs(refs)
    frames = [c.run(claims=claims, refs=refs) for c in REGISTRY.values()]
    table = pd.concat(frames, ignore_index=True)
    covered = set(table["claim_id"])
    extra = [{"claim_id": cid, "check": NO_CHECK, "kind": "none", "verdict": NOT_CHECKABLE,
              "claimed": "", "computed": "", "reference": "",
              "note": uncovered_note(claims, cid, refs)}
             for cid in claims["claim_id"] if cid not in covered]
    if extra:
        table = pd.concat([table, pd.DataFrame(extra)], ignore_index=True)
    # 'claimed' for the uncovered rows, in the same words as the checks use
    ctx = checks.Ctx(NO_CHECK, "none", claims, refs)
    for i in table.index[table["check"] == NO_CHECK]:
        cid = table.at[i, "claim_id"]
        from .tolerance import claim_interval
        table.at[i, "claimed"] = (ctx.stated(cid) if ctx.c(cid)["unit"] == "date" else
                                  f"{ctx.stated(cid)} "
                                  f"(interval {checks.fmt_iv(claim_interval(ctx.c(cid)))})")
        table.at[i, "unit"] = ctx.c(cid)["unit"]
        table.at[i, "value"] = float(ctx.c(cid)["value"])
    table["computed_unit"] = table["computed_unit"].fillna("")
    order = {cid: i for i, cid in enumerate(claims["claim_id"])}
    check_order = {cid: i for i, cid in enumerate(list(REGISTRY) + [NO_CHECK])}
    table = (table.assign(_c=table["claim_id"].map(order), _k=table["check"].map(check_order))
             .sort_values(["_c", "_k"]).drop(columns=["_c", "_k"]).reset_index(drop=True))
    bad = set(table["verdict"]) - set(VERDICTS)
    if bad:
        raise ValueError(f"unknown verdicts {bad}")
    return table[COLUMNS + DETAIL] if detail else table[COLUMNS]


def verdict_table(claims: pd.DataFrame | None = None, refs=None, detail: bool = False) -> pd.DataFrame:
    """The verdict table of the project's data: the one ``make book`` wrote before any notebook
    ran (:func:`write_tables`), read back; computed afresh only when that file is missing or was
    made from other inputs.  With frames passed (tests), always computed from them."""
    if claims is None and refs is None:
        if detail not in _CACHE:
            _CACHE[detail] = read_table(detail)
        return _CACHE[detail].copy()
    return run_all(claims, refs, detail)


_CACHE: dict[bool, pd.DataFrame] = {}

# --- the table on disk: written once per build, read by every chapter ----------------------

TABLE = BUILD / "audit" / "verdicts.csv"
DETAIL_TABLE = BUILD / "audit" / "verdicts-detail.csv"
STAMP = BUILD / "audit" / "inputs.sha256"
CLAIMREVIEW = BUILD / "audit" / "claimreview.jsonld"
NUMERIC = ["value", "claimed_lo", "claimed_hi", "computed_value", "computed_lo", "computed_hi"]


def audit_code() -> list[Path]:
    """The code a verdict depends on: the audit's and the data layer's."""
    pkg = ROOT / "rjnumbers"
    return sorted((pkg / "audit").glob("*.py")) + [pkg / n for n in ("data.py", "ledger.py",
                                                                     "errors.py", "paths.py")]


def stamp_text(read: list[str] | None = None) -> str:
    """What a table under _build/audit was made from: the files it read (every data file when
    not recorded) and the audit's code, with one hash over them. A file it did not read (the
    forecast register, for the verdicts) can change without making the table stale."""
    files = sorted(read) if read is not None else [
        p.relative_to(ROOT).as_posix() for p in sorted(DATA.rglob("*")) if p.is_file()]
    sha = files_sha([ROOT / f for f in files] + audit_code())
    return json.dumps({"read": files, "sha256": sha}, indent=1) + "\n"


def stamp_holds(path: Path) -> bool:
    """Whether the stamp at ``path`` still describes the files it lists and the audit's code."""
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
        files = [ROOT / f for f in stamp["read"]]
        return all(f.is_file() for f in files) and \
            files_sha(files + audit_code()) == stamp["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return False


def is_current() -> bool:
    """Whether the verdict tables on disk were made from the current inputs."""
    return all(p.exists() for p in (TABLE, DETAIL_TABLE, CLAIMREVIEW)) and stamp_holds(STAMP)


def _write_if_changed(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return True


def write_tables(table: pd.DataFrame | None = None, read: list[str] | None = None) -> bool:
    """Write the verdict table (its detail, and each claim's verdict as ClaimReview JSON-LD)
    under _build/audit; True if any bytes changed. ``read``: the data files the table was
    computed from (:func:`rjnumbers.data.recording`), which the stamp lists; every data file
    when not given.

    Files whose bytes would not change are left alone, so a chapter that reads them re-executes
    only when a verdict really changed."""
    if table is None:
        with recording() as read:
            table = run_all(detail=True)
    changed = _write_if_changed(DETAIL_TABLE, to_csv_text(table))
    changed |= _write_if_changed(TABLE, to_csv_text(table[COLUMNS]))
    from . import claimreview
    changed |= _write_if_changed(CLAIMREVIEW, claimreview.to_text(claimreview.reviews(table)))
    _write_if_changed(STAMP, stamp_text(read))
    return changed


def _parse(path: Path, detail: bool) -> pd.DataFrame:
    cols = COLUMNS + DETAIL if detail else COLUMNS
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    for c in NUMERIC:
        if c in t.columns:
            t[c] = [float(x) if x else float("nan") for x in t[c]]
    return t[cols]


def read_table(detail: bool = False) -> pd.DataFrame:
    """The table ``make book`` wrote, if it was made from the current inputs; else computed."""
    from ..data import record_read
    path = DETAIL_TABLE if detail else TABLE
    if path.exists() and is_current():
        record_read(path)
        return _parse(path, detail)
    return run_all(detail=detail)


HOLDING = {HOLDS, WITHIN}


def per_claim(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per claim: its verdicts and the headline flags behind :func:`headline`."""
    table = verdict_table() if table is None else table
    v = table["verdict"]
    flags = pd.DataFrame({"claim_id": table["claim_id"], "checkable": v != NOT_CHECKABLE,
                          "unheld": (v != NOT_CHECKABLE) & ~v.isin(HOLDING),
                          "does_not_hold": v == NOT_HOLD, "sources_disagree": v == DISAGREE})
    anyof = flags.groupby("claim_id", sort=False).any()
    order = {name: i for i, name in enumerate(VERDICTS)}
    out = pd.DataFrame({
        "verdicts": table.groupby("claim_id", sort=False)["verdict"].agg(
            lambda s: ", ".join(sorted(set(s), key=order.__getitem__))),
        "checkable": anyof["checkable"],
        "holds": anyof["checkable"] & ~anyof["unheld"],
        "does_not_hold": anyof["does_not_hold"],
        "sources_disagree": anyof["sources_disagree"],
    })
    out.index.name = "claim_id"
    return out


#: words for a claim's overall verdict, the most serious first
OVERALL = [(NOT_HOLD, "does not hold"), (DISAGREE, "sources disagree"),
           (WITHIN, "holds within rounding"), (HOLDS, "holds"), (NOT_CHECKABLE, "not checkable")]


def claim_verdicts(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """One verdict per claim for readers. The record and the text's own arithmetic judge first:
    the most serious of those verdicts stands. Only a claim they cannot judge takes its verdict
    from the comparison with other texts (which says the texts differ, not which is wrong)."""
    table = verdict_table() if table is None else table
    t = table.reset_index(drop=True)
    severity = t["verdict"].map({v: i for i, (v, _) in enumerate(OVERALL)})
    own = t["kind"].isin(["reference", "arithmetic"]) & (t["verdict"] != NOT_CHECKABLE)
    has_own = own.groupby(t["claim_id"], sort=False).transform("any")
    pool = t.assign(severity=severity, order=range(len(t)))[(own | ~has_own) & severity.notna()]
    best = pool.sort_values(["severity", "order"], kind="stable").drop_duplicates("claim_id")
    first_seen = t.drop_duplicates("claim_id")["claim_id"]
    best = best.set_index("claim_id").reindex(first_seen[first_seen.isin(best["claim_id"])])
    words = dict(OVERALL)
    df = pd.DataFrame({"verdict": best["verdict"].map(words), "note": best["note"]})
    df.index.name = "claim_id"
    return df


def headline(table: pd.DataFrame | None = None) -> dict[str, int]:
    """The audit's headline figures (glued into the introduction).

    * ``audit_n_claims`` - claims in the verdict table (= the ledger);
    * ``audit_n_checkable`` - claims with at least one verdict other than not_checkable;
    * ``audit_n_unjudged``, ``audit_pct_unjudged`` - the others: claims that no check can judge
      (count, and share of the ledger in words);
    * ``audit_n_hold`` - checkable claims whose every checkable verdict is holds or
      holds_within_rounding (not_checkable rows are ignored);
    * ``audit_n_not_hold`` - claims with does_not_hold in any check;
    * ``audit_n_disagree`` - claims with sources_disagree in any check.
    """
    pc = per_claim(table)
    unjudged = int(len(pc) - pc["checkable"].sum())
    return {
        "audit_n_claims": int(len(pc)),
        "audit_n_checkable": int(pc["checkable"].sum()),
        "audit_n_unjudged": unjudged,
        "audit_pct_unjudged": f"{unjudged / len(pc) * 100:.0f} percent" if len(pc) else "0 percent",
        "audit_n_hold": int(pc["holds"].sum()),
        "audit_n_not_hold": int(pc["does_not_hold"].sum()),
        "audit_n_disagree": int(pc["sources_disagree"].sum()),
    }


def counts(table: pd.DataFrame | None = None) -> pd.Series:
    """Rows per verdict, in the fixed verdict order."""
    table = verdict_table() if table is None else table
    return table["verdict"].value_counts().reindex(VERDICTS, fill_value=0)


def checks_table() -> pd.DataFrame:
    """The check list: id, kind, title, claims, reference extracts used."""
    return pd.DataFrame([{"check": c.id, "kind": c.kind, "title": c.title,
                          "claims": ", ".join(c.claims), "n_claims": len(c.claims),
                          "uses": ", ".join(c.uses)} for c in REGISTRY.values()])


def to_csv_text(table: pd.DataFrame) -> str:
    return table.to_csv(index=False, lineterminator="\n")
