"""Relation kinds in the language: ``--``, ``relation:``, ``via:``, ``defaults:``,
``drug_independent:`` and the ``measurement`` kind, read exactly; bad uses named."""

from __future__ import annotations

import pytest

from mechgraph.errors import MechgraphError
from mechgraph.language.load import load_project, load_text
from mechgraph.model import Effect, NodeKind, Relation

HEAD = ("pathway: p\nentities: {d: drug, a: receptor, b: kinase, o: outcome, "
        "m: measurement}\n")


def rows(text: str):
    project = load_text(HEAD + text, path="p.yaml")
    return [(str(e.source), e.effect.value, str(e.target), e.relation.value, e.via,
             e.via_pathway) for e in project.pathways["p"].edges]


def errors(text: str) -> list[str]:
    with pytest.raises(MechgraphError) as caught:
        load_text(HEAD + text, path="p.yaml")
    return [str(d) for d in caught.value.diagnostics]


def test_chain_arrows_are_mechanisms_and_double_hyphen_an_association() -> None:
    assert rows("edges: [d -| a -> b -- m, 'o--m']\n") == [
        ("d", "-|", "a", "mechanism", (), False),
        ("a", "->", "b", "mechanism", (), False),
        ("b", "--", "m", "association", (), False),
        ("o", "--", "m", "association", (), False),
    ]
    assert Effect.ASSOCIATED.sign == 0


def test_long_form_relation_and_via() -> None:
    assert rows("edges:\n  - d -| a -> b -> o\n"
                "  - {edge: d -> o, relation: summary, via: [a, b]}\n"
                "  - {from: o, to: m, effect: '-|', relation: association}\n"
                "  - {from: d, to: m, effect: correlates}\n") == [
        ("d", "-|", "a", "mechanism", (), False),
        ("a", "->", "b", "mechanism", (), False),
        ("b", "->", "o", "mechanism", (), False),
        ("d", "->", "o", "summary", ("a", "b"), False),
        ("o", "-|", "m", "association", (), False),
        ("d", "--", "m", "association", (), False),
    ]


def test_defaults_relation_and_via_a_pathway(tmp_path) -> None:
    (tmp_path / "mech.yaml").write_text("pathway: mech\nedges: [d -> o]\n")
    (tmp_path / "obs.yaml").write_text(
        "pathway: obs\ndrug_independent: yes\n"
        "entities: {d: drug, o: outcome, m: measurement}\n"
        "defaults: {relation: summary, via: mech}\n"
        "edges: [d -> o, o -- m]\n")
    project = load_project(tmp_path)
    pw = project.pathways["obs"]
    assert pw.drug_independent is True
    assert [(e.relation, e.via, e.via_pathway) for e in pw.edges] == [
        (Relation.SUMMARY, ("mech",), True), (Relation.ASSOCIATION, (), False)]
    assert project.entities["m"].kind is NodeKind.MEASUREMENT


def test_pathways_are_drug_dependent_unless_marked() -> None:
    project = load_text(HEAD + "edges: [d -> a]\n", path="p.yaml")
    assert project.pathways["p"].drug_independent is False


@pytest.mark.parametrize("text, message", [
    ("edges: [{edge: d -- m, relation: mechanism}]\n",
     "p.yaml:3: '--' in 'd -- m' is an association, but the edge says relation: mechanism; "
     "keep one"),
    ("edges: [{edge: d => m, relation: association}]\n",
     "p.yaml:3: an association has no causal direction: '=>' in 'd => m' is not allowed "
     "(use -> for a positive correlation, -| for a negative one, -- when the sign is unknown)"),
    ("edges: [{edge: d -> a, via: [b]}]\n",
     "p.yaml:3: 'via' names what explains a summary edge; this edge is not one "
     "(add 'relation: summary')"),
    ("edges: [{edge: d -> a, relation: sumary}]\n",
     "p.yaml:3: unknown relation 'sumary' (did you mean 'summary'?); expected one of: "
     "mechanism, summary, association"),
    ("drug_independent: maybe\nedges: [d -> a]\n",
     "p.yaml:3: unknown drug_independent 'maybe'; expected one of: true, false, yes, no"),
    ("edges: [d -> a, {edge: d -> a, relation: summary}]\n",
     "p.yaml:3: edge d -> a is a summary here and a mechanism on line 3; keep one"),
])
def test_bad_relations_are_named(text: str, message: str) -> None:
    assert errors(text) == [message]
