"""The legend takes at most a fifth of every figure, measured on the SVG Graphviz drew."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from mechgraph.drawing import dot as D
from mechgraph.drawing import render
from mechgraph.language.load import load_project
from mechgraph.model import Direction

from ..conftest import REPO

LEGEND_SHARE = 0.2
PATHWAYS = load_project(REPO / "pathways")
NUMBER_PAIR = re.compile(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")


def legend_share(svg: bytes) -> float:
    """Area of the legend cluster's outline (its bounding box) over the whole drawing's."""
    text = svg.decode("utf-8")
    width, height = map(float, re.search(
        r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', text).groups())
    group = re.search(r'<g id="[^"]*legend" class="cluster">(.*?)</g>', text, re.S)
    assert group, "no legend cluster in the SVG"
    outline = re.search(r'<(?:path|polygon)\b[^>]*(?: d| points)="([^"]+)"', group[1])
    points = [(float(x), float(y)) for x, y in NUMBER_PAIR.findall(outline[1])]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return (max(xs) - min(xs)) * (max(ys) - min(ys)) / (width * height)


def test_share_is_measured_on_the_outline():
    svg = (b'<svg viewBox="0.00 0.00 100.00 50.00"><g id="legend" class="cluster">'
           b'<polygon points="10,-10 30,-10 30,-35 10,-35 10,-10"/></g></svg>')
    assert legend_share(svg) == pytest.approx(20 * 25 / 5000)


@pytest.mark.parametrize("name", sorted(PATHWAYS.figures))
def test_legend_is_at_most_a_fifth_of_every_figure(name):
    figure = PATHWAYS.figures[name]
    svg = render.to_files(figure, D.to_dot(PATHWAYS, figure), ["svg"])["svg"]
    assert legend_share(svg) <= LEGEND_SHARE


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("name", ["ketamine-cascade", "psychedelic-networks"])
def test_legend_stays_small_in_every_direction(name, direction):
    figure = replace(PATHWAYS.figures[name], direction=direction)
    svg = render.to_files(figure, D.to_dot(PATHWAYS, figure), ["svg"])["svg"]
    assert legend_share(svg) <= LEGEND_SHARE
