"""SBGN-ML Activity Flow maps (libsbgn 0.2 and 0.3): ``from_sbgn`` reads one.

Activities become entities (their kind from the unit of information), compartments
become compartments, and the four influence arcs become our effects. A logic gate is
described in a note and a warning; where the language says the same it is also written
as edges (AND: each input is necessary, ``=>``; OR: each input acts alone; NOT: the
sign flips), otherwise it is counted. Tags, submap terminals and equivalence arcs have
no place in a pathway and are counted. A Process Description or
Entity Relationship map is refused with a clear error.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from ..errors import MechgraphError
from ..model import Effect, NodeKind
from .imported import Imported, Link, Node
from .source import XML, local, namespace, parse_xml, pathway_id

if TYPE_CHECKING:
    import networkx as nx

NS_PREFIX = "http://sbgn.org/libsbgn/"
NS_03 = "http://sbgn.org/libsbgn/0.3"

#: SBGN AF arc class -> our effect
ARC_EFFECT = {
    "positive influence": Effect.POSITIVE,
    "negative influence": Effect.NEGATIVE,
    "unknown influence": Effect.UNKNOWN,
    "necessary stimulation": Effect.NECESSARY,
}
#: unit of information's entity name -> our node kind
UNIT_KIND = {
    "macromolecule": NodeKind.PROTEIN,
    "nucleic acid feature": NodeKind.PROTEIN,
    "simple chemical": NodeKind.METABOLITE,
    "complex": NodeKind.COMPLEX,
    "perturbation": NodeKind.INTERVENTION,
    "unspecified entity": NodeKind.PROTEIN,
}
NODE_CLASS = {"biological activity": None, "phenotype": NodeKind.OUTCOME,
              "perturbation": NodeKind.INTERVENTION, "submap": NodeKind.PROCESS}
GATES = ("and", "or", "not", "delay")
# classes only Process Description or Entity Relationship maps use
_PD_CLASSES = {"macromolecule", "simple chemical", "process", "omitted process",
               "uncertain process", "association", "dissociation", "consumption",
               "production", "catalysis", "stimulation", "inhibition", "source and sink",
               "entity", "outcome", "interaction", "assignment", "variable value"}
_IDORG = re.compile(r"https?://identifiers\.org/([A-Za-z][\w.]*)[:/]([^\s/]+)$")


def from_sbgn(path: str | Path, *, data: bytes | None = None,
              pathway: str | None = None) -> Imported:
    """An SBGN-ML Activity Flow file -> Imported."""
    doc = parse_xml(path, data)
    root = doc.root
    ns = namespace(root.tag)
    if local(root.tag) != "sbgn" or not ns.startswith(NS_PREFIX):
        raise MechgraphError(f"not SBGN-ML: the root is <{local(root.tag)}> in namespace "
                             f"{ns or 'none'!r}; expected <sbgn> in {NS_PREFIX}0.2 or 0.3",
                             path=str(path), line=1)
    imp = Imported("SBGN-ML AF", str(path), pathway or pathway_id(path),
                   title=Path(str(path)).stem.replace("_", " "))
    maps = [m for m in root if local(m.tag) == "map"]
    if not maps:
        raise MechgraphError("SBGN-ML file without a <map>", path=str(path), line=1)
    for m in maps:
        _check_language(m, doc, str(path))
        _read_map(m, doc, imp, ns)
    return imp


def _check_language(m: Element, doc: XML, path: str) -> None:
    language = m.get("language", "")
    version = m.get("version", "")
    if language:
        af = language == "activity flow"
        what = language
    elif version:
        af = ".af." in version
        what = version
    else:  # neither: judge by the glyphs
        pd = [g.get("class") for g in m.iter() if local(g.tag) == "glyph"
              and g.get("class") in _PD_CLASSES]
        af, what = not pd, f"glyph class {pd[0]!r}" if pd else ""
    if not af:
        raise MechgraphError(f"not supported: Activity Flow only (this map is {what}); "
                             "Process Description and Entity Relationship maps have no "
                             "signed influences to import", path=path, line=doc.line(m))


def _read_map(m: Element, doc: XML, imp: Imported, ns: str) -> None:
    q = lambda t: f"{{{ns}}}{t}"  # noqa: E731
    port_of: dict[str, str] = {}
    gates: dict[str, Element] = {}
    comps: dict[str, str] = {}
    for g in m.findall(q("glyph")):
        if g.get("class") == "compartment":
            comps[g.get("id", "")] = imp.compartment(_label(g, q) or g.get("id", "compartment"))
    for g in m.findall(q("glyph")):
        cls, gid = g.get("class", ""), g.get("id", "")
        for port in g.findall(q("port")):
            port_of[port.get("id", "")] = gid
        where = f"{gid} (line {doc.line(g)})"
        if cls == "compartment":
            continue
        if cls in GATES:
            gates[gid] = g
            continue
        if cls not in NODE_CLASS:
            imp.skip(f"'{cls}' glyphs", where)
            continue
        kind = NODE_CLASS[cls] or _unit_kind(g, q) or NodeKind.PROTEIN
        label = _label(g, q) or gid
        if cls == "submap":
            n = sum(1 for c in g.findall(q("glyph")) if c.get("class") == "terminal")
            if n:
                imp.skip("submap terminals", where, count=n)
        imp.nodes[gid] = Node(gid, label, kind, _xrefs(g, imp, where),
                              comps.get(g.get("compartmentRef", "")))
    inputs: dict[str, list[str]] = {}
    outputs: dict[str, list[tuple[str, str]]] = {}
    for arc in m.findall(q("arc")):
        cls = arc.get("class", "")
        src = port_of.get(arc.get("source", ""), arc.get("source", ""))
        tgt = port_of.get(arc.get("target", ""), arc.get("target", ""))
        line = doc.line(arc)
        if cls == "logic arc" and tgt in gates:
            inputs.setdefault(tgt, []).append(src)
            continue
        if src in gates and cls in ARC_EFFECT:
            outputs.setdefault(src, []).append((cls, tgt))
            continue
        if cls not in ARC_EFFECT:
            imp.skip(f"'{cls}' arcs", f"{arc.get('id', '?')} (line {line})")
            continue
        if src not in imp.nodes or tgt not in imp.nodes:
            imp.skip("arcs to a glyph that is not an activity", f"{arc.get('id', '?')} (line {line})")
            continue
        imp.links.append(Link(src, tgt, ARC_EFFECT[cls], line))
    for gid, g in gates.items():
        _gate(imp, doc, gid, g, inputs.get(gid, []), outputs.get(gid, []))


#: (gate, output arc) -> the effect each input gets, where the language says the same:
#: every necessary input (=>) must be there (AND); any input suffices (OR); NOT flips
_GATE_EFFECT = {
    ("and", "positive influence"): Effect.NECESSARY,
    ("and", "necessary stimulation"): Effect.NECESSARY,
    ("or", "positive influence"): Effect.POSITIVE,
    ("or", "negative influence"): Effect.NEGATIVE,
    ("or", "unknown influence"): Effect.UNKNOWN,
    ("not", "positive influence"): Effect.NEGATIVE,
    ("not", "negative influence"): Effect.POSITIVE,
}


def _gate(imp: Imported, doc: XML, gid: str, g: Element, ins: list[str],
          outs: list[tuple[str, str]]) -> None:
    cls = g.get("class", "")
    line = doc.line(g)
    name = lambda i: imp.nodes[i].label if i in imp.nodes else i  # noqa: E731
    described = (f"SBGN {cls.upper()} gate {gid} (line {line}): "
                 f"{', '.join(name(i) for i in ins) or 'no inputs'} -> "
                 f"{'; '.join(f'{c} of {name(t)}' for c, t in outs) or 'no output'}")
    known = ins and outs and all(i in imp.nodes for i in ins) and \
        all(t in imp.nodes and (cls, c) in _GATE_EFFECT for c, t in outs)
    if known:
        for c, t in outs:
            effect = _GATE_EFFECT[(cls, c)]
            for i in ins:
                imp.links.append(Link(i, t, effect, line, note=f"From SBGN {cls.upper()} gate {gid}."))
        text = (f"{described}. Written as {_GATE_EFFECT[(cls, outs[0][0])].value} from each "
                "input, which means the same in the pathway language.")
    else:
        why = ("it is not connected" if not (ins and outs) else
               "the pathway language has nothing that means the same")
        text = f"{described}. Not imported: {why}."
        imp.skip("logic gates (each described in a note)", f"{gid} ({cls})")
    imp.notes.append(text)
    imp.warn(text)


def _label(g: Element, q) -> str:  # type: ignore[no-untyped-def]
    lab = g.find(q("label"))
    return " ".join((lab.get("text", "") if lab is not None else "").split())


def _unit_kind(g: Element, q) -> NodeKind | None:  # type: ignore[no-untyped-def]
    for unit in g.findall(q("glyph")):
        if unit.get("class") == "unit of information":
            entity = unit.find(q("entity"))
            if entity is not None and entity.get("name") in UNIT_KIND:
                return UNIT_KIND[entity.get("name", "")]
    return None


def _xrefs(g: Element, imp: Imported, where: str) -> tuple[str, ...]:
    """identifiers.org URIs in the glyph's own annotation (RDF ``bqbiol:is`` and kin)."""
    out: list[str] = []
    for el in g.iter():
        for key, value in el.attrib.items():
            if local(key) == "resource" and (m := _IDORG.match(value)):
                curie = imp.xref(m.group(1).lower(), m.group(2), where)
                if curie and curie not in out:
                    out.append(curie)
    return tuple(out)


# -- export --------------------------------------------------------------------------

AF_VERSION = "http://identifiers.org/combine.specifications/sbgn.af.level-1.version-1.2"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_BQBIOL = "http://biomodels.net/biology-qualifiers/"
#: our effect -> AF arc class (a conversion raises its product: a positive influence)
EFFECT_ARC = {"->": "positive influence", "-|": "negative influence",
              "=>": "necessary stimulation", "~>": "unknown influence", ">>": "positive influence"}
#: node kind -> (glyph class, unit of information's entity name or None)
KIND_GLYPH = {
    "drug": ("perturbation", None), "intervention": ("perturbation", None),
    "outcome": ("phenotype", None),
    "protein": ("biological activity", "macromolecule"),
    "kinase": ("biological activity", "macromolecule"),
    "receptor": ("biological activity", "macromolecule"),
    "channel": ("biological activity", "macromolecule"),
    "metabolite": ("biological activity", "simple chemical"),
    "transmitter": ("biological activity", "simple chemical"),
    "ion": ("biological activity", "simple chemical"),
    "complex": ("biological activity", "complex"),
}
_UNIT_TEXT = {"macromolecule": "mt:prot", "simple chemical": "mt:simplechem",
              "complex": "mt:complex", "unspecified entity": "mt:unspec"}


def to_sbgn(g: "nx.MultiDiGraph", *, warnings: list[str] | None = None) -> str:
    """SBGN-ML 0.3 Activity Flow: a glyph per node with the bbox of a Graphviz layout, a
    compartment glyph per compartment, an arc (with an id) per signed influence.
    Associations have no AF meaning: they are left out and counted in ``warnings``."""
    import xml.etree.ElementTree as ET

    from .. import graph as G
    from .layout import layout

    ET.register_namespace("", NS_03)
    ET.register_namespace("rdf", _RDF)
    ET.register_namespace("bqbiol", _BQBIOL)
    q = lambda t: f"{{{NS_03}}}{t}"  # noqa: E731
    lay = layout(g, name="sbgn export")
    root = ET.Element(q("sbgn"))
    m = ET.SubElement(root, q("map"), {"id": "map1", "language": "activity flow",
                                       "version": AF_VERSION})
    _bbox(ET, m, q, 0, 0, lay.width, lay.height)
    comp_ids = {c: f"c{i}" for i, c in enumerate(sorted(lay.compartments))}
    labels = {g.nodes[n][G.COMPARTMENT]: g.nodes[n][G.COMPARTMENT_LABEL] for n in g}
    for comp, cid in comp_ids.items():
        glyph = ET.SubElement(m, q("glyph"), {"class": "compartment", "id": cid})
        ET.SubElement(glyph, q("label"), {"text": labels.get(comp) or comp})
        b = lay.compartments[comp]
        _bbox(ET, glyph, q, b.x, b.y, b.w, b.h)
    ids = {n: f"n{i}" for i, n in enumerate(sorted(g))}
    for n in sorted(g):
        data = g.nodes[n]
        cls, unit = KIND_GLYPH.get(data[G.KIND], ("biological activity", "unspecified entity"))
        attrs = {"class": cls, "id": ids[n]}
        if data[G.COMPARTMENT] in comp_ids:
            attrs["compartmentRef"] = comp_ids[data[G.COMPARTMENT]]
        glyph = ET.SubElement(m, q("glyph"), attrs)
        if data[G.XREFS]:
            _annotation(ET, glyph, q, ids[n], data[G.XREFS].split())
        ET.SubElement(glyph, q("label"), {"text": data[G.LABEL]})
        b = lay.nodes[n]
        _bbox(ET, glyph, q, b.x, b.y, b.w, b.h)
        if unit:
            u = ET.SubElement(glyph, q("glyph"), {"class": "unit of information",
                                                  "id": f"{ids[n]}.u"})
            ET.SubElement(u, q("label"), {"text": _UNIT_TEXT[unit]})
            ET.SubElement(u, q("entity"), {"name": unit})
            _bbox(ET, u, q, b.x + 6, b.y - 8, min(b.w - 12, 70), 16)
    arcs: dict[tuple[str, str, str], None] = {}
    left_out = converted = 0
    for u, v, d in sorted(g.edges(data=True), key=lambda e: (e[0], e[1], e[2][G.PATHWAY])):
        if d[G.RELATION] == "association" or d[G.EFFECT] not in EFFECT_ARC:
            left_out += 1
            continue
        converted += d[G.EFFECT] == ">>"
        arcs.setdefault((u, v, EFFECT_ARC[d[G.EFFECT]]), None)
    for i, (u, v, cls) in enumerate(arcs):
        arc = ET.SubElement(m, q("arc"), {"class": cls, "id": f"a{i}", "source": ids[u],
                                          "target": ids[v]})
        (sx, sy), (ex, ey) = lay.edges[(u, v)]
        ET.SubElement(arc, q("start"), {"x": _num(sx), "y": _num(sy)})
        ET.SubElement(arc, q("end"), {"x": _num(ex), "y": _num(ey)})
    if warnings is not None:
        if left_out:
            warnings.append(f"{left_out} association edges left out: SBGN Activity Flow has "
                            "no arc for a correlation")
        if converted:
            warnings.append(f"{converted} conversions (>>) written as positive influence: "
                            "Activity Flow has no conversion arc")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + \
        ET.tostring(root, encoding="unicode") + "\n"


def _bbox(ET, parent, q, x: float, y: float, w: float, h: float) -> None:  # type: ignore[no-untyped-def]
    ET.SubElement(parent, q("bbox"), {"x": _num(x), "y": _num(y), "w": _num(w), "h": _num(h)})


def _annotation(ET, glyph, q, gid: str, curies: list[str]) -> None:  # type: ignore[no-untyped-def]
    """The node's CURIEs as identifiers.org URIs in a MIRIAM ``bqbiol:is`` annotation."""
    from ..language.curie import PREFIXES

    ext = ET.SubElement(glyph, q("extension"))
    ann = ET.SubElement(ext, q("annotation"))
    rdf = ET.SubElement(ann, f"{{{_RDF}}}RDF")
    desc = ET.SubElement(rdf, f"{{{_RDF}}}Description", {f"{{{_RDF}}}about": f"#{gid}"})
    bag = ET.SubElement(ET.SubElement(desc, f"{{{_BQBIOL}}}is"), f"{{{_RDF}}}Bag")
    for c in curies:
        prefix, local = c.split(":", 1)
        if prefix in PREFIXES:
            ET.SubElement(bag, f"{{{_RDF}}}li",
                          {f"{{{_RDF}}}resource": f"https://identifiers.org/{prefix}:{local}"})


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") or "0"


__all__ = ["from_sbgn", "to_sbgn", "ARC_EFFECT", "UNIT_KIND", "NS_03", "EFFECT_ARC"]
