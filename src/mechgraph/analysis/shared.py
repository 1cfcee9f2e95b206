"""Nodes that several drugs or pathways reach, and what two drugs share.

A *source* is a drug or a pathway (:func:`mechgraph.analysis.names.resolve_sources`):

- A **drug** reaches what is downstream of it, under the necessities that bind it
  (:mod:`mechgraph.analysis.reach`); its evidence at a node is the strongest chain from it.
- A **pathway** reaches its own nodes, signed by its own drugs along its own edges.
  A node none of its drugs reaches is still the pathway's, unsigned, with the best
  evidence of its edges there.

Nodes are grouped by entity (all its nodes, in any compartment, as one) or by
compartment (each node apart). A shared node's evidence is that of its least supported
source: it is shared only as surely as the weakest of them reaches it.

The examples use :func:`mechgraph.analysis.query.example_graph`: ketamine disinhibits glutamate
release.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Literal, Mapping, Sequence

import networkx as nx

from ..errors import MechgraphError
from ..gcpause import gc_paused
from ..graph import ENTITY, LABEL, drug_index
from ..model import Grade
from .names import Source, resolve_drug, resolve_sources
from .net import NO_GRADE, RANK, Influence, Path
from .reach import (
    Necessity,
    drug_reach,
    merge,
    necessary_inputs,
    Nets,
    nets_of,
    scoped,
)
from .search import BUDGET
from .sweep import UNSEEN as _UNSEEN
from .sweep import PathwayEdges as _PathwayEdges
from .sweep import pathway_reach, strongest

__all__ = ["By", "Reach", "SharedNode", "Comparison", "shared_nodes", "compare"]

By = Literal["entity", "compartment"]


@dataclass(frozen=True, slots=True)
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

    @property
    def provenance(self) -> str:
        """"stated" (the source's own pathways, or drug-independent ones, reach it that
        way) or "inferred" (only through another drug's pathway). A pathway's own node
        is stated."""
        return "inferred" if self.influence is not None and self.influence.stated is False \
            else "stated"

    @property
    def relation(self) -> str | None:
        """"mechanism", or "summary" when only a chain with a summary edge explains it."""
        return self.influence.relation_name if self.influence else None


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
    def summary(self) -> bool:
        """Whether only a chain with a summary edge explains it for some source."""
        return any(r.relation == "summary" for r in self.reach)

    @property
    def provenance(self) -> str:
        """"stated" when every source reaches it stated, else "inferred"."""
        return "stated" if all(r.provenance == "stated" for r in self.reach) else "inferred"

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
                  budget: int, stated: bool = False) -> Iterator[Reached]:
    """What each source reaches, one source at a time."""
    necessary = necessary_inputs(g)
    entity_nodes: dict[str, list[str]] = {}
    for n, e in g.nodes(data=ENTITY):
        entity_nodes.setdefault(e, []).append(n)
    drugs_of: dict[str, list[str]] = {}
    for drug, pids in drug_index(g).items():
        for pid in pids:
            drugs_of.setdefault(pid, []).append(drug)
    edges = _PathwayEdges(g)
    merged: Nets | None = None
    for src in sources:
        if src.kind == "drug":
            merged = merged or nets_of(g)
            starts = entity_nodes.get(src.name, [])
            infs = drug_reach(g, merged, src.name, starts, necessary, cutoff=cutoff,
                              budget=budget, stated_only=stated)
            ranks = strongest(merged.full, starts, infs)
            yield {n: ranks[n] for n in infs}, infs
        else:
            found, incident, succ, relations = edges.read(src.name)
            yield _pathway_reach(g, src.name, found, incident, drugs_of.get(src.name, ()),
                                 entity_nodes, necessary, cutoff=cutoff, budget=budget,
                                 succ=succ, relations=relations)




def _pathway_reach(g: nx.Graph, pid: str, edges: Sequence[tuple], incident: dict[str, int],
                   drugs: Sequence[str], entity_nodes: Mapping[str, list[str]],
                   necessary: Necessity, *, cutoff: int | None, budget: int,
                   succ: dict[str, list] | None = None, relations: int | None = None
                   ) -> Reached:
    """A pathway reaches every node of its edges. Where its drugs reach (along its edges,
    under its necessities) a node is signed and its evidence is the strongest chain from
    them; elsewhere it is unsigned, with the best evidence of its edges there
    (``incident``). ``succ`` and ``relations``: as :meth:`PathwayEdges.read` gives them
    with the edges."""
    signed: Mapping[str, Influence] = {}
    chain: Mapping[str, int] = {}
    if relations is None:
        relations = 0
        for e in edges:
            relations |= e[6]
    if len(drugs) == 1 and relations == 0:
        # the common case (one drug, mechanistic steps only) in one pass
        drug = drugs[0]
        starts = [n for n in entity_nodes.get(drug, ()) if n in incident]
        signed, chain = pathway_reach(pid, edges, starts, scoped(g, drug, necessary, [pid]),
                                      cutoff=cutoff, budget=budget, succ=succ,
                                      into=incident)
        return incident, signed  # the strongest chains are in incident already
    elif drugs:
        signed, chain = _drug_reaches(g, pid, edges, incident, drugs, entity_nodes, necessary,
                                      cutoff=cutoff, budget=budget)
    incident.update(chain)
    return incident, signed


def _drug_reaches(g: nx.Graph, pid: str, edges: Sequence[tuple], incident: Mapping[str, int],
                  drugs: Iterable[str], entity_nodes: Mapping[str, list[str]],
                  necessary: Necessity, *, cutoff: int | None,
                  budget: int) -> tuple[dict[str, Influence], dict[str, int]]:
    """The pathway's drugs' influences along its edges, and the strongest chains."""
    signed: dict[str, Influence] = {}
    chain: dict[str, int] = {}
    walked = [e for e in edges if e[6] != 2]  # associations are never walked
    summaries = [e for e in walked if e[6] == 1]
    nets = Nets(walked, [(u, v, p, ()) for u, v, p, *_ in summaries], frozenset({pid}), g,
                one_pathway=True)
    net = nets.full
    for drug in drugs:
        starts = [n for n in entity_nodes.get(drug, ()) if n in incident]
        infs = drug_reach(g, nets, drug, starts, necessary, pathways=[pid],
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
            signed[n] = inf if prev is None else merge(n, [prev, inf])
    return signed, chain


_NOTHING: Mapping = {}


#: whether some source's answer is inferred, whether some is explained only by a summary
#: edge, the weakest source's evidence rank, all ranks summed (lower sorts first)
Strength = tuple[bool, bool, int, int]


def _group(g: nx.Graph, sources: Sequence[Source], reaches: Iterable[Reached], by: By,
           minimum: int, *, present: bool = True
           ) -> list[tuple[SharedNode, frozenset[int] | None, Strength]]:
    """Shared nodes of at least ``minimum`` sources, each with which sources reach it
    (None unless ``present``) and the strength of its evidence (lower is stronger)."""
    if by not in ("entity", "compartment"):
        raise MechgraphError(f"unknown grouping {by!r} (expected entity or compartment)")
    # node -> its group's key
    entity = {n: e or n for n, e in g.nodes(data=ENTITY)} if by == "entity" else \
        {n: str(n) for n in g}
    # group key -> source index, node, influence, rank, ... (four items an entry, flat: no
    # tuple kept per entry) in source order; filled source by source, as each is computed,
    # while its results are still fresh in memory
    index: dict[str, list] = {}
    several: set[str] = set()  # groups a source reaches at several nodes
    for i, (ranks, infs) in enumerate(reaches):
        signed = infs.get
        for n, rank in ranks.items():
            key = entity[n]
            found = index.get(key)
            if found is None:
                index[key] = [i, n, signed(n), rank]
            else:
                if found[-4] == i:  # (a source's entries are consecutive)
                    several.add(key)
                found.extend((i, n, signed(n), rank))
    out = []
    new, grade_at = object.__new__, _GRADE_AT
    # Reach's slots, set directly (a Reach without a __dict__ holds less memory)
    set_source, set_influence, set_evidence = (
        vars(Reach)[field].__set__ for field in ("source", "influence", "evidence"))
    least = 4 * minimum
    for key, found in index.items():
        if len(found) < least:
            continue
        if key in several:
            flat = iter(found)
            merged = [same[0] if len(same) == 1 else _together(key, same)
                      for same in _by_source(zip(flat, flat, flat, flat))]
            if len(merged) < minimum:
                continue
            sources_in = frozenset([e[0] for e in merged]) if present else None
            entries: Iterable[tuple] = merged
        else:
            flat = iter(found)
            entries = zip(flat, flat, flat, flat)
            sources_in = frozenset(found[0::4]) if present else None
        row = []
        worst, total = -1, 0
        inferred = summary = False  # SharedNode.provenance and .summary, read directly
        for i, _, inf, rank in entries:
            r = new(Reach)  # Reach(...) without the frozen dataclass's checked assignments
            set_source(r, sources[i])
            set_influence(r, inf)
            set_evidence(r, grade_at[rank])
            row.append(r)
            if rank > worst:
                worst = rank
            total += rank
            if inf is not None:
                if inf.stated is False:
                    inferred = True
                if inf.relation == 1:
                    summary = True
        nodes = (found[1],) if len(found) == 4 else tuple(sorted(set(found[1::4])))
        shared = new(SharedNode)  # SharedNode(key, nodes, tuple(row)), as for Reach
        d = shared.__dict__
        d["key"], d["nodes"], d["reach"] = key, nodes, tuple(row)
        out.append((shared, sources_in, (inferred, summary, worst, total)))
    return out


def _row_order(g: nx.Graph) -> Callable[[tuple[SharedNode, frozenset[int], Strength]], tuple]:
    """The order of rows within a count of sources: stated rows first, then those a
    mechanism explains, then the strongest evidence, then by label."""
    nodes = getattr(g, "_node", g.nodes)  # node -> its data, as g.nodes[n] reads it

    def key(r: tuple[SharedNode, frozenset[int], Strength]) -> tuple:
        row = r[0]
        return (*r[2], str(nodes[row.nodes[0]].get(LABEL, row.key)).casefold(), row.key)
    return key


def _by_source(entries: Iterable[tuple]) -> list[list[tuple]]:
    out: dict[int, list[tuple]] = {}
    for e in entries:
        out.setdefault(e[0], []).append(e)
    return list(out.values())


def _together(key: str, entries: list[tuple]) -> tuple:
    """One source's entries for several nodes of a group, as one: its influences merged,
    its strongest evidence."""
    infs = [inf for _, _, inf, _ in entries if inf is not None]
    return (entries[0][0], key, merge(key, infs) if infs else None,
            min(rank for *_, rank in entries))


@gc_paused
def shared_nodes(g: nx.Graph, sources: Sequence[str | Source], *, by: By = "entity",
                 minimum: int = 2, cutoff: int | None = None,
                 budget: int = BUDGET, stated: bool = False) -> list[SharedNode]:
    """Nodes reached by at least ``minimum`` of the sources (drugs, pathways or globs),
    each with every source's net effect there and its first path; most sources first,
    then stated rows before inferred ones, then those explained by mechanistic steps
    before those only a summary edge explains, then strongest evidence (that of the
    least supported source, then of all). ``stated`` keeps what each drug's own (and the
    drug-independent) pathways reach.

    >>> from mechgraph.analysis.query import example_graph
    >>> g = example_graph()
    >>> [(s.key, *s.effects) for s in shared_nodes(g, ["ketamine", "k"])][:2]
    [('firing', 'increases', 'increases'), ('GABA', 'decreases', 'decreases')]
    """
    srcs = [s if isinstance(s, Source) else None for s in sources]
    if any(s is None for s in srcs):
        srcs = resolve_sources(g, [s.name if isinstance(s, Source) else s for s in sources])
    reaches = _source_reach(g, srcs, cutoff=cutoff, budget=budget,  # type: ignore[arg-type]
                            stated=stated)
    rows = _group(g, srcs, reaches, by, minimum, present=False)  # type: ignore[arg-type]
    order = _row_order(g)
    rows.sort(key=lambda r: (-len(r[0].reach), *order(r)))
    return [row for row, _, _ in rows]


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
            cutoff: int | None = None, budget: int = BUDGET,
            stated: bool = False) -> Comparison:
    """Shared nodes of two drugs, and the nodes only one of them reaches.

    >>> from mechgraph.analysis.query import example_graph
    >>> g = example_graph()
    >>> c = compare(g, "ketamine", "NMDAR")
    >>> [s.key for s in c.shared], [s.key for s in c.only_a], [s.key for s in c.only_b]
    (['firing', 'GABA', 'glutamate'], ['NMDAR'], [])
    """
    srcs = [Source(resolve_drug(g, drug_a), "drug"), Source(resolve_drug(g, drug_b), "drug")]
    reaches = _source_reach(g, srcs, cutoff=cutoff, budget=budget, stated=stated)
    parts: dict[frozenset[int], list[tuple[SharedNode, frozenset[int], Strength]]] = {}
    for found in _group(g, srcs, reaches, by, 1):
        parts.setdefault(found[1], []).append(found)
    for rows in parts.values():
        rows.sort(key=_row_order(g))
    return Comparison(srcs[0].name, srcs[1].name,
                      *(tuple(row for row, _, _ in parts.get(frozenset(k), ()))
                        for k in ((0, 1), (0,), (1,))))
