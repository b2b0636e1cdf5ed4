"""A chart is drawn for the column it is shown in: style.Figure refuses one that the page would
shrink, or whose smallest text would be too small to read, and fits long titles by wrapping."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from PIL import Image

from rjnumbers import style

DATA = pd.DataFrame({"x": [1, 2], "y": [3, 4]})


def _publish(fig, name="test-figure"):
    return style.publish(fig, name=name, title="t", alt="a", sources="s", data=DATA)


def test_a_long_title_is_wrapped_to_the_column():
    fig, ax = style.new_figure(height=3)
    ax.plot([1, 2], [3, 4])
    ax.set_xlabel("A long axis label " * 6)
    style.titles(ax, "A finding stated at great length " * 5, "What is measured, in which unit " * 4)
    shown = _publish(fig)
    assert shown.width <= style.COLUMN_PX * 1.05
    assert Image.open(io.BytesIO(shown.png)).size[0] == shown.width
    assert f'width="{shown.width}"' in shown._repr_html_()


def test_text_too_small_to_read_is_refused():
    fig, ax = style.new_figure(height=3)
    ax.plot([1, 2], [3, 4])
    ax.text(1.5, 3.5, "tiny", fontsize=5)      # 5 pt at 120 dpi: 8.3 px
    with pytest.raises(ValueError, match="smallest text is 8.3 px"):
        _publish(fig)


def test_a_figure_wider_than_the_column_is_refused():
    fig, ax = style.new_figure(height=3)
    ax.plot([1, 2], [3, 4])
    # a legend far outside the axes cannot be wrapped: the figure cannot be made to fit
    ax.plot([1, 2], [4, 3], label="a label that does not wrap " * 3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.5, 1.0))
    with pytest.raises(ValueError, match="wider than the column"):
        _publish(fig, name="too-wide")



def _wide_legend_figure():
    """A chart whose legend below the axes is wider than the column: a legend does not
    wrap and does not narrow with the figure."""
    fig, ax = style.new_figure(height=3)
    for i in range(4):
        ax.plot([1, 2], [i, i + 1], label=f"series number {i} of four")
    style.legend_below(ax, ncol=4)
    return fig


def test_what_narrowing_cannot_fit_does_not_shrink_the_chart():
    fig = _wide_legend_figure()
    style.fit_to_column(fig)
    renderer = fig.canvas.get_renderer()
    overflow = (fig.get_tightbbox(renderer).width + 2 * style.RC["savefig.pad_inches"]
                - style.WIDTH_IN)
    assert overflow > 0.05                      # the case is real: the legend still overhangs
    # the fit narrows once, sees that the overflow did not shrink, and stops; it used to narrow
    # round after round until the chart was less than half the column
    assert fig.get_figwidth() >= style.WIDTH_IN - overflow - 0.05


def _as_saved_tight(fig) -> Image.Image:
    """The figure as matplotlib saves it when it measures the tight box itself."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", pad_inches=style.RC["savefig.pad_inches"],
                facecolor="white")
    buf.seek(0)
    return Image.open(buf).convert("RGB").quantize(
        colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def _long_title_figure():
    fig, ax = style.new_figure(height=3)
    ax.plot([1, 2], [3, 4], label="a series")
    style.titles(ax, "A finding stated at great length " * 5, "What is measured, in which unit " * 4)
    style.legend_below(ax)
    return fig


def _wrapped_texts_only_figure():
    """Long title, subtitle and x-axis label, wide tick labels, no legend below: the fit
    settles the texts in one pass per width and joins their boxes to the rest's itself."""
    fig, ax = style.new_figure(height=3)
    ax.barh(range(3), [1, 2, 3])
    ax.set_yticks(range(3), ["a tick label that is wide " * 2] * 3)
    ax.set_xlabel("A long axis label " * 6)
    style.titles(ax, "A finding stated at great length " * 5, "What is measured, in which unit " * 4)
    return fig


@pytest.mark.parametrize("make", [_long_title_figure, _wide_legend_figure,
                                  _wrapped_texts_only_figure,
                                  lambda: __import__("rjnumbers.audit.figures", fromlist=["x"])
                                  .growth_series().fig],
                         ids=["wrapped-title", "narrowed", "texts-only", "book-chart"])
def test_the_saved_image_is_the_tight_box_the_fit_measured(make):
    """Saving reuses the box the fit measured instead of letting matplotlib draw the figure
    once more to measure it: the image must be the one a "tight" save gives, pixel for pixel."""
    import numpy as np

    fig = make()
    png, width, height = style.render_png(fig)
    ours = Image.open(io.BytesIO(png))
    theirs = _as_saved_tight(fig)
    assert ours.size == theirs.size == (width, height)
    assert np.array_equal(np.asarray(ours.convert("RGB")), np.asarray(theirs.convert("RGB")))


def test_a_label_gives_way_to_a_close_neighbour_at_least_as_high():
    # 150 sits a third of a year before 170: above its point its label would run into 170's
    # label, so it goes below; 170's neighbour 150 is lower, so 170 keeps its label above.
    assert style.labels_below([2018.7, 2019.0], [150, 170], within=0.5) == [True, False]
    # the same two points a year apart do not collide: both labels above
    assert style.labels_below([2018.0, 2019.0], [150, 170], within=0.5) == [False, False]
    # equally high: the later one in the input gives way, whatever the order on the axis
    assert style.labels_below([2019.9, 2019.7], [200, 200], within=0.5) == [False, True]
    # two claims for the same year
    assert style.labels_below([2013, 2013], [33.2, 32.0], within=0.5) == [False, True]
