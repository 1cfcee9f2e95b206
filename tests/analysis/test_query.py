"""Query semantics on hand-checked fixtures (tests/fixtures/query) and tiny inline graphs.

Every expectation here was worked out on paper from the fixture edges; see the
comments for the reasoning a pharmacologist would follow.
"""

from __future__ import annotations

import doctest

import pytest

import mechgraph.analysis.knockout
import mechgraph.analysis.names
import mechgraph.analysis.net
import mechgraph.analysis.query
import mechgraph.analysis.search
import mechgraph.analysis.shared
from mechgraph.analysis.query import (
    Source,
    compare,
    downstream,
    effects,
    knockout,
    knockout_effects,
    resolve,
    resolve_drug,
    resolve_sources,
    run_experiments,
    shared_nodes,
    signaling_graph,
    signed_paths,
    upstream,
)
from mechgraph.errors import MechgraphError
from mechgraph.graph import build_graph
from mechgraph.language.load import load_project, load_text

from ..conftest import TESTS

FIXTURES = TESTS / "fixtures" / "query"

# the disinhibition route, in node keys
DISINHIBITION = ("ketamine", "NMDAR@interneuron", "GABA release@interneuron",
                 "pyramidal firing@pyramidal", "glutamate release")


@pytest.fixture(scope="module")
def g():
    return signaling_graph(load_project(FIXTURES))


def tiny(edges: str, drugs: str = "d", extra: str = "", entities: str = "") -> object:
    """A one-pathway graph from a YAML flow list of chains; every name is a protein."""
    names = sorted({w for chain in edges.split(",") for w in
                    chain.replace("-|", " ").replace("->", " ").replace("~>", " ")
                    .replace("=>", " ").replace(">>", " ").replace("[", " ")
                    .replace("]", " ").split()})
    ents = ", ".join(f"{n}: protein" for n in names) + entities
    text = (f"pathway: t\ntitle: t\ndrugs: [{drugs}]\nentities: {{{ents}}}\n"
            f"edges: {edges}\n{extra}")
    return build_graph(load_text(text, path="t.yaml"))


def strs(paths) -> list[str]:
    return [str(p) for p in paths]


def test_doctests():
    for module in (mechgraph.analysis.query, mechgraph.analysis.shared, mechgraph.analysis.knockout, mechgraph.analysis.names,
                   mechgraph.analysis.search, mechgraph.analysis.net):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__


# -- net effects -----------------------------------------------------------------


def test_disinhibition_gives_glutamate_increase(g):
    # ketamine -| NMDAR -> GABA -| firing -> glutamate: (-)(+)(-)(+) = +
    e = effects(g, "ketamine")["glutamate release"]
    assert e.effect == "increases"
    assert e.signs == {1}
    assert [p.nodes for p in e.paths] == [DISINHIBITION]
    assert [h.sign for h in e.paths[0].hops] == [-1, 1, -1, 1]


def test_every_node_ketamine_reaches(g):
    assert {n: i.effect for n, i in effects(g, "ketamine").items()} == {
        "NMDAR@interneuron": "decreases",
        "NMDAR@postsynaptic": "decreases",
        "GABA release@interneuron": "decreases",
        "pyramidal firing@pyramidal": "increases",
        "glutamate release": "increases",
        "AMPAR@postsynaptic": "increases",
        "eEF2K": "decreases",
        "BDNF": "increases",
        "TrkB": "increases",
        "mTORC1": "increases",
        "synaptogenesis": "increases",
        "antidepressant effect": "increases",
        "beta-endorphin": "increases",
        "MOR": "increases",
    }


def test_discordant_node_shows_a_path_of_each_sign(g):
    c = effects(g, "mixdrug")["C"]
    assert c.effect == "discordant"
    assert c.signs == {1, -1}
    assert strs(c.paths) == ["mixdrug -> A -> C", "mixdrug -| B -> C"]


def test_unknown_influence(g):
    fx = effects(g, "mixdrug")
    assert (fx["D"].effect, fx["D"].signs) == ("unknown", {0})
    assert (fx["E"].effect, strs(fx["E"].paths)) == ("unknown", ["mixdrug ~> D -> E"])
    # a known sign decides; the unknown path is still shown, after it
    assert (fx["F"].effect, fx["F"].signs) == ("increases", {1, 0})
    assert strs(fx["F"].paths) == ["mixdrug -> F", "mixdrug ~> F"]


def test_negative_feedback_loop_does_not_make_a_node_discordant(g):
    # loopdrug -> P -> Q -| P: the walk loopdrug P Q P carries -, but it is no simple path
    fx = effects(g, "loopdrug")
    assert {n: (i.effect, i.signs) for n, i in fx.items()} == {
        "P": ("increases", {1}), "Q": ("increases", {1}), "R": ("increases", {1})}
    assert not any(i.truncated for i in fx.values())


def test_a_longer_simple_path_is_found_when_the_shortest_walk_loops():
    g = tiny("[d -> x -> y -| x, d -> a1 -> a2 -> a3 -| x]")
    x = effects(g, "d")["x"]
    assert x.effect == "discordant"
    assert strs(x.paths) == ["d -> x", "d -> a1 -> a2 -> a3 -| x"]


def test_search_budget_marks_truncated_results():
    g = tiny("[d -> x -> y -| x]")
    x = effects(g, "d", budget=0)["x"]
    assert (x.signs, x.truncated) == ({1}, True)


def test_parallel_edges_of_opposite_sign_from_two_pathways():
    cat = "entities: {d: drug, a: protein, b: protein}\n"
    p1 = load_text(cat + "pathway: p1\ntitle: t\ndrugs: [d]\nedges: [d -> a -> b]\n", path="p1.yaml")
    p2 = load_text(cat + "pathway: p2\ntitle: t\ndrugs: [d]\nedges: [a -| b]\n", path="p2.yaml")
    project = type(p1)({**p1.pathways, **p2.pathways}, p1.entities)
    b = effects(build_graph(project), "d")["b"]
    assert b.effect == "discordant"
    assert [(str(p), p.hops[-1].pathways) for p in b.paths] == [
        ("d -> a -> b", ("p1",)), ("d -> a -| b", ("p2",))]


def test_conversion_carries_a_positive_sign(g):
    assert strs(effects(g, "psilocybin")["psilocin"].paths) == ["psilocybin >> psilocin"]


def test_effects_on_named_nodes_only(g):
    assert list(effects(g, "ketamine", nodes=["BDNF", "psilocin", "TrkB"])) == ["BDNF", "TrkB"]


def test_evidence_tie_break_prefers_the_stronger_of_equal_length_paths():
    g = tiny("[d -> a -> c, d -> b -> c]")
    # same length, no evidence on either: the first by node name
    assert strs(effects(g, "d")["c"].paths) == ["d -> a -> c"]
    text = ("pathway: t\ntitle: t\ndrugs: [d]\n"
            "entities: {d: drug, a: protein, b: protein, c: protein}\nedges:\n"
            "  - {edge: d -> a -> c, evidence: hypothesis}\n"
            "  - {edge: d -> b -> c, evidence: clinical}\n")
    g2 = build_graph(load_text(text, path="t.yaml"))
    c = effects(g2, "d")["c"]
    assert strs(c.paths) == ["d -> b -> c"]
    assert c.paths[0].weakest.value == "clinical"


# -- necessity -----------------------------------------------------------------------


def test_necessary_input_never_reached_blocks_its_target():
    g = tiny("[d -> a -> t, b => t]")
    assert sorted(effects(g, "d")) == ["a"]


def test_necessity_binds_only_the_drugs_of_the_declaring_pathway(g):
    # ketamine-disinhibition says AMPAR => antidepressant effect, for ketamine
    lost = knockout_effects(g, "ketamine", resolve(g, "AMPAR"))
    assert [(r.node, r.blocked_by) for r in lost.having("lost")] == [
        ("antidepressant effect", ("AMPAR@postsynaptic",))]
    # ... although ketamine still has a route round AMPAR to the outcome
    bypass = [p for p in signed_paths(g, "ketamine", "antidepressant effect")
              if "AMPAR@postsynaptic" not in p.nodes]
    assert strs(bypass)[0] == ("ketamine -| NMDAR@postsynaptic -> eEF2K -| BDNF -> TrkB "
                               "-> mTORC1 -> synaptogenesis -> antidepressant effect")
    # psilocybin's own route to the same outcome is not cut
    kept = knockout_effects(g, "psilocybin", resolve(g, "AMPAR"))
    assert kept.having("lost") == ()
    ade = {r.node: r for r in kept.rows}["antidepressant effect"]
    assert (ade.status, str(ade.after.path)) == (
        "kept", "psilocybin >> psilocin -> 5-HT2A -> BDNF -> TrkB -> mTORC1 -> synaptogenesis "
                "-> antidepressant effect")


def test_knockout_is_a_view_that_queries_compose_with(g):
    view = knockout(g, ["eEF2K", "MOR"])
    assert "eEF2K" not in view and "eEF2K" in g
    bdnf = effects(view, "ketamine")["BDNF"]
    assert strs(bdnf.paths) == [
        "ketamine -| NMDAR@interneuron -> GABA release@interneuron -| pyramidal firing@pyramidal "
        "-> glutamate release -> AMPAR@postsynaptic -> BDNF"]
    assert strs(signed_paths(view, "ketamine", "BDNF")) == strs(bdnf.paths)
    assert list(upstream(view, "BDNF", depth=1)) == ["5-HT2A", "AMPAR@postsynaptic"]


@pytest.mark.parametrize("drug, removed", [
    ("ketamine", ["AMPAR@postsynaptic"]), ("ketamine", ["eEF2K", "MOR"]),
    ("psilocybin", ["AMPAR@postsynaptic", "5-HT2A"]), ("mixdrug", ["B"]), ("loopdrug", ["Q"])])
def test_knockout_report_agrees_with_queries_on_the_view(g, drug, removed):
    k = knockout_effects(g, drug, removed)
    on_view = effects(knockout(g, removed), drug)
    assert {r.node: (r.after.signs, strs(r.after.paths)) for r in k.rows if r.after} == {
        n: (i.signs, strs(i.paths)) for n, i in on_view.items()}


def test_knockout_report_lists_lost_changed_kept(g):
    k = knockout_effects(g, "mixdrug", ["B"])
    assert k.removed == ("B",)
    assert {r.node: (r.status, r.before.effect, r.after and r.after.effect) for r in k.rows} == {
        "A": ("kept", "increases", "increases"),
        "C": ("changed", "discordant", "increases"),
        "D": ("kept", "unknown", "unknown"),
        "E": ("kept", "unknown", "unknown"),
        "F": ("kept", "increases", "increases"),
    }
    # ketamine lowers GABA release: holding it off does by itself what ketamine does
    k2 = knockout_effects(g, "ketamine", ["GABA release@interneuron"])
    assert k2.having("lost") == ()
    assert [(r.node, r.alone_effect) for r in k2.having("mimicked")] == [
        ("AMPAR@postsynaptic", "increases"), ("BDNF", "increases"), ("TrkB", "increases"),
        ("antidepressant effect", "increases"), ("glutamate release", "increases"),
        ("mTORC1", "increases"), ("pyramidal firing@pyramidal", "increases"),
        ("synaptogenesis", "increases")]
    assert str(k2.having("mimicked")[3].alone.path) == (
        "GABA release@interneuron -| pyramidal firing@pyramidal -> glutamate release -> "
        "AMPAR@postsynaptic => antidepressant effect")
    # ketamine raises glutamate release: holding it off loses what needs it
    k3 = knockout_effects(g, "ketamine", ["glutamate release"])
    assert [(r.node, r.alone_effect, r.blocked_by) for r in k3.having("lost")] == [
        ("AMPAR@postsynaptic", "decreases", ()),
        ("antidepressant effect", "decreases", ("AMPAR@postsynaptic",))]


def test_node_keys_are_checked(g):
    with pytest.raises(MechgraphError) as e:
        signed_paths(g, "ketamine", "glutamate")
    assert e.value.message == ("'glutamate' is not a node of the graph (did you mean "
                               "'glutamate release'?) (resolve() turns names into node keys)")
    with pytest.raises(MechgraphError, match="'NMDAR' is not a node"):
        downstream(g, "NMDAR")


def test_knockout_of_a_missing_node_is_an_error(g):
    with pytest.raises(MechgraphError, match="cannot knock out 'nope'"):
        knockout_effects(g, "ketamine", ["nope"])


# -- experiments ------------------------------------------------------------------------


def test_experiments_reproduce_and_conflicts_are_reported(g):
    out = {o.experiment.id: (o.before, o.observed, o.status, o.conflicts)
           for o in run_experiments(g)}
    assert {o.experiment.id: o.blocked_by for o in run_experiments(g) if o.blocked_by} == {
        "ampar-blockade-abolishes-ketamine": ("AMPAR@postsynaptic",)}
    assert out == {
        "ampar-blockade-abolishes-ketamine": ("increases", "lost", "reproduced", ()),
        "ampar-blockade-spares-psilocybin": ("increases", "increases", "reproduced", ()),
        "rapamycin-blocks-ketamine": ("increases", "lost", "reproduced", ()),
        # misread in the fixture: holding GABA release off raises BDNF, as ketamine does
        "gaba-block-misread": ("increases", "mimicked", "failed", ()),
        "naltrexone-spares-ketamine": (
            "increases", "increases", "reproduced", ("opioid-antagonist-abolishes-ketamine",)),
        "opioid-antagonist-abolishes-ketamine": (
            "increases", "increases", "contested", ("naltrexone-spares-ketamine",)),
    }


def test_experiment_path_is_the_cut_path_when_lost(g):
    out = {o.experiment.id: o for o in run_experiments(g)}
    assert str(out["rapamycin-blocks-ketamine"].path) == (
        "ketamine -| NMDAR@postsynaptic -> eEF2K -| BDNF -> TrkB -> mTORC1 -> synaptogenesis")


# -- paths, neighbours ---------------------------------------------------------------


def test_signed_paths_strongest_evidence_then_shortest_with_sign_and_cutoff(g):
    # the hypothesis-graded opioid chain is shorter, but the preclinical chain comes first
    assert strs(signed_paths(g, "ketamine", "BDNF")) == [
        "ketamine -| NMDAR@postsynaptic -> eEF2K -| BDNF",
        "ketamine -| NMDAR@interneuron -> GABA release@interneuron -| pyramidal firing@pyramidal "
        "-> glutamate release -> AMPAR@postsynaptic -> BDNF",
        "ketamine -> beta-endorphin -> MOR -> BDNF",
    ]
    assert strs(signed_paths(g, "ketamine", "BDNF", cutoff=3)) == [
        "ketamine -| NMDAR@postsynaptic -> eEF2K -| BDNF",
        "ketamine -> beta-endorphin -> MOR -> BDNF"]
    assert signed_paths(g, "ketamine", "BDNF", sign=-1) == []
    assert strs(signed_paths(g, "ketamine", "eEF2K", sign=-1)) == [
        "ketamine -| NMDAR@postsynaptic -> eEF2K"]
    assert strs(signed_paths(g, "mixdrug", "C", sign=-1)) == ["mixdrug -| B -> C"]
    assert strs(signed_paths(g, "mixdrug", "F", sign=0)) == ["mixdrug ~> F"]
    assert strs(signed_paths(g, "ketamine", "BDNF", limit=1)) == [
        "ketamine -| NMDAR@postsynaptic -> eEF2K -| BDNF"]


def test_paths_carry_pathways_and_evidence(g):
    p = signed_paths(g, "TrkB", "synaptogenesis")
    assert [(h.source, h.target, h.pathways, h.grade.value) for h in p[0].hops] == [
        ("TrkB", "mTORC1", ("ketamine-disinhibition", "psilocybin-5ht2a"), "clinical"),
        ("mTORC1", "synaptogenesis", ("ketamine-disinhibition", "psilocybin-5ht2a"), "clinical")]
    assert p[0].weakest.value == "clinical"


def test_paths_through_a_loop_stay_simple(g):
    assert strs(signed_paths(g, "loopdrug", "R")) == ["loopdrug -> P -> Q -> R"]
    assert strs(signed_paths(g, "P", "P")) == []


def test_downstream_and_upstream_with_depth(g):
    assert {n: i.effect for n, i in downstream(g, "GABA release@interneuron", depth=2).items()} == {
        "pyramidal firing@pyramidal": "decreases", "glutamate release": "decreases"}
    up = upstream(g, "BDNF", depth=2)
    assert {n: i.effect for n, i in up.items()} == {
        "5-HT2A": "increases", "AMPAR@postsynaptic": "increases", "MOR": "increases",
        "eEF2K": "decreases", "NMDAR@postsynaptic": "decreases", "beta-endorphin": "increases",
        "glutamate release": "increases", "psilocin": "increases"}
    assert str(up["NMDAR@postsynaptic"].path) == "NMDAR@postsynaptic -> eEF2K -| BDNF"


# -- shared nodes and compare ------------------------------------------------------------


SHARED = {
    # key: (ketamine, psilocybin)
    "AMPAR": ("increases", "unknown"),  # psilocybin only through 5-HT2A ~> glutamate release
    "glutamate release": ("increases", "unknown"),
    "BDNF": ("increases", "increases"),
    "TrkB": ("increases", "increases"),
    "mTORC1": ("increases", "increases"),
    "synaptogenesis": ("increases", "increases"),
    "antidepressant effect": ("increases", "increases"),
}


def test_shared_nodes_of_two_drugs(g):
    rows = shared_nodes(g, ["ketamine", "psilocybin"])
    assert {r.key: r.effects for r in rows} == SHARED
    # stated rows first; psilocybin reaches AMPAR only through ketamine's glutamate -> AMPAR
    assert [r.key for r in rows] == ["antidepressant effect", "BDNF", "glutamate release",
                                     "mTORC1", "synaptogenesis", "TrkB", "AMPAR"]
    assert {r.key: r.provenance for r in rows} == {
        k: "inferred" if k == "AMPAR" else "stated" for k in SHARED}
    ampar = {r.key: r for r in rows}["AMPAR"]
    assert [(r.source.name, r.provenance, r.relation) for r in ampar.reach] == [
        ("ketamine", "stated", "mechanism"), ("psilocybin", "inferred", "mechanism")]
    assert {r.key: r.concordant for r in rows} == {
        k: (None if "unknown" in v else True) for k, v in SHARED.items()}
    bdnf = {r.key: r for r in rows}["BDNF"]
    assert [(r.source.name, str(r.path)) for r in bdnf.reach] == [
        ("ketamine", "ketamine -| NMDAR@postsynaptic -> eEF2K -| BDNF"),
        ("psilocybin", "psilocybin >> psilocin -> 5-HT2A -> BDNF")]
    assert bdnf.evidence.value == "preclinical"


def test_shared_nodes_of_pathways_ranked_by_sources_then_evidence(g):
    srcs = resolve_sources(g, ["ketamine-*", "psilocybin-5ht2a"])
    assert srcs == [Source("ketamine-disinhibition", "pathway"), Source("ketamine-eef2k", "pathway"),
                    Source("ketamine-opioid", "pathway"), Source("psilocybin-5ht2a", "pathway")]
    rows = shared_nodes(g, srcs)
    got = [(r.key, [x.source.name for x in r.reach], r.effects) for r in rows]
    assert got == [
        ("BDNF", ["ketamine-disinhibition", "ketamine-eef2k", "ketamine-opioid", "psilocybin-5ht2a"],
         ("increases", "increases", "increases", "increases")),
        ("ketamine", ["ketamine-disinhibition", "ketamine-eef2k", "ketamine-opioid"],
         ("increases", "increases", "increases")),
        # two sources each, all preclinical at worst: by label
        ("antidepressant effect", ["ketamine-disinhibition", "psilocybin-5ht2a"],
         ("increases", "increases")),
        # psilocybin's pathway signs glutamate release only through ~>
        ("glutamate release", ["ketamine-disinhibition", "psilocybin-5ht2a"],
         ("increases", "unknown")),
        ("mTORC1", ["ketamine-disinhibition", "psilocybin-5ht2a"], ("increases", "increases")),
        ("NMDAR", ["ketamine-disinhibition", "ketamine-eef2k"], ("decreases", "decreases")),
        ("synaptogenesis", ["ketamine-disinhibition", "psilocybin-5ht2a"],
         ("increases", "increases")),
        ("TrkB", ["ketamine-disinhibition", "psilocybin-5ht2a"], ("increases", "increases")),
    ]


def test_pathway_signs_come_from_its_own_edges_only(g):
    # within ketamine-eef2k alone, BDNF is reached only through eEF2K
    rows = {r.key: r for r in shared_nodes(g, ["ketamine-eef2k", "ketamine-opioid"])}
    assert [(r.source.name, str(r.path)) for r in rows["BDNF"].reach] == [
        ("ketamine-eef2k", "ketamine -| NMDAR@postsynaptic -> eEF2K -| BDNF"),
        ("ketamine-opioid", "ketamine -> beta-endorphin -> MOR -> BDNF")]


def test_pathway_node_no_drug_reaches_is_unsigned():
    text = "pathway: u\ntitle: t\nentities: {a: protein, b: protein}\nedges: [b -> a]\n"
    rows = shared_nodes(build_graph(load_text(text, path="u.yaml")), ["u"], minimum=1)
    assert [(r.key, r.effects, r.concordant, r.evidence) for r in rows] == [
        ("a", (None,), None, None), ("b", (None,), None, None)]


def test_shared_by_compartment_keeps_compartment_nodes_apart(g):
    rows = shared_nodes(g, ["ketamine-disinhibition", "ketamine-eef2k"], by="compartment")
    assert sorted(r.key for r in rows) == ["BDNF", "ketamine"]
    rows = shared_nodes(g, ["ketamine-disinhibition", "ketamine-eef2k"])
    assert sorted(r.key for r in rows) == ["BDNF", "NMDAR", "ketamine"]
    nmdar = {r.key: r for r in rows}["NMDAR"]
    assert nmdar.nodes == ("NMDAR@interneuron", "NMDAR@postsynaptic")


def test_evidence_is_the_strongest_chain_and_so_is_the_explanation():
    text = ("pathway: t\ntitle: t\ndrugs: [d]\n"
            "entities: {d: drug, e: drug, a: protein, c: protein}\nedges:\n"
            "  - {edge: d -> c, evidence: hypothesis}\n"
            "  - {edge: d -> a -> c, evidence: clinical}\n"
            "  - {edge: e -> c, evidence: preclinical}\n")
    g = build_graph(load_text(text, path="t.yaml"))
    (row,) = shared_nodes(g, ["d", "e"])
    assert [(r.source.name, str(r.path), r.path.weakest.value, r.evidence.value)
            for r in row.reach] == [("d", "d -> a -> c", "clinical", "clinical"),
                                    ("e", "e -> c", "preclinical", "preclinical")]
    assert row.evidence.value == "preclinical"


def test_discordant_sources_are_not_concordant():
    cat = "entities: {d: drug, e: drug, a: protein, b: protein}\n"
    p1 = load_text(cat + "pathway: p1\ntitle: t\ndrugs: [d]\nedges: [d -> a -> b]\n", path="p1.yaml")
    p2 = load_text(cat + "pathway: p2\ntitle: t\ndrugs: [e]\nedges: [e -| a]\n", path="p2.yaml")
    project = type(p1)({**p1.pathways, **p2.pathways}, p1.entities)
    rows = shared_nodes(build_graph(project), ["d", "e"])
    assert [(r.key, r.effects, r.concordant) for r in rows] == [
        ("a", ("increases", "decreases"), False), ("b", ("increases", "decreases"), False)]


def test_compare_two_drugs(g):
    c = compare(g, "Ketamine", "psilocybin")
    assert (c.a, c.b) == ("ketamine", "psilocybin")
    assert {r.key: r.effects for r in c.shared} == SHARED
    assert {r.key: r.effects for r in c.only_a} == {
        "NMDAR": ("decreases",), "GABA release": ("decreases",),
        "pyramidal firing": ("increases",), "eEF2K": ("decreases",),
        "beta-endorphin": ("increases",), "MOR": ("increases",)}
    assert {r.key: r.effects for r in c.only_b} == {
        "psilocin": ("increases",), "5-HT2A": ("increases",), "hallucinations": ("increases",)}


# -- names ---------------------------------------------------------------------------------


def test_names_resolve_through_the_catalog(g):
    assert resolve(g, "NMDA receptor") == ("NMDAR@interneuron", "NMDAR@postsynaptic")
    assert resolve(g, "nmda-r@Postsynaptic") == ("NMDAR@postsynaptic",)
    assert resolve(g, "glutamate surge") == ("glutamate release",)
    assert resolve(g, "5-HT₂A receptor") == ("5-HT2A",)
    assert resolve(g, "mtor") == ("mTORC1",)
    assert resolve_drug(g, "KETAMINE") == "ketamine"


@pytest.mark.parametrize("name, message", [
    ("glutamate", "unknown node 'glutamate' (did you mean 'glutamate surge' or "
                  "'glutamate release'?)"),
    ("BDFN", "unknown node 'BDFN' (did you mean 'BDNF'?)"),
    ("zzzz", "unknown node 'zzzz'"),
    ("NMDAR@raphe", "NMDAR has no node in compartment 'raphe' (it is in: interneuron, postsynaptic)"),
])
def test_unknown_names_suggest(g, name, message):
    with pytest.raises(MechgraphError) as e:
        resolve(g, name)
    assert e.value.message == message


def test_a_declared_drug_on_no_edge_is_said_so_not_suggested_as_itself():
    g = build_graph(load_text("pathway: t\ntitle: t\ndrugs: [d, d2]\n"
                              "entities: {d: drug, d2: drug, a: receptor}\nedges: [d -> a]\n",
                              path="t.yaml"))
    with pytest.raises(MechgraphError) as e:
        resolve_sources(g, ["D2"])
    assert e.value.message == ("drug 'd2' is declared by pathway t but is on none of its edges, "
                               "so it reaches nothing (add an edge from it, e.g. 'd2 -> TARGET')")


def test_unknown_sources_suggest(g):
    with pytest.raises(MechgraphError) as e:
        resolve_sources(g, ["ketamin"])
    assert e.value.message == ("'ketamin' is neither a pathway nor a drug (did you mean "
                               "'ketamine' or 'ketamine-opioid'?)")
    with pytest.raises(MechgraphError) as e:
        resolve_sources(g, ["esketamine-*"])
    assert e.value.message.startswith("'esketamine-*' matches no pathway")
    with pytest.raises(MechgraphError, match="unknown drug 'psilocibin'.*'psilocybin'"):
        effects(g, "psilocibin")


def test_ambiguous_name_across_entities():
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_node("Ab", entity="Ab", label="Ab")
    g.add_node("aB", entity="aB", label="aB")
    assert resolve(g, "aB") == ("aB",)  # exact beats case-insensitive
    with pytest.raises(MechgraphError) as e:
        resolve(g, "ab")
    assert e.value.message == "node 'ab' is ambiguous: it names Ab, aB"
