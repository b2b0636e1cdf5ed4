"""The house style: one palette, one figure layout, one way to publish a chart.

A chart published with :func:`publish` stands on its own: the title states the finding, the
subtitle says what is measured and in which unit, the footer names the sources (and the claim
ids shown), the image has alt text, and the CSV of exactly what is plotted can be downloaded
from the page.
"""
from __future__ import annotations

import base64
import functools
import html
import io
from collections.abc import Mapping
from math import inf

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

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

#: One style per reporter of trade figures and per partner of Russia, in every chart of the book.
#: They use the colours no source text uses (black, grey, sky), so claim markers stay distinct;
#: Japan as Russia's partner is drawn like the Russia-reported series it comes from.
REPORTER_STYLE = {
    "Russia": {"color": PALETTE["black"], "linestyle": "-", "label": "Russia-reported"},
    "Japan": {"color": PALETTE["grey"], "linestyle": "--", "label": "Japan-reported"},
}
PARTNER_STYLE = {
    "China": {"color": PALETTE["sky"], "linestyle": "-"},
    "South Korea": {"color": PALETTE["grey"], "linestyle": "-."},
    "Japan": {"color": PALETTE["black"], "linestyle": "-"},
}

# Figures are drawn for the column they are shown in: the book's text column is 672 CSS px wide
# in a 1280 px window, so a chart is saved 672 px wide (5.6 in at 120 dpi) and shown at its own
# size, never scaled down; at 120 dpi the smallest chart text (7 pt) is 11.7 px.
COLUMN_PX = 672
DPI = 120
WIDTH_IN = COLUMN_PX / DPI
MIN_TEXT_PX = 11.0          # the smallest chart text, in CSS px at the column's width

RC = {
    "figure.figsize": (WIDTH_IN, 4.0),
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
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
    "savefig.pad_inches": 0.05,
}


def use() -> None:
    """Apply the house style (call once at the top of a notebook)."""
    plt.rcParams.update(RC)


def new_figure(nrows: int = 1, ncols: int = 1, height: float | None = None, **kwargs):
    use()
    size = (WIDTH_IN, height or RC["figure.figsize"][1])
    return plt.subplots(nrows, ncols, figsize=size, **kwargs)


def _wrappable(fig):
    """The texts that may be broken into lines: those marked with :func:`wrapped`, and every
    axis label along x (kept as first written)."""
    from matplotlib.text import Text

    for ax in fig.axes:
        label = ax.xaxis.label
        if label.get_text() and getattr(label, "_rj_raw", None) is None:
            wrapped(label, label.get_text())
    return [t for t in fig.findobj(Text) if getattr(t, "_rj_raw", None) is not None]


def fit_to_column(fig, width_in: float = WIDTH_IN, rounds: int = 10):
    """Make everything drawn fit ``width_in``, so the saved image is the column's width and is
    never scaled down: titles, subtitles and x-axis labels are broken into lines that stay
    inside the column, and the figure is narrowed while what cannot wrap (tick labels, legends
    outside the axes) still overflows.

    Returns the figure's tight box (inches) as it stands at the end, which saving the figure
    would otherwise measure again, or None when the last round changed the figure after its
    box was measured."""
    pad = RC["savefig.pad_inches"]
    texts = _wrappable(fig)
    # a legend below the axes sits under the x-axis label, which may wrap: it must be placed
    # again after a pass that wrapped; without one, what does not wrap does not depend on
    # the texts, and one pass settles them
    below = any(getattr(ax.get_legend(), "_rj_below", False) for ax in fig.axes)
    last = None                 # (width, overflow) of the round before
    for _ in range(rounds):
        box = None
        for _ in range(3):      # a legend follows the label above it: let both settle
            before = _layout_state(fig, texts)
            start, now_box = _wrap_pass(fig, texts, width_in - 2 * pad)
            if _layout_state(fig, texts) == before:
                box = start     # a pass that changed nothing: its box is the figure's now,
                break           # and the next pass would change nothing
            if not below:
                box = now_box()
                # settled, unless the texts moved the image's left edge, which they start from
                if abs(min(0.0, box.x0) - min(0.0, start.x0)) < 1e-9:
                    break
                box = None
        if box is None:
            box = fig.get_tightbbox(_renderer(fig))
        overflow = box.width + 2 * pad - width_in
        now = fig.get_figwidth()
        if -0.05 <= overflow <= 0.01 or (overflow < 0 and now >= width_in):
            return box
        # how much the overflow shrinks per inch of width (secant of the last two rounds; 1 at
        # first): a title that wraps shrinks it faster than an axis, a text pinned to the
        # figure's edge not at all, and then narrowing further would only shrink the chart
        slope = 1.0
        if last is not None and last[0] != now:
            slope = min(1.0, (last[1] - overflow) / (last[0] - now))
            if slope < 0.1:
                return box
        last = (now, overflow)
        new = min(width_in, now - overflow / slope - 0.01)
        if new < 0.4 * width_in:
            return box
        fig.set_figwidth(new)
    return None


def _renderer(fig):
    """The renderer that measures ``fig`` while it is fitted: one for the figure's life, so
    that a text measured at one width is not measured again at the next (what Agg measures
    depends on the text, its font and the dpi, not on the canvas's size)."""
    from matplotlib.backends.backend_agg import RendererAgg

    renderer = getattr(fig, "_rj_renderer", None)
    if renderer is None or renderer.dpi != fig.dpi:
        renderer = fig._rj_renderer = RendererAgg(1, 1, fig.dpi)
    return renderer


def _layout_state(fig, texts) -> tuple:
    """What a wrapping pass may change: the texts' lines and places, the legends' anchors."""
    legends = [ax.get_legend() for ax in fig.axes]
    return (fig.get_figwidth(),
            tuple((t.get_text(), t.get_position()) for t in texts),
            tuple(tuple(leg.get_bbox_to_anchor().bounds) for leg in legends if leg is not None))


def _wrap_pass(fig, texts, content_in: float):
    """One pass of breaking texts into lines. Returns the figure's tight box (inches) at the
    pass's start, and a function that gives it at the pass's end: what does not wrap is
    measured once, with the texts hidden, and joined with each text's own box (the figure's
    tight box is the union of its artists' boxes; a test compares with matplotlib's)."""
    renderer = _renderer(fig)
    shown = [t for t in texts if t.get_visible()]
    for t in shown:
        t.set_visible(False)
    try:
        rest = fig.get_tightbbox(renderer)
    finally:
        for t in shown:
            t.set_visible(True)

    def measure():
        boxes = [t.get_tightbbox(renderer) for t in shown if t.get_in_layout()]
        return Bbox.union([rest] + [Bbox(b.get_points() / fig.dpi) for b in boxes
                                    if b is not None and 0 < b.width < inf and 0 < b.height < inf])

    start = measure()
    left_px = min(0.0, start.x0) * fig.dpi
    right_px = left_px + content_in * fig.dpi
    _place_legends(fig, left_px)
    for t in texts:
        if getattr(t, "_rj_flush_left", False):   # a subtitle: from the image's left edge
            t.set_x(t.axes.transAxes.inverted().transform((left_px, 0))[0])
        box = t.get_window_extent(renderer)
        ha = t.get_horizontalalignment()
        if ha == "center":
            if box.x0 >= left_px and box.x1 <= right_px and t.get_text() == t._rj_raw:
                continue                 # fits as written: leave it on one line
            mid = (box.x0 + box.x1) / 2
            room = 2 * min(mid - left_px, right_px - mid)
        elif ha == "right":
            room = box.x1 - left_px
        else:
            room = right_px - box.x0
        t.set_text(wrap_words(t._rj_raw, room * 72 / fig.dpi, t.get_fontsize(),
                              t.get_fontweight()))
    return start, measure


def wrap_label(text: str, width: int = 30) -> str:
    """A tick label broken into lines of at most ``width`` characters (a column-wide chart has
    room for about 30 characters of labels beside its axes)."""
    import textwrap
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def wrap_labels(labels, width: int = 30) -> list[str]:
    """:func:`wrap_label` for each of ``labels``."""
    return [wrap_label(lab, width) for lab in labels]


def year_ticks(ax, axis: str = "x", nbins: int = 6) -> None:
    """Whole years on a time axis (never 2007.5), at most ``nbins`` of them."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(MaxNLocator(nbins=nbins, integer=True))
    target.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0f}"))


def labels_below(xs, ys, within: float) -> list[bool]:
    """Which point labels go below their point rather than above it.

    A label goes below when another point lies within ``within`` (in x units) and stands at least
    as high: above its point the label would run into that neighbour's label.  Of two points
    equally high, the later one in the input gives way.
    """
    pts = list(zip(xs, ys))
    return [any(abs(xj - xi) <= within and (yj > yi or (yj == yi and j < i))
                for j, (xj, yj) in enumerate(pts) if j != i)
            for i, (xi, yi) in enumerate(pts)]


def legend_below(ax, ncol: int = 2, **kwargs):
    """A legend under the axes, below the x-axis label, from the image's left edge: the place
    that costs a column-wide chart no width. Placed when the figure is saved."""
    kwargs.setdefault("fontsize", 8)
    leg = ax.legend(loc="upper left", ncol=ncol, **kwargs)
    leg._rj_below = True
    return leg


def _place_legends(fig, left_px: float) -> None:
    renderer = _renderer(fig)
    for ax in fig.axes:
        leg = ax.get_legend()
        if leg is None or not getattr(leg, "_rj_below", False):
            continue
        leg.set_in_layout(False)
        bottom = ax.get_tightbbox(renderer).y0
        leg.set_in_layout(True)
        x, y = ax.transAxes.inverted().transform((left_px, bottom - 6))
        leg.set_bbox_to_anchor((x, y), transform=ax.transAxes)


def _widest_texts(fig, n: int = 3) -> str:
    """The widest texts of a figure, for the message of a figure that does not fit."""
    renderer = fig.canvas.get_renderer()
    boxes = sorted(((t.get_window_extent(renderer).width, t.get_text()[:40])
                    for t in _drawn_texts(fig)), reverse=True)
    return "; ".join(f"{w:.0f} px {text!r}" for w, text in boxes[:n])


def wrapped(text_artist, raw: str):
    """Mark a text artist to be broken into lines that fit the column when the figure is saved."""
    text_artist._rj_raw = raw
    return text_artist


def _drawn_texts(fig) -> list:
    """Every piece of text the figure shows (visible and not blank)."""
    from matplotlib.text import Text
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def min_text_pt(fig) -> float:
    """The size of the smallest piece of text drawn in the figure, in points."""
    sizes = [t.get_fontsize() for t in _drawn_texts(fig)]
    return min(sizes) if sizes else float("inf")


def text_width_pt(text: str, fontsize: float, weight: str = "normal") -> float:
    """How wide ``text`` is drawn in the house font, in points."""
    return _text_width_pt(text, float(fontsize), str(weight), str(RC["font.family"]))


@functools.lru_cache(maxsize=65536)
def _text_width_pt(text: str, fontsize: float, weight: str, family: str) -> float:
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath
    prop = FontProperties(family=family, size=fontsize, weight=weight)
    return TextToPath().get_text_width_height_descent(text, prop, ismath=False)[0]


def wrap_words(text: str, width_pt: float, fontsize: float, weight: str = "normal") -> str:
    """``text`` broken between words into lines no wider than ``width_pt`` when drawn in the
    house font at ``fontsize`` (measured on the glyphs, so the same on every machine)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            if line and text_width_pt(trial, fontsize, weight) > width_pt:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return "\n".join(lines)


def _fmt_ids(claim_ids) -> str:
    ids = sorted(dict.fromkeys(claim_ids or []))
    return ", ".join(ids)


def render_png(fig) -> tuple[bytes, int, int]:
    """The figure fitted to the column (:func:`fit_to_column`), as a PNG of at most 256 colours
    (a third of the bytes of a full-colour PNG, which keeps every page of the book light), with
    its width and height in px; deterministic for the same drawing. The figure stays open."""
    from PIL import Image

    box = fit_to_column(fig)
    if box is None:
        box = fig.get_tightbbox(_renderer(fig))
    buf = io.BytesIO()
    # The box the fit measured, padded as bbox_inches="tight" pads it: "tight" would draw the
    # figure once more only to measure it (the same pixels; a test compares). The first PNG is
    # uncompressed: it is only read back here, to be reduced to 256 colours.
    fig.savefig(buf, format="png", bbox_inches=box.padded(RC["savefig.pad_inches"]),
                facecolor="white", pil_kwargs={"compress_level": 0})
    buf.seek(0)
    image = Image.open(buf).convert("RGB").quantize(
        colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    # zlib's level 8: within 1 % of level 9's bytes over the book's charts, in a third of the time
    image.save(out, format="PNG", compress_level=8)
    return out.getvalue(), image.width, image.height


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
        try:
            self.min_text_px = round(min_text_pt(fig) * DPI / 72, 1)
            if self.min_text_px < MIN_TEXT_PX:
                raise ValueError(f"figure {name}: its smallest text is {self.min_text_px} px at "
                                 f"the column's width (at least {MIN_TEXT_PX} px is legible)")
            self.png, self.width, self.height = render_png(fig)
            if self.width > COLUMN_PX * 1.05:
                raise ValueError(f"figure {name} is {self.width} px wide: wider than the column "
                                 f"({COLUMN_PX} px), the page would shrink it; widest texts: "
                                 f"{_widest_texts(fig)}")
        finally:
            plt.close(fig)

    def _repr_html_(self) -> str:
        b64 = base64.b64encode(self.png).decode("ascii")
        parts = [f'<figure class="rj-figure" id="fig-{html.escape(self.name)}">',
                 '<div class="rj-fig-frame">'
                 f'<img src="data:image/png;base64,{b64}" alt="{html.escape(self.alt)}" '
                 f'width="{self.width}" height="{self.height}" '
                 f'data-min-text-px="{self.min_text_px}" /></div>',
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
    """Title states the finding; subtitle says what is measured and in which unit. Both are
    broken into lines that fit the column, the title set above the subtitle however many lines
    each takes."""
    sub = wrapped(ax.text(0, 1.02, subtitle, transform=ax.transAxes, fontsize=9,
                          color="#444444", va="bottom", ha="left"), subtitle)
    sub._rj_flush_left = True          # the title, set above it, follows it
    wrapped(ax.annotate(title, xy=(0, 1), xycoords=sub, xytext=(0, 4),
                        textcoords="offset points", va="bottom", ha="left", fontsize=11.5,
                        fontweight="bold", annotation_clip=False), title)


def footer(fig, text: str) -> None:
    fig.text(0.01, -0.02, text, fontsize=8, color="#555555", ha="left", va="top", wrap=True)
