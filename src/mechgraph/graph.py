"""Model -> one ``networkx.MultiDiGraph`` for any set of pathways.

Node key: the entity id, plus ``@compartment`` when the pathway places it in one
(``NMDAR@interneuron``); workflow steps are keyed ``pathway:step`` so that two
workflows never share a step by accident. Edge key: the pathway id, so one
pathway contributes at most one edge between two nodes and several pathways may
draw the same edge side by side.

Attribute names are the constants below; queries and the renderer use them, never
string literals.
"""

from __future__ import annotations

from typing import Iterable

import networkx as nx

from .gcpause import gc_paused
from .model import Edge, NodeKind, NodeRef, Pathway, PathwayKind, Project

# node attributes
ENTITY = "entity"  # entity id (or "pathway:step" for a workflow step)
COMPARTMENT = "compartment"  # compartment id or None
COMPARTMENT_LABEL = "compartment_label"
LABEL = "label"
KIND = "kind"  # NodeKind
XREFS = "xrefs"  # tuple of CURIEs
PATHWAYS = "pathways"  # sorted tuple of pathway ids that use the node
TIME = "time"  # time point of a workflow step, or None

# edge attributes (the edge key is the pathway id too)
EFFECT = "effect"  # Effect
SIGN = "sign"  # +1, -1, 0
PATHWAY = "pathway"
EVIDENCE = "evidence"  # tuple of Evidence
BRANCH = "branch"  # branch label in a workflow, or None
LOCATION = "location"  # Location of the first statement of the edge

# graph attributes
PROJECT = "project"  # the Project the graph was built from
DRUGS = "drugs"  # {drug entity id: sorted tuple of pathway ids that declare it}


def node_key(pathway: Pathway, ref: NodeRef) -> str:
    """The graph key of a node reference as written in ``pathway``."""
    if ref.entity in pathway.steps:
        return f"{pathway.id}:{ref.entity}"
    return ref.key


@gc_paused
def build_graph(project: Project, pathways: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """One MultiDiGraph of the given pathways (default: all), nodes shared by identity.

    >>> from mechgraph.language.load import load_text
    >>> p = load_text("pathway: p\\ntitle: t\\nedges: [a -> b -| c]\\n"
    ...               "entities: {a: drug, b: protein, c: outcome}\\n", path="p.yaml")
    >>> g = build_graph(p)
    >>> sorted(g.edges(keys=True, data=SIGN))
    [('a', 'b', 'p', 1), ('b', 'c', 'p', -1)]
    """
    ids = sorted(project.pathways) if pathways is None else sorted(set(pathways))
    g = nx.MultiDiGraph()
    g.graph[PROJECT] = project
    drugs: dict[str, set[str]] = {}
    node_pathways: dict[str, set[str]] = {}
    for pid in ids:
        pathway = project.pathways[pid]
        for drug in pathway.drugs:
            drugs.setdefault(drug, set()).add(pid)
        for edge in pathway.edges:
            u = _add_node(g, project, pathway, edge.source)
            v = _add_node(g, project, pathway, edge.target)
            node_pathways.setdefault(u, set()).add(pid)
            node_pathways.setdefault(v, set()).add(pid)
            _add_edge(g, pathway, u, v, edge)
    for key, pids in node_pathways.items():
        g.nodes[key][PATHWAYS] = tuple(sorted(pids))
    g.graph[DRUGS] = {d: tuple(sorted(p)) for d, p in sorted(drugs.items())}
    return g


def _add_node(g: nx.MultiDiGraph, project: Project, pathway: Pathway, ref: NodeRef) -> str:
    key = node_key(pathway, ref)
    if key in g:
        return key
    step = pathway.steps.get(ref.entity)
    if step is not None:
        g.add_node(key, **{ENTITY: key, COMPARTMENT: None, COMPARTMENT_LABEL: None,
                           LABEL: step.label, KIND: step.kind, XREFS: (), TIME: step.time})
        return key
    entity = project.entities[ref.entity]
    comp = project.compartment(pathway, ref.compartment) if ref.compartment else None
    g.add_node(key, **{
        ENTITY: entity.id,
        COMPARTMENT: ref.compartment,
        COMPARTMENT_LABEL: comp.label if comp else None,
        LABEL: entity.label,
        KIND: entity.kind,
        XREFS: entity.xrefs,
        TIME: None,
    })
    return key


def _add_edge(g: nx.MultiDiGraph, pathway: Pathway, u: str, v: str, edge: Edge) -> None:
    g.add_edge(u, v, key=pathway.id, **{
        EFFECT: edge.effect,
        SIGN: edge.effect.sign,
        PATHWAY: pathway.id,
        EVIDENCE: edge.evidence,
        BRANCH: edge.label,
        LOCATION: edge.location,
    })


def is_workflow(project: Project, pathway_id: str) -> bool:
    return project.pathways[pathway_id].kind is PathwayKind.WORKFLOW


__all__ = [
    "build_graph", "node_key", "is_workflow", "NodeKind",
    "ENTITY", "COMPARTMENT", "COMPARTMENT_LABEL", "LABEL", "KIND", "XREFS", "PATHWAYS", "TIME",
    "EFFECT", "SIGN", "PATHWAY", "EVIDENCE", "BRANCH", "LOCATION", "PROJECT", "DRUGS",
]
