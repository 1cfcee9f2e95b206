"""The merged graph: identity across files, compartments, edge keys, attributes."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest

from mechgraph import graph as G
from mechgraph.analysis.query import knockout, signaling_graph
from mechgraph.graph import build_graph, project_of
from mechgraph.language.load import load_project, load_text

from .conftest import REPO


def test_nodes_are_shared_by_identity_across_pathways(valid_project) -> None:
    g = build_graph(valid_project)
    assert g.nodes["BDNF"][G.PATHWAYS] == "ketamine psilocybin"
    assert g.nodes["mTORC1"][G.PATHWAYS] == "ketamine psilocybin"
    assert g.nodes["antidepressant effect"][G.PATHWAYS] == "ketamine psilocybin"
    assert g.nodes["psilocin"][G.PATHWAYS] == "psilocybin"
    # the same edge drawn by two pathways is two parallel edges, keyed by pathway
    assert sorted(g.get_edge_data("BDNF", "mTORC1")) == ["ketamine", "psilocybin"]


def test_compartments_make_distinct_nodes_of_one_entity(valid_project) -> None:
    g = build_graph(valid_project)
    node = g.nodes["NMDAR@interneuron"]
    assert (node[G.ENTITY], node[G.COMPARTMENT], node[G.COMPARTMENT_LABEL], node[G.LABEL],
            node[G.KIND]) == ("NMDAR", "interneuron", "GABAergic interneuron", "NMDA receptor",
                              "receptor")
    assert g.nodes["AMPAR@postsynaptic"][G.COMPARTMENT_LABEL] == "Postsynaptic neuron"
    assert "NMDAR" not in g


def test_edge_attributes(valid_project) -> None:
    g = build_graph(valid_project)
    data = g.edges["AMPAR@postsynaptic", "antidepressant effect", "ketamine"]
    assert (data[G.EFFECT], data[G.SIGN], data[G.PATHWAY], data[G.BRANCH], data[G.RELATION],
            data[G.VIA]) == ("=>", 1, "ketamine", "", "mechanism", "")
    assert data[G.GRADE] == "preclinical"
    assert data[G.LOCATION] == "tests/valid/ketamine.yaml:17"
    assert g.edges["ketamine", "NMDAR@interneuron", "ketamine"][G.SIGN] == -1
    assert g.edges["NO", "ON", "ketamine"][G.SIGN] == 0


def test_workflow_steps_are_keyed_by_their_pathway(valid_project) -> None:
    g = build_graph(valid_project, ["trial"])
    assert sorted(g.nodes) == ["trial:done", "trial:eligible", "trial:excluded",
                               "trial:infusion", "trial:screening"]
    assert g.nodes["trial:screening"][G.TIME] == "Week -2"
    assert g.edges["trial:eligible", "trial:infusion", "trial"][G.BRANCH] == "yes"


def test_subset_and_drug_index(valid_project) -> None:
    g = build_graph(valid_project, ["psilocybin"])
    assert sorted(g.edges(keys=True)) == [
        ("5-HT2A", "BDNF", "psilocybin"), ("BDNF", "mTORC1", "psilocybin"),
        ("mTORC1", "antidepressant effect", "psilocybin"), ("psilocin", "5-HT2A", "psilocybin"),
        ("psilocybin", "psilocin", "psilocybin")]
    assert g.graph[G.DRUGS] == "psilocybin=psilocybin"
    assert G.drug_index(g) == {"psilocybin": ("psilocybin",)}
    assert build_graph(valid_project).graph[G.DRUGS] == "ketamine=ketamine|psilocybin=psilocybin"
    assert G.drug_index(build_graph(valid_project)) == {
        "ketamine": ("ketamine",), "psilocybin": ("psilocybin",)}


# -- plain values: networkx's own writers take the graph unchanged ----------------------

PLAIN = (str, int, float, bool)


@pytest.fixture(scope="module")
def real():
    return build_graph(load_project(REPO / "pathways"))


def _values(g):
    yield from g.graph.values()
    for _, d in g.nodes(data=True):
        yield from d.values()
    for *_, d in g.edges(keys=True, data=True):
        yield from d.values()


def test_every_attribute_is_a_plain_value(real) -> None:
    bad = {type(v).__name__ for v in _values(real) if type(v) not in PLAIN}
    assert bad == set()
    assert None not in set(_values(real))
    assert sorted(real.graph) == ["drug_independent", "drugs", "name", "pathways"]


def test_graphml_round_trip(real, tmp_path) -> None:
    out = tmp_path / "g.graphml"
    nx.write_graphml(real, out)
    back = nx.read_graphml(out, force_multigraph=True)
    assert set(back.nodes) == set(real.nodes)
    assert back.number_of_edges() == real.number_of_edges()
    u, v, k = next(iter(sorted(real.edges(keys=True))))
    assert back.edges[u, v, k] == real.edges[u, v, k]


def test_node_link_json_round_trip(real) -> None:
    text = json.dumps(nx.node_link_data(real, edges="edges"))
    back = nx.node_link_graph(json.loads(text), edges="edges")
    assert sorted(back.edges(keys=True, data=True)) == sorted(real.edges(keys=True, data=True))
    assert dict(back.nodes(data=True)) == dict(real.nodes(data=True))
    assert back.graph == real.graph


def test_gexf_writes(real, tmp_path) -> None:
    out = tmp_path / "g.gexf"
    nx.write_gexf(real, out)
    back = nx.read_gexf(out)
    assert set(back.nodes) == set(real.nodes)
    assert back.number_of_edges() == real.number_of_edges()


def test_cytoscape_json(real) -> None:
    data = nx.cytoscape_data(real)
    text = json.dumps(data)
    back = nx.cytoscape_graph(json.loads(text))
    assert set(back.nodes) == set(real.nodes)
    assert back.number_of_edges() == real.number_of_edges()
    assert io.StringIO(text).read()  # serialised


def test_project_of_views_and_knockouts(valid_project) -> None:
    g = signaling_graph(valid_project)
    assert project_of(g) is valid_project
    assert project_of(knockout(g, ["BDNF"])) is valid_project
    assert project_of(g.subgraph(["BDNF", "mTORC1"])) is valid_project
    assert project_of(nx.MultiDiGraph()) is None


def test_relation_via_and_drug_independent_reach_the_graph() -> None:
    project = load_text(
        "pathway: p\ndrug_independent: true\n"
        "entities: {d: drug, a: receptor, b: kinase, o: outcome, m: measurement}\n"
        "edges:\n"
        "  - d -| a -> b -> o\n"
        "  - edge: d -> o\n    relation: summary\n    via: [a, b]\n"
        "  - o -- m\n"
        "  - {edge: d -| m, relation: association}\n", path="p.yaml")
    g = build_graph(project)
    assert [(u, v, d[G.RELATION], d[G.EFFECT], d[G.SIGN], d[G.VIA])
            for u, v, d in sorted(g.edges(data=True))] == [
        ("a", "b", "mechanism", "->", 1, ""),
        ("b", "o", "mechanism", "->", 1, ""),
        ("d", "a", "mechanism", "-|", -1, ""),
        ("d", "m", "association", "-|", -1, ""),
        ("d", "o", "summary", "->", 1, "a|b"),
        ("o", "m", "association", "--", 0, "")]
    assert g.nodes["m"][G.KIND] == "measurement"
    assert g.graph[G.DRUG_INDEPENDENT] == "p"
    assert G.drug_independent(g) == {"p"}
    assert G.via_nodes(g.edges["d", "o", "p"][G.VIA], g) == ("a", "b")
