"""GraphML for Cytoscape and yEd: ``to_graphml``.

networkx writes it, so every attribute is declared with its type (``attr.type``
string, int ...). Cytoscape shows a node's ``name`` and an edge's ``interaction``, so
both are added: the node's label and the word for the edge's effect and relation kind.
"""

from __future__ import annotations

import io

import networkx as nx

from .. import graph as G
from .edgelist import interaction


def to_graphml(g: nx.MultiDiGraph) -> str:
    """The graph as GraphML text, nodes and edges in sorted order."""
    out = nx.MultiDiGraph()
    out.graph.update(g.graph)
    for n in sorted(g):
        out.add_node(n, name=g.nodes[n][G.LABEL], **g.nodes[n])
    for u, v, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]):
        out.add_edge(u, v, key=k, interaction=interaction(d), **d)
    buf = io.BytesIO()
    nx.write_graphml(out, buf, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return buf.getvalue().decode("utf-8")


__all__ = ["to_graphml"]
