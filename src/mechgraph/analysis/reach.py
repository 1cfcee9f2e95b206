"""What a drug reaches on a mechanism graph: the plumbing the queries share.

:mod:`mechgraph.analysis.search` works on a :class:`~mechgraph.analysis.net.Net`; this module gets one
from a graph (and keeps it for a frozen graph), reads the necessary inputs (``=>``)
its pathways declare, and runs the signed search for one drug under the necessities
that bind it. The public queries (:mod:`mechgraph.analysis.query`, :mod:`mechgraph.analysis.shared`,
:mod:`mechgraph.analysis.knockout`) are built on these functions.
"""

from __future__ import annotations

import functools
import weakref
from typing import Callable, Collection, Iterable, Sequence

import networkx as nx

from ..graph import (
    EFFECT,
    ENTITY,
    GRADE,
    RELATION,
    SEED,
    SIGN,
    VIA,
    drug_index,
    drug_independent,
    node_key,
    project_of,
    via_nodes,
)
from ..model import Effect, Grade
from .memo import PathMemo, ranked_first
from .net import NO_GRADE, Influence, Net, Path, why_order
from .search import BUDGET, influences, reached, simple_paths

__all__ = ["Necessity", "drug_effects", "drug_reach", "edge_effect", "edge_tuples",
           "evidence_rank", "merge", "GRADE_RANK", "EFFECT_OF", "Nets", "nets_of",
           "necessary_inputs", "net_of", "scoped", "stated_scope", "ranked_paths"]

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


_NETS: "weakref.WeakKeyDictionary[nx.Graph, Nets]" = weakref.WeakKeyDictionary()
_RELATION_CODE = {"mechanism": 0, "summary": 1, "association": 2}


class Nets:
    """The nets a search walks on one graph (or view): ``full`` holds mechanistic steps
    and summary edges, ``mech`` mechanistic steps alone (the same net when there is no
    summary edge). Associations are in neither: no query ever walks one.

    ``summaries`` are the summary edges with what explains them (``via``), so that a
    knockout that cuts every chain a summary names removes it too (:meth:`without`).
    """

    def __init__(self, edges: list[tuple], summaries: list[tuple], pathways: frozenset[str],
                 g: nx.Graph, *, one_pathway: bool = False) -> None:
        self.edges = edges
        self.pathways = pathways  # of the edges walked
        self.summaries = summaries  # (u, v, pathway, via nodes)
        # one pathway's edges: at most one per pair, predecessors built only if asked
        make = Net.of_pathway if one_pathway else Net.from_edges
        self.full = make(edges)
        self.mech = make([e for e in edges if e[6] == 0]) if summaries else self.full
        self._g = g
        self._scoped: dict[frozenset[str], Nets] = {}

    @classmethod
    def of(cls, g: nx.Graph, edges: Iterable[tuple] | None = None) -> "Nets":
        walked, summaries, pids = [], [], set()
        for t in (edge_tuples(g) if edges is None else edges):
            if t[6] == 2:
                continue  # an association: never traversed
            walked.append(t)
            pids.add(t[2])
            if t[6] == 1:
                summaries.append(t)
        via = {}
        if summaries:
            adj = getattr(g, "_adj", g.adj)
            for u, v, pid, *_ in summaries:
                via[(u, v, pid)] = via_nodes(adj[u][v][pid].get(VIA, ""), g)
        return cls(walked, [(u, v, pid, via[(u, v, pid)]) for u, v, pid, *_ in summaries],
                   frozenset(pids), g)

    def scoped(self, pathways: frozenset[str]) -> "Nets":
        """The same nets with only the edges of ``pathways``."""
        if self.pathways <= pathways:
            return self
        found = self._scoped.get(pathways)
        if found is None:
            found = self._scoped[pathways] = Nets.of(
                self._g, [e for e in self.edges if e[2] in pathways])
        return found

    def without(self, blocked: Collection[str]) -> "Nets":
        """The nets once ``blocked`` are knocked out, less the summary edges whose
        explaining chain (``via``) the knockout cuts."""
        cut = {(u, v, pid) for u, v, pid, via in self.summaries
               if any(n in blocked for n in via)}
        if not cut:
            return self
        return Nets.of(self._g, [e for e in self.edges if (e[0], e[1], e[2]) not in cut])


def nets_of(g: nx.Graph) -> Nets:
    """The graph flattened into nets; kept for a frozen graph (``nx.freeze``), whose
    edges cannot change, so that repeated queries on it skip this step."""
    frozen = nx.is_frozen(g)
    if frozen and g in _NETS:
        return _NETS[g]
    nets = Nets.of(g)
    if frozen:
        _NETS[g] = nets
    return nets


def net_of(g: nx.Graph) -> Net:
    """The net of mechanistic steps and summary edges (no association) of ``g``."""
    return nets_of(g).full


def edge_tuples(g: nx.Graph) -> Iterable[tuple]:
    """(u, v, pathway, effect, sign, evidence rank, relation code, seed places) for
    every edge; relation code 0 mechanism, 1 summary, 2 association."""
    # networkx's own algorithms read the adjacency dicts directly: several times faster
    # than the public views for a pass over every edge (and views filter it too)
    adj = getattr(g, "_adj", g.adj)
    for u, nbrs in adj.items():
        for v, keyed in nbrs.items():
            for k, d in keyed.items():
                e = d[EFFECT]
                yield (u, v, k, EFFECT_OF[e] if type(e) is str else e, d[SIGN],
                       GRADE_RANK[d.get(GRADE, "")], _RELATION_CODE[d.get(RELATION, "mechanism")],
                       d.get(SEED, ""))


Necessity = dict[str, dict[str, list[str]]]  # pathway -> target -> its necessary inputs


def necessary_inputs(g: nx.Graph) -> Necessity:
    """For each pathway declaring any, target -> the sources of its ``=>`` edges.

    Read from the project when there is one, so that a knocked-out necessary input,
    absent from the view, still binds its target; an edge a view hides while both its
    nodes are there (an edge left out, not a node knocked out) no longer binds.
    """
    out: Necessity = {}
    project = project_of(g)
    if project is not None:
        necessary = Effect.NECESSARY
        for pid, pathway in project.pathways.items():
            for e in pathway.edges:
                if e.effect is necessary:
                    u, v = node_key(pathway, e.source), node_key(pathway, e.target)
                    if u in g and v in g and not g.has_edge(u, v, pid):
                        continue
                    out.setdefault(pid, {}).setdefault(v, []).append(u)
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


def stated_scope(g: nx.Graph, drug: str) -> frozenset[str]:
    """The pathways whose edges are *stated* for ``drug``: its own and the
    drug-independent ones."""
    return frozenset(drug_index(g).get(drug, ())) | drug_independent(g)


def drug_reach(g: nx.Graph, nets: Nets, drug: str, sources: Collection[str],
               necessary: Necessity, pathways: Collection[str] | None = None,
               cutoff: int | None = None, budget: int = BUDGET,
               include_sources: bool = False, blocked: Collection[str] = (),
               stated_only: bool = False) -> dict[str, Influence]:
    """The drug's influences from ``sources``, honouring its necessities; ``blocked``
    nodes are never reached (a knockout without building a view's net).

    Mechanistic steps explain first: a node reached along them is answered from them
    alone; a node reached only once summary edges are walked too is answered from
    those paths, marked ``relation == 1``. Each answer is *stated* when the drug's own
    pathways (and the drug-independent ones) reach it the same way, else *inferred*;
    ``stated_only`` keeps the stated answers alone. With ``pathways`` (a pathway's own
    view) every answer is stated.
    """
    needs = scoped(g, drug, necessary, pathways)
    sources = [s for s in sources if s not in blocked]
    if blocked:
        nets = nets.without(blocked)
    own = None
    if pathways is None:
        scope = stated_scope(g, drug)
        own = nets.scoped(scope)
        if own is nets:
            own = None  # every edge walked is stated
        elif stated_only:
            nets, own = own, None
    else:
        scope = frozenset(pathways)

    def run(net: Net) -> dict[str, Influence]:
        # with no necessity and nothing blocked, the signed search reaches the same nodes
        allowed = reached(net, sources, needs, blocked) if needs or blocked else None
        return influences(net, sources, allowed=allowed, cutoff=cutoff, budget=budget,
                          include_sources=include_sources)

    out: dict[str, Influence] = {}
    tiers = [(0, nets.mech, own.mech if own else None)]
    if nets.summaries:
        tiers.append((1, nets.full, own.full if own else None))
    order = [n for _, net, own_net in tiers for n in (own_net, net) if n is not None]
    walked: dict[int, set[str] | None] = {}
    memo = PathMemo()  # one walk per net for all the answers explained

    def explain(v: str, sign: int, rel: int, floor: int) -> Path | None:
        """The first path to ``v`` of ``sign`` by why_order, on the nets of its tier."""
        if rel not in walked:
            net = tiers[rel][1]
            walked[rel] = reached(net, sources, needs, blocked) if needs or blocked else None
        nets_here = [n for n in (tiers[0][2], tiers[0][1]) if n is not None] if rel == 0 \
            else order
        return ranked_first(nets_here, nets.full, sources, [v], sign=sign,
                            cutoff=max(EXPLAIN_CUTOFF, floor), limit=EXPLAIN_LIMIT,
                            budget=EXPLAIN_BUDGET, scope=scope, allowed=walked[rel],
                            memo=memo)

    for rel, net, own_net in tiers:
        found = run(net)
        lead = run(own_net) if own_net is not None else found
        # a node reached only once summary edges open its necessary inputs may still be
        # explained by mechanistic steps alone: its relation is that of its explanation
        steps = _within(nets.mech, sources, found) if rel else None
        why = functools.partial(_explain_in, explain, rel)  # one per tier, not per node
        for v, inf in found.items():
            if v in out:
                continue
            first = lead.get(v)
            kind = 0 if steps is not None and v in steps else rel
            if inf._paths is None and inf._lead is None and inf._explain is None:
                # the search's own answer, not yet explained: it becomes this one (its
                # witnesses are those the wrapper would have asked it for)
                inf.relation, inf.stated, inf.scope = kind, first is not None, scope
                inf._lead = first if first is not inf else None
                inf._explain = why
                out[v] = inf
                continue
            out[v] = Influence(v, inf.signs, None, inf.truncated, search=inf, relation=kind,
                               stated=first is not None, scope=scope,
                               lead=first if first is not inf else None, explain=why)
    return out


def _explain_in(explain: Callable[[str, int, int, int], Path | None], rel: int, v: str,
                sign: int, floor: int) -> Path | None:
    return explain(v, sign, rel, floor)


def _within(net: Net, sources: Collection[str], allowed: Collection[str]) -> set[str]:
    """Nodes reachable from ``sources`` on ``net`` entering only ``allowed`` ones."""
    seen = set(sources)
    queue = list(seen)
    while queue:
        u = queue.pop()
        for v, _, _ in net.succ.get(u, ()):
            if v not in seen and v in allowed:
                seen.add(v)
                queue.append(v)
    return seen


#: the longest explanation looked for, and the work one explanation may cost
EXPLAIN_CUTOFF = 12
EXPLAIN_BUDGET = 20_000
EXPLAIN_LIMIT = 10  # candidates per net and grade, ranked by why_order


def ranked_paths(tiers: Sequence[Net], full: Net, sources: Collection[str],
                 targets: Collection[str], *, sign: int | None, cutoff: int,
                 limit: int | None, budget: int, scope: Collection[str] | None,
                 allowed: Collection[str] | None = None,
                 memo: PathMemo | None = None) -> list[Path]:
    """Simple paths in :func:`why_order`. ``tiers`` are the nets in the order that rule
    ranks them (stated mechanistic steps, all of them, then with summary edges: stated,
    all); in each, hops of the strongest grade are walked first, then of weaker ones, and
    within a grade the hops stated by the most seed places first, so that a long chain
    of well-supported steps is found before many short weak ones. At most
    ``limit`` paths are kept per net and grade; the search stops once ``limit`` are
    found (what would come later ranks after them). With ``memo`` the same paths are
    read from walks shared by every call handed that memo."""
    found: dict[tuple, tuple[Net, Path]] = {}  # -> the net it was found on, the path
    for net in tiers:
        below = net.below()  # the best supported hops first, within each grade
        grades = net.grades()
        for level in range(NO_GRADE + 1):
            if level not in grades:
                continue  # no hop of this grade: the same net as the grade before
            for weak in [*below.values(), frozenset()]:
                if memo is not None:
                    paths = memo.simple_paths(net, sources, targets, sign=sign, cutoff=cutoff,
                                              limit=limit, budget=budget, max_rank=level,
                                              allowed=allowed, weak=weak)
                else:
                    paths = simple_paths(net, sources, targets, sign=sign, cutoff=cutoff,
                                         limit=limit, budget=budget, max_rank=level,
                                         allowed=allowed, weak=weak)[0]
                for p in paths:
                    found.setdefault((p.nodes, tuple(h.sign for h in p.hops)), (net, p))
                if limit is not None and len(found) >= limit:
                    break
            if limit is not None and len(found) >= limit:
                break
        if limit is not None and len(found) >= limit:
            break
    # a path found on a scoped net carries that net's hops: take the full net's
    # (one found on the full net is already the full net's: the same value)
    paths = [p if net is full else full.path(p.start, [(h.target, h.sign) for h in p.hops])
             for net, p in found.values()]
    paths.sort(key=lambda p: why_order(p, scope))
    return paths[:limit] if limit is not None else paths


def drug_effects(g: nx.Graph, nets: Nets, drug: str, necessary: Necessity, *,
                 blocked: Collection[str] = (), cutoff: int | None,
                 budget: int, stated_only: bool = False) -> dict[str, Influence]:
    """The drug's influences from its own nodes, honouring its necessities."""
    sources = [n for n, e in g.nodes(data=ENTITY) if e == drug]
    return drug_reach(g, nets, drug, sources, necessary, cutoff=cutoff, budget=budget,
                      blocked=blocked, stated_only=stated_only)


def merge(key: str, infs: Sequence[Influence]) -> Influence:
    """Influences on several nodes (or of several drugs) as one on ``key``: the best
    relation's signs, and the first path of each sign as its explanation (found only
    when asked for)."""
    if len(infs) == 1 and infs[0].node == key:
        return infs[0]
    rel = min(i.relation for i in infs)
    infs = [i for i in infs if i.relation == rel]
    signs = frozenset().union(*(i.signs for i in infs))
    stated = None if all(i.stated is None for i in infs) else any(i.stated for i in infs)
    scope = next((i.scope for i in infs if i.scope is not None), None)
    merged = Influence(key, signs, None, any(i.truncated for i in infs), relation=rel,
                       stated=stated, scope=scope)
    merged._search = _Merged(merged, infs)
    return merged


class _Merged:
    """The witnesses of a merged influence: the first path of each sign among the
    influences it merges, in the merged influence's order."""

    __slots__ = ("of", "infs")

    def __init__(self, of: Influence, infs: Sequence[Influence]) -> None:
        self.of, self.infs = of, infs

    def witness(self, state: tuple[str, int]) -> Path:
        sign = state[1]
        return self.of.order(p for i in self.infs if sign in i.signs
                             for p in i.paths if p.sign == sign)[0]
