"""The merged graph: identity across files, compartments, edge keys, attributes."""

from __future__ import annotations

from mechgraph import graph as G
from mechgraph.graph import build_graph
from mechgraph.model import Effect, Grade, Location, NodeKind


def test_nodes_are_shared_by_identity_across_pathways(valid_project) -> None:
    g = build_graph(valid_project)
    assert g.nodes["BDNF"][G.PATHWAYS] == ("ketamine", "psilocybin")
    assert g.nodes["mTORC1"][G.PATHWAYS] == ("ketamine", "psilocybin")
    assert g.nodes["antidepressant effect"][G.PATHWAYS] == ("ketamine", "psilocybin")
    assert g.nodes["psilocin"][G.PATHWAYS] == ("psilocybin",)
    # the same edge drawn by two pathways is two parallel edges, keyed by pathway
    assert sorted(g.get_edge_data("BDNF", "mTORC1")) == ["ketamine", "psilocybin"]


def test_compartments_make_distinct_nodes_of_one_entity(valid_project) -> None:
    g = build_graph(valid_project)
    node = g.nodes["NMDAR@interneuron"]
    assert (node[G.ENTITY], node[G.COMPARTMENT], node[G.COMPARTMENT_LABEL], node[G.LABEL],
            node[G.KIND]) == ("NMDAR", "interneuron", "GABAergic interneuron", "NMDA receptor",
                              NodeKind.RECEPTOR)
    assert g.nodes["AMPAR@postsynaptic"][G.COMPARTMENT_LABEL] == "Postsynaptic neuron"
    assert "NMDAR" not in g


def test_edge_attributes(valid_project) -> None:
    g = build_graph(valid_project)
    data = g.edges["AMPAR@postsynaptic", "antidepressant effect", "ketamine"]
    assert (data[G.EFFECT], data[G.SIGN], data[G.PATHWAY], data[G.BRANCH]) == (
        Effect.NECESSARY, 1, "ketamine", None)
    assert [e.grade for e in data[G.EVIDENCE]] == [Grade.PRECLINICAL]
    assert data[G.LOCATION] == Location("tests/valid/ketamine.yaml", 17)
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
    assert g.graph[G.DRUGS] == {"psilocybin": ("psilocybin",)}
    assert build_graph(valid_project).graph[G.DRUGS] == {
        "ketamine": ("ketamine",), "psilocybin": ("psilocybin",)}
