"""WikiPathways GPML (2013a, and the 2010a and genmapp 2008a namespaces): ``from_gpml``.

DataNodes become entities with their Xref as a CURIE; interactions become edges by
their arrowhead (MIM types and the old Arrow/TBar); an interaction that ends on an
anchor of another interaction acts on that interaction's target (or, from an anchor,
starts at its source); a group an interaction points at becomes one node (a complex
for a Complex group). Cellular-component shapes are compartments: a node is in the
smallest one around its centre. Everything else is counted in the summary.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

from ..errors import MechgraphError
from ..model import Effect, NodeKind
from .imported import Imported, Link, Node
from .source import local, namespace, parse_xml, pathway_id

P, N = Effect.POSITIVE, Effect.NEGATIVE
#: arrowhead -> (effect, relation); None: the arrowhead has no signed meaning
ARROWHEADS: dict[str, tuple[Effect, str] | None] = {
    "Arrow": (P, "mechanism"),
    "TBar": (N, "mechanism"),
    "mim-stimulation": (P, "mechanism"),
    "mim-necessary-stimulation": (Effect.NECESSARY, "mechanism"),
    "mim-catalysis": (P, "mechanism"),
    "mim-transcription-translation": (P, "mechanism"),
    "mim-inhibition": (N, "mechanism"),
    "mim-conversion": (Effect.CONVERSION, "mechanism"),
    "mim-modification": (Effect.UNKNOWN, "mechanism"),
    "mim-cleavage": (Effect.UNKNOWN, "mechanism"),
    "mim-binding": (Effect.ASSOCIATED, "association"),
    "mim-covalent-bond": (Effect.ASSOCIATED, "association"),
    "mim-translocation": None,
    "mim-gap": None,
    "mim-branching-left": None,
    "mim-branching-right": None,
    "Receptor": None, "ReceptorSquare": None, "ReceptorRound": None,
    "LigandSquare": None, "LigandRound": None,
}
#: GPML Xref database -> CURIE prefix
DATABASES = {
    "ensembl": "ensembl", "entrez gene": "ncbigene", "ncbi gene": "ncbigene",
    "hgnc": "hgnc.symbol", "hgnc accession number": "hgnc", "chebi": "chebi",
    "uniprot-trembl": "uniprot", "uniprot-swissprot": "uniprot", "uniprot": "uniprot",
    "uniprotkb": "uniprot", "pubchem-compound": "pubchem.compound", "pubchem": "pubchem.compound",
    "hmdb": "hmdb", "chemspider": "chemspider", "wikidata": "wikidata",
    "enzyme nomenclature": "eccode", "wikipathways": "wikipathways", "kegg compound": "kegg.compound",
    "reactome": "reactome", "geneontology": "go", "gene ontology": "go", "drugbank": "drugbank",
    "mesh": "mesh",
}
KINDS = {"GeneProduct": NodeKind.PROTEIN, "Protein": NodeKind.PROTEIN, "Rna": NodeKind.PROTEIN,
         "Gene": NodeKind.PROTEIN, "Metabolite": NodeKind.METABOLITE,
         "Complex": NodeKind.COMPLEX, "Pathway": NodeKind.PROCESS}
_BP = "{http://www.biopax.org/release/biopax-level3.owl#}"


def from_gpml(path: str | Path, *, data: bytes | None = None,
              pathway: str | None = None) -> Imported:
    """A WikiPathways GPML file -> Imported."""
    doc = parse_xml(path, data)
    root = doc.root
    ns = namespace(root.tag)
    if local(root.tag) != "Pathway" or not any(h in ns for h in ("pathvisio.org/GPML",
                                                                  "genmapp.org/GPML")):
        raise MechgraphError(f"not GPML: the root is <{local(root.tag)}> in namespace "
                             f"{ns or 'none'!r}; expected <Pathway> in http://pathvisio.org/GPML/...",
                             path=str(path), line=1)
    q = lambda t: f"{{{ns}}}{t}"  # noqa: E731
    pid = pathway or pathway_id(path)
    imp = Imported("GPML", str(path), pid, title=root.get("Name", "") or pid)
    wp = pathway_id(path)
    if wp.startswith("WP") and wp[2:].isdigit():
        imp.cite = (f"wikipathways:{wp}",)
    pubs = _publications(root)
    boxes = _compartments(root, q, imp)
    for dn in root.findall(q("DataNode")):
        gid = dn.get("GraphId") or f"line{doc.line(dn)}"
        label = " ".join(dn.get("TextLabel", "").split()) or gid
        kind = KINDS.get(dn.get("Type", ""), NodeKind.PROTEIN)
        xref = dn.find(q("Xref"))
        xrefs: tuple[str, ...] = ()
        if xref is not None and xref.get("ID", "").strip():
            db = xref.get("Database", "")
            prefix = DATABASES.get(db.lower())
            if prefix is None:
                imp.skip(f"cross-references to {db or 'an unnamed database'} (no CURIE prefix)",
                         f"{label}: {xref.get('ID')}")
            else:
                local_id = xref.get("ID", "").strip()
                if prefix in ("chebi", "hgnc") and ":" in local_id:
                    local_id = local_id.split(":", 1)[1]
                curie = imp.xref(prefix, local_id, label)
                xrefs = (curie,) if curie else ()
        imp.nodes[gid] = Node(gid, label, kind, xrefs, _inside(dn.find(q("Graphics")), boxes))
    groups = {g.get("GroupId", ""): g for g in root.findall(q("Group"))}
    group_by_graph = {g.get("GraphId"): g for g in groups.values() if g.get("GraphId")}
    members: dict[str, list[str]] = {}
    for dn in root.findall(q("DataNode")):
        if dn.get("GroupRef"):
            members.setdefault(dn.get("GroupRef", ""), []).append(dn.get("GraphId", ""))
    labels = {el.get("GraphId"): el for el in root if local(el.tag) in ("Label", "Shape")
              and el.get("GraphId")}
    interactions = root.findall(q("Interaction"))
    lines = root.findall(q("GraphicalLine"))
    if lines:  # drawn with the line tool: no biological meaning in GPML
        imp.skip("graphical lines (drawing only)", ", ".join(
            f"{g.get('GraphId')} (line {doc.line(g)})" for g in lines[:5]), count=len(lines))
    anchors: dict[str, tuple[str | None, str | None]] = {}
    ends: dict[int, tuple[str | None, str | None, Element | None]] = {}
    for it in interactions:
        g = it.find(q("Graphics"))
        pts = g.findall(q("Point")) if g is not None else []
        if len(pts) < 2:
            imp.skip("interactions with fewer than two points", f"line {doc.line(it)}")
            continue
        a, b = pts[0], pts[-1]
        head = b if b.get("ArrowHead") else a if a.get("ArrowHead") else b
        src, tgt = (a, b) if head is b else (b, a)
        ends[id(it)] = (src.get("GraphRef"), tgt.get("GraphRef"), head)
        for anchor in g.findall(q("Anchor")):  # type: ignore[union-attr]
            anchors[anchor.get("GraphId", "")] = (src.get("GraphRef"), tgt.get("GraphRef"))
    used_labels: set[str] = set()

    def node_of(ref: str | None, as_source: bool) -> str | None:
        if ref is None:
            return None
        if ref in imp.nodes:
            return ref
        if ref in anchors:
            s, t = anchors[ref]
            return node_of(s if as_source else t, as_source) if (s or t) else None
        if ref in group_by_graph:
            grp = group_by_graph[ref]
            gid = f"group:{grp.get('GroupId')}"
            if gid not in imp.nodes:
                names = sorted(imp.nodes[m].label for m in members.get(grp.get("GroupId", ""), [])
                               if m in imp.nodes)
                complex_ = grp.get("Style") == "Complex"
                text = (":" if complex_ else "/").join(names) or grp.get("TextLabel", "") or gid
                imp.nodes[gid] = Node(gid, text, NodeKind.COMPLEX if complex_ else NodeKind.PROTEIN)
            return gid
        if ref in labels:
            el = labels[ref]
            text = " ".join(el.get("TextLabel", "").split())
            if text:
                used_labels.add(ref)
                imp.nodes.setdefault(f"label:{ref}", Node(f"label:{ref}", text, NodeKind.PROCESS))
                return f"label:{ref}"
        return None

    for it in interactions:
        if id(it) not in ends:
            continue
        s_ref, t_ref, head = ends[id(it)]
        line = doc.line(it)
        where = f"{it.get('GraphId') or 'interaction'} (line {line})"
        arrow = head.get("ArrowHead", "") if head is not None else ""
        u, v = node_of(s_ref, True), node_of(t_ref, False)
        if u is None or v is None:
            imp.skip("unconnected interactions (an end attached to no node)", where)
            continue
        if not arrow:
            imp.skip("interactions without an arrowhead (plain lines)", where)
            continue
        meaning = ARROWHEADS.get(arrow)
        if meaning is None:
            imp.skip(f"interactions with arrowhead {arrow!r}", where)
            continue
        effect, relation = meaning
        cites = tuple(pubs[r.text.strip()] for r in it.findall(q("BiopaxRef"))
                      if r.text and r.text.strip() in pubs)
        note = (f"Acts on an interaction in the source (anchor {t_ref})."
                if t_ref in anchors else None)
        imp.links.append(Link(u, v, effect, line, relation, cites, note))
    if groups:
        imp.skip("groups (their members are kept as separate nodes)", ", ".join(
            f"{g.get('GroupId')} ({g.get('Style', 'Group')})" for g in list(groups.values())[:5]),
            count=len(groups))
    n = sum(1 for gid in labels if gid not in used_labels and gid not in boxes)
    if n:
        imp.skip("labels and shapes that are graphics only", count=n)
    connected = {x for link in imp.links for x in (link.source, link.target)}
    grouped = {m for ms in members.values() for m in ms}
    for gid, node in imp.nodes.items():
        if gid not in connected:
            imp.skip("group members in no interaction of their own (declared, not drawn)"
                     if gid in grouped else "data nodes in no interaction (declared, not drawn)",
                     node.label)
    return imp


def _publications(root: Element) -> dict[str, str]:
    out = {}
    for el in root.iter(f"{_BP}PublicationXref"):
        rid = next((v for k, v in el.attrib.items() if local(k) == "id"), None)
        pmid, db = el.find(f"{_BP}ID"), el.find(f"{_BP}DB")
        if rid and pmid is not None and db is not None and (db.text or "").strip() == "PubMed" \
                and (pmid.text or "").strip().isdigit():
            out[rid] = f"pmid:{int(pmid.text.strip())}"  # type: ignore[union-attr]
    return out


def _compartments(root: Element, q, imp: Imported) -> dict[str, tuple[str, tuple[float, ...]]]:  # type: ignore[no-untyped-def]
    """Cellular-component shapes: GraphId -> (compartment id, box)."""
    out = {}
    for el in root:
        if local(el.tag) not in ("Shape", "Label"):
            continue
        comp = next((a.get("Value") for a in el.findall(q("Attribute"))
                     if a.get("Key") == "org.pathvisio.CellularComponentProperty"), None)
        g = el.find(q("Graphics"))
        if comp and g is not None:
            box = _box(g)
            if box:
                out[el.get("GraphId") or f"shape{len(out)}"] = (imp.compartment(comp), box)
    return out


def _box(g: Element) -> tuple[float, float, float, float] | None:
    try:
        x, y = float(g.get("CenterX", "")), float(g.get("CenterY", ""))
        w, h = float(g.get("Width", "")), float(g.get("Height", ""))
    except ValueError:
        return None
    return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


def _inside(g: Element | None, boxes: dict[str, tuple[str, tuple[float, ...]]]) -> str | None:
    if g is None or not boxes:
        return None
    try:
        x, y = float(g.get("CenterX", "")), float(g.get("CenterY", ""))
    except ValueError:
        return None
    around: list[tuple[float, str]] = []
    for comp, (x0, y0, x1, y1) in boxes.values():
        if x0 <= x <= x1 and y0 <= y <= y1:
            around.append(((x1 - x0) * (y1 - y0), comp))
    return min(around)[1] if around else None


__all__ = ["from_gpml", "ARROWHEADS", "DATABASES"]
