r"""Questions researchers ask of a mechanism graph, as plain functions.

Every function takes the graph first (a ``MultiDiGraph`` from
:func:`mechgraph.graph.build_graph`, or any view of one) and options keyword-only.
A knockout is a view (:func:`knockout`), so every query runs on a knocked-out graph
too.

Semantics:

- The **sign of a path** is the product of its edge signs; a ``~>`` makes it unknown.
- The **net effect** of a source on a node is read from the signs of its simple paths:
  all + "increases", all - "decreases", both "discordant"; paths of unknown sign decide
  only when there is no other ("unknown"). The paths are the explanation.
- A **drug** reaches what is downstream of it. A node with necessary inputs (``=>``)
  declared by a pathway of that drug is reached only when all of them are; necessity
  declared for another drug does not bind it.
- A **pathway** reaches its own nodes, signed by its own drugs along its own edges.

The examples use :func:`example_graph`: ketamine disinhibits glutamate release.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Callable, Collection, Iterable, Iterator, Literal, Mapping, Sequence

import networkx as nx

from .errors import MechgraphError
from .graph import DRUGS, EFFECT, ENTITY, EVIDENCE, LABEL, PROJECT, SIGN, node_key
from .model import Effect, Experiment, Grade, NodeRef, Project
from .names import Source, did_you_mean, label, resolve, resolve_drug, resolve_sources
from .search import (BUDGET, NO_GRADE, RANK, Influence, Net, Path, explanation, influences,
                     net_effect, path_order, reached, reversed_path, simple_paths, strongest)
from .gcpause import gc_paused

__all__ = [
    "Influence", "Path", "Source", "Reach", "SharedNode", "Comparison", "KnockoutRow", "Knockout",
    "ExperimentOutcome", "net_effect", "resolve", "resolve_drug", "resolve_sources",
    "effects", "signed_paths", "upstream", "downstream", "shared_nodes", "compare",
    "knockout", "knockout_effects", "run_experiments", "signaling_graph", "label", "example_graph",
]


#: Default longest path, in hops, when paths are listed.
CUTOFF = 12

By = Literal["entity", "compartment"]


def signaling_graph(project: Project) -> nx.MultiDiGraph:
    """The graph of every signalling pathway (workflows say "then", not "acts on"),
    frozen: queries on a frozen graph reuse what they derive from its edges."""
    from .graph import build_graph, is_workflow

    ids = [p for p in project.pathways if not is_workflow(project, p)]
    return nx.freeze(build_graph(project, ids))


def example_graph() -> nx.MultiDiGraph:
    """The graph of the examples: pathway ``k``, ketamine -| NMDAR -> GABA -| firing -> glutamate.

    >>> sorted(example_graph().edges(keys=True))[0]
    ('GABA', 'firing', 'k')
    """
    from .graph import build_graph
    from .model import Edge, Entity, Evidence, NodeKind, Pathway, PathwayKind

    kinds = {"ketamine": NodeKind.DRUG, "NMDAR": NodeKind.RECEPTOR,
             "GABA": NodeKind.TRANSMITTER, "firing": NodeKind.PROCESS,
             "glutamate": NodeKind.TRANSMITTER}
    chain = [("ketamine", Effect.NEGATIVE, "NMDAR"), ("NMDAR", Effect.POSITIVE, "GABA"),
             ("GABA", Effect.NEGATIVE, "firing"), ("firing", Effect.POSITIVE, "glutamate")]
    edges = tuple(Edge(NodeRef(u), NodeRef(v), e, (Evidence(Grade.PRECLINICAL),))
                  for u, e, v in chain)
    pathway = Pathway("k", "Disinhibition", PathwayKind.SIGNALING, edges, drugs=("ketamine",))
    entities = {k: Entity(k, k, kind) for k, kind in kinds.items()}
    return build_graph(Project({"k": pathway}, entities))


# -- the net and necessity ------------------------------------------------------------


def _rank(evidence: Sequence) -> int:
    best = NO_GRADE
    for e in evidence:
        if e.grade is not None:
            # a grade's place in the list, found by identity: no Enum.__hash__ call
            rank = _GRADES.index(e.grade)
            if rank < best:
                best = rank
    return best


_NETS: "weakref.WeakKeyDictionary[nx.Graph, Net]" = weakref.WeakKeyDictionary()


def _net(g: nx.Graph) -> Net:
    """The graph flattened into hops; kept for a frozen graph (``nx.freeze``), whose
    edges cannot change, so that repeated queries on it skip this step."""
    frozen = nx.is_frozen(g)
    if frozen and g in _NETS:
        return _NETS[g]
    net = Net.from_edges(_edge_tuples(g))
    if frozen:
        _NETS[g] = net
    return net


def _edge_tuples(g: nx.Graph) -> Iterable[tuple]:
    """(u, v, pathway, effect, sign, evidence rank) for every edge."""
    # networkx's own algorithms read the adjacency dicts directly: several times faster
    # than the public views for a pass over every edge (and views filter it too)
    adj = getattr(g, "_adj", g.adj)
    for u, nbrs in adj.items():
        for v, keyed in nbrs.items():
            for k, d in keyed.items():
                yield u, v, k, d[EFFECT], d[SIGN], _rank(d.get(EVIDENCE, ()))


Necessity = dict[str, dict[str, list[str]]]  # pathway -> target -> its necessary inputs


def _necessary_inputs(g: nx.Graph) -> Necessity:
    """For each pathway declaring any, target -> the sources of its ``=>`` edges.

    Read from the project when there is one, so that a knocked-out necessary input,
    absent from the view, still binds its target.
    """
    out: Necessity = {}
    project = g.graph.get(PROJECT)
    if project is not None:
        for pid, pathway in project.pathways.items():
            for e in pathway.edges:
                if e.effect is Effect.NECESSARY:
                    out.setdefault(pid, {}).setdefault(node_key(pathway, e.target), []).append(
                        node_key(pathway, e.source))
    else:
        for u, v, k, eff in g.edges(keys=True, data=EFFECT):
            if eff is Effect.NECESSARY:
                out.setdefault(k, {}).setdefault(v, []).append(u)
    return out


def _scoped(g: nx.Graph, drug: str, necessary: Necessity,
            pathways: Collection[str] | None = None) -> dict[str, set[str]]:
    """target -> necessary inputs that bind ``drug``: those declared by its pathways
    (and among ``pathways``, when given, which must be pathways of the drug)."""
    scope = g.graph.get(DRUGS, {}).get(drug, ()) if pathways is None else pathways
    out: dict[str, set[str]] = {}
    for pid in scope:
        if pid in necessary:
            for v, us in necessary[pid].items():
                out.setdefault(v, set()).update(us)
    return out


def _drug_reach(g: nx.Graph, net: Net, drug: str, sources: Collection[str],
                necessary: Necessity, pathways: Collection[str] | None = None,
                cutoff: int | None = None, budget: int = BUDGET,
                include_sources: bool = False,
                blocked: Collection[str] = ()) -> dict[str, Influence]:
    """The drug's influences from ``sources``, honouring its necessities; ``blocked``
    nodes are never reached (a knockout without building a view's net)."""
    needs = _scoped(g, drug, necessary, pathways)
    sources = [s for s in sources if s not in blocked]
    # with no necessity and nothing blocked, the signed search reaches the same nodes
    allowed = reached(net, sources, needs, blocked) if needs or blocked else None
    return influences(net, sources, allowed=allowed, cutoff=cutoff, budget=budget,
                      include_sources=include_sources)


def _drug_effects(g: nx.Graph, net: Net, drug: str, necessary: Necessity, *,
                  blocked: Collection[str] = (), cutoff: int | None,
                  budget: int) -> dict[str, Influence]:
    sources = [n for n, e in g.nodes(data=ENTITY) if e == drug]
    return _drug_reach(g, net, drug, sources, necessary, cutoff=cutoff, budget=budget,
                       blocked=blocked)


# -- drug effects, paths, neighbourhoods -------------------------------------------------


def _keys(g: nx.Graph, nodes: str | Collection[str]) -> list[str]:
    """Node keys, checked: a name that is not a key is an error that suggests one."""
    keys = [nodes] if isinstance(nodes, str) else list(nodes)
    for n in keys:
        if n not in g:
            raise MechgraphError(f"{n!r} is not a node of the graph"
                                 f"{did_you_mean(n, sorted(map(str, g)))} (resolve() "
                                 "turns names into node keys)")
    return keys


@gc_paused
def effects(g: nx.Graph, drug: str, *, nodes: Iterable[str] | None = None,
            cutoff: int | None = None, budget: int = BUDGET) -> dict[str, Influence]:
    """A drug's net effect on every node it reaches (or on ``nodes``), sorted by node.

    >>> g = example_graph()
    >>> {n: i.effect for n, i in effects(g, "ketamine").items()}
    {'GABA': 'decreases', 'NMDAR': 'decreases', 'firing': 'increases', 'glutamate': 'increases'}
    """
    drug = resolve_drug(g, drug)
    result = _drug_effects(g, _net(g), drug, _necessary_inputs(g), cutoff=cutoff,
                           budget=budget)
    keys = sorted(result) if nodes is None else [n for n in nodes if n in result]
    return {n: result[n] for n in keys}


@gc_paused
def signed_paths(g: nx.Graph, source: str | Collection[str], target: str | Collection[str], *,
                 cutoff: int = CUTOFF, sign: int | None = None, limit: int | None = None,
                 budget: int = BUDGET) -> list[Path]:
    """Simple paths from source node(s) to target node(s), shortest first.

    >>> g = example_graph()
    >>> [str(p) for p in signed_paths(g, "ketamine", "glutamate")]
    ['ketamine -| NMDAR -> GABA -| firing -> glutamate']
    """
    sources, targets = _keys(g, source), _keys(g, target)
    return simple_paths(_net(g), sources, targets, sign=sign, cutoff=cutoff, limit=limit,
                        budget=budget)[0]


@gc_paused
def downstream(g: nx.Graph, node: str | Collection[str], *, depth: int | None = None,
               budget: int = BUDGET) -> dict[str, Influence]:
    """What a node acts on within ``depth`` hops, with the sign of its influence.

    >>> g = example_graph()
    >>> {n: i.effect for n, i in downstream(g, "GABA").items()}
    {'firing': 'decreases', 'glutamate': 'decreases'}
    """
    nodes = _keys(g, node)
    result = influences(_net(g), nodes, cutoff=depth, budget=budget)
    return dict(sorted(result.items()))


@gc_paused
def upstream(g: nx.Graph, node: str | Collection[str], *, depth: int | None = None,
             budget: int = BUDGET) -> dict[str, Influence]:
    """What acts on a node within ``depth`` hops, with the sign of its influence.

    >>> g = example_graph()
    >>> {n: i.effect for n, i in upstream(g, "firing", depth=2).items()}
    {'GABA': 'decreases', 'NMDAR': 'decreases'}
    """
    nodes = _keys(g, node)
    result = influences(_net(g).reversed(), nodes, cutoff=depth, budget=budget)
    return {n: Influence(n, i.signs, explanation(reversed_path(p) for p in i.paths), i.truncated)
            for n, i in sorted(result.items())}


# -- shared nodes ---------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """How one source reaches a shared node."""

    source: Source
    influence: Influence | None  # None: a pathway's node that none of its drugs reaches
    evidence: Grade | None  # the strongest chain of evidence from the source to the node

    @property
    def effect(self) -> str | None:
        return self.influence.effect if self.influence else None

    @property
    def path(self) -> Path | None:
        return self.influence.path if self.influence else None


@dataclass(frozen=True)
class SharedNode:
    """A node (or an entity's nodes) reached by several sources."""

    key: str  # entity id (by entity) or node key (by compartment)
    nodes: tuple[str, ...]
    reach: tuple[Reach, ...]

    @property
    def effects(self) -> tuple[str | None, ...]:
        return tuple(r.effect for r in self.reach)

    @property
    def concordant(self) -> bool | None:
        """True if every source moves it the same way; False if two disagree or one is
        discordant; None if some sign is unknown and the rest agree."""
        fx = self.effects
        known = {e for e in fx if e in ("increases", "decreases")}
        if "discordant" in fx or len(known) > 1:
            return False
        return True if len(known) == 1 and all(e in known for e in fx) else None

    @property
    def evidence(self) -> Grade | None:
        """The weakest of the sources' strongest chains: the node is shared only as
        surely as its least supported source reaches it."""
        ranks = [_grade_rank(r.evidence) for r in self.reach]
        rank = max(ranks, default=NO_GRADE)
        return None if rank >= NO_GRADE else _GRADES[rank]


_GRADES = list(Grade)
_GRADE_AT = [*_GRADES, None]  # rank -> grade; NO_GRADE -> None


def _grade_rank(grade: Grade | None) -> int:
    return NO_GRADE if grade is None else RANK[grade]


#: what one source reaches: node -> evidence rank, for every node it reaches; and node ->
#: influence, for those it signs (a pathway reaches nodes that none of its drugs does)
Reached = tuple[dict[str, int], Mapping[str, Influence]]


def _source_reach(g: nx.Graph, sources: Sequence[Source], *, cutoff: int | None,
                  budget: int) -> Iterator[Reached]:
    """What each source reaches, one source at a time."""
    necessary = _necessary_inputs(g)
    entity_nodes: dict[str, list[str]] = {}
    for n, e in g.nodes(data=ENTITY):
        entity_nodes.setdefault(e, []).append(n)
    drugs_of: dict[str, list[str]] = {}
    for drug, pids in g.graph.get(DRUGS, {}).items():
        for pid in pids:
            drugs_of.setdefault(pid, []).append(drug)
    edges = _PathwayEdges(g)
    merged: Net | None = None
    for src in sources:
        if src.kind == "drug":
            merged = merged or _net(g)
            starts = entity_nodes.get(src.name, [])
            infs = _drug_reach(g, merged, src.name, starts, necessary, cutoff=cutoff,
                               budget=budget)
            ranks = strongest(merged, starts, infs)
            yield {n: ranks[n] for n in infs}, infs
        else:
            yield _pathway_reach(g, src.name, *edges(src.name), drugs_of.get(src.name, ()),
                                 entity_nodes, necessary, cutoff=cutoff, budget=budget)


_UNSEEN = NO_GRADE + 1  # above every rank, that of no evidence included


def _pathway_reach(g: nx.Graph, pid: str, edges: Sequence[tuple], incident: dict[str, int],
                   drugs: Iterable[str], entity_nodes: Mapping[str, list[str]],
                   necessary: Necessity, *, cutoff: int | None, budget: int) -> Reached:
    """A pathway reaches every node of its edges. Where its drugs reach (along its edges,
    under its necessities) a node is signed and its evidence is the strongest chain from
    them; elsewhere it is unsigned, with the best evidence of its edges at the node
    (``incident``)."""
    signed: dict[str, Influence] = {}
    chain: dict[str, int] = {}
    if drugs:
        net = Net.of_pathway(edges)
        for drug in drugs:
            starts = [n for n in entity_nodes.get(drug, ()) if n in incident]
            infs = _drug_reach(g, net, drug, starts, necessary, pathways=[pid],
                               cutoff=cutoff, budget=budget, include_sources=True)
            ranks = strongest(net, starts, infs)
            if not signed:  # the common case: one drug
                signed, chain = infs, ranks
                continue
            for n, rank in ranks.items():
                if rank < chain.get(n, _UNSEEN):
                    chain[n] = rank
            for n, inf in infs.items():
                prev = signed.get(n)
                signed[n] = inf if prev is None else _merge(n, [prev, inf])
    incident.update(chain)
    return incident, signed


class _PathwayEdges:
    """pathway -> its edges in ``g`` as (u, v, pathway, effect, sign, evidence rank), and
    node -> the rank of the best evidence of its edges.

    A pathway's edges are looked up one by one from its model in the project, rather than
    picked out of every edge of the graph: each query reads only the pathways it asks for,
    and the graph's nested dicts are slow to walk. The graph (or view) still decides
    which of them are there and what they say.
    """

    def __init__(self, g: nx.Graph) -> None:
        self.g = g
        project = g.graph.get(PROJECT)
        self.pathways = project.pathways if project is not None else {}
        self.adj = getattr(g, "_adj", g.adj)
        self.unmodelled: dict[str, list[tuple]] | None = None

    def __call__(self, pid: str) -> tuple[list[tuple], dict[str, int]]:
        pathway = self.pathways.get(pid)
        edges = self._scanned(pid) if pathway is None else []
        if pathway is not None:
            steps, adj = pathway.steps, self.adj
            for edge in pathway.edges:
                s, t = edge.source, edge.target
                u = f"{pid}:{s.entity}" if s.entity in steps else s.key  # graph.node_key
                v = f"{pid}:{t.entity}" if t.entity in steps else t.key
                d = adj.get(u, _NOTHING).get(v, _NOTHING).get(pid)
                if d is not None:  # None: not in this graph or view
                    edges.append((u, v, pid, d[EFFECT], d[SIGN], _rank(d.get(EVIDENCE, ()))))
        incident: dict[str, int] = {}
        for u, v, _, _, _, rank in edges:
            if rank < incident.get(u, _UNSEEN):
                incident[u] = rank
            if rank < incident.get(v, _UNSEEN):
                incident[v] = rank
        return edges, incident

    def _scanned(self, pid: str) -> list[tuple]:
        if self.unmodelled is None:  # a graph without a project: every edge, by its key
            self.unmodelled = {}
            for edge in _edge_tuples(self.g):
                self.unmodelled.setdefault(edge[2], []).append(edge)
        return self.unmodelled.get(pid, [])


_NOTHING: Mapping = {}


def _merge(key: str, infs: Sequence[Influence]) -> Influence:
    if len(infs) == 1 and infs[0].node == key:
        return infs[0]
    signs = frozenset().union(*(i.signs for i in infs))
    best: dict[int, Path] = {}
    for p in sorted((p for i in infs for p in i.paths), key=path_order):
        best.setdefault(p.sign, p)
    return Influence(key, signs, explanation(best.values()), any(i.truncated for i in infs))


Strength = tuple[int, int]  # the weakest source's evidence rank, then all ranks summed


def _group(g: nx.Graph, sources: Sequence[Source], reaches: Iterable[Reached], by: By,
           minimum: int) -> list[tuple[SharedNode, frozenset[int], Strength]]:
    """Shared nodes of at least ``minimum`` sources, each with which sources reach it and
    the strength of its evidence (lower is stronger)."""
    if by not in ("entity", "compartment"):
        raise MechgraphError(f"unknown grouping {by!r} (expected entity or compartment)")
    entity = {n: e or n for n, e in g.nodes(data=ENTITY)} if by == "entity" else None
    # group key -> (source index, node, influence, rank) in source order; filled source
    # by source, as each is computed, while its results are still fresh in memory
    index: dict[str, list[tuple[int, str, Influence | None, int]]] = {}
    for i, (ranks, infs) in enumerate(reaches):
        for n, rank in ranks.items():
            key = entity[n] if entity is not None else n
            entry = (i, n, infs.get(n), rank)
            found = index.get(key)
            if found is None:
                index[key] = [entry]
            else:
                found.append(entry)
    out = []
    for key, entries in index.items():
        if len(entries) < minimum:
            continue
        present = frozenset(e[0] for e in entries)
        if len(present) < minimum:
            continue
        if len(present) < len(entries):  # a source reaches several nodes of the group
            entries = [same[0] if len(same) == 1 else _together(key, same)
                       for same in _by_source(entries)]
        row = tuple([Reach(sources[i], inf, _GRADE_AT[rank]) for i, _, inf, rank in entries])
        ranks = [e[3] for e in entries]
        nodes = tuple(sorted({e[1] for e in index[key]}))
        out.append((SharedNode(key, nodes, row), present, (max(ranks), sum(ranks))))
    return out


def _by_source(entries: list[tuple]) -> list[list[tuple]]:
    out: dict[int, list[tuple]] = {}
    for e in entries:
        out.setdefault(e[0], []).append(e)
    return list(out.values())


def _together(key: str, entries: list[tuple]) -> tuple:
    """One source's entries for several nodes of a group, as one: its influences merged,
    its strongest evidence."""
    infs = [inf for _, _, inf, _ in entries if inf is not None]
    return (entries[0][0], key, _merge(key, infs) if infs else None,
            min(rank for *_, rank in entries))


@gc_paused
def shared_nodes(g: nx.Graph, sources: Sequence[str | Source], *, by: By = "entity",
                 minimum: int = 2, cutoff: int | None = None,
                 budget: int = BUDGET) -> list[SharedNode]:
    """Nodes reached by at least ``minimum`` of the sources (drugs, pathways or globs),
    each with every source's net effect there and its shortest path; most sources
    first, then strongest evidence (that of the least supported source, then of all).

    >>> g = example_graph()
    >>> [(s.key, *s.effects) for s in shared_nodes(g, ["ketamine", "k"])][:2]
    [('firing', 'increases', 'increases'), ('GABA', 'decreases', 'decreases')]
    """
    srcs = [s if isinstance(s, Source) else None for s in sources]
    if any(s is None for s in srcs):
        srcs = resolve_sources(g, [s.name if isinstance(s, Source) else s for s in sources])
    reaches = _source_reach(g, srcs, cutoff=cutoff, budget=budget)  # type: ignore[arg-type]
    rows = _group(g, srcs, reaches, by, minimum)  # type: ignore[arg-type]
    rows.sort(key=lambda r: (-len(r[0].reach), *r[2], _sort_label(g, r[0].nodes[0], r[0].key)))
    return [row for row, _, _ in rows]


def _sort_label(g: nx.Graph, node: str, key: str) -> tuple[str, str]:
    return (str(g.nodes[node].get(LABEL, key)).casefold(), key)


@dataclass(frozen=True)
class Comparison:
    """What two drugs share and what is specific to each, with signs."""

    a: str
    b: str
    shared: tuple[SharedNode, ...]
    only_a: tuple[SharedNode, ...]
    only_b: tuple[SharedNode, ...]


@gc_paused
def compare(g: nx.Graph, drug_a: str, drug_b: str, *, by: By = "entity",
            cutoff: int | None = None, budget: int = BUDGET) -> Comparison:
    """Shared nodes of two drugs, and the nodes only one of them reaches.

    >>> g = example_graph()
    >>> c = compare(g, "ketamine", "NMDAR")
    >>> [s.key for s in c.shared], [s.key for s in c.only_a], [s.key for s in c.only_b]
    (['firing', 'GABA', 'glutamate'], ['NMDAR'], [])
    """
    srcs = [Source(resolve_drug(g, drug_a), "drug"), Source(resolve_drug(g, drug_b), "drug")]
    reaches = _source_reach(g, srcs, cutoff=cutoff, budget=budget)
    parts: dict[frozenset[int], list[tuple[SharedNode, frozenset[int], Strength]]] = {}
    for found in _group(g, srcs, reaches, by, 1):
        parts.setdefault(found[1], []).append(found)
    for rows in parts.values():
        rows.sort(key=lambda r: (*r[2], _sort_label(g, r[0].nodes[0], r[0].key)))
    return Comparison(srcs[0].name, srcs[1].name,
                      *(tuple(row for row, _, _ in parts.get(frozenset(k), ()))
                        for k in ((0, 1), (0,), (1,))))


# -- knockouts and experiments ----------------------------------------------------------


def knockout(g: nx.Graph, nodes: Iterable[str]) -> nx.Graph:
    """A read-only view of ``g`` without ``nodes`` (removed or blocked).

    >>> g = example_graph()
    >>> sorted(knockout(g, ["GABA"]))
    ['NMDAR', 'firing', 'glutamate', 'ketamine']
    """
    return nx.restricted_view(g, list(nodes), [])


@dataclass(frozen=True)
class KnockoutRow:
    node: str
    before: Influence
    after: Influence | None
    #: when lost: its necessary inputs (for this drug) the drug no longer reaches;
    #: empty when every path to it was cut instead
    blocked_by: tuple[str, ...] = ()

    @property
    def status(self) -> Literal["lost", "changed", "kept"]:
        if self.after is None:
            return "lost"
        return "changed" if self.after.effect != self.before.effect else "kept"


@dataclass(frozen=True)
class Knockout:
    """What a drug still reaches once ``removed`` are gone, node by node."""

    drug: str
    removed: tuple[str, ...]
    rows: tuple[KnockoutRow, ...]

    def having(self, status: str) -> tuple[KnockoutRow, ...]:
        return tuple(r for r in self.rows if r.status == status)


@gc_paused
def knockout_effects(g: nx.Graph, drug: str, nodes: Iterable[str], *,
                     cutoff: int | None = None, budget: int = BUDGET) -> Knockout:
    """A drug's effects before and after knocking out ``nodes`` (node keys).

    >>> g = example_graph()
    >>> k = knockout_effects(g, "ketamine", ["GABA"])
    >>> [(r.node, r.status) for r in k.rows]
    [('NMDAR', 'kept'), ('firing', 'lost'), ('glutamate', 'lost')]
    """
    removed = tuple(sorted(set(nodes)))
    for n in removed:
        if n not in g:
            raise MechgraphError(f"cannot knock out {n!r}: not a node of the graph")
    drug = resolve_drug(g, drug)
    # one net for both: the knockout as blocked nodes is the same as effects() on
    # knockout(g, removed), without building the view's net again
    net, necessary = _net(g), _necessary_inputs(g)
    before = dict(sorted(_drug_effects(g, net, drug, necessary, cutoff=cutoff,
                                       budget=budget).items()))
    after = _drug_effects(g, net, drug, necessary, blocked=set(removed), cutoff=cutoff,
                          budget=budget)
    blocked = _blocked_by(g, drug, after)
    rows = tuple(KnockoutRow(n, i, after.get(n), () if n in after else blocked(n))
                 for n, i in before.items() if n not in removed)
    return Knockout(drug, removed, rows)


def _blocked_by(g: nx.Graph, drug: str,
                reached: Collection[str]) -> Callable[[str], tuple[str, ...]]:
    """node -> its necessary inputs, scoped to ``drug``, that are not in ``reached``."""
    needs = _scoped(g, drug, _necessary_inputs(g))
    starts = {n for n, e in g.nodes(data=ENTITY) if e == drug}

    def blocked(node: str) -> tuple[str, ...]:
        return tuple(sorted(u for u in needs.get(node, ())
                            if u not in reached and u not in starts))
    return blocked


@dataclass(frozen=True)
class ExperimentOutcome:
    """One reported experiment replayed on the graph."""

    experiment: Experiment
    before: str | None  # the drug's net effect on the target without the knockout
    observed: str  # "lost" or the net effect after the knockout
    path: Path | None  # a surviving path, or (when lost) the path the knockout cut
    status: Literal["reproduced", "contested", "failed"]
    conflicts: tuple[str, ...]  # ids of the experiments it conflicts with
    blocked_by: tuple[str, ...] = ()  # when lost: necessary inputs no longer reached

    @property
    def reproduced(self) -> bool:
        return self.status == "reproduced"


def _refs(g: nx.Graph, refs: Iterable[NodeRef], where: Experiment) -> list[str]:
    out: list[str] = []
    for ref in refs:
        nodes = [ref.key] if ref.key in g else (
            [] if ref.compartment else
            sorted(n for n, e in g.nodes(data=ENTITY) if e == ref.entity))
        if not nodes:
            loc = where.location
            raise MechgraphError(f"experiment {where.id}: {ref.key!r} is not a node of the graph",
                                 path=loc.path if loc else None, line=loc.line if loc else None)
        out += nodes
    return out


def _matches(expect: str, observed: str, before: str | None, *, knockout: bool = True) -> bool:
    if not knockout:  # the drug's own effect: "lost" reads "never reaches the target"
        return expect == observed
    if before is None:
        return False  # the graph never reached the target: nothing to knock out
    if expect == "kept":
        return observed != "lost"
    return expect == observed


@gc_paused
def run_experiments(g: nx.Graph, experiments: Iterable[Experiment] | None = None, *,
                    cutoff: int | None = None, budget: int = BUDGET) -> list[ExperimentOutcome]:
    """Replay each experiment (default: the project's) as a knockout.

    An experiment with no knockout asks for the drug's own effect on its target
    (``lost``: the drug never reaches it). An experiment is *reproduced* when the graph gives its expected outcome; *contested*
    when it does not but conflicts with one that is (the seeds disagree and the graph
    sides with the other); *failed* otherwise.
    """
    if experiments is None:
        experiments = g.graph[PROJECT].experiments.values()
    raw = []
    net, necessary = _net(g), _necessary_inputs(g)
    for x in sorted(experiments, key=lambda x: x.id):
        drug = resolve_drug(g, x.drug)
        removed = _refs(g, x.knockout, x)
        targets = _refs(g, [x.target], x)
        full = _drug_effects(g, net, drug, necessary, cutoff=cutoff, budget=budget)
        before = [full[t] for t in targets if t in full]
        after = _drug_effects(g, net, drug, necessary, blocked=set(removed), cutoff=cutoff,
                              budget=budget)
        b = _merge(x.target.key, before) if before else None
        hit = [after[t] for t in targets if t in after]
        a = _merge(x.target.key, hit) if hit else None
        observed = a.effect if a is not None else "lost"
        path = a.path if a is not None else b.path if b is not None else None
        blocked = _blocked_by(g, drug, after)
        why = () if a is not None else tuple(sorted({u for t in targets for u in blocked(t)}))
        raw.append((x, b.effect if b else None, observed or "lost", path, why))
    ok = {x.id for x, b, o, *_ in raw if _matches(x.expect, o, b, knockout=bool(x.knockout))}
    against: dict[str, set[str]] = {}
    for x, *_ in raw:
        for c in x.conflicts_with:  # a conflict binds both ways, whichever side wrote it
            against.setdefault(x.id, set()).add(c)
            against.setdefault(c, set()).add(x.id)
    out = []
    for x, b, o, path, why in raw:
        conflicts = tuple(sorted(against.get(x.id, ())))
        status = ("reproduced" if x.id in ok else
                  "contested" if any(c in ok for c in conflicts) else "failed")
        out.append(ExperimentOutcome(x, b, o, path, status,  # type: ignore[arg-type]
                                     conflicts, why))
    return out
