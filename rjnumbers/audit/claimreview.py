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
#: the graph names each text, its authors and the reviewer once (``@id``); reviews point to them
LEDGER_PAGE = "01_claims.html"


def _authors(sid: str, src: pd.Series) -> list[dict]:
    """The author nodes of one text (persons, or for an anonymous text its publisher)."""
    if src["authors"]:
        people = []
        for i, person in enumerate(src["authors"].split(";"), start=1):
            family, _, given = (p.strip() for p in person.partition(","))
            people.append({"@id": f"#author-{sid}-{i}", "@type": "Person",
                           "name": f"{given} {family}".strip()})
        return people
    name = src["publisher"] or src["container"] or src["title"]
    return [{"@id": f"#author-{sid}-1", "@type": "Organization", "name": name}]


def _ref(nodes: list[dict]) -> dict | list[dict]:
    refs = [{"@id": n["@id"]} for n in nodes]
    return refs[0] if len(refs) == 1 else refs


def _work(sid: str, src: pd.Series, authors: list[dict]) -> dict:
    """The text as a CreativeWork, once in the graph; each claim points to it."""
    work = {"@id": f"#source-{sid}", "@type": "CreativeWork", "headline": src["title"],
            "datePublished": src["date"], "author": _ref(authors)}
    if src["url"]:
        work["url"] = src["url"]
    if src["container"]:
        work["isPartOf"] = {"@type": "CreativeWork", "name": src["container"]}
    if src["publisher"]:
        work["publisher"] = {"@type": "Organization", "name": src["publisher"]}
    return work


def reviews(table: pd.DataFrame | None = None, claims: pd.DataFrame | None = None,
            sources: pd.DataFrame | None = None) -> list[dict]:
    """The graph: the reviewer, each text and its authors once, then one ClaimReview per claim
    (in ledger order) that points to them by ``@id``."""
    from .verdicts import claim_verdicts
    claims = ledger.claims() if claims is None else claims
    sources = (ledger.sources() if sources is None else sources).set_index("source_id")
    verdicts = claim_verdicts(table)
    graph: list[dict] = [dict(REVIEWER, **{"@id": "#reviewer"})]
    authors = {}
    for sid in dict.fromkeys(claims["source_id"]):
        authors[sid] = _authors(sid, sources.loc[sid])
        graph += authors[sid] + [_work(sid, sources.loc[sid], authors[sid])]
    for c in claims.itertuples():
        src = sources.loc[c.source_id]
        v = verdicts.loc[c.claim_id]
        rating = {"@type": "Rating", "alternateName": v["verdict"],
                  "ratingExplanation": str(v["note"])}
        if RATING[v["verdict"]] is not None:
            rating.update(ratingValue=RATING[v["verdict"]], bestRating=5, worstRating=1)
        graph.append({
            "@type": "ClaimReview",
            "url": f"{LEDGER_PAGE}#claim-{c.claim_id}",
            "identifier": c.claim_id,
            "claimReviewed": c.paraphrase,
            "author": {"@id": "#reviewer"},
            "reviewRating": rating,
            "itemReviewed": {"@type": "Claim", "author": _ref(authors[c.source_id]),
                             "datePublished": src["date"],
                             "firstAppearance": {"@id": f"#source-{c.source_id}"}},
        })
    return graph


def to_text(items: list[dict]) -> str:
    """The JSON-LD text: one graph of the reviews under the schema.org context, keys in a fixed
    order, UTF-8 as is, one review a line (same bytes for the same data)."""
    lines = [json.dumps(i, ensure_ascii=False, separators=(",", ":")) for i in items]
    return ('{"@context":"https://schema.org","@graph":[\n' + ",\n".join(lines) + "\n]}\n")


def graph(text: str) -> list[dict]:
    """The ClaimReview records of a JSON-LD text written by :func:`to_text`."""
    return [n for n in json.loads(text)["@graph"] if n.get("@type") == "ClaimReview"]


def for_page(text: str) -> str:
    """The graph as the ledger page carries it: each rating without its explanation (which the
    page shows in the claim's row), without the claim's identifier and date (its url and its
    text say them) and the scale's ends (schema.org's defaults), with urls relative to the page;
    the downloadable file keeps all of it (a page must stay light)."""
    nodes = json.loads(text)["@graph"]
    for n in nodes:
        if n.get("@type") == "ClaimReview":
            n["reviewRating"].pop("ratingExplanation", None)
            n.pop("identifier", None)                    # the url's fragment names the claim
            n["itemReviewed"].pop("datePublished", None)  # the text's own date says it
            n["reviewRating"].pop("bestRating", None)     # 5 and 1 are schema.org's defaults
            n["reviewRating"].pop("worstRating", None)
            n["url"] = n["url"].removeprefix(LEDGER_PAGE)  # the page itself: '#claim-...'
    return to_text(nodes)


def script_tag(text: str) -> str:
    """The JSON-LD as a ``<script>`` element for a page (``</`` escaped so that no claim can
    close the element early)."""
    return ('<script type="application/ld+json">' + text.replace("</", "<\\/") + "</script>")


def read_text() -> str:
    """The JSON-LD the build wrote (recorded as the reading chapter's input), or computed afresh
    where the build's copy is missing or was made from other inputs."""
    from ..data import record_read
    from .verdicts import CLAIMREVIEW, is_current
    if is_current():
        record_read(CLAIMREVIEW)
        return CLAIMREVIEW.read_text(encoding="utf-8")
    return to_text(reviews())
