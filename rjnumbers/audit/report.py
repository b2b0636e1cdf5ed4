"""Tables of the audit chapters: verdict rows as HTML with claim links, the shared metrics."""
from __future__ import annotations

import html

import pandas as pd

from .. import style
from ..data import load
from ..ledger import claims as load_claims
from ..ledger import metric_labels, shared_metrics, short_label
from . import checks, prose
from .figures import opinion_comparisons
from .tolerance import VERDICTS
from .verdicts import verdict_table

VERDICT_LABEL = {"holds": "holds", "holds_within_rounding": "holds within rounding",
                 "does_not_hold": "does not hold", "sources_disagree": "sources disagree",
                 "not_checkable": "not checkable"}


def check_label(check_id: str) -> str:
    """What a check tests, in words (its title in the registry), for a reader's table."""
    c = checks.REGISTRY.get(check_id)
    return c.title if c else check_id.replace("_", " ")


def rows(kind: str | None = None, check_ids=None, verdicts=None,
         table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Verdict rows filtered by kind, check ids and/or verdicts (in the table's order)."""
    t = verdict_table() if table is None else table
    if kind:
        t = t[t["kind"] == kind]
    if check_ids is not None:
        t = t[t["check"].isin(list(check_ids))]
    if verdicts is not None:
        t = t[t["verdict"].isin(list(verdicts))]
    return t.reset_index(drop=True)


def to_html(t: pd.DataFrame, columns=("claim_id", "verdict", "claimed", "computed",
                                       "note")) -> str:
    """Verdict rows as a sortable HTML table; claim ids link to the ledger. The check is not a
    column: :func:`to_html_by_check` names it once above its rows."""
    head = {"claim_id": "Claim", "kind": "Kind", "verdict": "Verdict",
            "claimed": "Claimed (interval at stated precision)", "computed": "Computed",
            "reference": "Compared with", "note": "Note (generated)"}
    out = []
    for _, r in t.iterrows():
        cells = []
        for c in columns:
            if c == "claim_id":
                cells.append(f"<td>{style.claim_links([r[c]])}</td>")
            elif c == "verdict":
                cells.append(f'<td data-sort="{VERDICTS.index(r[c])}">'
                             f'{html.escape(VERDICT_LABEL[r[c]])}</td>')
            else:
                cells.append(f"<td>{html.escape(str(r[c]))}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    header = "".join(f'<th scope="col">{html.escape(head[c])}</th>' for c in columns)
    return ('<div class="rj-scroll"><table class="rj-sortable rj-table">'
            f"<thead><tr>{header}</tr></thead><tbody>{''.join(out)}</tbody></table></div>")


def to_html_by_check(t: pd.DataFrame, columns=("claim_id", "verdict", "claimed", "computed",
                                               "note")) -> str:
    """Verdict rows as one table per check, in the registry's order, each under a line that
    says what the check tests (named once, not on every row)."""
    out = []
    for cid in [c for c in checks.REGISTRY if c in set(t["check"])]:
        g = t[t["check"] == cid]
        out.append(f'<p class="rj-check-title"><strong>{html.escape(check_label(cid))}</strong>'
                   f" ({len(g)} verdict{'s' if len(g) != 1 else ''})</p>" + to_html(g, columns))
    return "".join(out)


def checks_html(kind: str) -> str:
    """The checks of one kind: id, what it tests, the claims it judges."""
    t = pd.DataFrame([{"check": c.id, "title": c.title, "claims": c.claims,
                       "uses": ", ".join(c.uses)} for c in checks.REGISTRY.values()
                      if c.kind == kind])
    body = "".join(f'<tr id="check-{html.escape(r.check)}"><td>{html.escape(r.title)}</td>'
                   f"<td>{style.claim_links(r.claims)}</td></tr>" for r in t.itertuples())
    return ('<div class="rj-scroll"><table class="rj-table"><thead><tr>'
            '<th scope="col">What the check tests</th><th scope="col">Claims judged</th></tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def shared_side_by_side(table: pd.DataFrame | None = None,
                        claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every metric stated by more than one text: each claim with its cross-source verdict."""
    t = verdict_table() if table is None else table
    claims = load_claims() if claims is None else claims
    sm = shared_metrics(claims)
    cs = t[t["kind"] == "cross_source"][["claim_id", "check", "verdict", "note"]]
    out = sm.merge(cs, on="claim_id", how="left")
    out["check"] = out["check"].fillna("")
    out["verdict"] = out["verdict"].fillna("")
    out["note"] = out["note"].fillna("")
    return out[["metric", "source_id", "claim_id", "token", "value", "unit", "period", "check",
                "verdict", "note"]]


def side_by_side_html(df: pd.DataFrame) -> str:
    body = []
    labels = metric_labels()
    for metric, g in df.groupby("metric", sort=True):
        first = True
        for r in g.itertuples():
            cells = ([f'<td rowspan="{len(g)}"><strong>{html.escape(labels[metric])}'
                      '</strong></td>'] if first else [])
            first = False
            cells += [f"<td>{html.escape(short_label(r.source_id))}</td>",
                      f"<td>{style.claim_links([r.claim_id])}</td>",
                      f"<td>{html.escape(r.token)}</td>",
                      f"<td>{html.escape(str(r.period))}</td>",
                      f"<td>{html.escape(check_label(r.check) if r.check else '')}</td>",
                      f"<td>{html.escape(VERDICT_LABEL.get(r.verdict, r.verdict))}</td>",
                      f"<td>{html.escape(r.note)}</td>"]
            body.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f'<th scope="col">{h}</th>' for h in
                   ("Metric", "Text", "Claim", "As written", "Period", "Check", "Verdict",
                    "Gap and likely reason (generated)"))
    return ('<div class="rj-scroll"><table class="rj-table">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")


def download(table: pd.DataFrame | None = None, name: str = "verdicts.csv") -> str:
    """A link to one of the audit's tables, which the book publishes under downloads/ (too big
    to carry inside a page)."""
    t = verdict_table() if table is None else table
    return (f'<a class="rj-download" download="{name}" href="../downloads/{name}">'
            f"Download the whole verdict table ({name}, {len(t)} rows, "
            f"{t['claim_id'].nunique()} claims)</a>")


# --- figures for the prose (glued; every number in a chapter's text comes from here) -----------

def _pct(x: float, d: int = 1) -> str:
    return f"{x:.{d}f}%"


#: the checks of a stated span against its own period or the year it names (chapter 2)
SPAN_CHECKS = ("period_span", "years_since")


def _n_verdict(t: pd.DataFrame, verdict: str) -> int:
    return int((t["verdict"] == verdict).sum())


def facts_arithmetic(table: pd.DataFrame | None = None) -> dict[str, object]:
    from .verdicts import headline
    t = verdict_table(detail=True) if table is None else table
    a = t[t["kind"] == "arithmetic"]
    pu = t[t["check"] == "share_of_count"]
    out = dict(headline(t))
    out.update({
        "a02_n_checks": sum(c.kind == "arithmetic" for c in checks.REGISTRY.values()),
        "a02_n_rows": len(a), "a02_n_claims": a["claim_id"].nunique(),
        "a02_n_hold": _n_verdict(a, "holds"), "a02_n_within": _n_verdict(a, "holds_within_rounding"),
        "a02_n_not": _n_verdict(a, "does_not_hold"), "a02_n_implied": _n_verdict(a, "not_checkable"),
        "a02_n_poll_sets": len(checks.answer_sets()),
        "a02_pu_early": f"{pu['computed_value'].iloc[0]:.0f}",
        "a02_pu_late": f"{pu['computed_value'].iloc[-1]:.0f}",
        "a02_n_spans": int(t["check"].isin(SPAN_CHECKS).sum()),
        "a02_n_spans_hold": _n_verdict(t[t["check"].isin(SPAN_CHECKS)], "holds"),
        "a02_ww2": int(fact("ww2_end")),
        **prose.facts("02_arithmetic", t, load_claims()),
    })
    return out


def fact(fact_id: str) -> float:
    """An outside fact's value (data/reference/outside_facts.csv)."""
    return float(load("outside_facts").set_index("fact_id").at[fact_id, "value"])


def _group_verdicts(t: pd.DataFrame, kind: str) -> pd.Series:
    sub = t[t["kind"] == kind].copy()
    sub["group"] = [checks.group_key(r) for _, r in sub.iterrows()]
    return sub.drop_duplicates("group").set_index("group")["verdict"]


def facts_disagreements(table: pd.DataFrame | None = None) -> dict[str, object]:
    t = verdict_table(detail=True) if table is None else table
    claims = load_claims()
    gv = _group_verdicts(t, "cross_source")
    imf = load_imf_2013()
    shared = shared_metrics(claims)
    compared = set(t.loc[t["kind"] == "cross_source", "claim_id"])
    uncompared = sorted(m for m, ids in shared.groupby("metric")["claim_id"]
                        if not ids.isin(compared).any())
    labels = metric_labels()
    polls = opinion_comparisons().drop_duplicates("check")["verdict"]
    return {
        "a03_n_poll_pairs": len(polls),
        "a03_n_poll_same": int((polls == "holds").sum()),
        "a03_n_poll_within": int((polls == "holds_within_rounding").sum()),
        "a03_n_poll_disagree": int((polls == "sources_disagree").sum()),
        "a03_n_metrics": shared["metric"].nunique(),
        "a03_n_claims": len(shared),
        "a03_n_checks": len(gv),
        "a03_n_hold": int((gv == "holds").sum()),
        "a03_n_within": int((gv == "holds_within_rounding").sum()),
        "a03_n_disagree": int((gv == "sources_disagree").sum()),
        "a03_n_nc": int((gv == "not_checkable").sum()),
        "a03_n_uncompared": len(uncompared),
        "a03_uncompared": "; ".join(labels[m] for m in uncompared),
        "a03_ru13": f"{imf['Russia']:.2f} billion dollars", "a03_jp13": f"{imf['Japan']:.2f} billion dollars",
        "a03_rate": f"{fact('eur_usd_2016')}",
        **prose.facts("03_disagreements", t, claims),
    }


def load_imf_2013() -> pd.Series:
    t = load("trade_japan_russia")
    return t[t["year"] == 2013].set_index("reporter")["total_usd_mn"] / 1000


def facts_record(table: pd.DataFrame | None = None) -> dict[str, object]:
    t = verdict_table(detail=True) if table is None else table
    r = t[t["kind"] == "reference"]
    tot = r[r["check"] == "reporter_total"]
    gro = r[r["check"] == "reporter_growth"]
    pol = r[r["check"] == "poll_result"]
    return {
        "a04_n_checks": sum(c.kind == "reference" for c in checks.REGISTRY.values()),
        "a04_n_rows": len(r), "a04_n_claims": r["claim_id"].nunique(),
        "a04_n_hold": _n_verdict(r, "holds"), "a04_n_not": _n_verdict(r, "does_not_hold"),
        "a04_n_nc": _n_verdict(r, "not_checkable"),
        "a04_tot_n": len(tot), "a04_tot_hold": _n_verdict(tot, "holds"),
        "a04_gro_n": len(gro), "a04_gro_hold": _n_verdict(gro, "holds"),
        "a04_pol_hold": _n_verdict(pol, "holds"), "a04_pol_nc": _n_verdict(pol, "not_checkable"),
        "a04_pol_not": _n_verdict(pol, "does_not_hold"),
        "a04_pol_not_ids": ", ".join(pol.loc[pol["verdict"] == "does_not_hold", "claim_id"]),
        "a04_n_all": len(t), "a04_n_claims_all": t["claim_id"].nunique(),
        "a04_band": f"{checks.compilation_band(checks._ctx())[0]:.2f}%",
        "a04_n_rules": len(checks.REGISTRY),
        "a04_n_metrics": len(load("metrics")),
        "a04_n_readings": len(load("claim_readings")),
        **prose.facts("04_record", t, load_claims()),
        **facts_chronology(t),
    }


def facts_chronology(t: pd.DataFrame) -> dict[str, object]:
    """The dated claims against the chronology, and what the chronology holds."""
    d = t[t["check"] == "event_date"]
    ev = load("events")
    cl = load_claims()
    rec = cl[cl["theme"] == "record"]
    other = rec[rec["kind"] != "date"]
    judged = t[t["claim_id"].isin(other["claim_id"])].groupby("claim_id")["verdict"].apply(set)
    only_nc = int(sum(v == {"not_checkable"} for v in judged))
    return {
        "a04_dates_n": len(d), "a04_dates_ok": _n_verdict(d, "holds"),
        "a04_dates_off": _n_verdict(d, "does_not_hold"),
        "a04_events_n": len(ev), "a04_events_primary": int((ev["reliability"] == "primary").sum()),
        "a04_events_secondary": int((ev["reliability"] == "secondary").sum()),
        "a04_events_first": str(ev["date"].min())[:4], "a04_events_last": str(ev["date"].max())[:4],
        "a04_record_n": len(rec), "a04_record_dates": int((rec["kind"] == "date").sum()),
        "a04_record_other": int((rec["kind"] != "date").sum()),
        "a04_record_nc": only_nc,
    }


def claims_with_verdicts_html(claims: pd.DataFrame, table: pd.DataFrame | None = None) -> str:
    """Claims as a table with their verdicts (one line per check), claim ids linking to the
    ledger: token as printed, our paraphrase, verdict and the audit's note."""
    t = verdict_table(detail=False) if table is None else table
    t = t[t["claim_id"].isin(claims["claim_id"])].merge(
        claims[["claim_id", "token", "paraphrase"]], on="claim_id")
    head = ["Claim", "As printed", "What the text says (our words)", "Verdict", "Why"]
    out = []
    for _, r in t.iterrows():
        out.append("<tr>" + "".join([
            f"<td>{style.claim_links([r['claim_id']])}</td>",
            f"<td>{html.escape(r['token'])}</td>", f"<td>{html.escape(r['paraphrase'])}</td>",
            f'<td data-sort="{VERDICTS.index(r["verdict"])}">{html.escape(VERDICT_LABEL[r["verdict"]])}</td>',
            f"<td>{html.escape(str(r['note']))}</td>"]) + "</tr>")
    header = "".join(f'<th scope="col">{h}</th>' for h in head)
    return ('<div class="rj-scroll"><table class="rj-sortable rj-table">'
            f"<thead><tr>{header}</tr></thead><tbody>{''.join(out)}</tbody></table></div>")
