"""The language as the loader reads it: exact model objects from tests/valid/."""

from __future__ import annotations

from pathlib import Path

import pytest

from mechgraph.errors import MechgraphError
from mechgraph.language.load import load_project, load_text
from mechgraph.model import (
    Direction,
    Effect,
    Evidence,
    Grade,
    NodeKind,
    NodeRef,
    PathwayKind,
    SeedRef,
    Step,
)

from ..conftest import VALID


def edges(project, pid):
    return [(str(e.source), e.effect.value, str(e.target)) for e in project.pathways[pid].edges]


def test_chains_long_forms_synonyms_and_compartments(valid_project) -> None:
    assert edges(valid_project, "ketamine") == [
        ("ketamine", "-|", "NMDAR@interneuron"),
        ("NMDAR@interneuron", "->", "GABA release@interneuron"),
        ("GABA release@interneuron", "-|", "pyramidal firing@pyramidal"),
        ("pyramidal firing@pyramidal", "->", "glutamate release"),  # synonym 'glutamate surge'
        ("glutamate release", "->", "AMPAR@postsynaptic"),  # synonym 'AMPA_R', shared compartment
        ("AMPAR@postsynaptic", "->", "BDNF"),
        ("BDNF", "->", "mTORC1"),  # synonym 'mTOR'
        ("AMPAR@postsynaptic", "=>", "antidepressant effect"),  # effect: requires
        ("NO", "~>", "ON"),
        ("ON", "->", "1e3"),
        ("1e3", "->", "12:30"),
    ]


def test_names_are_always_strings(valid_project) -> None:
    # YAML 1.1 would read NO/ON as booleans, 1e3 as a float and 12:30 as 750
    for eid in ("NO", "ON", "1e3", "12:30"):
        assert valid_project.entities[eid].id == eid
    assert valid_project.entities["NO"].label == "nitric oxide"
    assert valid_project.entities["12:30"].label == "Half past twelve"


def test_defaults_and_edge_evidence_merge(valid_project) -> None:
    by_pair = {(str(e.source), str(e.target)): e for e in valid_project.pathways["ketamine"].edges}
    assert by_pair[("ketamine", "NMDAR@interneuron")].evidence == (
        Evidence(Grade.PRECLINICAL, (), SeedRef("cureus", 64, 64)),)
    # written twice (in a chain and on its own): both statements kept, in order
    assert by_pair[("BDNF", "mTORC1")].evidence == (
        Evidence(Grade.PRECLINICAL, ("pmid:20724638",), SeedRef("cureus", 64, 64), ("16",),
                 "Written in our own words."),
        Evidence(Grade.CLINICAL, (), SeedRef("cureus", 90, 90)),
    )
    assert by_pair[("AMPAR@postsynaptic", "antidepressant effect")].evidence == (
        Evidence(Grade.PRECLINICAL, (), SeedRef("cureus", 80, 81)),)


def test_entities_sources_and_compartments(valid_project) -> None:
    bdnf = valid_project.entities["BDNF"]
    assert (bdnf.kind, bdnf.xrefs, bdnf.name) == (
        NodeKind.PROTEIN, ("hgnc:1033", "uniprot:P23560"), "brain-derived neurotrophic factor")
    assert valid_project.entities["5-HT2A"].label == "5-HT₂A receptor"
    assert valid_project.entities["glutamate release"].synonyms == ("glutamate surge",)
    assert valid_project.sources["cureus"].refs == {"16": ("doi:10.1126/science.1190287",)}
    assert list(valid_project.compartments) == ["postsynaptic"]
    assert list(valid_project.pathways["ketamine"].compartments) == ["interneuron", "pyramidal"]
    assert valid_project.pathways["ketamine"].cite == ("doi:10.7759/cureus.83244",)
    assert valid_project.pathways["ketamine"].seed == SeedRef("cureus", 60, 72)


def test_conversion_and_drugs(valid_project) -> None:
    assert edges(valid_project, "psilocybin")[:2] == [
        ("psilocybin", ">>", "psilocin"), ("psilocin", "->", "5-HT2A")]
    assert valid_project.pathways["psilocybin"].drugs == ("psilocybin",)


def test_workflow_steps_and_branches(valid_project) -> None:
    trial = valid_project.pathways["trial"]
    assert trial.kind is PathwayKind.WORKFLOW
    assert trial.steps["screening"] == Step(
        "screening", "Screening", NodeKind.START, time="Week -2",
        location=trial.steps["screening"].location)
    assert trial.steps["eligible"].kind is NodeKind.DECISION
    assert [(str(e.source), str(e.target), e.label) for e in trial.edges] == [
        ("screening", "eligible", None), ("eligible", "infusion", "yes"),
        ("eligible", "excluded", "no"), ("infusion", "done", None)]


def test_figures_and_experiments(valid_project) -> None:
    cascade = valid_project.figures["cascade"]
    assert (cascade.pathways, cascade.direction, cascade.fills, cascade.highlight_shared) == (
        ("ketamine",), Direction.LR, SeedRef("cureus", 50, 50), False)
    # a glob picks pathways in sorted order
    assert valid_project.figures["shared"].pathways == ("ketamine", "psilocybin", "trial")
    assert valid_project.figures["shared"].highlight_shared is True
    block = valid_project.experiments["ampar-block"]
    assert (block.drug, block.knockout, block.target, block.expect, block.conflicts_with) == (
        "ketamine", (NodeRef("AMPAR", "postsynaptic"),), NodeRef("antidepressant effect"),
        "lost", ("ampar-kept",))
    assert block.evidence == Evidence(Grade.PRECLINICAL, (), SeedRef("cureus", 80, 80), ("16",))


def test_effect_words_are_aliases() -> None:
    text = """pathway: words
entities: {a: drug, b: protein, c: protein, d: outcome, e: metabolite, f: process}
edges:
  - {from: a, to: b, effect: antagonist}
  - {from: b, to: c, effect: stimulates}
  - {from: c, to: d, effect: necessary-for}
  - {from: a, to: e, effect: metabolised-to}
  - {from: e, to: f, effect: modulates}
  - {edge: f -| d, effect: blocks}
"""
    project = load_text(text, path="words.yaml")
    assert [e.effect for e in project.pathways["words"].edges] == [
        Effect.NEGATIVE, Effect.POSITIVE, Effect.NECESSARY, Effect.CONVERSION, Effect.UNKNOWN,
        Effect.NEGATIVE]


def test_case_insensitive_name_resolution() -> None:
    project = load_text("pathway: p\nentities: {BDNF: protein, Ketamine: drug}\n"
                        "edges: [ketamine -> bdnf]\n", path="p.yaml")
    assert edges(project, "p") == [("Ketamine", "->", "BDNF")]


def test_strict_requires_evidence_and_seed() -> None:
    text = "pathway: p\nentities: {a: drug, b: protein}\nedges: [a -> b]\n"
    assert edges(load_text(text, path="p.yaml"), "p") == [("a", "->", "b")]
    with pytest.raises(MechgraphError) as caught:
        load_text(text, path="p.yaml", strict=True)
    assert [str(d) for d in caught.value.diagnostics] == [
        "p.yaml:3: edge has no evidence grade (strict: give 'evidence:' on the edge or in 'defaults:')",
        "p.yaml:3: edge has no seed place (strict: give 'seed:' on the edge or in 'defaults:')",
    ]


def test_likely_duplicate_entities_are_warnings() -> None:
    project = load_text("entities:\n  mTOR: {kind: kinase, xref: [hgnc:3942]}\n"
                        "  MTOR kinase: {kind: kinase, xref: [HGNC:3942]}\n"
                        "  5-HT2A: {kind: receptor, label: 5-HT2A}\n"
                        "  5HT2A: {kind: receptor, label: 5ht2a}\n", path="c.yaml")
    assert [str(w) for w in project.warnings] == [
        "c.yaml:3: warning: entities 'mTOR' and 'MTOR kinase' share hgnc:3942: likely the same "
        "thing (merge them, or make one a synonym)",
        "c.yaml:5: warning: entities '5-HT2A' and '5HT2A' have labels that differ only by case or "
        "punctuation ('5-HT2A', '5ht2a'): likely the same thing",
    ]


def test_several_problems_in_several_files_all_reported(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("pathway: a\nentities: {x: drug}\nedges: [x -> y, x -> z]\n")
    (tmp_path / "b.yaml").write_text("pathway: wrong\nedges: [q -> x]\n")
    with pytest.raises(MechgraphError) as caught:
        load_project(tmp_path)
    assert [(Path(d.path).name, d.line, d.message.split(";")[0]) for d in caught.value.diagnostics] == [
        ("a.yaml", 3, "unknown node 'y'"),
        ("a.yaml", 3, "unknown node 'z'"),
        ("b.yaml", 1, "pathway id 'wrong' does not match the file name 'b.yaml' (write 'pathway: b' or rename the file)"),
        ("b.yaml", 2, "unknown node 'q'"),
    ]


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("pathway: latin1\ntitle: caf\xe9\n".encode("latin-1"))
    with pytest.raises(MechgraphError) as caught:
        load_project(bad)
    assert (caught.value.line, caught.value.message) == (
        2, "byte 0xe9 is not UTF-8; save the file as UTF-8")


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("notes: [" + ", ".join(["x" * 100] * 11000) + "]\n")
    with pytest.raises(MechgraphError) as caught:
        load_project(big)
    assert "pathway files may be at most 1,048,576 bytes" in caught.value.message


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(MechgraphError) as caught:
        load_project(tmp_path / "nope")
    assert caught.value.message == "no such file or folder"


def test_load_text_and_load_project_agree() -> None:
    from_text = load_text((VALID / "psilocybin.yaml").read_text() + (VALID / "catalog.yaml").read_text()
                          .replace("entities:", "entities:", 1), path="psilocybin.yaml")
    assert edges(from_text, "psilocybin") == edges(load_project(VALID), "psilocybin")


def test_entity_tables_may_cite_sources_from_a_later_file(tmp_path: Path) -> None:
    (tmp_path / "a-entities.yaml").write_text(
        "entities:\n  ketamine:\n    kind: drug\n    tables:\n      - title: T\n"
        "        seed: z:3\n        columns: [a, b]\n        rows: [[1, 2]]\n")
    (tmp_path / "z-sources.yaml").write_text("sources:\n  z: {title: Z}\n")
    table = load_project(tmp_path).entities["ketamine"].tables[0]
    assert (table.seed, table.columns, table.rows) == (SeedRef("z", 3, 3), ("a", "b"), (("1", "2"),))


def test_experiment_without_knockout_asks_for_the_drugs_own_effect() -> None:
    project = load_text("entities: {reserpine: drug, monoamines: transmitter}\n"
                        "experiments:\n  depletion:\n    drug: reserpine\n    knockout: []\n"
                        "    target: monoamines\n    expect: decreases\n"
                        "  depletion2:\n    drug: reserpine\n    target: monoamines\n"
                        "    expect: decreases\n", path="x.yaml")
    assert [(x.id, x.knockout, x.target, x.expect) for x in project.experiments.values()] == [
        ("depletion", (), NodeRef("monoamines"), "decreases"),
        ("depletion2", (), NodeRef("monoamines"), "decreases")]


def test_a_path_that_is_neither_file_nor_folder() -> None:
    with pytest.raises(MechgraphError) as caught:
        load_project("/dev/null")
    assert str(caught.value) == "/dev/null: not a regular file or a folder"


def test_long_bad_values_are_shortened_in_messages() -> None:
    with pytest.raises(MechgraphError) as caught:
        load_text("x" * 500, path="long.yaml")
    assert str(caught.value) == (
        "long.yaml:1: a pathway file must be a mapping of keys, not text "
        f"'{'x' * 57}...'")
