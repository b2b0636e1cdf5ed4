"""Each verdict as schema.org ClaimReview JSON-LD: valid against the vocabulary (tests/vocab), one
record per claim with the reader's verdict, embedded in the ledger page and published."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from rjnumbers import ledger
from rjnumbers.audit import claimreview
from rjnumbers.audit.verdicts import claim_verdicts
from rjnumbers.paths import ROOT

VOCAB = json.loads((Path(__file__).parent / "vocab" / "schemaorg-claimreview.json")
                   .read_text(encoding="utf-8"))
DATATYPE = {
    "Text": lambda v: isinstance(v, str) and v != "",
    "URL": lambda v: isinstance(v, str) and v != "" and re.fullmatch(
        r"https?://\S+|[\w./-]*(#[\w.-]+)?", v),
    "Number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "Date": lambda v: isinstance(v, str) and re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", v),
    "DateTime": lambda v: isinstance(v, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT\S+", v),
}


def ancestors(t: str) -> list[str]:
    out = []
    while t is not None:
        out.append(t)
        t = VOCAB["types"][t]
    return out


def problems(node, where: str = "$", index: dict | None = None) -> list[str]:
    """What in one JSON-LD node breaks the vocabulary (empty when it is valid). ``index`` maps
    the graph's ``@id`` to its nodes: a node that is only an ``@id`` must point into it."""
    if isinstance(node, list):
        index = index if index is not None else {n["@id"]: n for n in node if "@id" in n}
        return [p for i, n in enumerate(node) for p in problems(n, f"{where}[{i}]", index)]
    index = index or {}
    if set(node) == {"@id"}:
        return [] if node["@id"] in index else [f"{where}: {node['@id']!r} is in no node of the graph"]
    t = node.get("@type")
    if t not in VOCAB["types"]:
        return [f"{where}: unknown type {t!r}"]
    out = []
    for prop, value in node.items():
        if prop.startswith("@"):
            continue
        spec = VOCAB["properties"].get(prop)
        if spec is None:
            out.append(f"{where}.{prop}: not a property of the vocabulary")
            continue
        if not set(spec["domain"]) & set(ancestors(t)):
            out.append(f"{where}.{prop}: not a property of {t}")
            continue
        for i, v in enumerate(value if isinstance(value, list) else [value]):
            at = f"{where}.{prop}" + (f"[{i}]" if isinstance(value, list) else "")
            if isinstance(v, dict):
                target = index.get(v["@id"], {}) if set(v) == {"@id"} else v
                if not set(spec["range"]) & set(ancestors(target.get("@type"))
                                                if target.get("@type") in VOCAB["types"] else []):
                    out.append(f"{at}: a {target.get('@type')} is not among {spec['range']}")
                out += problems(v, at, index)
            elif not any(DATATYPE[r](v) for r in spec["range"] if r in DATATYPE):
                out.append(f"{at}: {v!r} is not a {' or '.join(spec['range'])}")
    return out


@pytest.fixture(scope="module")
def text() -> str:
    return claimreview.read_text()


def test_every_record_is_valid_schema_org(text):
    doc = json.loads(text)
    assert doc["@context"] == "https://schema.org"
    assert {r["@type"] for r in doc["@graph"]} <= {"ClaimReview", "CreativeWork", "Person",
                                                   "Organization"}
    assert problems(doc["@graph"]) == []


@pytest.mark.parametrize("break_it, words", [
    (lambda r: r.update(claimReview="x"), "not a property of the vocabulary"),
    (lambda r: r["itemReviewed"].update(claimReviewed="x"), "not a property of Claim"),
    (lambda r: r["reviewRating"].update(ratingValue={"@type": "Rating"}), "is not among"),
    (lambda r: r["itemReviewed"].update(datePublished="March 2015"), "is not a Date"),
    (lambda r: r.update({"@type": "FactCheck"}), "unknown type"),
])
def test_the_validator_refuses_a_record_that_breaks_the_vocabulary(text, break_it, words):
    doc = json.loads(text)["@graph"]
    index = {n["@id"]: n for n in doc if "@id" in n}
    record = copy.deepcopy(claimreview.graph(text)[0])
    assert problems(record, index=index) == []
    break_it(record)
    assert any(words in p for p in problems(record, index=index))


def test_a_reference_to_a_node_the_graph_lacks_is_refused(text):
    doc = json.loads(text)["@graph"]
    index = {n["@id"]: n for n in doc if "@id" in n}
    record = copy.deepcopy(claimreview.graph(text)[0])
    record["itemReviewed"]["firstAppearance"] = {"@id": "#source-nobody2099"}
    assert any("in no node" in p for p in problems(record, index=index))
    record["itemReviewed"]["firstAppearance"] = {"@id": "#reviewer"}   # an Organization
    assert any("is not among" in p for p in problems(record, index=index))


def test_one_record_per_claim_with_the_readers_verdict(text):
    graph = claimreview.graph(text)
    claims = ledger.claims()
    assert [r["identifier"] for r in graph] == list(claims["claim_id"])
    verdicts = claim_verdicts()
    para = claims.set_index("claim_id")["paraphrase"]
    for r in graph:
        cid, rating = r["identifier"], r["reviewRating"]
        assert rating["alternateName"] == verdicts.at[cid, "verdict"]
        assert r["claimReviewed"] == para[cid]          # our words, not the text's sentence
        assert r["url"] == f"01_claims.html#claim-{cid}"
        expected = claimreview.RATING[rating["alternateName"]]
        assert rating.get("ratingValue") == expected
    # a claim that does not hold is rated at the bottom of the scale, one that holds at the top
    names = {r["reviewRating"]["alternateName"]: r["reviewRating"].get("ratingValue") for r in graph}
    assert names["does not hold"] == 1 and names["holds"] == 5
    assert names["not checkable"] is None


def test_the_text_closes_no_script_element_early():
    tag = claimreview.script_tag('{"x":"</script><b>"}')
    assert tag.count("</script>") == 1 and tag.endswith("</script>")


def test_the_ledger_page_embeds_and_publishes_the_records(text):
    page = ROOT / "_build" / "html" / "notebooks" / "01_claims.html"
    download = ROOT / "_build" / "html" / "downloads" / "claimreview.jsonld"
    if not page.exists():
        pytest.skip("the book is not built (make test builds it first)")
    html = page.read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    assert json.loads(blocks[0].replace("<\\/", "</")) == json.loads(claimreview.for_page(text))
    assert problems(json.loads(claimreview.for_page(text))["@graph"]) == []
    assert download.read_text(encoding="utf-8") == text
