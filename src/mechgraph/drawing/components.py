"""Loops and connected parts of a figure's graph, for laying out its legend.

What networkx's ``condensation`` and component functions give, computed on the graph's
edges directly, so that drawing a figure needs no networkx (whose import costs a
one-figure command more time than the figure itself). Works on a networkx graph and on
a :class:`~mechgraph.graph.FigureGraph` alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from ..graph import FigureGraph


class Condensation:
    """The graph's strongly connected components (loops) as a DAG: ``members`` node key
    -> component number, ``succ``/``pred`` component -> neighbouring components."""

    def __init__(self, g: nx.MultiDiGraph | FigureGraph) -> None:
        adj: dict[str, list[str]] = {n: [] for n in g}
        for u, v in g.edges():
            adj[u].append(v)
        self.members = _strong_components(adj)
        n = max(self.members.values(), default=-1) + 1
        self.succ: list[set[int]] = [set() for _ in range(n)]
        self.pred: list[set[int]] = [set() for _ in range(n)]
        for u, vs in adj.items():
            cu = self.members[u]
            for v in vs:
                cv = self.members[v]
                if cu != cv:
                    self.succ[cu].add(cv)
                    self.pred[cv].add(cu)

    def topological_order(self) -> list[int]:
        indegree = [len(p) for p in self.pred]
        ready = [c for c, d in enumerate(indegree) if d == 0]
        out = []
        while ready:
            c = ready.pop()
            out.append(c)
            for s in self.succ[c]:
                indegree[s] -= 1
                if indegree[s] == 0:
                    ready.append(s)
        return out

    def weak_components(self) -> dict[int, int]:
        """component -> the smallest component number of its weakly connected part."""
        part: dict[int, int] = {}
        for first in range(len(self.succ)):
            if first in part:
                continue
            part[first] = first
            todo = [first]
            while todo:
                c = todo.pop()
                for d in (*self.succ[c], *self.pred[c]):
                    if d not in part:
                        part[d] = first
                        todo.append(d)
        return part


def _strong_components(adj: dict[str, list[str]]) -> dict[str, int]:
    """node -> number of its strongly connected component (Tarjan's algorithm, without
    recursion, so that a long chain does not reach Python's recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    comp: dict[str, int] = {}
    count = 0
    for root in adj:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(adj[root]))]
        while work:
            node, it = work[-1]
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(adj[nxt])))
                    break
                if nxt in on_stack and index[nxt] < low[node]:
                    low[node] = index[nxt]
            else:
                work.pop()
                if work and low[node] < low[parent := work[-1][0]]:
                    low[parent] = low[node]
                if low[node] == index[node]:
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp[w] = count
                        if w == node:
                            break
                    count += 1
    return comp

