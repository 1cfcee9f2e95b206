"""Where the legend's anchor goes: the figure's layers, ends and starts, checked against
networkx's condensation of the same graph on many random graphs (loops, several parts)."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from mechgraph.drawing.legend import _layers
from mechgraph.model import Direction

EDGES = st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), min_size=1, max_size=30)


def expected(g: nx.MultiDiGraph, ids: dict[str, str], direction: Direction):
    """The layers as the condensation DAG defines them, written plainly."""
    cond = nx.condensation(g)
    members = cond.graph["mapping"]
    depth = {c: nx.dag_longest_path_length(cond.subgraph(nx.ancestors(cond, c) | {c}))
             for c in cond}
    height = {c: nx.dag_longest_path_length(cond.subgraph(nx.descendants(cond, c) | {c}))
              for c in cond}
    order = sorted(g, key=lambda k: int(ids[k][1:]))
    starts = [k for k in order if cond.in_degree(members[k]) == 0]
    if direction in (Direction.TB, Direction.LR):
        ends = sorted((k for k in order if cond.out_degree(members[k]) == 0),
                      key=lambda k: -depth[members[k]])
    else:
        ends = sorted(starts, key=lambda k: -height[members[k]])
    parts = list(nx.weakly_connected_components(g))
    tops = [max((k for k in starts if k in part), key=lambda k: height[members[k]])
            for part in parts]
    main = next(t for t, part in zip(tops, parts) if ends[0] in part)
    tops = [main] + sorted((t for t in tops if t != main), key=lambda k: int(ids[k][1:]))
    return {k: depth[members[k]] for k in order}, ends, tops


@settings(max_examples=300, deadline=None)
@given(EDGES, st.sampled_from(list(Direction)))
def test_layers_match_the_condensation(edges, direction):
    g = nx.MultiDiGraph()
    g.add_edges_from((f"k{u}", f"k{v}") for u, v in edges)
    ids = {k: f"n{i}" for i, k in enumerate(sorted(g))}
    layers = _layers(g, ids, direction)
    assert (layers.layer, layers.ends, layers.tops) == expected(g, ids, direction)


def test_a_loop_counts_as_one_step():
    g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "b"), ("c", "d"), ("x", "y")])
    ids = {k: f"n{i}" for i, k in enumerate(sorted(g))}
    layers = _layers(g, ids, Direction.TB)
    assert layers.layer == {"a": 0, "b": 1, "c": 1, "d": 2, "x": 0, "y": 1}
    assert layers.ends == ["d", "y"]
    assert layers.tops == ["a", "x"]
    back = _layers(g, ids, Direction.BT)
    assert back.ends == ["a", "x"]
