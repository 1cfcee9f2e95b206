"""Cytoscape / NDEx CX2 networks: ``from_cx2`` reads one.

An edge's meaning comes from, in order: our own ``sign`` and ``relation`` attributes
(what :func:`to_cx2` writes), an ``interaction`` word (as in SIF), or a Relation
Ontology term in ``represents`` or ``name`` (GO-CAM: directly positively regulates ...).
A node's cross-references come from ``xrefs`` or ``represents`` (``UniProtKB:P62877``);
a GO-CAM ``occurs_in_label`` is its compartment.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import MechgraphError
from ..language.curie import check_curie
from ..model import EFFECT_ALIASES, Effect, NodeKind
from .imported import RELATIONS, Imported, Link, Node
from .source import pathway_id, read_json
from .tables import SIGN_WORDS

if TYPE_CHECKING:
    import networkx as nx

P, N, U = Effect.POSITIVE, Effect.NEGATIVE, Effect.UNKNOWN
#: Relation Ontology terms -> (effect, relation kind)
RO: dict[str, tuple[Effect, str]] = {
    "RO:0002629": (P, "mechanism"), "directly positively regulates": (P, "mechanism"),
    "RO:0002630": (N, "mechanism"), "directly negatively regulates": (N, "mechanism"),
    "RO:0002213": (P, "summary"), "positively regulates": (P, "summary"),
    "RO:0002212": (N, "summary"), "negatively regulates": (N, "summary"),
    "RO:0002211": (U, "summary"), "regulates": (U, "summary"),
    "RO:0002578": (U, "mechanism"), "directly regulates": (U, "mechanism"),
    "RO:0002304": (P, "mechanism"), "causally upstream of, positive effect": (P, "summary"),
    "RO:0002305": (N, "mechanism"), "causally upstream of, negative effect": (N, "summary"),
}
#: database names in ``represents`` -> CURIE prefix
DB = {"uniprotkb": "uniprot", "uniprot": "uniprot", "hgnc": "hgnc", "chebi": "chebi",
      "go": "go", "ncbigene": "ncbigene", "ensembl": "ensembl", "hgnc.symbol": "hgnc.symbol"}
KINDS = {"gene": NodeKind.PROTEIN, "protein": NodeKind.PROTEIN, "chemical": NodeKind.METABOLITE,
         "complex": NodeKind.COMPLEX, "smallmolecule": NodeKind.METABOLITE,
         **{k.value: k for k in NodeKind}}


def from_cx2(path: str | Path, *, text: str | None = None, pathway: str | None = None) -> Imported:
    """A CX2 file -> Imported."""
    doc = read_json(path, text)
    if not isinstance(doc, list) or not doc or not isinstance(doc[0], dict) \
            or str(doc[0].get("CXVersion", "")) != "2.0":
        raise MechgraphError("not CX2: expected a JSON list that starts with "
                             '{"CXVersion": "2.0"}', path=str(path), line=1)
    aspects: dict[str, list[Any]] = {}
    for item in doc:
        if isinstance(item, dict):
            for k, v in item.items():
                if isinstance(v, list):
                    aspects.setdefault(k, []).extend(v)
    net = aspects.get("networkAttributes", [{}])
    net = net[0] if net and isinstance(net[0], dict) else {}
    imp = Imported("CX2", str(path), pathway or pathway_id(path),
                   title=str(net.get("name") or pathway_id(path)))
    for node in aspects.get("nodes", []):
        v = node.get("v", {}) or {}
        nid = str(node.get("id"))
        where = f"node {nid}"
        xrefs = [c for c in (check_curie(x)[0] for x in _words(v.get("xrefs"))) if c]
        rep = str(v.get("represents", "") or "")
        if rep and ":" in rep:
            db, _, local = rep.partition(":")
            prefix = DB.get(db.lower())
            curie = imp.xref(prefix, local, where) if prefix else None
            if prefix is None:
                imp.skip(f"node references to {db} (no CURIE prefix)", rep)
            if curie and curie not in xrefs:
                xrefs.append(curie)
        comp = v.get("compartment_label") or v.get("occurs_in_label")
        kind = KINDS.get(str(v.get("kind") or v.get("type") or "").lower(), NodeKind.PROTEIN)
        label = " ".join(str(v.get("name") or rep or nid).split())
        imp.nodes[nid] = Node(nid, label, kind, tuple(xrefs),
                              imp.compartment(str(comp)) if comp else None)
    for edge in aspects.get("edges", []):
        v = edge.get("v", {}) or {}
        where = f"edge {edge.get('id')}"
        meaning = _meaning(v)
        if meaning is None:
            what = v.get("interaction") or v.get("name") or v.get("represents") or "untyped"
            imp.skip(f"edges of type {what!r}", where)
            continue
        effect, relation = meaning
        cites = tuple(c for c in (check_curie(x)[0] for x in _words(v.get("citations")))
                      if c and c.split(":")[0] in ("pmid", "doi", "pmc"))
        evidence = _words(v.get("evidence"))
        note = v.get("note") or (f"Evidence codes: {', '.join(evidence)}." if evidence else None)
        imp.links.append(Link(str(edge.get("s")), str(edge.get("t")), effect, None, relation,
                              cites, str(note) if note else None))
    return imp


def _meaning(v: dict[str, Any]) -> tuple[Effect, str] | None:
    relation = str(v.get("relation") or "mechanism")
    if relation not in RELATIONS:
        relation = "mechanism"
    if "effect" in v and str(v["effect"]) in EFFECT_ALIASES:
        return EFFECT_ALIASES[str(v["effect"])], relation
    if isinstance(v.get("sign"), (int, float)) and "interaction" in v:
        return {1: P, -1: N}.get(int(v["sign"]), U), relation
    word = str(v.get("interaction") or "").lower().replace(" ", "-")
    if word in SIGN_WORDS:
        return SIGN_WORDS[word]
    for key in ("represents", "name"):
        term = str(v.get(key) or "")
        if term in RO:
            return RO[term]
    return None


def _words(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(x) for x in value]
    return str(value or "").split()


# -- export --------------------------------------------------------------------------

#: sign -> (target arrow shape, line colour): the visual style's discrete mappings
SIGN_STYLE = {1: ("triangle", "#262626"), -1: ("tee", "#d73027"), 0: ("diamond", "#8c8c8c")}
NODE_ATTRS = {"name": "string", "entity": "string", "kind": "string", "xrefs": "list_of_string",
              "compartment": "string", "compartment_label": "string",
              "pathways": "list_of_string"}
EDGE_ATTRS = {"interaction": "string", "effect": "string", "sign": "integer",
              "relation": "string", "pathway": "string", "evidence": "string",
              "citations": "list_of_string", "seed": "list_of_string", "note": "string"}


def to_cx2(g: "nx.MultiDiGraph") -> str:
    """CX2 with typed attribute declarations, node positions from a Graphviz layout and a
    visual style mapping sign to arrow shape and colour (``sign`` 1, -1, 0)."""
    from .. import graph as G
    from .edgelist import interaction
    from .layout import layout

    lay = layout(g, name="cx2 export")
    ids = {n: i for i, n in enumerate(sorted(g))}
    nodes = []
    for n in sorted(g):
        d = g.nodes[n]
        v = {"name": d[G.LABEL], "entity": d[G.ENTITY], "kind": d[G.KIND],
             "xrefs": d[G.XREFS].split(), "compartment": d[G.COMPARTMENT],
             "compartment_label": d[G.COMPARTMENT_LABEL], "pathways": d[G.PATHWAYS].split()}
        x, y = lay.nodes[n].centre
        nodes.append({"id": ids[n], "x": round(x, 2), "y": round(y, 2), "v": v})
    edges = []
    for i, (u, w, d) in enumerate(sorted(g.edges(data=True),
                                         key=lambda e: (e[0], e[1], e[2][G.PATHWAY]))):
        edges.append({"id": i, "s": ids[u], "t": ids[w], "v": {
            "interaction": interaction(d), "effect": d[G.EFFECT], "sign": d[G.SIGN],
            "relation": d[G.RELATION], "pathway": d[G.PATHWAY], "evidence": d[G.GRADE],
            "citations": d[G.CITE].split(), "seed": d[G.SEED].split(), "note": d[G.NOTE]}})
    network = {"name": g.graph.get(G.NAME, "mechgraph"),
               "description": "Exported by mechgraph: pathways " + g.graph.get(G.GRAPH_PATHWAYS, "")}
    style = _style()
    doc = [
        {"CXVersion": "2.0", "hasFragments": False},
        {"metaData": [{"name": k, "elementCount": n} for k, n in (
            ("attributeDeclarations", 1), ("networkAttributes", 1), ("nodes", len(nodes)),
            ("edges", len(edges)), ("visualProperties", 1))]},
        {"attributeDeclarations": [{
            "networkAttributes": {"name": {"d": "string"}, "description": {"d": "string"}},
            "nodes": {k: {"d": t} for k, t in NODE_ATTRS.items()},
            "edges": {k: {"d": t} for k, t in EDGE_ATTRS.items()}}]},
        {"networkAttributes": [network]},
        {"nodes": nodes},
        {"edges": edges},
        {"visualProperties": [style]},
        {"status": [{"success": True}]},
    ]
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def _style() -> dict[str, Any]:
    def by_sign(index: int) -> dict[str, Any]:
        return {"type": "DISCRETE", "definition": {"attribute": "sign", "type": "integer", "map": [
            {"v": sign, "vp": vp[index]} for sign, vp in SIGN_STYLE.items()]}}

    return {
        "default": {
            "network": {"NETWORK_BACKGROUND_COLOR": "#FFFFFF"},
            "node": {"NODE_SHAPE": "round-rectangle", "NODE_BACKGROUND_COLOR": "#DEEBF7",
                     "NODE_BORDER_COLOR": "#262626", "NODE_WIDTH": 90, "NODE_HEIGHT": 36,
                     "NODE_LABEL_FONT_SIZE": 11},
            "edge": {"EDGE_WIDTH": 1.5, "EDGE_TARGET_ARROW_SHAPE": "triangle",
                     "EDGE_LINE_COLOR": "#262626", "EDGE_TARGET_ARROW_COLOR": "#262626"},
        },
        "nodeMapping": {"NODE_LABEL": {"type": "PASSTHROUGH", "definition": {
            "attribute": "name", "type": "string"}}},
        "edgeMapping": {"EDGE_TARGET_ARROW_SHAPE": by_sign(0), "EDGE_LINE_COLOR": by_sign(1),
                        "EDGE_TARGET_ARROW_COLOR": by_sign(1)},
    }


__all__ = ["from_cx2", "to_cx2", "RO", "SIGN_STYLE"]
