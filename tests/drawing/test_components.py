"""A figure's graph without networkx: FigureGraph holds what build_graph's MultiDiGraph
holds, and the legend's loop/part computation agrees with networkx's own."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from mechgraph import graph as G
from mechgraph.drawing.components import Condensation
from mechgraph.language.load import load_project

from ..conftest import REPO


@pytest.fixture(scope="module")
def real_project():
    return load_project(REPO / "pathways")


def test_figure_graph_holds_what_build_graph_holds(real_project) -> None:
    some = sorted(real_project.pathways)[:5]
    for pathways in (None, ["ketamine-eef2k", "psilocybin-5ht2a"], some):
        ids = sorted(real_project.pathways) if pathways is None else pathways
        nxg = G.build_graph(real_project, ids)
        fg = G.figure_graph(real_project, ids)
        assert fg.graph == nxg.graph
        assert list(fg) == list(nxg) and len(fg) == len(nxg)
        assert list(fg.nodes(data=True)) == list(nxg.nodes(data=True))
        assert list(fg.nodes(data=G.LABEL)) == list(nxg.nodes(data=G.LABEL))
        assert [fg.nodes[n] for n in fg.nodes] == [nxg.nodes[n] for n in nxg.nodes]
        drawn = (G.EFFECT, G.RELATION, G.BRANCH)  # what a figure's edges hold
        for keys in (False, True):
            for data in (False, *drawn):
                assert list(fg.edges(keys=keys, data=data)) == \
                    list(nxg.edges(keys=keys, data=data)), (keys, data)
            assert list(fg.edges(keys=keys, data=True)) == \
                [(*e[:-1], {a: e[-1][a] for a in drawn}) for e in nxg.edges(keys=keys, data=True)]
        # each drawn edge's statement, by (pathway, u, v): the edge whose place it carries
        assert set(fg.edge_of) == {(k, u, v) for u, v, k in nxg.edges(keys=True)}
        assert all(str(e.location) == nxg.edges[u, v, k][G.LOCATION]
                   for (k, u, v), e in fg.edge_of.items())
        some = next(iter(nxg))
        assert some in fg and "no such node" not in fg and ["unhashable"] not in fg


def _random_graph(rng: random.Random, n: int, m: int) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_nodes_from(f"k{i}" for i in rng.sample(range(n), n))
    for _ in range(m):
        g.add_edge(f"k{rng.randrange(n)}", f"k{rng.randrange(n)}")
    return g


@pytest.mark.parametrize("seed", range(40))
def test_condensation_agrees_with_networkx(seed: int) -> None:
    rng = random.Random(seed)
    g = _random_graph(rng, rng.randrange(1, 40), rng.randrange(0, 70))
    ours = Condensation(g)
    theirs = nx.condensation(g)
    mapping = theirs.graph["mapping"]
    # the same loops (component numbers may differ)
    as_sets = lambda members: sorted(sorted(k for k in members if members[k] == c)  # noqa: E731
                                     for c in set(members.values()))
    assert as_sets(ours.members) == as_sets(mapping)
    back = {c: ours.members[next(iter(theirs.nodes[c]["members"]))] for c in theirs}
    assert {(back[u], back[v]) for u, v in theirs.edges} == \
        {(c, s) for c, succ in enumerate(ours.succ) for s in succ}
    assert all(c in ours.succ[p] for c, preds in enumerate(ours.pred) for p in preds)
    order = ours.topological_order()
    assert sorted(order) == list(range(len(ours.succ)))
    position = {c: i for i, c in enumerate(order)}
    assert all(position[c] < position[s] for c, succ in enumerate(ours.succ) for s in succ)
    part = ours.weak_components()
    for comp in nx.weakly_connected_components(theirs):
        assert len({part[back[c]] for c in comp}) == 1
    assert len(set(part.values())) == nx.number_weakly_connected_components(theirs)


def test_condensation_of_a_long_chain_needs_no_recursion() -> None:
    g = nx.MultiDiGraph()
    nx.add_path(g, [f"k{i}" for i in range(20_000)])
    g.add_edge("k19999", "k0")  # one loop through all of them
    ours = Condensation(g)
    assert set(ours.members.values()) == {0} and ours.topological_order() == [0]


def test_xml_text_escapes_as_html_escape_does() -> None:
    """svgtext.xml_text replaces html.escape(quote=True) (whose import costs a cold render)."""
    import html
    import re

    from mechgraph.drawing.svgtext import _XML_BAD, xml_text

    texts = ["".join(map(chr, range(128))), "a & b < c > d \"e\" 'f'", "&amp; &lt;", "",
             "5-HT\u2082A \u2192 mTORC1 \u202aRTL\u202c", "\x85\x9f\ud7ff\ue000"]
    for text in texts:
        assert xml_text(text) == html.escape(re.sub(_XML_BAD, "", text), quote=True)
