"""Node-link JSON (networkx's ``node_link_data`` with its current ``edges`` key):
``to_json`` writes it with a schema version, ``from_json`` reads it back.

The document is networkx's own, so ``nx.node_link_graph(doc, edges="edges")`` rebuilds
the graph; ``mechgraph_schema_version`` says which attribute names and values to
expect (those of :mod:`mechgraph.graph`).
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from .. import graph as G
from ..errors import MechgraphError
from ..language.curie import check_curie
from ..model import EFFECT_ALIASES, NodeKind
from .imported import RELATIONS, Imported, Link, Node
from .source import pathway_id, read_json

SCHEMA_VERSION = 1
KINDS = {k.value: k for k in NodeKind}


def to_json(g: nx.MultiDiGraph) -> str:
    """The graph as node-link JSON, nodes and edges sorted, with ``mechgraph_schema_version``."""
    doc = nx.node_link_data(g, edges="edges")
    doc["nodes"] = sorted(doc["nodes"], key=lambda n: n["id"])
    doc["edges"] = sorted(doc["edges"], key=lambda e: (e["source"], e["target"], e["key"]))
    doc["graph"] = {**doc["graph"], "mechgraph_schema_version": SCHEMA_VERSION}
    return json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def from_json(path: str | Path, *, text: str | None = None, pathway: str | None = None) -> Imported:
    """Node-link JSON (ours, or any with ``nodes`` and ``edges``/``links``) -> Imported."""
    doc = read_json(path, text)
    if not isinstance(doc, dict) or "nodes" not in doc:
        raise MechgraphError("not node-link JSON: expected an object with 'nodes' and 'edges'",
                             path=str(path), line=1)
    imp = Imported("node-link JSON", str(path), pathway or pathway_id(path),
                   title=Path(str(path)).stem)
    for n in doc["nodes"]:
        nid = str(n.get("id"))
        xrefs = tuple(c for c in (check_curie(x)[0] for x in str(n.get(G.XREFS, "")).split()) if c)
        comp = n.get(G.COMPARTMENT) or ""
        label = str(n.get(G.LABEL) or n.get("name") or n.get(G.ENTITY) or nid)
        imp.nodes[nid] = Node(nid, label, KINDS.get(str(n.get(G.KIND, "")), NodeKind.PROTEIN),
                              xrefs, imp.compartment(str(comp)) if comp else None)
    for e in doc.get("edges", doc.get("links", [])):
        effect = EFFECT_ALIASES.get(str(e.get(G.EFFECT, "")))
        if effect is None:
            imp.skip("edges without a known effect", f"{e.get('source')} -> {e.get('target')}")
            continue
        relation = str(e.get(G.RELATION) or "mechanism")
        cites = tuple(c for c in (check_curie(x)[0] for x in str(e.get(G.CITE, "")).split()) if c)
        imp.links.append(Link(str(e.get("source")), str(e.get("target")), effect, None,
                              relation if relation in RELATIONS else "mechanism", cites,
                              str(e.get(G.NOTE) or "") or None))
    return imp


__all__ = ["to_json", "from_json", "SCHEMA_VERSION"]
