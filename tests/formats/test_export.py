"""Exports of the curated pathways, each read back by an independent reader; and round
trips (export, then import) that give back the same edges, signs and cross-references."""

from __future__ import annotations

import io
import json
import re
import warnings
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import mechgraph as mg
from mechgraph import graph as G
from mechgraph.cli import main
from mechgraph.formats.bel import BEL_RELATION, RELATIONS, _term
from mechgraph.formats.edgelist import COLUMNS

from ..conftest import REPO, TESTS

INTEROP = REPO.parent / "shared" / "interop"
XSD = INTEROP / "libsbgn" / "SBGN.xsd"
ROUNDTRIP = TESTS / "fixtures" / "interop" / "roundtrip.yaml"


@pytest.fixture(scope="module")
def curated() -> nx.MultiDiGraph:
    return mg.export_graph(mg.load(REPO / "pathways"))


@pytest.fixture(scope="module")
def fixture_graph() -> nx.MultiDiGraph:
    return mg.export_graph(mg.load(ROUNDTRIP))


# -- independent readers -----------------------------------------------------------------

def test_sbgn_validates_against_the_official_schema(curated, tmp_path: Path) -> None:
    etree = pytest.importorskip("lxml.etree", reason="lxml (extra interop-test) is not installed")
    if not XSD.exists():
        pytest.skip(f"{XSD} is absent: the third-party interop files are not in this checkout")
    warned: list[str] = []
    text = mg.to_sbgn(curated, warnings=warned)
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    doc = etree.fromstring(text.encode("utf-8"))
    assert schema.validate(doc), schema.error_log
    ns = {"s": "http://sbgn.org/libsbgn/0.3"}
    (m,) = doc.findall("s:map", ns)
    assert m.get("language") == "activity flow"
    glyphs = m.findall(".//s:glyph", ns)
    assert glyphs and all(g.find("s:bbox", ns) is not None for g in glyphs)
    arcs = m.findall("s:arc", ns)
    assert arcs and all(a.get("id") for a in arcs)
    activities = [g for g in m.findall("s:glyph", ns) if g.get("class") != "compartment"]
    assert len(activities) == curated.number_of_nodes()
    distinct = {(u, v, d[G.EFFECT].replace(">>", "->")) for u, v, d in curated.edges(data=True)
                if d[G.RELATION] != "association"}
    assert len(arcs) == len(distinct)
    conversions = sum(d[G.EFFECT] == ">>" for _, _, d in curated.edges(data=True))
    assoc = sum(d[G.RELATION] == "association" for _, _, d in curated.edges(data=True))
    expected = ([f"{assoc} association edges left out: SBGN Activity Flow has no arc for a "
                 "correlation"] if assoc else []) + \
        ([f"{conversions} conversions (>>) written as positive influence: Activity Flow has no "
          "conversion arc"] if conversions else [])
    assert warned == expected
    assert mg.to_sbgn(curated) == text  # deterministic


def test_cx2_is_read_by_ndex2(curated) -> None:
    cx2 = pytest.importorskip("ndex2.cx2", reason="ndex2 (extra interop-test) is not installed")
    doc = json.loads(mg.to_cx2(curated))
    net = cx2.RawCX2NetworkFactory().get_cx2network(doc)
    assert len(net.get_nodes()) == curated.number_of_nodes()
    assert len(net.get_edges()) == curated.number_of_edges()
    decl = net.get_attribute_declarations()
    assert decl["edges"]["sign"] == {"d": "integer"}
    assert decl["nodes"]["xrefs"] == {"d": "list_of_string"}
    signs = {e["v"]["sign"] for e in net.get_edges().values()}
    assert signs <= {1, -1, 0}
    style = net.get_visual_properties()
    arrow = style["edgeMapping"]["EDGE_TARGET_ARROW_SHAPE"]["definition"]
    assert arrow["attribute"] == "sign" and arrow["map"] == [
        {"v": 1, "vp": "triangle"}, {"v": -1, "vp": "tee"}, {"v": 0, "vp": "diamond"}]


def test_graphml_is_read_by_networkx_with_name_and_interaction(curated) -> None:
    text = mg.to_graphml(curated)
    back = nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)
    assert back.number_of_nodes() == curated.number_of_nodes()
    assert back.number_of_edges() == curated.number_of_edges()
    assert all(back.nodes[n]["name"] == curated.nodes[n][G.LABEL] for n in curated)
    words = {d["interaction"] for _, _, d in back.edges(data=True)}
    assert words <= {"activates", "inhibits", "necessary-for", "modulates", "converts-to",
                     "increases", "decreases", "regulates", "correlates-positively",
                     "correlates-negatively", "associated-with"}
    assert re.search(r'<key id="sign" for="edge" attr.name="sign" attr.type="long" ?/>', text)
    assert isinstance(next(iter(back.edges(data=True)))[2]["sign"], int)


def test_bel_is_parsed_by_pybel_without_errors(curated, tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pkg_resources' deprecation notice, on import
        pybel = pytest.importorskip("pybel", reason="pybel (extra interop-test) is not installed")
    path = tmp_path / "all.bel"
    path.write_text(mg.to_bel(curated), encoding="utf-8")
    bel = pybel.from_bel_script(str(path), no_identifier_validation=True)
    assert bel.warnings == []
    assert bel.number_of_edges() >= len({(u, v) for u, v in curated.edges()})


def test_json_node_link_rebuilds_the_graph(curated) -> None:
    doc = json.loads(mg.to_json(curated))
    assert doc["graph"]["mechgraph_schema_version"] == 1 and "edges" in doc and "links" not in doc
    back = nx.node_link_graph(doc, edges="edges")
    assert sorted(back.edges(keys=True, data=True)) == sorted(curated.edges(keys=True, data=True))
    assert dict(back.nodes(data=True)) == dict(curated.nodes(data=True))


def test_tsv_has_every_attribute_and_inert_cells(fixture_graph) -> None:
    rows = mg.to_tsv(fixture_graph).splitlines()
    assert rows[0].split("\t") == list(COLUMNS)
    assert len(rows) == 1 + fixture_graph.number_of_edges()
    row = dict(zip(COLUMNS, rows[1 + [r.split("\t")[0] for r in rows[1:]].index("drugx")].split("\t")))
    assert (row["interaction"], row["effect"], row["sign"], row["target"]) == (
        "inhibits", "'-|", "-1", "NMDAR")
    assert row["target_compartment"] == "post" and row["target_xrefs"] == "hgnc:4584 uniprot:Q05586"


def test_export_cli_selects_and_writes(tmp_path: Path) -> None:
    out = tmp_path / "k.sif"
    result = CliRunner().invoke(main, ["export", "sif", "--drug", "psilocybin", "-o", str(out),
                                       "-p", str(REPO / "pathways")])
    assert result.exit_code == 0, result.output
    project = mg.load(REPO / "pathways")
    ids = [p for p, pw in project.pathways.items() if "psilocybin" in pw.drugs
           and pw.kind.value == "signaling"]
    assert out.read_text("utf-8") == mg.to_sif(mg.export_graph(project, ids))
    bad = CliRunner().invoke(main, ["export", "sif", "no-such", "-p", str(REPO / "pathways")])
    assert bad.exit_code == 1 and bad.stderr.startswith("error: unknown pathway or figure 'no-such'")


# -- round trips -----------------------------------------------------------------------

def _theirs(imp, key=lambda e: e.label) -> tuple[set, dict]:
    project = imp.project()
    pw = project.pathways[imp.pathway]
    ent = project.entities
    edges = {(key(ent[e.source.entity]), e.effect.value, e.relation.value,
              key(ent[e.target.entity])) for e in pw.edges}
    xrefs = {key(ent[n]): set(ent[n].xrefs) for e in pw.edges
             for n in (e.source.entity, e.target.entity)}
    assert imp.not_expressed() == {}
    return edges, xrefs


def _ours(g, key=lambda n, d: d[G.LABEL]) -> tuple[set, dict]:
    edges = {(key(u, g.nodes[u]), d[G.EFFECT], d[G.RELATION], key(v, g.nodes[v]))
             for u, v, d in g.edges(data=True)}
    xrefs = {key(n, g.nodes[n]): set(g.nodes[n][G.XREFS].split()) for n in g}
    return edges, xrefs


@pytest.mark.parametrize("fmt", ["tsv", "csv", "json", "cx2"])
def test_round_trip_keeps_everything(fmt: str, fixture_graph) -> None:
    text, _ = mg.export(fixture_graph, fmt)
    imp = mg.import_file(f"rt.{fmt}", fmt={"tsv": "table", "csv": "table"}.get(fmt, fmt),
                         text=text) if fmt != "json" else mg.from_json("rt.json", text=text)
    assert _theirs(imp) == _ours(fixture_graph)
    assert len(_ours(fixture_graph)[0]) == 10


def test_round_trip_sif_keeps_edges_by_entity_id(fixture_graph) -> None:
    imp = mg.from_sif("rt.sif", text=mg.to_sif(fixture_graph))
    edges, _ = _theirs(imp)
    assert edges == _ours(fixture_graph, key=lambda n, d: d[G.ENTITY])[0]


def test_round_trip_sbgn_keeps_signed_influences_and_xrefs(fixture_graph) -> None:
    imp = mg.from_sbgn("rt.sbgn", data=mg.to_sbgn(fixture_graph).encode("utf-8"))
    edges, xrefs = _theirs(imp)
    ours, our_xrefs = _ours(fixture_graph)
    assert edges == {(u, e.replace(">>", "->"), "mechanism", v) for u, e, r, v in ours
                     if r != "association"}
    assert xrefs == {k: v for k, v in our_xrefs.items() if k in xrefs}
    assert set(xrefs) == {u for u, *_ in ours} | {v for *_, v in ours} - {"Plasma BDNF"}


def test_round_trip_bel_keeps_terms_signs_and_one_identifier_each(fixture_graph) -> None:
    text = mg.to_bel(fixture_graph)
    imp = mg.from_bel("rt.bel", text=text)
    got = {(l.source, l.effect.value, l.relation, l.target) for l in imp.links}
    terms = {n: _term(fixture_graph.nodes[n]) for n in fixture_graph}
    expected = set()
    for u, v, d in fixture_graph.edges(data=True):
        effect, relation = RELATIONS[BEL_RELATION[(d[G.RELATION], d[G.EFFECT])]]
        expected.add((terms[u], effect.value, relation, terms[v]))
    assert got == expected
    for node in imp.nodes.values():  # each term's one identifier is one of the node's CURIEs
        ours = next(n for n in fixture_graph if terms[n] == node.id)
        assert set(node.xrefs) <= set(fixture_graph.nodes[ours][G.XREFS].split())
    assert sum(1 for n in imp.nodes.values() if n.xrefs) == 6
    # edges with no citation are grouped under one "Other" citation per chain (5 lines)
    assert imp.not_expressed() == {"citations that are not PubMed or DOI": 5}
