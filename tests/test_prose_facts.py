"""Figures the prose quotes about particular claims (data/prose_facts.csv): each is glued by its
chapter, computed from the ledger and the verdict table, and a bad row stops with its row and
column before any chapter runs."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from rjnumbers import ledger
from rjnumbers.audit import checks, prose
from rjnumbers.audit.verdicts import verdict_table
from rjnumbers.data import load
from rjnumbers.errors import DataError
from rjnumbers.paths import ROOT


@pytest.fixture(scope="module")
def rows():
    return load("prose_facts")


@pytest.fixture(scope="module")
def claims():
    return ledger.claims()


def test_every_prose_fact_is_glued_in_its_chapter_and_nowhere_else(rows):
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "notebooks").glob("*.md")}
    for r in rows.itertuples():
        # used in prose ({glue:text}`key`) or in a chart's title or alt text (F['key'])
        where = [name for name, text in texts.items()
                 if f"`{r.glue_key}`" in text or f"F['{r.glue_key}']" in text]
        assert where == [r.chapter], f"{r.glue_key} is glued in {where}, not in {r.chapter}"


def test_tokens_are_the_ledger_tokens_and_numbers_the_verdict_tables(rows, claims):
    t = verdict_table(detail=True)
    cl = claims.set_index("claim_id")
    for chapter in sorted(set(rows["chapter"])):
        got = prose.facts(chapter, t, claims)
        for r in rows[rows["chapter"] == chapter].itertuples():
            m = re.fullmatch(r"token\('([^']+)'\)", r.expression)
            if m:
                assert got[r.glue_key] == cl.loc[m.group(1), "token"]
            m = re.fullmatch(r"computed\('([a-z_]+)', '([^']+)'\)", r.expression)
            if m:
                v = t[(t["check"] == m.group(1)) & (t["claim_id"] == m.group(2))]
                assert got[r.glue_key] == r.format.format(float(v["computed_value"].iloc[0]))
    # a pair fills both places of its format: the low end is below the high end
    lo, hi = re.findall(r"[\d.]+", prose.facts("02_arithmetic", t, claims)["a02_g17_range"])
    assert float(lo) < float(hi)


def _bad(rows, **change) -> pd.DataFrame:
    bad = rows.copy()
    for col, value in change.items():
        bad.loc[bad.index[2], col] = value
    return bad


@pytest.mark.parametrize("change, column, words", [
    ({"expression": "value('nobody2099-001')"}, "expression", "not a claim_id"),
    ({"expression": "__import__('os').getcwd()"}, "expression", "not one of the functions"),
    ({"expression": "value('kireeva2019-252').real"}, "expression", "not allowed"),
    ({"expression": "value(kireeva2019)"}, "expression", "quoted ids"),
    ({"expression": "computed('no_such_check', 'kireeva2019-252')"}, "expression",
     "not a check"),
    ({"expression": "fact('moon_landing')"}, "expression", "not a fact_id"),
    ({"expression": "value('kireeva2019-252'"}, "expression", "does not parse"),
    ({"format": "{:.1f} to {:.1f}%"}, "format", "2 place(s) for 1 value"),
    ({"format": "{:.1q}"}, "format", "not a format"),
])
def test_a_bad_row_is_refused_with_its_row_and_column(rows, claims, change, column, words):
    facts = load("outside_facts")
    prose.check_rows(rows, claims, set(checks.REGISTRY), set(facts["fact_id"]))  # as it stands
    with pytest.raises(DataError) as err:
        prose.check_rows(_bad(rows, **change), claims, set(checks.REGISTRY),
                         set(facts["fact_id"]))
    assert (err.value.file, err.value.row, err.value.column) == ("data/prose_facts.csv", 3, column)
    assert words in err.value.detail


def test_a_verdict_in_prose_is_the_verdict_tables(rows, claims):
    from rjnumbers.audit.verdicts import claim_verdicts
    t = verdict_table(detail=True)
    words = claim_verdicts(t)["verdict"]
    seen = 0
    for chapter in sorted(set(rows["chapter"])):
        got = prose.facts(chapter, t, claims)
        for r in rows[rows["chapter"] == chapter].itertuples():
            m = re.fullmatch(r"verdict\('([^']+)'\)", r.expression)
            if m:
                assert got[r.glue_key] == words[m.group(1)]
                seen += 1
    assert seen >= 5


@pytest.mark.parametrize("n, text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (10, "10th"),
                                     (11, "11th"), (12, "12th"), (13, "13th"), (22, "22nd"),
                                     (111, "111th")])
def test_ordinals(n, text):
    assert checks.ordinal(n) == text      # the one ordinal, which the prose facts use


def test_as_said_reads_the_qualifier_into_the_number(rows, claims):
    """as_said() says a value the way the text qualifies it ('about 150'), and adds nothing to
    an exact one: every as_said fact is the qualifier's words before the ledger's value."""
    words = {"about": "about ", "more_than": "more than ", "exact": "", "range": ""}
    t = verdict_table(detail=True)
    cl = claims.set_index("claim_id")
    seen = set()
    for r in rows[rows["expression"].str.startswith("as_said(")].itertuples():
        cid = re.fullmatch(r"as_said\('([^']+)'\)", r.expression).group(1)
        q = cl.loc[cid, "qualifier"]
        assert prose.facts(r.chapter, t, claims)[r.glue_key] == words[q] + ledger.format_value(cl.loc[cid])
        seen.add(q)
    assert {"exact"} < seen, f"the as_said facts test too few qualifiers: {seen}"
