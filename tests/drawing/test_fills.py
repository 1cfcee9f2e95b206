"""A pathway keeps its fill from one figure of a project to the next."""

from __future__ import annotations

import html
import re

from mechgraph.drawing import dot as D
from mechgraph.drawing.fills import figure_fills, homes
from mechgraph.drawing.style import PATHWAY_PALETTE as P
from mechgraph.language.load import load_project
from mechgraph.model import Figure, Project

from ..conftest import REPO


def project(figures: dict[str, tuple[str, ...]], pathways: list[str]) -> Project:
    return Project(pathways=dict.fromkeys(pathways), entities={},
                   figures={f: Figure(id=f, title=f, pathways=pw) for f, pw in figures.items()})


def test_home_order_is_first_drawn_then_the_project_order():
    pr = project({"f1": ("b", "a"), "f2": ("a", "c*")}, ["a", "b", "c1", "c2", "d", "z"])
    assert homes(pr) == {"b": 0, "a": 1, "c1": 2, "c2": 3, "d": 4, "z": 5}
    # a figure keeps each pathway's home fill whatever its own order
    assert figure_fills(pr, ["c2", "a"]) == {"c2": P[3], "a": P[1]}
    assert figure_fills(pr, ["d"]) == {"d": P[4]}


def test_a_taken_fill_gives_way_to_the_first_free_one():
    ids = [f"p{i}" for i in range(12)]
    pr = project({"all": tuple(ids[:11])}, ids)
    assert homes(pr)["p10"] == 10 and homes(pr)["p11"] == 11
    assert figure_fills(pr, ["p10", "p1"]) == {"p10": P[0], "p1": P[1]}
    # home fills first: p1 keeps its own; p10 and p11 (homes taken) get the next free ones
    assert figure_fills(pr, ["p0", "p10", "p1", "p11"]) == {
        "p0": P[0], "p10": P[2], "p1": P[1], "p11": P[3]}
    # more pathways than fills: every fill once, then repeats by the figure's order
    fills = figure_fills(pr, ids)
    assert list(fills.values()) == [*P, P[0], P[1]]


def test_a_broken_figure_does_not_stop_the_others():
    pr = project({"bad": ("nothing-*",), "good": ("b",)}, ["a", "b"])
    assert homes(pr) == {"b": 0, "a": 1}


def test_every_pathway_of_the_real_figures_has_one_fill_throughout():
    pathways = load_project(REPO / "pathways")
    seen: dict[str, set[str]] = {}
    for fig in pathways.figures.values():
        text = D.to_dot(pathways, fig)
        legend = text.split("subgraph cluster_legend {")[1]
        keys = re.findall(r'<TD BGCOLOR="(#[0-9a-f]{6})" BORDER="1"[^>]*></TD><TD[^>]*>(.*?)</TD>',
                          legend)
        titles = {pathways.pathways[p].title: p for p in pathways.pathways}
        for colour, text_ in keys:
            name = html.unescape(text_.replace("<BR/>", " "))
            pid = titles.get(name, name)
            assert pid in pathways.pathways, (fig.id, name)  # a title or (convergence) an id
            seen.setdefault(pid, set()).add(colour)
    assert len(seen) >= 15
    assert {p: c for p, c in seen.items() if len(c) > 1} == {}
