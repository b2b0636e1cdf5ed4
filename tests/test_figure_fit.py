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
