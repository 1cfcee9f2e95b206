"""What a drug reaches on a mechanism graph: the plumbing the queries share.

:mod:`mechgraph.analysis.search` works on a :class:`~mechgraph.analysis.net.Net`; this module gets one
from a graph (and keeps it for a frozen graph), reads the necessary inputs (``=>``)
its pathways declare, and runs the signed search for one drug under the necessities
that bind it. The public queries (:mod:`mechgraph.analysis.query`, :mod:`mechgraph.analysis.shared`,
:mod:`mechgraph.analysis.knockout`) are built on these functions.
"""

from __future__ import annotations

import weakref
from typing import Collection, Iterable, Sequence

import networkx as nx

from ..graph import EFFECT, ENTITY, GRADE, SIGN, drug_index, node_key, project_of
from ..model import Effect, Grade
from .net import NO_GRADE, Influence, Net, Path, explanation, path_order
from .search import BUDGET, influences, reached

__all__ = ["Necessity", "drug_effects", "drug_reach", "edge_effect", "edge_tuples",
           "evidence_rank", "merge", "GRADE_RANK", "EFFECT_OF",
           "necessary_inputs", "net_of", "scoped"]

_GRADES = list(Grade)
#: an edge's grade attribute -> its rank ("" : no grade)
GRADE_RANK = {**{g.value: i for i, g in enumerate(_GRADES)}, "": NO_GRADE}
#: an edge's effect attribute (the arrow) -> the Effect
EFFECT_OF = {e.value: e for e in Effect}


def evidence_rank(evidence: Sequence) -> int:
    """The rank of the strongest grade among ``evidence`` (NO_GRADE if none has one)."""
    best = NO_GRADE
    for e in evidence:
        if e.grade is not None:
            # a grade's place in the list, found by identity: no Enum.__hash__ call
            rank = _GRADES.index(e.grade)
            if rank < best:
                best = rank
    return best


def edge_effect(d: dict) -> Effect:
    """The Effect of an edge's attributes (an arrow text; an Effect is taken as is)."""
    e = d[EFFECT]
    return EFFECT_OF[e] if type(e) is str else e


_NETS: "weakref.WeakKeyDictionary[nx.Graph, Net]" = weakref.WeakKeyDictionary()


def net_of(g: nx.Graph) -> Net:
    """The graph flattened into hops; kept for a frozen graph (``nx.freeze``), whose
    edges cannot change, so that repeated queries on it skip this step."""
    frozen = nx.is_frozen(g)
    if frozen and g in _NETS:
        return _NETS[g]
    net = Net.from_edges(edge_tuples(g))
    if frozen:
        _NETS[g] = net
    return net


def edge_tuples(g: nx.Graph) -> Iterable[tuple]:
    """(u, v, pathway, effect, sign, evidence rank) for every edge."""
    # networkx's own algorithms read the adjacency dicts directly: several times faster
    # than the public views for a pass over every edge (and views filter it too)
    adj = getattr(g, "_adj", g.adj)
    for u, nbrs in adj.items():
        for v, keyed in nbrs.items():
            for k, d in keyed.items():
                e = d[EFFECT]
                yield (u, v, k, EFFECT_OF[e] if type(e) is str else e, d[SIGN],
                       GRADE_RANK[d.get(GRADE, "")])


Necessity = dict[str, dict[str, list[str]]]  # pathway -> target -> its necessary inputs


def necessary_inputs(g: nx.Graph) -> Necessity:
    """For each pathway declaring any, target -> the sources of its ``=>`` edges.

    Read from the project when there is one, so that a knocked-out necessary input,
    absent from the view, still binds its target.
    """
    out: Necessity = {}
    project = project_of(g)
    if project is not None:
        for pid, pathway in project.pathways.items():
            for e in pathway.edges:
                if e.effect is Effect.NECESSARY:
                    out.setdefault(pid, {}).setdefault(node_key(pathway, e.target), []).append(
                        node_key(pathway, e.source))
    else:
        for u, v, k, d in g.edges(keys=True, data=True):
            if edge_effect(d) is Effect.NECESSARY:
                out.setdefault(k, {}).setdefault(v, []).append(u)
    return out


def scoped(g: nx.Graph, drug: str, necessary: Necessity,
           pathways: Collection[str] | None = None) -> dict[str, set[str]]:
    """target -> necessary inputs that bind ``drug``: those declared by its pathways
    (and among ``pathways``, when given, which must be pathways of the drug)."""
    scope = drug_index(g).get(drug, ()) if pathways is None else pathways
    out: dict[str, set[str]] = {}
    for pid in scope:
        if pid in necessary:
            for v, us in necessary[pid].items():
                out.setdefault(v, set()).update(us)
    return out


def drug_reach(g: nx.Graph, net: Net, drug: str, sources: Collection[str],
               necessary: Necessity, pathways: Collection[str] | None = None,
               cutoff: int | None = None, budget: int = BUDGET,
               include_sources: bool = False,
               blocked: Collection[str] = ()) -> dict[str, Influence]:
    """The drug's influences from ``sources``, honouring its necessities; ``blocked``
    nodes are never reached (a knockout without building a view's net)."""
    needs = scoped(g, drug, necessary, pathways)
    sources = [s for s in sources if s not in blocked]
    # with no necessity and nothing blocked, the signed search reaches the same nodes
    allowed = reached(net, sources, needs, blocked) if needs or blocked else None
    return influences(net, sources, allowed=allowed, cutoff=cutoff, budget=budget,
                      include_sources=include_sources)


def drug_effects(g: nx.Graph, net: Net, drug: str, necessary: Necessity, *,
                 blocked: Collection[str] = (), cutoff: int | None,
                 budget: int) -> dict[str, Influence]:
    """The drug's influences from its own nodes, honouring its necessities."""
    sources = [n for n, e in g.nodes(data=ENTITY) if e == drug]
    return drug_reach(g, net, drug, sources, necessary, cutoff=cutoff, budget=budget,
                      blocked=blocked)


def merge(key: str, infs: Sequence[Influence]) -> Influence:
    """Influences on several nodes (or of several drugs) as one on ``key``: every sign,
    and the shortest path of each sign as its explanation."""
    if len(infs) == 1 and infs[0].node == key:
        return infs[0]
    signs = frozenset().union(*(i.signs for i in infs))
    best: dict[int, Path] = {}
    for p in sorted((p for i in infs for p in i.paths), key=path_order):
        best.setdefault(p.sign, p)
    return Influence(key, signs, explanation(best.values()), any(i.truncated for i in infs))

