"""The signed search against brute force: on random small multigraphs with cycles,
parallel edges of both signs and unknown edges, the signs and paths the search reports
are exactly those of the simple paths enumerated one by one."""

from __future__ import annotations

import itertools

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from mechgraph.analysis.query import downstream, signed_paths, upstream
from mechgraph.graph import EFFECT, ENTITY, LABEL, SIGN
from mechgraph.model import Effect

EFFECTS = [Effect.POSITIVE, Effect.NEGATIVE, Effect.UNKNOWN, Effect.CONVERSION]
NODES = "abcdef"


@st.composite
def graphs(draw):
    edges = draw(st.lists(st.tuples(st.sampled_from(NODES), st.sampled_from(NODES),
                                    st.sampled_from(EFFECTS), st.sampled_from("pq")),
                          max_size=16))
    g = nx.MultiDiGraph()
    for n in NODES:
        g.add_node(n, **{ENTITY: n, LABEL: n})
    for u, v, effect, pid in edges:
        if u != v:
            g.add_edge(u, v, key=pid, **{EFFECT: effect, SIGN: effect.sign})
    return g


def brute_force(g, source, target, cutoff=None):
    """{(node sequence, hop signs)} over all simple paths source -> target."""
    out = set()
    for nodes in nx.all_simple_paths(nx.DiGraph(g), source, target, cutoff=cutoff):
        choices = [sorted({d[SIGN] for d in g[u][v].values()}) for u, v in zip(nodes, nodes[1:])]
        for signs in itertools.product(*choices):
            out.add((tuple(nodes), signs))
    return out


def product(signs):
    p = 1
    for s in signs:
        p *= s
    return p


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_downstream_signs_are_the_simple_path_signs(g):
    got = downstream(g, "a")
    for target in NODES[1:]:
        expected = {product(s) for _, s in brute_force(g, "a", target)}
        if not expected:
            assert target not in got
            continue
        inf = got[target]
        assert set(inf.signs) == expected
        assert not inf.truncated
        # one witness per sign, each a real simple path with that sign, and the shortest
        assert sorted(p.sign for p in inf.paths) == sorted(expected)
        for p in inf.paths:
            assert (p.nodes, tuple(h.sign for h in p.hops)) in brute_force(g, "a", target)
            shortest = min(len(n) - 1 for n, s in brute_force(g, "a", target)
                           if product(s) == p.sign)
            assert len(p) == shortest


@settings(max_examples=300, deadline=None)
@given(graphs(), st.sampled_from([None, 1, -1, 0]), st.integers(min_value=1, max_value=5))
def test_signed_paths_are_all_simple_paths_shortest_first(g, sign, cutoff):
    paths = signed_paths(g, "a", "f", sign=sign, cutoff=cutoff)
    got = [(p.nodes, tuple(h.sign for h in p.hops)) for p in paths]
    expected = {(n, s) for n, s in brute_force(g, "a", "f", cutoff)
                if sign is None or product(s) == sign}
    assert len(got) == len(set(got)) and set(got) == expected
    assert [len(p) for p in paths] == sorted(len(p) for p in paths)


@settings(max_examples=150, deadline=None)
@given(graphs(), st.integers(min_value=1, max_value=4))
def test_upstream_is_downstream_reversed(g, depth):
    up = upstream(g, "f", depth=depth)
    for node in NODES[:-1]:
        down = downstream(g, node, depth=depth).get("f")
        assert (node in up) == (down is not None)
        if down is not None:
            assert up[node].signs == down.signs
            assert all(p.nodes[-1] == "f" and p.nodes[0] == node for p in up[node].paths)
