"""The large-figure guard: decided from the DOT's size, before any layout runs."""

from __future__ import annotations

import random
import re

import pytest

from mechgraph.drawing import dot as D
from mechgraph.drawing import graphviz as GV
from mechgraph.drawing import render as R
from mechgraph.language.load import load_project
from mechgraph.model import (
    Edge,
    Effect,
    Entity,
    Evidence,
    Grade,
    NodeKind,
    NodeRef,
    Pathway,
    PathwayKind,
    Project,
)

from ..conftest import TESTS

FIXTURE = TESTS / "fixtures" / "render" / "project"


def cascade(nodes: int, seed: int = 7) -> Project:
    """One pathway of ``nodes`` nodes: a branching tree plus a quarter more cross links."""
    rng = random.Random(seed)
    e = (Evidence(Grade.PRECLINICAL),)
    pairs = {(f"e{(j - 1) // 2}", f"e{j}") for j in range(1, nodes)}
    while len(pairs) < nodes * 5 // 4:
        u = rng.randrange(1, nodes - 40)
        pairs.add((f"e{u}", f"e{u + rng.randint(1, 40)}"))
    p = Pathway("big", "Big", PathwayKind.SIGNALING,
                tuple(Edge(NodeRef(u), NodeRef(v), Effect.POSITIVE, e) for u, v in sorted(pairs)))
    entities = {f"e{i}": Entity(f"e{i}", f"Entity {i}", NodeKind.PROTEIN) for i in range(nodes)}
    return Project(pathways={"big": p}, entities=entities)


def test_a_huge_figure_is_bounded_with_a_warning():
    project = cascade(10_000)
    text = D.to_dot(project, D.pathway_figure(project, "big"))
    plan = GV.plan_layout(text)
    assert (plan.nodes, plan.edges, plan.bounded) == (10_000, 12_500, True)
    assert plan.warning("big", 60) == (
        "figure 'big' has 10,000 nodes and 12,500 edges: an exact layout could take about "
        "83 s, so it is laid out with bounded effort (about 7 s); --exact-layout waits for "
        "the exact one")
    exact = GV.plan_layout(text, exact=True)
    assert not exact.bounded
    assert exact.warning("big", 60) == (
        "figure 'big' has 10,000 nodes and 12,500 edges: its layout may take about 83 s, "
        "longer than the 60 s timeout (--timeout)")
    assert exact.warning("big", 600) == (
        "figure 'big' has 10,000 nodes and 12,500 edges: its layout may take about 83 s")


@pytest.mark.parametrize("nodes", [100, 3_000])
def test_an_interactive_figure_is_exact_and_silent(nodes):
    project = cascade(nodes)
    plan = GV.plan_layout(D.to_dot(project, D.pathway_figure(project, "big")))
    assert (plan.nodes, plan.bounded, plan.warning("big", 60)) == (nodes, False, None)


def test_the_estimate_follows_the_measurements():
    for nodes, exact, bounded in GV.LAYOUT_SECONDS:
        assert GV._estimate(nodes, 1) == pytest.approx(exact)
        assert GV._estimate(nodes, 2) == pytest.approx(bounded)
    assert GV._estimate(1_000, 1) < GV._estimate(2_000, 1) < GV._estimate(3_000, 1)
    assert GV._estimate(20_000, 1) > GV._estimate(10_000, 1)


def test_render_warns_before_laying_out_and_bounds_dot(tmp_path, monkeypatch):
    """With the threshold lowered, a small real figure goes through the bounded path."""
    monkeypatch.setattr(GV, "BOUNDED_NODES", 3)
    project = load_project(FIXTURE)
    heard: list[str] = []
    calls: list[bool] = []
    real_run = R.run_dot

    def spy(*args, **kwargs):
        calls.append(kwargs["bounded"])
        assert heard or not kwargs["bounded"], "the warning comes before the layout"
        return real_run(*args, **kwargs)

    monkeypatch.setattr(R, "run_dot", spy)
    R.render_figures(project, ["trial"], formats=["svg"], out_dir=tmp_path, warn=heard.append)
    assert len(heard) == 1 and heard[0].startswith("figure 'trial' has ")
    assert "laid out with bounded effort" in heard[0] and calls == [True]
    assert (tmp_path / "trial.svg").read_bytes().startswith(b"<?xml")
    # --exact-layout lays it out again, exactly, though its DOT is unchanged
    heard.clear()
    calls.clear()
    (r,) = R.render_figures(project, ["trial"], formats=["svg"], out_dir=tmp_path,
                            exact=True, warn=heard.append)
    assert r.fresh and calls == [False] and heard == []


def test_bounded_arguments_reach_dot():
    """dot accepts the bounds and still draws the figure."""
    project = load_project(FIXTURE)
    fig = project.figures["trial"]
    text = D.to_dot(project, fig)
    bounded = GV.run_dot(text, ["svg"], name="trial", bounded=True)["svg"]
    assert b'<g id="legend" class="cluster">' in bounded


def test_node_and_edge_counts_equal_line_start_patterns():
    """plan_layout counts lines that start (after white space) a node or an edge
    statement, as the patterns ^\\s*n\\d+ \\[ and ^\\s*n\\d+ -> n\\d+ \\[ under re.M would."""
    node = re.compile(r"^\s*n\d+ \[", re.M)
    edge = re.compile(r"^\s*n\d+ -> n\d+ \[", re.M)
    pieces = ["\n", " ", "\t", "\r", "\x0b", "n1 [", "n22 -> n3 [", "x", "n", "5", " [", "->",
              "\n\n", '"n4 [', "\\\n"]
    rng = random.Random(13)
    texts = ["", "n1 [", "\n\nn1 [", "\x0b\nn22 -> n3 [", " n1 [\n  n2 -> n1 [\nn3 ["]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(20000)]
    for text in texts:
        plan = GV.plan_layout(text, exact=True)
        assert (plan.nodes, plan.edges) == (len(node.findall(text)), len(edge.findall(text))), text
