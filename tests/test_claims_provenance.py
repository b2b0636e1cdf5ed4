"""From any number in the book back to the sentence it came from: the ledger's provenance."""
from __future__ import annotations

import re

import pytest

from rjnumbers import ledger, validate
from rjnumbers.errors import DataError


@pytest.fixture(scope="module")
def claims():
    return ledger.claims()


@pytest.fixture(scope="module")
def sources():
    return ledger.sources()


def test_every_token_stands_on_its_line(claims, sources, seeds):
    seed_of = dict(zip(sources["source_id"], sources["seed_file"]))
    bad = []
    for _, c in claims.iterrows():
        lines = seeds[seed_of[c["source_id"]]]["lines"]
        loc = int(c["locator"])
        if loc > len(lines) or c["token"] not in lines[loc - 1]:
            bad.append(f"{c['claim_id']}: {c['token']!r} not on non-empty line {loc}")
    assert not bad, "\n".join(bad)


def test_every_seed_file_is_a_source(sources, seeds):
    assert sorted(sources["seed_file"]) == sorted(seeds)


def test_word_counts_match_the_texts(sources, seeds):
    for _, s in sources.iterrows():
        assert int(s["words"]) == len(seeds[s["seed_file"]]["text"].split()), s["source_id"]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def test_paraphrases_do_not_copy_the_source(claims, sources, seeds):
    """No run of six consecutive words of a paraphrase appears in its source text."""
    seed_of = dict(zip(sources["source_id"], sources["seed_file"]))
    shingles = {}
    for sid, seed in seed_of.items():
        w = _words(seeds[seed]["text"])
        shingles[sid] = {tuple(w[i:i + 6]) for i in range(len(w) - 5)}
    copied = []
    for _, c in claims.iterrows():
        w = _words(c["paraphrase"])
        runs = [tuple(w[i:i + 6]) for i in range(len(w) - 5)]
        hits = [r for r in runs if r in shingles[c["source_id"]]]
        if hits:
            copied.append(f"{c['claim_id']}: '{' '.join(hits[0])}'")
    assert not copied, "paraphrases that copy six words in a row:\n" + "\n".join(copied)


def test_claim_ids_follow_their_source(claims):
    assert (claims["claim_id"].str.split("-").str[0] == claims["source_id"]).all()


def test_ranges_have_a_high_value_and_only_ranges(claims):
    is_range = claims["qualifier"] == "range"
    assert claims.loc[is_range, "value_high"].notna().all()
    assert claims.loc[~is_range, "value_high"].isna().all()
    assert (claims.loc[is_range, "value_high"] > claims.loc[is_range, "value"]).all()


def test_percentages_are_within_0_and_100(claims):
    pct = claims[claims["unit"] == "percent"]
    assert pct["value"].between(0, 100).all(), pct[~pct["value"].between(0, 100)]


def test_numeric_tokens_agree_with_values(claims):
    """Where the token is a plain figure, the value is that figure (decimal comma aware),
    possibly scaled by a power of ten; a mismatch must be explained in text_issue."""
    # the rule is the build's own (rjnumbers.validate), so the build and this test cannot drift
    bad = [f"{c['claim_id']}: token {c['token']!r} vs value {c['value']}"
           for _, c in claims.iterrows()
           if c["kind"] != "date" and not c["text_issue"]
           and not validate.value_matches_token(c["value"], c["token"], c["unit"])]
    assert not bad, "\n".join(bad)


def test_dated_events_keep_their_years(claims):
    """A dated event's value is the year its period starts in, and a year its token prints
    lies in that period (the build's own rule: 'in June 2018' cannot be filed under 2019)."""
    dated = claims[claims["kind"] == "date"]
    assert len(dated) > 50
    for row, c in enumerate(dated.itertuples(index=False), start=1):
        validate.check_date_claim(row, c)
    c = dated.iloc[0].copy()
    c["period"] = str(int(c["value"]) + 1)
    c["token"] = f"in {int(c['value'])}"
    with pytest.raises(DataError):
        validate.check_date_claim(1, c)
