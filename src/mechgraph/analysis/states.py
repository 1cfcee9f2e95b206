"""The breadth-first search under :func:`~mechgraph.analysis.search.signed_reach`, over
states ``(node, sign)``, with its states packed (:class:`States`): a query over many
pathways keeps every pathway's search for its explanations, so a state is a place in a
few lists of small integers rather than tuples of its own.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Collection, Iterable

from .net import Net, State

__all__ = ["States"]

#: sign -> its bit, and a bit set -> the frozenset of its signs (one of eight, shared)
_SIGN_BIT = {1: 1, -1: 2, 0: 4}
_SIGN_SETS = [frozenset(s for s, bit in _SIGN_BIT.items() if bits & bit) for bits in range(8)]


class States:
    """The states of one breadth-first search. A state ``(node, sign)`` has an id, its
    place in the order found (``ids[sign][node]``); by id, the lists give its node, its
    sign, its parent's id (-1 for a source) and the sign of the hop into it. Ids are
    found layer by layer: ``layers[d]`` is the first id ``d`` hops from the sources."""

    __slots__ = ("ids", "node", "sign", "parent", "hop", "layers")

    def __init__(self) -> None:
        self.ids: tuple[dict[str, int], ...] = ({}, {}, {})  # [0] unknown, [1] +, [-1] -
        self.node: list[str] = []
        self.sign: list[int] = []
        self.parent: list[int] = []
        self.hop: list[int] = []
        self.layers: list[int] = []

    def __contains__(self, state: State) -> bool:
        return state[0] in self.ids[state[1]]

    def distance(self, i: int) -> int:
        """Hops of the walk recorded for state ``i``."""
        return bisect_right(self.layers, i) - 1

    def depth(self, state: State) -> int:
        """Hops of the walk recorded for ``state``."""
        return self.distance(self.ids[state[1]][state[0]])

    def walk(self, state: State) -> tuple[str, list[tuple[str, int]]]:
        """The start node and the (node, hop sign) steps of the walk recorded for it."""
        node, parent, hop = self.node, self.parent, self.hop
        i = self.ids[state[1]][state[0]]
        steps = []
        while parent[i] >= 0:
            steps.append((node[i], hop[i]))
            i = parent[i]
        steps.reverse()
        return node[i], steps


def _bfs(net: Net, sources: Collection[str], allowed: Collection[str] | None,
         cutoff: int | None) -> tuple[States, dict[str, int], dict[str, int], list[int]]:
    """Layered BFS over (node, sign): each state's parent and hop sign, by layer.

    Among equally short walks the one with the strongest weakest evidence wins. Also
    node -> its nearest distance, node -> the bit set of the signs that reach it (sources
    left out; in the order the nodes are first reached), and the ids of the states
    farther than their node's nearest distance, in BFS order (the walks that may loop).
    """
    best = States()
    ids, node, sign, parent, hop = best.ids, best.node, best.sign, best.parent, best.hop
    layers = best.layers
    weak: list[int] = []  # by id: the weakest evidence rank on the state's walk
    nearest: dict[str, int] = {}
    later: list[int] = []
    plus = ids[1]
    for src in sorted(sources):
        if src in plus:
            continue
        plus[src] = len(node)
        node.append(src)
        sign.append(1)
        weak.append(-1)
        parent.append(-1)
        hop.append(1)
        nearest.setdefault(src, 0)
    layers.append(0)
    layer: Iterable[int] = range(len(node))
    succ = net.succ
    seen = nearest.get
    d = 0
    while layer and (cutoff is None or d < cutoff):
        d += 1
        first = len(node)  # the ids of this layer start here
        layers.append(first)
        for i in layer:
            u, p, bu = node[i], sign[i], weak[i]
            for v, e, rank in succ.get(u, ()):
                if allowed is not None and v not in allowed:
                    continue
                q = p * e
                at = ids[q]
                old = at.get(v)
                b = bu if bu > rank else rank
                if old is None:
                    at[v] = n = len(node)
                    node.append(v)
                    sign.append(q)
                    weak.append(b)
                    parent.append(i)
                    hop.append(e)
                    near = seen(v)
                    if near is None:
                        nearest[v] = d
                    elif near < d:
                        later.append(n)
                elif old >= first and b < weak[old]:  # found in this layer too
                    weak[old], parent[old], hop[old] = b, i, e
        layer = range(first, len(node))
    # node -> its signs' bits (+ 1, - 2, unknown 4), the nodes in the order first reached
    starts = set(sources)
    minus, unknown = ids[-1], ids[0]
    signs = {v: (v in plus) + 2 * (v in minus) + 4 * (v in unknown)
             for v in nearest if v not in starts}
    return best, nearest, signs, later


def _revisits(best: States, i: int, node: str, floor: int) -> bool:
    """Whether ``node`` is on the walk recorded for state ``i`` at least ``floor`` hops
    from its start (a node is never nearer the start than its nearest distance)."""
    nodes, parent = best.node, best.parent
    bound = best.layers[floor]  # ids nearer the start than ``floor`` are below it
    while i >= bound:
        if nodes[i] == node:
            return True
        i = parent[i]
    return False
