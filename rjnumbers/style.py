"""The house style: one palette, one figure layout, one way to publish a chart.

A chart published with :func:`publish` stands on its own: the title states the finding, the
subtitle says what is measured and in which unit, the footer names the sources (and the claim
ids shown), the image has alt text, and the CSV of exactly what is plotted can be downloaded
from the page.
"""
from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

# Okabe–Ito, a colour-blind-safe palette (Okabe & Ito 2008, "Color Universal Design").
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#7F7F7F",
}
CYCLE = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple", "black")]

class _BySource(Mapping):
    """One colour (or marker) per source text, read from ``data/sources.csv``: a new text brings
    its own row, never a code change. Loaded on first use."""

    def __init__(self, column: str):
        self._column, self._map = column, None

    def _load(self) -> dict[str, str]:
        if self._map is None:
            from .data import load
            t = load("sources")
            self._map = dict(zip(t["source_id"], t[self._column]))
        return self._map

    def __getitem__(self, source_id: str) -> str:
        return self._load()[source_id]

    def __iter__(self):
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


SOURCE_COLOURS = _BySource("colour")
SOURCE_MARKERS = _BySource("marker")

RC = {
    "figure.figsize": (8.0, 4.6),
    "figure.dpi": 100,
    "savefig.dpi": 120,
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "axes.prop_cycle": matplotlib.cycler(color=CYCLE),
    "legend.frameon": False,
    "svg.hashsalt": "rjnumbers",
}


def use() -> None:
    """Apply the house style (call once at the top of a notebook)."""
    plt.rcParams.update(RC)


def new_figure(nrows: int = 1, ncols: int = 1, height: float | None = None, **kwargs):
    use()
    size = (RC["figure.figsize"][0], height or RC["figure.figsize"][1])
    return plt.subplots(nrows, ncols, figsize=size, **kwargs)


def _fmt_ids(claim_ids) -> str:
    ids = sorted(dict.fromkeys(claim_ids or []))
    return ", ".join(ids)


def png_bytes(fig) -> bytes:
    """The figure as a PNG of at most 256 colours (a third of the bytes of a full-colour PNG,
    which keeps every page of the book light); deterministic for the same drawing."""
    from PIL import Image

    buf = io.BytesIO()
    # No 'Software' text chunk: the image bytes depend only on what is drawn.
    fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None},
                facecolor="white")
    plt.close(fig)
    buf.seek(0)
    image = Image.open(buf).convert("RGB").quantize(
        colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def csv_link(data: pd.DataFrame, filename: str, label: str | None = None) -> str:
    """An HTML link that downloads ``data`` as CSV, embedded in the page (works offline)."""
    text = data.to_csv(index=False, lineterminator="\n")
    b64 = base64.b64encode(text.encode("utf-8")).decode("ascii")
    size = len(text.encode("utf-8"))
    label = label or f"Download the data behind this figure ({filename}, {size:,} bytes)"
    return (f'<a class="rj-download" download="{html.escape(filename)}" '
            f'href="data:text/csv;charset=utf-8;base64,{b64}">{html.escape(label)}</a>')


def claim_links(claim_ids, page: str = "01_claims.html") -> str:
    ids = sorted(dict.fromkeys(claim_ids or []))
    return ", ".join(f'<a href="{page}#claim-{i}">{i}</a>' for i in ids)


class Figure:
    """What a chapter displays: image + alt text + caption + sources + claim ids + CSV link."""

    def __init__(self, fig, *, name: str, title: str, alt: str, sources: str,
                 data: pd.DataFrame, claim_ids=(), note: str = ""):
        if not title or not alt or not sources:
            raise ValueError("a published figure needs a title, alt text and sources")
        if data is None or data.empty:
            raise ValueError(f"figure {name}: no data to publish")
        self.name, self.title, self.alt, self.sources = name, title, alt, sources
        self.data, self.claim_ids, self.note = data, list(claim_ids), note
        self.png = png_bytes(fig)

    def _repr_html_(self) -> str:
        b64 = base64.b64encode(self.png).decode("ascii")
        parts = [f'<figure class="rj-figure" id="fig-{html.escape(self.name)}">',
                 f'<img src="data:image/png;base64,{b64}" alt="{html.escape(self.alt)}" '
                 f'style="max-width:100%;height:auto" />',
                 '<figcaption>',
                 f'<p class="rj-fig-title">{html.escape(self.title)}</p>',
                 f'<p class="rj-fig-sources">Sources: {html.escape(self.sources)}</p>']
        if self.note:
            parts.append(f'<p class="rj-fig-note">{html.escape(self.note)}</p>')
        if self.claim_ids:
            parts.append(f'<p class="rj-fig-claims">Claims shown: {claim_links(self.claim_ids)}</p>')
        parts.append(f'<p>{csv_link(self.data, self.name + ".csv")}</p>')
        parts.append("</figcaption></figure>")
        return "".join(parts)

    def __repr__(self) -> str:  # what nbval compares besides the HTML: stable, no address
        return f"Figure {self.name!r}: {self.title}"


def publish(fig, **kwargs) -> Figure:
    """Finish a matplotlib figure for the book; display the returned object as a cell's last line."""
    return Figure(fig, **kwargs)


def titles(ax, title: str, subtitle: str) -> None:
    """Title states the finding; subtitle says what is measured and in which unit."""
    ax.set_title(title + "\n", loc="left", fontsize=12, fontweight="bold")
    ax.text(0, 1.02, subtitle, transform=ax.transAxes, fontsize=9.5, color="#444444",
            va="bottom", ha="left")


def footer(fig, text: str) -> None:
    fig.text(0.01, -0.02, text, fontsize=8, color="#555555", ha="left", va="top", wrap=True)
