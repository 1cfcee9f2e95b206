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

The queries are in three modules, and every public name is importable from this one:
here effects, paths and neighbourhoods; shared nodes and comparisons in
:mod:`mechgraph.analysis.shared`; knockouts and experiments in :mod:`mechgraph.analysis.knockout`. What
they share (a graph's net, necessity, a drug's reach) is in :mod:`mechgraph.analysis.reach`.

The examples use :func:`example_graph`: ketamine disinhibits glutamate release.
"""

from __future__ import annotations

from typing import Collection, Iterable

import networkx as nx

from ..errors import MechgraphError
from ..gcpause import gc_paused
from ..graph import ENTITY, drug_index
from ..model import Effect, Grade, NodeRef, Project
from .experiments import ExperimentOutcome, run_experiments
from .knockout import Knockout, KnockoutRow, knockout, knockout_effects
from .names import Source, did_you_mean, label, resolve, resolve_drug, resolve_sources
from .net import Influence, Path, explanation, net_effect, reversed_path, why_order
from .reach import drug_effects, necessary_inputs, net_of, nets_of, ranked_paths, stated_scope
from .search import BUDGET, influences
from .shared import By, Comparison, Reach, SharedNode, compare, shared_nodes

__all__ = [
    "Influence", "Path", "Source", "By", "Reach", "SharedNode", "Comparison", "KnockoutRow",
    "Knockout", "ExperimentOutcome", "net_effect", "resolve", "resolve_drug", "resolve_sources",
    "effects", "signed_paths", "upstream", "downstream", "shared_nodes", "compare",
    "knockout", "knockout_effects", "run_experiments", "signaling_graph", "label", "example_graph",
    "path_scope",
]


#: Default longest path, in hops, when paths are listed.
CUTOFF = 12


def signaling_graph(project: Project) -> nx.MultiDiGraph:
    """The graph of every signalling pathway (workflows say "then", not "acts on"),
    frozen: queries on a frozen graph reuse what they derive from its edges."""
    from ..graph import build_graph, is_workflow

    ids = [p for p in project.pathways if not is_workflow(project, p)]
    return nx.freeze(build_graph(project, ids))


def example_graph() -> nx.MultiDiGraph:
    """The graph of the examples: pathway ``k``, ketamine -| NMDAR -> GABA -| firing -> glutamate.

    >>> sorted(example_graph().edges(keys=True))[0]
    ('GABA', 'firing', 'k')
    """
    from ..graph import build_graph
    from ..model import Edge, Entity, Evidence, NodeKind, Pathway, PathwayKind

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
            cutoff: int | None = None, budget: int = BUDGET,
            stated: bool = False) -> dict[str, Influence]:
    """A drug's net effect on every node it reaches (or on ``nodes``), sorted by node.

    Each answer says whether a mechanistic path explains it (``relation``: 0) or only a
    chain with a summary edge (1), and whether it is stated for the drug
    (``provenance``); ``stated`` keeps the stated answers, computed on the drug's own and
    the drug-independent pathways alone.

    >>> g = example_graph()
    >>> {n: i.effect for n, i in effects(g, "ketamine").items()}
    {'GABA': 'decreases', 'NMDAR': 'decreases', 'firing': 'increases', 'glutamate': 'increases'}
    """
    drug = resolve_drug(g, drug)
    result = drug_effects(g, nets_of(g), drug, necessary_inputs(g), cutoff=cutoff,
                          budget=budget, stated_only=stated)
    keys = sorted(result) if nodes is None else [n for n in nodes if n in result]
    return {n: result[n] for n in keys}


def path_scope(g: nx.Graph, sources: Collection[str]) -> frozenset[str] | None:
    """The pathways that make a path from ``sources`` stated: when the sources are the
    nodes of one drug, its own and the drug-independent pathways; else None."""
    drugs = {g.nodes[n].get(ENTITY) for n in sources}
    if len(drugs) == 1:
        (drug,) = drugs
        if drug in drug_index(g):
            return stated_scope(g, drug)
    return None


@gc_paused
def signed_paths(g: nx.Graph, source: str | Collection[str], target: str | Collection[str], *,
                 cutoff: int = CUTOFF, sign: int | None = None, limit: int | None = None,
                 budget: int = BUDGET, stated: bool = False) -> list[Path]:
    """Simple paths from source node(s) to target node(s), in :func:`why_order`:
    mechanistic steps only before paths with a summary edge, then (from a drug) stated
    before inferred, then strongest weakest evidence, then shortest. Associations are
    never walked. Each kind is searched apart, shortest first, ``limit`` paths each, so
    that many short summary paths never hide a longer mechanistic one. ``stated`` keeps
    the paths of a drug's own (and the drug-independent) pathways.

    >>> g = example_graph()
    >>> [str(p) for p in signed_paths(g, "ketamine", "glutamate")]
    ['ketamine -| NMDAR -> GABA -| firing -> glutamate']
    """
    sources, targets = _keys(g, source), _keys(g, target)
    nets = nets_of(g)
    scope = path_scope(g, sources)
    own = nets.scoped(scope) if scope is not None else None
    parts = [nets] if own is None or own is nets else [own] if stated else [own, nets]
    tiers = [n.mech for n in parts]
    if nets.summaries:
        tiers += [n.full for n in parts]
    return ranked_paths(tiers, nets.full, sources, targets, sign=sign, cutoff=cutoff,
                        limit=limit, budget=budget, scope=scope)


@gc_paused
def downstream(g: nx.Graph, node: str | Collection[str], *, depth: int | None = None,
               budget: int = BUDGET) -> dict[str, Influence]:
    """What a node acts on within ``depth`` hops, with the sign of its influence.

    >>> g = example_graph()
    >>> {n: i.effect for n, i in downstream(g, "GABA").items()}
    {'firing': 'decreases', 'glutamate': 'decreases'}
    """
    nodes = _keys(g, node)
    result = influences(net_of(g), nodes, cutoff=depth, budget=budget)
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
    result = influences(net_of(g).reversed(), nodes, cutoff=depth, budget=budget)
    return {n: Influence(n, i.signs, explanation(reversed_path(p) for p in i.paths), i.truncated)
            for n, i in sorted(result.items())}
