"""One look per reporter and per partner across the book's charts.

A reader who has learnt on one chart that the grey dashed line is what Japan reports, or that
the black line is Japan as Russia's partner, must be able to rely on it on every other chart.
"""
from __future__ import annotations

import re

import matplotlib.colors as mcolors
import pytest

from rjnumbers import style
from rjnumbers.audit import figures
from rjnumbers.paths import ROOT

#: a partner or reporter name given its own colour in a dict literal: the style belongs in style.py
OWN_MAPPING = re.compile(r'["\'](China|South Korea|Japan|Russia)["\']\s*:\s*\(?\s*(style\.)?PALETTE')


def _lines(chart):
    return {ln.get_label(): ln for ln in chart.fig.axes[0].get_lines()
            if not ln.get_label().startswith("_")}


def _same(line, want):
    return (mcolors.same_color(line.get_color(), want["color"])
            and line.get_linestyle() == want["linestyle"])


def test_partner_shares_in_the_record_chapter_use_the_book_styles():
    lines = _lines(figures.russia_shares())
    for partner, want in style.PARTNER_STYLE.items():
        assert partner in lines, f"no line for {partner}"
        assert _same(lines[partner], want), (partner, lines[partner].get_color(),
                                             lines[partner].get_linestyle())


def test_reporter_lines_in_the_record_chapter_use_the_book_styles():
    lines = _lines(figures.trade_series())
    for reporter, want in style.REPORTER_STYLE.items():
        label = f"IMF, {want['label']}"
        assert label in lines, f"no line labelled {label!r}: {sorted(lines)}"
        assert _same(lines[label], want)


def test_styles_tell_every_reporter_and_partner_apart():
    looks = [(mcolors.to_hex(v["color"]), v["linestyle"]) for v in style.PARTNER_STYLE.values()]
    assert len(set(looks)) == len(looks)
    looks = [(mcolors.to_hex(v["color"]), v["linestyle"]) for v in style.REPORTER_STYLE.values()]
    assert len(set(looks)) == len(looks)
    # no partner is drawn like the Japan-reported series (a reader would take one for the other)
    jp = style.REPORTER_STYLE["Japan"]
    assert all((v["color"], v["linestyle"]) != (jp["color"], jp["linestyle"])
               for v in style.PARTNER_STYLE.values())


@pytest.mark.parametrize("path", sorted(p.relative_to(ROOT).as_posix() for p in
                                        [*ROOT.glob("rjnumbers/**/*.py"), *ROOT.glob("notebooks/*.md")]
                                        if p.name != "style.py"))
def test_no_chart_gives_a_partner_or_reporter_its_own_colour(path):
    hits = [f"line {n}: {ln.strip()}" for n, ln in
            enumerate((ROOT / path).read_text(encoding="utf-8").splitlines(), start=1)
            if OWN_MAPPING.search(ln)]
    assert not hits, f"{path} sets its own colour for a partner or reporter:\n" + "\n".join(hits)
