"""HTML tables for chapters: one way to lay out a table, and to link ids to the ledger."""
from __future__ import annotations

import html

import pandas as pd

from . import style


def id_links(ids) -> str:
    """Claim ids link to their ledger row, source ids to their entry in the list of source texts."""
    out = []
    for i in ids:
        if "-" in i:
            out.append(style.claim_links([i]))
        else:
            out.append(f'<a href="../book/sources.html#source-{i}">{html.escape(i)}</a>')
    return ", ".join(out)


def assemble(head: list[str], rows: list[str], *, scroll: bool = True, sortable: bool = False,
             caption: str | None = None) -> str:
    """Wrap ready-made ``<tr>`` rows under a header row."""
    header = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in head)
    cls = "rj-table rj-sortable" if sortable else "rj-table"
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    table = (f'<table class="{cls}">{cap}<thead><tr>{header}</tr></thead>'
             f"<tbody>{''.join(rows)}</tbody></table>")
    return f'<div class="rj-scroll">{table}</div>' if scroll else table


def html_table(table: pd.DataFrame, columns: dict[str, str], link_cols=("claim_id",),
               html_cols=(), **layout) -> str:
    """A table of ``columns`` (name -> heading, in order). Cells in ``link_cols`` hold claim or
    source ids (one or a list) and become links; cells in ``html_cols`` are markup already."""
    rows = []
    for _, r in table.iterrows():
        cells = []
        for c in columns:
            v = r[c]
            if c in link_cols:
                ids = [v] if isinstance(v, str) else list(v)
                cells.append(f"<td>{id_links([i for i in ids if i])}</td>")
            elif c in html_cols:
                cells.append(f"<td>{v}</td>")
            else:
                cells.append(f"<td>{html.escape('' if pd.isna(v) else str(v))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return assemble(list(columns.values()), rows, **layout)
