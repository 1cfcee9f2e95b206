"""Relation kinds and provenance in every query, on small fixtures built to tempt the
engine: a strong, short association next to a weak mechanism; a summary edge competing
with the chain that explains it; an edge of another drug's pathway."""

from __future__ import annotations

import pytest

from mechgraph.analysis.query import (
    effects,
    knockout_effects,
    run_experiments,
    shared_nodes,
    signaling_graph,
    signed_paths,
)
from mechgraph.language.load import load_project

ENTITIES = ("entities: {d: drug, e: drug, a: receptor, b: kinase, o: outcome, "
            "m: measurement, y: process, s: process, t: process, w: process}\n")


def graph(tmp_path, **files: str):
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(f"pathway: {name}\n" + text)
    (tmp_path / "catalog.yaml").write_text(ENTITIES)
    return signaling_graph(load_project(tmp_path))


@pytest.fixture
def tempting(tmp_path):
    """d reaches o by a weak mechanism; a clinical association d -- m -- o is shorter and
    stronger, and y hangs off m by an association only."""
    return graph(tmp_path, p=(
        "drugs: [d, e]\n"
        "edges:\n"
        "  - {edge: d -| a -> b -> o, evidence: hypothesis}\n"
        "  - {edge: d -> m, relation: association, evidence: clinical}\n"
        "  - {edge: m -> o, relation: association, evidence: clinical}\n"
        "  - {edge: m -- y, evidence: clinical}\n"
        "  - {edge: e -- m, evidence: clinical}\n"
        "  - {edge: e -| y, relation: association, evidence: clinical}\n"),
        x=("edges: [d -> a]\n"))


def test_associations_are_never_walked(tempting):
    g = tempting
    fx = effects(g, "d")
    assert {n: i.effect for n, i in fx.items()} == {
        "a": "discordant", "b": "discordant", "o": "discordant"}
    # x names no drug: its d -> a is inferred for d, so d's own chain explains first
    assert (str(fx["o"].path), fx["o"].provenance) == ("d -| a -> b -> o", "stated")
    assert [str(p) for p in signed_paths(g, "d", "o")] == ["d -| a -> b -> o", "d -> a -> b -> o"]
    assert signed_paths(g, "d", "m") == [] and signed_paths(g, "d", "y") == []
    assert effects(g, "e") == {}
    # e reaches nothing but by associations: it shares nothing with d
    assert shared_nodes(g, ["d", "e"]) == []


def test_a_knockout_of_an_associated_node_changes_nothing(tempting):
    k = knockout_effects(tempting, "d", ["m"])
    assert [(r.node, r.status) for r in k.rows] == [("a", "kept"), ("b", "kept"), ("o", "kept")]


@pytest.fixture
def competing(tmp_path):
    """A clinical summary d -> o that the review-graded chain d -| a -| b -> o explains
    (via a, b); a summary d -> s that nothing explains, with s -> t after it; a summary
    d -> y against the chain d -| a -> y; and b -> w with a summary d -> w, no via."""
    return graph(tmp_path, p=(
        "drugs: [d]\n"
        "edges:\n"
        "  - {edge: d -| a -| b -> o, evidence: review}\n"
        "  - {edge: d -> o, relation: summary, via: [a, b], evidence: clinical}\n"
        "  - {edge: d -> s, relation: summary, evidence: clinical}\n"
        "  - {edge: s -> t, evidence: preclinical}\n"
        "  - {edge: a -> y, evidence: review}\n"
        "  - {edge: d -> y, relation: summary, evidence: clinical}\n"
        "  - {edge: b -> w, evidence: review}\n"
        "  - {edge: d -> w, relation: summary, evidence: clinical}\n"))


def test_the_mechanism_explains_and_a_summary_only_where_none_does(competing):
    fx = effects(competing, "d")
    assert {n: (i.effect, i.relation_name, str(i.path)) for n, i in fx.items()} == {
        "a": ("decreases", "mechanism", "d -| a"),
        "b": ("increases", "mechanism", "d -| a -| b"),
        "o": ("increases", "mechanism", "d -| a -| b -> o"),
        "s": ("increases", "summary", "d -> s"),
        "t": ("increases", "summary", "d -> s -> t"),
        # the mechanism decides the sign: the summary's + is not mixed in
        "y": ("decreases", "mechanism", "d -| a -> y"),
        "w": ("increases", "mechanism", "d -| a -| b -> w"),
    }
    # paths: mechanistic chains first, then the one with the summary edge
    assert [(str(p), p.relation_name) for p in signed_paths(competing, "d", "o")] == [
        ("d -| a -| b -> o", "mechanism"), ("d -> o", "summary")]


def test_a_knockout_that_cuts_the_via_chain_removes_the_summary(competing):
    k = {r.node: r for r in knockout_effects(competing, "d", ["b"]).rows}
    # without b the chain a summary names is cut: d -> o goes too
    assert (k["o"].status, k["o"].after) == ("lost", None)
    # a summary with no via stands: w keeps the clinical observation once b is gone
    assert (k["w"].status, k["w"].after.effect, k["w"].after.relation_name,
            k["w"].alone_effect) == ("kept", "increases", "summary", "decreases")
    # d inhibits a: holding a off does what d does, to o through b and to y
    k = {r.node: r for r in knockout_effects(competing, "d", ["a"]).rows}
    assert {n: (r.status, r.alone_effect) for n, r in k.items()} == {
        "b": ("mimicked", "increases"), "o": ("mimicked", "increases"),
        "w": ("mimicked", "increases"), "y": ("mimicked", "decreases"),
        "s": ("kept", None), "t": ("kept", None)}


@pytest.fixture
def two_drugs(tmp_path):
    """d's own pathway p reaches a; e's pathway q adds a -> b; the drug-independent
    pathway z adds a -| o and b -> t."""
    return graph(tmp_path,
                 p="drugs: [d]\nedges: [d -> a]\n",
                 q="drugs: [e]\nedges: [e -> a -> b]\n",
                 z="drug_independent: true\nedges: [a -| o, b -> t]\n")


def test_provenance_stated_for_own_and_drug_independent_pathways(two_drugs):
    g = two_drugs
    fx = effects(g, "d")
    assert {n: (i.effect, i.provenance) for n, i in fx.items()} == {
        "a": ("increases", "stated"), "b": ("increases", "inferred"),
        "o": ("decreases", "stated"), "t": ("increases", "inferred")}
    assert {n: i.provenance for n, i in effects(g, "d", stated=True).items()} == {
        "a": "stated", "o": "stated"}
    assert [(str(p)) for p in signed_paths(g, "d", "t")] == ["d -> a -> b -> t"]
    assert signed_paths(g, "d", "t", stated=True) == []
    assert {n: i.provenance for n, i in effects(g, "e").items()} == {
        "a": "stated", "b": "stated", "o": "stated", "t": "stated"}


def test_shared_lists_stated_rows_first(two_drugs):
    rows = shared_nodes(two_drugs, ["d", "e"])
    assert [(r.key, r.provenance, [x.provenance for x in r.reach]) for r in rows] == [
        ("a", "stated", ["stated", "stated"]), ("o", "stated", ["stated", "stated"]),
        ("b", "inferred", ["inferred", "stated"]), ("t", "inferred", ["inferred", "stated"])]
    assert [r.key for r in shared_nodes(two_drugs, ["d", "e"], stated=True)] == ["a", "o"]


def test_experiment_reproduced_only_by_its_own_edges(tmp_path):
    (tmp_path / "sources.yaml").write_text("sources: {s: {title: A source}}\n")
    g = graph(tmp_path, p=(
        "drugs: [d]\n"
        "edges:\n"
        "  - {edge: d -> a -> b, seed: 's:3'}\n"
        "  - {edge: b => o, seed: 's:9'}\n"
        "  - {edge: a -> o, seed: 's:5'}\n"))
    (tmp_path / "experiments.yaml").write_text(
        "experiments:\n"
        "  b-needed: {drug: d, knockout: [b], target: o, expect: lost, seed: 's:9', "
        "evidence: preclinical}\n"
        "  a-needed: {drug: d, knockout: [a], target: b, expect: lost, seed: 's:7', "
        "evidence: preclinical}\n")
    g = signaling_graph(load_project(tmp_path))
    out = {o.experiment.id: o for o in run_experiments(g)}
    assert (out["b-needed"].status, out["b-needed"].independence,
            out["b-needed"].own_edges, out["b-needed"].observed_without) == (
        "reproduced", "own-edges-only", (("b", "o", "p"),), "increases")
    assert (out["a-needed"].status, out["a-needed"].independence, out["a-needed"].own_edges) == (
        "reproduced", "independent", ())


def test_shared_rows_a_mechanism_explains_come_before_summary_rows(tmp_path):
    g = graph(tmp_path,
              p="drugs: [d]\nedges: ['d -| a -> o', {edge: d -> m, relation: summary, "
                "evidence: clinical}]\n",
              q="drugs: [e]\nedges: ['e -> a -> o', {edge: e -> m, relation: summary, "
                "evidence: clinical}]\n")
    rows = shared_nodes(g, ["d", "e"])
    assert [(r.key, r.summary, r.evidence and r.evidence.value) for r in rows] == [
        ("a", False, None), ("o", False, None), ("m", True, "clinical")]
    assert [x.relation for x in rows[-1].reach] == ["summary", "summary"]


def test_ampar_knockout_loses_the_cascade_below_it_but_not_the_plasma_reading(tmp_path):
    """The disinhibition cascade down to the antidepressant effect, a clinical summary of
    the outcome that names the cascade (via), and a plasma-BDNF reading (a measurement,
    summary without via): holding AMPAR off loses every step below it and the outcome;
    the plasma reading is an observation and stays."""
    (tmp_path / "catalog.yaml").write_text(
        "entities: {ket: drug, NMDAR: receptor, GABA: transmitter, firing: process, "
        "glu: transmitter, AMPAR: receptor, BDNF: protein, TrkB: receptor, mTORC1: kinase, "
        "syn: process, AD: outcome, pBDNF: measurement}\n")
    (tmp_path / "k.yaml").write_text(
        "pathway: k\ndrugs: [ket]\ndefaults: {evidence: preclinical}\nedges:\n"
        "  - ket -| NMDAR -> GABA -| firing -> glu -> AMPAR => BDNF -> TrkB -> mTORC1 -> syn -> AD\n"
        "  - {edge: ket -> AD, relation: summary, via: [AMPAR, BDNF], evidence: clinical}\n"
        "  - {edge: ket -> pBDNF, relation: summary, evidence: clinical}\n"
        "  - {edge: pBDNF -- AD, evidence: clinical}\n")
    g = signaling_graph(load_project(tmp_path))
    assert str(effects(g, "ket")["AD"].path) == (
        "ket -| NMDAR -> GABA -| firing -> glu -> AMPAR => BDNF -> TrkB -> mTORC1 -> syn -> AD")
    k = knockout_effects(g, "ket", ["AMPAR"])
    assert {r.node: r.status for r in k.rows} == {
        "NMDAR": "kept", "GABA": "kept", "firing": "kept", "glu": "kept", "pBDNF": "kept",
        "BDNF": "lost", "TrkB": "lost", "mTORC1": "lost", "syn": "lost", "AD": "lost"}
    assert {r.node: r.blocked_by for r in k.having("lost")}["BDNF"] == ("AMPAR",)
