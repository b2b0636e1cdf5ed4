"""The claims ledger and the bibliography: loading, summaries and the searchable table.

Where a claim is defined: one row of ``data/claims.csv``.  This module only reads it.
"""
from __future__ import annotations

import functools
import html

import pandas as pd

from .data import load
from .errors import DataError

THEMES = {
    "trade": "Trade",
    "investment": "Deals and investment",
    "diplomacy": "Summits and security",
    "opinion": "Public opinion",
    "territory": "Territory",
    "exchanges": "People and exchanges",
    "record": "Dates, firsts and onlys",
}


def claims() -> pd.DataFrame:
    return load("claims")


def sources() -> pd.DataFrame:
    return load("sources")


def source_order() -> list[str]:
    """Sources in order of publication (oldest first)."""
    return list(sources().sort_values("date")["source_id"])


_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve")


def number_word(n: int) -> str:
    """A small count in words for prose ('five texts'); digits from 13 on."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def n_texts_word(table: pd.DataFrame | None = None) -> str:
    """How many source texts the ledger holds, in words (glued wherever prose counts them)."""
    return number_word(len(sources() if table is None else table))


def short_label(source_id: str, table: pd.DataFrame | None = None) -> str:
    """'Kireeva (2019)' or, for an anonymous text, a short title."""
    table = sources() if table is None else table
    labels = _short_labels(tuple(zip(*(table[c] for c in ("source_id", "date", "authors",
                                                           "title")))))
    return labels[source_id]


@functools.lru_cache(maxsize=16)
def _short_labels(rows: tuple[tuple[str, str, str, str], ...]) -> dict[str, str]:
    """Each text's short label, from its (source_id, date, authors, title): made once per table
    (the chapters ask for one per claim)."""
    out = {}
    for sid, date, authors, title in rows:
        if authors:
            out[sid] = f"{authors.split(',')[0]} ({date[:4]})"
        else:
            out[sid] = f"‘{' '.join(title.split(':')[0].split()[:4])}…’ ({date[:4]})"
    return out


def counts_by_source_theme(table: pd.DataFrame | None = None) -> pd.DataFrame:
    table = claims() if table is None else table
    out = pd.crosstab(table["source_id"], table["theme"])
    out = out.reindex(index=source_order(), columns=list(THEMES), fill_value=0)
    return out


def density(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Claims per 1,000 words of each source text."""
    table = claims() if table is None else table
    src = sources().set_index("source_id")
    n = table.groupby("source_id").size().reindex(src.index, fill_value=0)
    out = pd.DataFrame({"claims": n, "words": src["words"].astype(int)})
    out["per_1000_words"] = (out["claims"] / out["words"] * 1000).round(2)
    return out.reindex(source_order())


def shared_metrics(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Metrics stated by more than one source, with every claim that states them."""
    table = claims() if table is None else table
    n_src = table.groupby("metric")["source_id"].nunique()
    multi = n_src[n_src > 1].index
    sub = table[table["metric"].isin(multi)].sort_values(["metric", "source_id", "claim_id"])
    return sub[["metric", "source_id", "claim_id", "token", "value", "unit", "period"]]


def metric_labels() -> pd.Series:
    """Metric id -> the catalogue's reader-facing label (data/metrics.csv)."""
    return load("metrics").set_index("metric")["label"]


def chart_rows(chart: str) -> pd.DataFrame:
    """The lines of data/chart_rows.csv for one chart or table, in the order of its rows."""
    t = load("chart_rows")
    return t[t["chart"] == chart].sort_values("row", kind="stable").reset_index(drop=True)


def the_claim(table: pd.DataFrame, metric: str) -> pd.Series:
    """The one claim of ``table`` that states ``metric`` (a chart about a single figure picks
    it by what it measures, not by its id); a DataError if there is not exactly one."""
    rows = table[table["metric"] == metric]
    if len(rows) != 1:
        raise DataError("data/claims.csv", f"expected one claim of metric {metric!r} here, found "
                        f"{len(rows)} ({', '.join(rows['claim_id']) or 'none'})", column="metric")
    return rows.iloc[0]


def format_value(row) -> str:
    v = row["value"]
    text = f"{v:,.2f}".rstrip("0").rstrip(".") if v != int(v) else f"{int(v):,}"
    if pd.notna(row.get("value_high")):
        hi = row["value_high"]
        text += "–" + (f"{hi:,.2f}".rstrip("0").rstrip(".") if hi != int(hi) else f"{int(hi):,}")
    return text


def value_text(row) -> str:
    """A claim's value as a reader reads it: qualifier, figure and unit ('more than 70 years');
    a dated event as the date the text gives."""
    if row["unit"] == "date":
        return str(row["period"]).replace("/", " to ")
    from .audit.checks import unit_label
    lab = unit_label(row["unit"])
    return f"{said_number(row)}{'%' if lab == '%' else (' ' + lab if lab else '')}"


def said_number(row) -> str:
    """A claim's figure with its qualifier's words, without the unit ('about 150')."""
    from .audit.checks import QUALIFIER_WORDS
    return QUALIFIER_WORDS.get(row["qualifier"], "") + format_value(row)


def ledger_table_html(table: pd.DataFrame | None = None, verdicts: pd.DataFrame | None = None) -> str:
    """The whole ledger as one HTML table: a filter box, sortable columns, an anchor per claim.

    ``verdicts`` (indexed by claim_id, columns ``verdict`` and ``note``: the audit's verdict
    for each claim) puts the verdict beside the claim, so the filter finds "does not hold".
    """
    table = claims() if table is None else table
    labels, texts = metric_labels(), sources()
    by = {sid: short_label(sid, texts) for sid in dict.fromkeys(table["source_id"])}
    head = ["Claim", "Verdict", "What the text says (our paraphrase)", "As printed", "Value",
            "Period", "Text, line", "Measure", "Theme"]
    if verdicts is None:
        head.remove("Verdict")
    rows = []
    for _, r in table.iterrows():
        cid = r["claim_id"]
        cells = [f'<td><a href="#claim-{cid}">{cid}</a></td>']
        if verdicts is not None:
            v = verdicts.loc[cid] if cid in verdicts.index else None
            cells.append("<td></td>" if v is None else
                         f'<td title="{html.escape(str(v["note"]))}">{html.escape(v["verdict"])}</td>')
        cells += [
            f"<td>{html.escape(str(r['paraphrase']))}</td>",
            f"<td>{html.escape(str(r['token']))}</td>",
            f'<td data-sort="{r["value"]}" data-group="{html.escape(str(r["unit"]))}">'
            f'{html.escape(value_text(r))}</td>',
            f"<td>{html.escape(str(r['period']))}</td>",
            f'<td data-sort="{int(r["locator"])}">{html.escape(by[r["source_id"]])}, '
            f'line {int(r["locator"])}</td>',
            f"<td>{html.escape(str(labels.get(r['metric'], r['metric'])))}</td>",
            f"<td>{html.escape(THEMES.get(r['theme'], r['theme']))}</td>",
        ]
        rows.append(f'<tr id="claim-{cid}">' + "".join(cells) + "</tr>")
    header = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in head)
    return (
        '<div class="rj-ledger">'
        '<label class="rj-filter-label">Filter the ledger: '
        '<input type="search" class="rj-filter" placeholder="e.g. does not hold, 2013, kireeva2019" '
        'aria-label="Filter the claims ledger"></label> '
        f'<span class="rj-count" aria-live="polite">{len(table)} claims</span>'
        '<div class="rj-scroll"><table class="rj-sortable rj-table rj-ledger-table">'
        f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></div>"
    )


def bibliography_html(table: pd.DataFrame | None = None) -> str:
    """The source texts as a reference list (from data/sources.csv): authors, year, title,
    journal or publisher, and a link to the DOI or the publisher's page."""
    table = sources() if table is None else table
    items = []
    for _, r in table.sort_values("date").iterrows():
        authors = r["authors"] or "Author not identified"
        parts = [f"{html.escape(authors)} ({r['date'][:4]}). ",
                 f"“{html.escape(r['title'])}.” "]
        if r["container"]:
            parts.append(f"<em>{html.escape(r['container'])}</em>")
            if r["volume_issue"]:
                parts.append(f" {html.escape(r['volume_issue'])}")
            if r["pages"]:
                parts.append(f", pp. {html.escape(r['pages'])}")
            parts.append(". ")
        if r["publisher"]:
            parts.append(f"{html.escape(r['publisher'])}. ")
        if r["doi"]:
            doi = html.escape(r["doi"])
            parts.append(f'<a href="https://doi.org/{doi}">https://doi.org/{doi}</a>')
        elif r["url"]:
            parts.append(f'<a href="{html.escape(r["url"])}">{html.escape(r["url"])}</a>')
        items.append(f'<li id="source-{r["source_id"]}">' + "".join(parts) + "</li>")
    return '<ol class="rj-bibliography">' + "".join(items) + "</ol>"


def identification_html(table: pd.DataFrame | None = None) -> str:
    """How each source text was identified (the texts reached us without their details): the
    research notes that do not belong in the reference list."""
    table = sources() if table is None else table
    rows = "".join(
        f"<tr><td>{html.escape(r['source_id'])}</td><td>{html.escape(short_label(r['source_id'], table))}</td>"
        f"<td>{html.escape(str(r['identification']))}</td>"
        f"<td>{html.escape(str(r['identification_note']))}</td></tr>"
        for _, r in table.sort_values("date").iterrows())
    return ('<div class="rj-scroll" tabindex="0" role="region" aria-label="How the source texts '
            'were identified"><table class="rj-table"><thead><tr><th scope="col">Id</th>'
            '<th scope="col">Text</th><th scope="col">Identification</th>'
            '<th scope="col">How we identified it, and what we could not verify</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")


class HTML:
    """Display raw HTML in a notebook output (and in the book)."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"<HTML block, {len(self.markup):,} characters>"
