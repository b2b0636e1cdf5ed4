"""Each claim's verdict as schema.org ``ClaimReview`` JSON-LD, for machines that read fact checks.

One ``ClaimReview`` per claim of the ledger: the claim in our words (never the text's sentence),
the text it appears in (author, date, title, where it was published, as the bibliography has
them), and the claim's verdict for readers (:func:`rjnumbers.audit.verdicts.claim_verdicts`) as a
``Rating`` on a five-point scale with the verdict's words as its name.  A claim the audit cannot
check keeps its words and reason but no number.

The build writes the list to ``_build/audit/claimreview.jsonld`` with the verdict table; the
ledger page embeds it and the book publishes it under ``downloads/``.  No date of the build is
in it: the same data give the same bytes.
"""
from __future__ import annotations

import json

import pandas as pd

from .. import ledger

#: the verdict's words -> the rating (5 best); a claim that cannot be checked gets no number
RATING = {"holds": 5, "holds within rounding": 4, "sources disagree": 3, "does not hold": 1,
          "not checkable": None}
REVIEWER = {"@type": "Organization", "name": "Russia–Japan Relations in Numbers"}
LEDGER_PAGE = "01_claims.html"


def _authors(src: pd.Series) -> list[dict] | dict:
    if src["authors"]:
        people = []
        for person in src["authors"].split(";"):
            family, _, given = (p.strip() for p in person.partition(","))
            people.append({"@type": "Person", "name": f"{given} {family}".strip()})
        return people[0] if len(people) == 1 else people
    # an anonymous text: its publisher, where known, else the text's own title as its author
    name = src["publisher"] or src["container"] or src["title"]
    return {"@type": "Organization", "name": name}


def _appearance(src: pd.Series) -> dict:
    work = {"@type": "CreativeWork", "headline": src["title"], "datePublished": src["date"]}
    if src["url"]:
        work["url"] = src["url"]
    if src["container"]:
        work["isPartOf"] = {"@type": "CreativeWork", "name": src["container"]}
    if src["publisher"]:
        work["publisher"] = {"@type": "Organization", "name": src["publisher"]}
    return work


def reviews(table: pd.DataFrame | None = None, claims: pd.DataFrame | None = None,
            sources: pd.DataFrame | None = None) -> list[dict]:
    """One ClaimReview per claim, in ledger order."""
    from .verdicts import claim_verdicts
    claims = ledger.claims() if claims is None else claims
    sources = (ledger.sources() if sources is None else sources).set_index("source_id")
    verdicts = claim_verdicts(table)
    out = []
    for c in claims.itertuples():
        src = sources.loc[c.source_id]
        v = verdicts.loc[c.claim_id]
        rating = {"@type": "Rating", "alternateName": v["verdict"],
                  "ratingExplanation": str(v["note"])}
        if RATING[v["verdict"]] is not None:
            rating.update(ratingValue=RATING[v["verdict"]], bestRating=5, worstRating=1)
        out.append({
            "@type": "ClaimReview",
            "url": f"{LEDGER_PAGE}#claim-{c.claim_id}",
            "identifier": c.claim_id,
            "claimReviewed": c.paraphrase,
            "author": REVIEWER,
            "reviewRating": rating,
            "itemReviewed": {
                "@type": "Claim",
                "author": _authors(src),
                "datePublished": src["date"],
                "firstAppearance": _appearance(src),
            },
        })
    return out


def to_text(items: list[dict]) -> str:
    """The JSON-LD text: one graph of the reviews under the schema.org context, keys in a fixed
    order, UTF-8 as is, one review a line (same bytes for the same data)."""
    lines = [json.dumps(i, ensure_ascii=False, separators=(",", ":")) for i in items]
    return ('{"@context":"https://schema.org","@graph":[\n' + ",\n".join(lines) + "\n]}\n")


def graph(text: str) -> list[dict]:
    """The reviews of a JSON-LD text written by :func:`to_text`."""
    return json.loads(text)["@graph"]


def script_tag(text: str) -> str:
    """The JSON-LD as a ``<script>`` element for a page (``</`` escaped so that no claim can
    close the element early)."""
    return ('<script type="application/ld+json">' + text.replace("</", "<\\/") + "</script>")


def read_text() -> str:
    """The JSON-LD the build wrote (recorded as the reading chapter's input), or computed afresh
    where the build's copy is missing or was made from other inputs."""
    from ..data import record_read
    from .verdicts import CLAIMREVIEW, STAMP, inputs_stamp
    if CLAIMREVIEW.exists() and STAMP.exists() and STAMP.read_text().strip() == inputs_stamp():
        record_read(CLAIMREVIEW)
        return CLAIMREVIEW.read_text(encoding="utf-8")
    return to_text(reviews())
