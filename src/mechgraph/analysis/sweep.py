"""A pathway's own reach in one pass: what ``shared`` asks of every pathway source.

``shared`` over many pathways asks each the same question: which of its nodes its drug
reaches along its edges, with which signs, and the strongest evidence of the chain.
:func:`pathway_reach` answers it for the common case (one drug, mechanistic steps
only) with the searches of :mod:`mechgraph.analysis.search` on the pathway's own net,
and nothing else: no tiers, no second net, no explanation machinery. The answers are
:class:`~mechgraph.analysis.net.Influence` values like those
:func:`~mechgraph.analysis.reach.drug_reach` gives; their paths (the explanations) are
found only when first asked for, by the same ranked search ``drug_reach`` hands its
answers.

:class:`PathwayEdges` reads a pathway's edges from the graph (and each node's best
evidence) for it; :func:`strongest`, the strongest chain of evidence to each node, lives
here too.
"""

from __future__ import annotations

from typing import Collection, Iterator, Mapping, Sequence

import networkx as nx

from ..graph import EFFECT, GRADE, RELATION, SEED, SIGN, project_of
from .memo import PathMemo, ranked_first
from .net import NO_GRADE, Influence, Net, Path, State
from .reach import (
    _RELATION_CODE,
    EFFECT_OF,
    EXPLAIN_BUDGET,
    EXPLAIN_CUTOFF,
    EXPLAIN_LIMIT,
    GRADE_RANK,
    edge_tuples,
)
from .search import _SIGN_SETS, _bfs, _walk, reached, settle

__all__ = ["PathwayEdges", "pathway_reach", "strongest"]


def strongest(net: Net, sources: Collection[str], allowed: Collection[str],
              into: dict[str, int] | None = None) -> dict[str, int]:
    """For each node in ``allowed``, the rank of the strongest chain of evidence from the
    sources to it: the best, over all paths, of the path's weakest hop. (Cutting a loop
    out of a walk never weakens it, so walks and simple paths agree here.) With ``into``:
    ``into.update(answer)``, returned, without making the answer apart.

    A bottleneck search with one bucket per grade: linear time.
    """
    best: dict[str, int] = {src: -1 for src in sources}
    buckets: list[list[str]] = [[] for _ in range(NO_GRADE + 1)]
    frontier = sorted(best)
    succ, none, top = net.succ.get, (), NO_GRADE + 1
    for level in range(-1, NO_GRADE + 1):
        if level >= 0:
            frontier = buckets[level]
        while frontier:
            u = frontier.pop()
            if best[u] != level:
                continue  # improved since it was queued
            for v, _, rank in succ(u, none):
                r = rank if rank > level else level
                if r < best.get(v, top) and v in allowed:
                    best[v] = r
                    (frontier if r == level else buckets[r]).append(v)
    if into is None:
        return {v: r for v, r in best.items() if r >= 0 or v not in sources}
    # a source keeps rank -1 (nothing beats it), so the answer is best without sources
    kept = {s: into[s] for s in sources if s in into}
    into.update(best)
    for s in sources:
        if s in kept:
            into[s] = kept[s]
        else:
            del into[s]
    return into


def _bfs_needing(net: Net, sources: Collection[str], needs: Mapping[str, Collection[str]],
                cutoff: int | None) -> tuple[tuple, Collection[str]]:
    """The breadth-first search over the nodes ``reached(net, sources, needs)`` allows,
    and that set of nodes: what ``_bfs(net, sources, reached(...), cutoff)`` gives.

    With no cutoff the search runs unrestricted first; it stands, with the nodes it
    reached as the set, when no necessity holds a node back. That is so when every
    necessary input of each target it reaches is reached nearer the sources than the
    target (then, by induction on the distance, ``reached`` reaches every node this
    search does); failing that, when ``reached`` finds as many nodes (it never finds a
    node the unrestricted search does not).
    """
    if cutoff is None:
        found = _bfs(net, sources, None, None)
        nearest = found[1]
        for v, inputs in needs.items():
            near = nearest.get(v)
            if near is not None and not all(nearest.get(u, near) < near for u in inputs):
                allowed = reached(net, sources, needs)
                if len(allowed) == len(nearest):
                    return found, allowed
                break
        else:
            return found, nearest
    else:
        allowed = reached(net, sources, needs)
    return _bfs(net, sources, allowed, cutoff), allowed


class _Witnesses:
    """The witnesses of one pathway's search (as :func:`influences` keeps them): the
    simple path confirmed for a state, else the walk the breadth-first search recorded;
    made only when asked for."""

    __slots__ = ("net", "best", "confirmed", "made")

    def __init__(self, net: Net, best: Mapping[State, tuple],
                 confirmed: Mapping[State, tuple]) -> None:
        self.net, self.best, self.confirmed = net, best, confirmed
        self.made: dict[State, Path] | None = None  # made with the first witness

    def witness(self, state: State) -> Path:
        made = self.made
        if made is None:
            made = self.made = {}
        path = made.get(state)
        if path is None:
            found = self.confirmed.get(state)
            path = made[state] = self.net.path(*(found[1:] if found is not None
                                                 else _walk(self.best, state)))
        return path

    def length(self, state: State) -> int:
        found = self.confirmed.get(state)
        return found[0] if found is not None else self.best[state][0]


class _Start:
    """The witness of a source: its zero-hop path, made when asked for."""

    __slots__ = ("node",)

    def __init__(self, node: str) -> None:
        self.node = node

    def witness(self, state: State) -> Path:
        return Path(self.node)


_new = object.__new__

#: above every rank, that of no evidence included
UNSEEN = NO_GRADE + 1


class PathwayEdges:
    """pathway -> its edges in ``g`` as (u, v, pathway, effect, sign, evidence rank), and
    node -> the rank of the best evidence of its edges.

    A pathway's edges are looked up one by one from its model in the project, rather than
    picked out of every edge of the graph: each query reads only the pathways it asks for,
    and the graph's nested dicts are slow to walk. The graph (or view) still decides
    which of them are there and what they say.
    """

    def __init__(self, g: nx.Graph) -> None:
        self.g = g
        project = project_of(g)
        self.pathways = project.pathways if project is not None else {}
        self.adj = getattr(g, "_adj", g.adj)
        self.unmodelled: dict[str, list[tuple]] | None = None

    def __call__(self, pid: str) -> tuple[list[tuple], dict[str, int]]:
        edges, incident, _, _ = self.read(pid)
        return edges, incident

    def read(self, pid: str) -> tuple[Sequence[tuple], dict[str, int], dict[str, list], int]:
        """The pathway's edges, node -> best evidence rank, u -> its successors
        ``[(v, sign, rank), ...]`` sorted (:meth:`Net.of_pathway`'s adjacency), and
        the bitwise or of the edges' relation codes (0: mechanistic steps only).

        The edges' tuples (with their effects and seed places: what only explanations
        and the other routes read) are made when first iterated (:class:`_Unread`); the
        rest is read now."""
        pathway = self.pathways.get(pid)
        incident: dict[str, int] = {}
        succ: dict[str, list] = {}
        relations = 0
        best, first, follows = incident.get, incident.setdefault, succ.get
        if pathway is None:
            edges = self._scanned(pid)
            for u, v, _, _, sign, rank, rel, _ in edges:
                relations |= rel
                if rank < best(u, UNSEEN):
                    incident[u] = rank
                if rank < best(v, UNSEEN):
                    incident[v] = rank
                lst = follows(u)
                if lst is None:
                    succ[u] = [(v, sign, rank)]
                else:
                    lst.append((v, sign, rank))
        else:
            steps, adj = pathway.steps, self.adj
            for edge in pathway.edges:  # as _found, inline (a hot loop)
                s, t = edge.source, edge.target
                if steps:
                    u = f"{pid}:{s.entity}" if s.entity in steps else s.key
                    v = f"{pid}:{t.entity}" if t.entity in steps else t.key
                else:
                    u = s.entity if s.compartment is None else s.key
                    v = t.entity if t.compartment is None else t.key
                try:
                    d = adj[u][v][pid]
                except KeyError:  # not in this graph or view
                    continue
                try:  # a graph built by build_graph: every key
                    sign = d[SIGN]
                    rank = GRADE_RANK[d[GRADE]]
                    rel = _RELATION_CODE[d[RELATION]]
                except KeyError:  # as edge_tuples reads any other graph
                    sign = d[SIGN]
                    rank = GRADE_RANK[d.get(GRADE, "")]
                    rel = _RELATION_CODE[d.get(RELATION, "mechanism")]
                relations |= rel
                # node -> the best evidence of its edges
                if rank < first(u, rank):
                    incident[u] = rank
                if rank < first(v, rank):
                    incident[v] = rank
                lst = follows(u)
                if lst is None:
                    succ[u] = [(v, sign, rank)]
                else:
                    lst.append((v, sign, rank))
            edges = _Unread(self, pathway, pid)
        for lst in succ.values():
            if len(lst) > 1:
                lst.sort()
        return edges, incident, succ, relations

    def _found(self, pathway, pid: str) -> Iterator[tuple[str, str, dict]]:
        """(u, v, attributes) of each of the pathway's edges the graph holds, in the
        model's order."""
        steps, adj = pathway.steps, self.adj
        for edge in pathway.edges:
            s, t = edge.source, edge.target
            if steps:
                u = f"{pid}:{s.entity}" if s.entity in steps else s.key  # graph.node_key
                v = f"{pid}:{t.entity}" if t.entity in steps else t.key
            else:
                u = s.entity if s.compartment is None else s.key
                v = t.entity if t.compartment is None else t.key
            try:
                yield u, v, adj[u][v][pid]
            except KeyError:  # not in this graph or view
                continue

    def tuples(self, pathway, pid: str) -> list[tuple]:
        """The pathway's edges as (u, v, pathway, effect, sign, rank, relation, seeds)."""
        edges = []
        append = edges.append
        for u, v, d in self._found(pathway, pid):
            try:  # a graph built by build_graph: every key, effects as text
                append((u, v, pid, EFFECT_OF[d[EFFECT]], d[SIGN], GRADE_RANK[d[GRADE]],
                        _RELATION_CODE[d[RELATION]], d[SEED]))
            except KeyError:  # as edge_tuples reads any other graph
                e = d[EFFECT]
                append((u, v, pid, EFFECT_OF[e] if type(e) is str else e, d[SIGN],
                        GRADE_RANK[d.get(GRADE, "")],
                        _RELATION_CODE[d.get(RELATION, "mechanism")], d.get(SEED, "")))
        return edges

    def _scanned(self, pid: str) -> list[tuple]:
        if self.unmodelled is None:  # a graph without a project: every edge, by its key
            self.unmodelled = {}
            for edge in edge_tuples(self.g):
                self.unmodelled.setdefault(edge[2], []).append(edge)
        return self.unmodelled.get(pid, [])


class _Unread(Sequence):
    """A pathway's edges as :meth:`PathwayEdges.tuples` makes them, made when first read
    (a search reads only the successor lists; the tuples serve explanations and the
    routes for several drugs or summary steps)."""

    __slots__ = ("_edges", "_pathway", "_pid", "_made")

    def __init__(self, edges: PathwayEdges, pathway, pid: str) -> None:
        self._edges, self._pathway, self._pid = edges, pathway, pid
        self._made: list[tuple] | None = None

    def _list(self) -> list[tuple]:
        made = self._made
        if made is None:
            made = self._made = self._edges.tuples(self._pathway, self._pid)
            self._edges = self._pathway = None
        return made

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._list())

    def __len__(self) -> int:
        return len(self._list())

    def __getitem__(self, i):
        return self._list()[i]


def pathway_reach(pid: str, edges: Sequence[tuple], starts: Sequence[str],
                  needs: Mapping[str, Collection[str]], *, cutoff: int | None, budget: int,
                  succ: dict[str, list] | None = None, into: dict[str, int] | None = None
                  ) -> tuple[dict[str, Influence], dict[str, int]]:
    """The influences of a drug at ``starts`` on the pathway's nodes along its
    ``edges`` (``(u, v, pathway, effect, sign, rank, relation, seeds)``, mechanistic
    steps only, one per pair) under its necessities ``needs`` (target -> inputs), and
    the rank of the strongest chain to each: what ``drug_reach(..., pathways=[pid],
    include_sources=True)`` and :func:`strongest` give, explanations included. ``succ``:
    the edges' successor lists, if read with them (:meth:`PathwayEdges.read`); ``into``:
    updated with the strongest chains (:func:`strongest`) and returned for them."""
    net = Net(succ, None, None, edges=edges) if succ is not None else Net.of_pathway(edges)
    if needs:  # only the nodes reached(net, starts, needs) allows are walked
        found, allowed = _bfs_needing(net, starts, needs, cutoff)
    else:
        found, allowed = _bfs(net, starts, None, cutoff), None
    best, signs, truncated, confirmed = settle(net, starts, found, allowed, cutoff, budget,
                                               witnesses=False)
    scope = frozenset((pid,))
    memo: list[PathMemo] = []  # one walk per net for all the answers explained: made with
    # the first explanation asked for

    def why(v: str, sign: int, floor: int) -> Path | None:
        """drug_reach's explanation: the first path by why_order."""
        if not memo:
            memo.append(PathMemo())
        return ranked_first([net], net, starts, [v], sign=sign,
                            cutoff=max(EXPLAIN_CUTOFF, floor), limit=EXPLAIN_LIMIT,
                            budget=EXPLAIN_BUDGET, scope=scope, allowed=allowed, memo=memo[0])

    out: dict[str, Influence] = {}
    for src in sorted(starts):  # as drug_reach answers for its sources
        out[src] = Influence(src, _SIGN_SETS[1], None, False, search=_Start(src), relation=0,
                             stated=True, scope=scope, explain=why)
    search = _Witnesses(net, best, confirmed)
    sets = _SIGN_SETS
    # each node reached: stated (the pathway's own), explained by mechanistic steps
    for v, bits in signs.items():
        out[v] = inf = _new(Influence)
        inf.node = v
        inf.signs = sets[bits]
        inf.truncated = v in truncated
        inf._paths = None
        inf._search = search
        inf.relation = 0
        inf.stated = True
        inf.scope = scope
        inf._lead = None
        inf._explain = why
    return out, strongest(net, starts, out, into)
