"""The one-pass route's search under necessities is the search over what ``reached``
allows: the same states, parents, distances, signs and loops, and the same set of nodes
allowed, whether the unrestricted search stands or not."""

from __future__ import annotations

import random

import pytest

from mechgraph.analysis.net import NO_GRADE, Net
from mechgraph.analysis.search import _bfs, reached
from mechgraph.analysis.sweep import _bfs_needing
from mechgraph.model import Effect

ARROW = {1: Effect.POSITIVE, -1: Effect.NEGATIVE, 0: Effect.UNKNOWN}


def random_net(rng: random.Random, nodes: int, edges: int) -> Net:
    names = [f"n{i}" for i in range(nodes)]
    edges = min(edges, nodes * (nodes - 1))
    seen, tuples = set(), []
    while len(tuples) < edges:
        u, v = rng.sample(names, 2)
        if (u, v) in seen:
            continue
        seen.add((u, v))
        sign = rng.choice((1, 1, -1, -1, 0))
        tuples.append((u, v, "p", ARROW[sign], sign, rng.choice((0, 1, 2, NO_GRADE)), 0, ""))
    return Net.from_edges(tuples)


def same(found, want):
    best, nearest, signs, later = found
    ref_best, ref_nearest, ref_signs, ref_later = want
    assert list(best.items()) == list(ref_best.items())  # also found in the same order
    assert list(nearest.items()) == list(ref_nearest.items())
    assert list(signs.items()) == list(ref_signs.items())
    assert later == ref_later


@pytest.mark.parametrize("seed", range(80))
def test_search_under_necessities_is_the_search_over_what_reached_allows(seed):
    rng = random.Random(seed)
    nodes = rng.randint(3, 12)
    net = random_net(rng, nodes, rng.randint(nodes, 3 * nodes))
    sources = rng.sample(sorted(net.succ), rng.choice((1, 1, 2)))
    pred: dict[str, list[str]] = {}
    for u, hops in net.succ.items():
        for v, _, _ in hops:
            pred.setdefault(v, []).append(u)
    # targets that need some of their inputs (now and then a node with no edge to them)
    needs = {}
    for v in rng.sample(sorted(pred), min(len(pred), rng.randint(1, 3))):
        inputs = set(rng.sample(pred[v], rng.randint(1, len(pred[v]))))
        if rng.random() < 0.1:
            inputs.add("n999")
        needs[v] = inputs
    cutoff = rng.choice((None, None, None, 2))
    found, allowed = _bfs_needing(net, sources, needs, cutoff)
    want = reached(net, sources, needs)
    assert set(allowed) == want
    same(found, _bfs(net, sources, want, cutoff))


def edges(*pairs):
    return Net.from_edges([(u, v, "p", Effect.POSITIVE, 1, 0, 0, "") for u, v in pairs])


def test_an_input_reached_only_through_its_target_holds_it_back():
    # d -> a -> t -> b -> t, and t needs b: b comes only after t, so neither is reached
    found, allowed = _bfs_needing(edges(("d", "a"), ("a", "t"), ("t", "b"), ("b", "t")),
                                  ["d"], {"t": {"b"}}, None)
    assert set(allowed) == {"d", "a"} and set(found[1]) == {"d", "a"}


def test_an_input_reached_before_its_target_holds_nothing_back():
    # b comes before t: the unrestricted search stands, its nodes the set allowed
    found, allowed = _bfs_needing(edges(("d", "a"), ("a", "t"), ("d", "b"), ("b", "t")),
                                  ["d"], {"t": {"b"}}, None)
    assert set(allowed) == {"d", "a", "b", "t"} and allowed is found[1]


def test_an_input_reached_after_its_target_but_not_through_it_holds_nothing_back():
    # t (2 hops) before its input b (3 hops, not through t): reached() reaches them all
    net = edges(("d", "a"), ("a", "t"), ("d", "x"), ("x", "y"), ("y", "b"), ("b", "t"))
    found, allowed = _bfs_needing(net, ["d"], {"t": {"a", "b"}}, None)
    assert set(allowed) == {"d", "a", "t", "x", "y", "b"} == set(found[1])
    same(found, _bfs(net, ["d"], None, None))
