"""The packed breadth-first search agrees with a plain one written here, and the search
under necessities agrees with the search over what ``reached`` allows."""

from __future__ import annotations

import random

import pytest

from mechgraph.analysis.net import NO_GRADE, Net
from mechgraph.analysis.search import bfs_needing, reached
from mechgraph.analysis.states import _bfs
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


def plain_bfs(net, sources, allowed, cutoff):
    """A layered BFS over (node, sign) tuples: state -> (distance, weakest rank, parent,
    hop sign), the shorter walk first, then the stronger weakest evidence."""
    best, nearest, signs, later = {}, {}, {}, []
    layer = []
    for src in sorted(sources):
        best[(src, 1)] = (0, -1, None, 1)
        nearest.setdefault(src, 0)
        layer.append((src, 1))
    d = 0
    while layer and (cutoff is None or d < cutoff):
        d += 1
        nxt = []
        for state in layer:
            u, p = state
            for v, e, rank in net.succ.get(u, ()):
                if allowed is not None and v not in allowed:
                    continue
                st, b = (v, p * e), max(best[state][1], rank)
                if st not in best:
                    best[st] = (d, b, state, e)
                    nxt.append(st)
                    if v not in nearest:
                        nearest[v] = d
                    elif nearest[v] < d:
                        later.append(st)
                    if v not in sources:
                        signs[v] = signs.get(v, 0) | {1: 1, -1: 2, 0: 4}[p * e]
                elif best[st][0] == d and b < best[st][1]:
                    best[st] = (d, b, state, e)
        layer = nxt
    return best, nearest, signs, later


def walk(best, state):
    steps = []
    while best[state][2] is not None:
        steps.append((state[0], best[state][3]))
        state = best[state][2]
    return state[0], steps[::-1]


def same(packed, plain):
    states, nearest, signs, later = packed
    best, ref_nearest, ref_signs, ref_later = plain
    ids = [(states.node[i], states.sign[i]) for i in range(len(states.node))]
    assert ids == list(best)  # the same states, found in the same order
    for st, (d, _, _, _) in best.items():
        assert st in states and states.depth(st) == d
        assert states.walk(st) == walk(best, st)
    assert list(nearest.items()) == list(ref_nearest.items())
    assert list(signs.items()) == list(ref_signs.items())
    assert [ids[i] for i in later] == ref_later


@pytest.mark.parametrize("seed", range(40))
def test_packed_states_are_the_plain_search(seed):
    rng = random.Random(seed)
    nodes = rng.randint(3, 14)
    net = random_net(rng, nodes, rng.randint(nodes, 3 * nodes))
    sources = rng.sample(sorted({u for u in net.succ}), rng.choice((1, 1, 2)))
    allowed = None if rng.random() < 0.5 else \
        {f"n{i}" for i in range(nodes) if rng.random() < 0.8} | set(sources)
    cutoff = rng.choice((None, None, 1, 2, 3))
    same(_bfs(net, sources, allowed, cutoff), plain_bfs(net, sources, allowed, cutoff))


@pytest.mark.parametrize("seed", range(60))
def test_search_under_necessities_is_the_search_over_what_reached_allows(seed):
    rng = random.Random(seed)
    nodes = rng.randint(3, 12)
    net = random_net(rng, nodes, rng.randint(nodes, 3 * nodes))
    sources = rng.sample(sorted({u for u in net.succ}), rng.choice((1, 1, 2)))
    pred = {}
    for u, hops in net.succ.items():
        for v, _, _ in hops:
            pred.setdefault(v, []).append(u)
    # targets that need some of their inputs (or a node with no edge to them)
    needs = {}
    for v in rng.sample(sorted(pred), min(len(pred), rng.randint(1, 3))):
        inputs = set(rng.sample(pred[v], rng.randint(1, len(pred[v]))))
        if rng.random() < 0.1:
            inputs.add("n999")
        needs[v] = inputs
    cutoff = rng.choice((None, None, None, 2))
    found, allowed = bfs_needing(net, sources, needs, cutoff)
    want = reached(net, sources, needs)
    assert set(allowed) == want
    same(found, plain_bfs(net, sources, want, cutoff))


def test_an_input_reached_only_through_its_target_holds_it_back():
    # d -> a -> t -> b, and t needs b: b comes only after t, so t is never reached
    net = Net.from_edges([(u, v, "p", Effect.POSITIVE, 1, 0, 0, "")
                          for u, v in (("d", "a"), ("a", "t"), ("t", "b"), ("b", "t"))])
    found, allowed = bfs_needing(net, ["d"], {"t": {"b"}}, None)
    assert set(allowed) == {"d", "a"} and set(found[1]) == {"d", "a"}
    # once b comes first, nothing is held back: the unrestricted search stands
    net = Net.from_edges([(u, v, "p", Effect.POSITIVE, 1, 0, 0, "")
                          for u, v in (("d", "a"), ("a", "t"), ("d", "b"), ("b", "t"))])
    found, allowed = bfs_needing(net, ["d"], {"t": {"b"}}, None)
    assert set(allowed) == {"d", "a", "b", "t"} and allowed is found[1]
