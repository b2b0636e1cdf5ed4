"""How often Japan and Russia voted alike in the UN General Assembly, 1992–2019.

With Japan–United States and Russia–China for scale.  From Voeten's roll-call data as packaged
in the R package *unvotes* (``un_votes.rda``, ``un_roll_calls.rda``).

"Voted alike" means: on a recorded (roll-call) vote on which *both* countries cast a vote of
yes, no or abstain, both cast the same one.  Absences and non-participation are not in the
data (unvotes keeps only yes/no/abstain) and so never count either way.  An abstention against
a yes or a no counts as not alike (and not as opposite).
"""
from __future__ import annotations

import bz2
import lzma
import math
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from ._common import RawDataError, Spec, finish_table, quantize, raw_label, raw_root, require_file

NAME = "unga_agreement"
YEARS = range(1992, 2020)  # 2020 holds a single vote in these files
VOTES = "unvotes/un_votes.rda"
ROLL_CALLS = "unvotes/un_roll_calls.rda"
PAIRS = {
    "Japan-Russia": ("Japan", "Russia"),
    "Japan-United States": ("Japan", "United States"),
    "Russia-China": ("Russia", "China"),
}
COUNTRIES = sorted({c for pair in PAIRS.values() for c in pair})
VOTE_VALUES = ("yes", "no", "abstain")
COUNT = "roll calls"

DEFINITION = (
    "A roll call counts as 'voted alike' when both countries cast the same vote (yes/yes, "
    "no/no or abstain/abstain). Only roll calls on which both cast a vote of yes, no or abstain "
    "are counted (both_voted); absences and non-participation are excluded (the data hold no "
    "such records). Yes or no against an abstention is neither alike nor opposite. "
    "agreement_pct = same_vote / both_voted x 100. Year = calendar year of the vote date."
)

SPEC = Spec(
    name=NAME,
    filename=f"{NAME}.csv",
    title="UN General Assembly voting agreement: Japan–Russia, Japan–US, Russia–China, 1992–2019",
    description=(
        "Per calendar year, the share of UN General Assembly roll-call votes on which two "
        "countries voted alike, for Japan and Russia, and for scale Japan and the United States "
        "and Russia and China, with the counts behind each share. " + DEFINITION +
        " Roll calls only: resolutions adopted without a vote are not included, so agreement "
        "here is agreement on contested votes. Country names as in unvotes ('Russia' is the "
        "Russian Federation from 1992; 'China' is the People's Republic)."
    ),
    builder=__name__,
    raw_files=[VOTES, ROLL_CALLS],
    sources=[
        {
            "title": "Erik Voeten, United Nations General Assembly Voting Data (Harvard Dataverse)",
            "path": "https://dataverse.harvard.edu/dataset.xhtml?persistentId=hdl:1902.1/12379",
            "citation": "Erik Voeten, 'Data and Analyses of Voting in the UN General Assembly', in "
                        "Bob Reinalda (ed.), Routledge Handbook of International Organization "
                        "(Routledge, 2013); data: hdl:1902.1/12379",
        },
        {
            "title": "Copy used: R package unvotes (David Robinson), GitHub dgrtwo/unvotes, data/ "
                     "(commit 7eb7034)",
            "path": "https://github.com/dgrtwo/unvotes/tree/7eb7034314ff79c49c9e0785fcd9d216fa04cf14/data",
            "citation": "Robinson, D. unvotes: United Nations General Assembly Voting Data (R package)",
        },
    ],
    licenses=[
        {"name": "CC0-1.0", "title": "Creative Commons Zero v1.0 (Voeten data, Harvard Dataverse)",
         "path": "https://creativecommons.org/publicdomain/zero/1.0/"},
    ],
    producer="Erik Voeten (Georgetown University), with Anton Strezhnev and Michael Bailey; "
             "packaged for R by David Robinson (unvotes)",
    release="2021-03-09",
    release_note=("Publication date on CRAN of unvotes 0.3.0 "
                  "(https://CRAN.R-project.org/package=unvotes). The copied files come from the "
                  "package's GitHub commit 7eb7034 (DESCRIPTION version 0.2.0.9000), whose exact "
                  "relation to that release is not recorded; the last roll call in them is dated "
                  "2020-01-14."),
    fields=[
        {"name": "year", "type": "year", "unit": "calendar year",
         "description": "Calendar year of the roll-call votes (from un_roll_calls.date)",
         "constraints": {"required": True, "minimum": YEARS.start, "maximum": YEARS.stop - 1}},
        {"name": "pair", "type": "string", "unit": "label",
         "description": "The two countries compared, 'country_a-country_b'",
         "constraints": {"required": True, "enum": list(PAIRS)}},
        {"name": "country_a", "type": "string", "unit": "country name (unvotes)",
         "description": "First country of the pair", "constraints": {"required": True, "enum": COUNTRIES}},
        {"name": "country_b", "type": "string", "unit": "country name (unvotes)",
         "description": "Second country of the pair", "constraints": {"required": True, "enum": COUNTRIES}},
        {"name": "roll_calls", "type": "integer", "unit": COUNT,
         "description": "Roll-call votes held in the General Assembly that year (un_roll_calls)",
         "constraints": {"required": True, "minimum": 1}},
        {"name": "both_voted", "type": "integer", "unit": COUNT,
         "description": "Roll calls on which both countries cast yes, no or abstain",
         "constraints": {"required": True, "minimum": 1}},
        {"name": "same_vote", "type": "integer", "unit": COUNT,
         "description": "Of both_voted: roll calls on which both cast the same vote",
         "constraints": {"required": True, "minimum": 0}},
        {"name": "opposite_vote", "type": "integer", "unit": COUNT,
         "description": "Of both_voted: roll calls on which one voted yes and the other no",
         "constraints": {"required": True, "minimum": 0}},
        {"name": "agreement_pct", "type": "number", "unit": "percent",
         "description": "same_vote / both_voted x 100 ('voted alike'). " + DEFINITION,
         "constraints": {"required": True, "minimum": 0, "maximum": 100}},
    ],
    primary_key=["year", "pair"],
    decimals={"agreement_pct": 2},
    expected_rows=len(YEARS) * len(PAIRS),
)


def check_container(path: Path, label: str) -> None:
    """Decompress the whole .rda stream once: a truncated file fails here, by name.

    (librdata happily reads an .rda whose compressed stream lost its last bytes.)
    """
    data = path.read_bytes()
    magic = data[:6]
    if magic.startswith(b"BZh"):
        dec, kind = bz2.BZ2Decompressor(), "bzip2"
    elif magic.startswith(b"\x1f\x8b"):
        dec, kind = zlib.decompressobj(wbits=31), "gzip"
    elif magic.startswith(b"\xfd7zXZ\x00"):
        dec, kind = lzma.LZMADecompressor(), "xz"
    elif magic[:5] in (b"RDX2\n", b"RDX3\n"):
        return
    else:
        raise RawDataError(label, f"not an R data file (starts with {magic!r})")
    try:
        head = dec.decompress(data)
    except (OSError, EOFError, ValueError, lzma.LZMAError, zlib.error) as exc:
        raise RawDataError(label, f"{kind} stream is corrupt ({exc})") from None
    if not dec.eof:
        raise RawDataError(label, f"{kind} stream ends early: the file is truncated")
    if head[:5] not in (b"RDX2\n", b"RDX3\n"):
        raise RawDataError(label, "decompressed content is not R data (no RDX2/RDX3 header)")


def _read_rda(path: Path, label: str, obj: str, columns: list[str]) -> pd.DataFrame:
    require_file(path, label)
    check_container(path, label)
    try:
        import pyreadr
        result = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr/librdata raise their own types on damaged files
        raise RawDataError(label, f"cannot be read as an R data file (truncated or corrupt? "
                           f"{type(exc).__name__}: {exc})") from None
    if obj not in result:
        raise RawDataError(label, f"holds no data frame named {obj!r} (found {list(result)})")
    df = result[obj]
    for c in columns:
        if c not in df.columns:
            raise RawDataError(label, f"data frame {obj!r} has no column {c!r}", column=c)
    return df.reset_index(drop=True)


def _first(mask) -> int | None:
    hits = np.flatnonzero(np.asarray(mask, dtype=bool))
    return int(hits[0]) if len(hits) else None


def _check_ids(df: pd.DataFrame, label: str) -> pd.Series:
    rcid = pd.to_numeric(df["rcid"], errors="coerce")
    bad = _first(rcid.isna() | ~np.isfinite(rcid.fillna(0)) | (rcid % 1 != 0) | (rcid <= 0))
    if bad is not None:
        raise RawDataError(label, f"roll-call id {df['rcid'].iloc[bad]!r} is not a positive whole "
                           "number", row=bad + 1, column="rcid")
    return rcid.astype("int64")


def read_votes(path: Path, label: str) -> pd.DataFrame:
    df = _read_rda(path, label, "un_votes", ["rcid", "country", "vote"])
    rcid = _check_ids(df, label)
    country = df["country"].astype("object")
    bad = _first(country.isna() | (country.astype(str).str.strip() == ""))
    if bad is not None:
        raise RawDataError(label, "country is empty", row=bad + 1, column="country")
    vote = df["vote"].astype("object")
    bad = _first(~vote.isin(VOTE_VALUES))
    if bad is not None:
        raise RawDataError(label, f"vote {vote.iloc[bad]!r} is not one of {', '.join(VOTE_VALUES)}",
                           row=bad + 1, column="vote")
    out = pd.DataFrame({"rcid": rcid, "country": country.astype(str), "vote": vote.astype(str)})
    dup = out.duplicated(["rcid", "country"], keep="first")
    bad = _first(dup)
    if bad is not None:
        raise RawDataError(label, f"second vote of {out['country'].iloc[bad]!r} on roll call "
                           f"{out['rcid'].iloc[bad]}", row=bad + 1, column="rcid")
    for c in COUNTRIES:
        if not (out["country"] == c).any():
            raise RawDataError(label, f"no votes for {c!r} (country names changed?)", column="country")
    out["row"] = np.arange(1, len(out) + 1)
    return out[out["country"].isin(COUNTRIES)]


def read_roll_calls(path: Path, label: str) -> pd.DataFrame:
    df = _read_rda(path, label, "un_roll_calls", ["rcid", "date"])
    rcid = _check_ids(df, label)
    bad = _first(rcid.duplicated())
    if bad is not None:
        raise RawDataError(label, f"roll call {rcid.iloc[bad]} appears twice", row=bad + 1, column="rcid")
    dates = pd.to_datetime(df["date"].astype("object"), errors="coerce", format="mixed")
    bad = _first(dates.isna())
    if bad is not None:
        raise RawDataError(label, f"date {df['date'].iloc[bad]!r} is not a date", row=bad + 1, column="date")
    years = dates.dt.year
    bad = _first((years < 1946) | (years > 2030))
    if bad is not None:
        raise RawDataError(label, f"date {df['date'].iloc[bad]!r} is outside 1946-2030",
                           row=bad + 1, column="date")
    return pd.DataFrame({"rcid": rcid, "year": years.astype("int64")})


def read(raw_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    vp, rp = raw_dir / VOTES, raw_dir / ROLL_CALLS
    votes = read_votes(vp, raw_label(vp, raw_dir))
    calls = read_roll_calls(rp, raw_label(rp, raw_dir))
    unknown = ~votes["rcid"].isin(calls["rcid"])
    if unknown.any():
        r = votes[unknown].iloc[0]
        raise RawDataError(raw_label(vp, raw_dir), f"roll call {r['rcid']} is not in "
                           f"{raw_label(rp, raw_dir)}", row=int(r["row"]), column="rcid")
    return votes, calls


def transform(votes: pd.DataFrame, calls: pd.DataFrame) -> list[dict]:
    calls = calls[calls["year"].isin(list(YEARS))]
    wide = votes.pivot(index="rcid", columns="country", values="vote")
    wide = calls.set_index("rcid").join(wide, how="left")
    held = calls.groupby("year")["rcid"].nunique()
    rows = []
    for pair, (a, b) in PAIRS.items():
        va, vb = wide[a], wide[b]
        both = va.notna() & vb.notna()
        same = both & (va == vb)
        opposite = both & (((va == "yes") & (vb == "no")) | ((va == "no") & (vb == "yes")))
        stats = pd.DataFrame({"year": wide["year"], "both": both, "same": same, "opp": opposite})
        g = stats.groupby("year").sum()
        for y in YEARS:
            n_both = int(g.at[y, "both"]) if y in g.index else 0
            n_same = int(g.at[y, "same"]) if y in g.index else 0
            rows.append({
                "year": y, "pair": pair, "country_a": a, "country_b": b,
                "roll_calls": int(held.get(y, 0)), "both_voted": n_both, "same_vote": n_same,
                "opposite_vote": int(g.at[y, "opp"]) if y in g.index else 0,
                # Decimal arithmetic keeps the rounding identical on every platform
                "agreement_pct": quantize(quantize(n_same, 0) * 100 / n_both, 2) if n_both else None,
            })
    return rows


def validate(df: pd.DataFrame, label: str) -> None:
    for i, r in enumerate(df.itertuples(index=False), start=1):
        if PAIRS.get(r.pair) != (r.country_a, r.country_b):
            raise DataError(label, f"pair {r.pair!r} does not match {r.country_a}/{r.country_b}",
                            row=i, column="pair")
        if not r.both_voted <= r.roll_calls:
            raise DataError(label, "both_voted exceeds roll_calls", row=i, column="both_voted")
        if r.same_vote + r.opposite_vote > r.both_voted:
            raise DataError(label, "same_vote + opposite_vote exceeds both_voted", row=i,
                            column="same_vote")
        expected = 100 * r.same_vote / r.both_voted
        if not math.isclose(r.agreement_pct, expected, abs_tol=0.006):
            raise DataError(label, f"agreement_pct {r.agreement_pct} != 100 x same_vote / "
                            f"both_voted ({expected:.3f})", row=i, column="agreement_pct")
    for pair in PAIRS:
        got = sorted(int(y) for y in df.loc[df["pair"] == pair, "year"])
        if got != list(YEARS):
            raise DataError(label, f"{pair} does not cover {YEARS.start}-{YEARS.stop - 1}",
                            column="year")
    per_year = df.groupby("year")["roll_calls"].nunique()
    if (per_year > 1).any():
        y = int(per_year[per_year > 1].index[0])
        raise DataError(label, f"roll_calls differs between pairs in {y}", column="roll_calls")


def build(out_dir: Path | None = None, raw_dir: Path | None = None) -> dict:
    raw_dir = raw_root(raw_dir)
    votes, calls = read(raw_dir)
    return finish_table(SPEC, transform(votes, calls), out_dir, raw_dir, validate)
