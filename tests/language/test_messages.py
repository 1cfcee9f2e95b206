"""Messages a student can act on (each case also has its one-defect file in tests/invalid/)."""

from __future__ import annotations

import pytest

from mechgraph.errors import MechgraphError
from mechgraph.language import parse as p
from mechgraph.language.fields import near, numbers
from mechgraph.language.load import load_text


def messages(text: str, path: str = "t.yaml") -> list[str]:
    with pytest.raises(MechgraphError) as caught:
        load_text(text, path)
    return [str(d) for d in caught.value.diagnostics]


def test_greek_letters_are_welcome_in_entity_ids_and_labels() -> None:
    project = load_text("pathway: t\nentities: {yohimbine: drug, α2-adrenoceptor: receptor}\n"
                        "edges: [yohimbine -| α2-adrenoceptor]\n", "t.yaml")
    assert [str(e.target) for e in project.pathways["t"].edges] == ["α2-adrenoceptor"]


def test_an_ascii_only_id_says_ascii() -> None:
    assert messages("pathway: t\ncompartments: {ß: x}\nentities: {a: drug}\nedges: [a -> a]\n") == [
        "t.yaml:2: compartment id 'ß' is not a valid id: 'ß' is not ASCII; ids use ASCII "
        "letters, digits, '-', '_' and '.', starting with a letter or digit; a label may hold "
        "any letter"]
    assert messages("pathway: t\ncompartments: {_x: x}\nentities: {a: drug}\nedges: [a -> a]\n") == [
        "t.yaml:2: compartment id '_x' is not a valid id: use ASCII letters, digits, '-', '_' "
        "and '.', starting with a letter or digit"]


@pytest.mark.parametrize("arrow", ["-->", "--|", "==>", "<-", "<--", "<=", "→", "⊣"])
def test_arrows_of_other_notations_name_ours(arrow: str) -> None:
    [message] = messages(f"pathway: t\nentities: {{a: drug, b: protein}}\nedges: ['a {arrow} b']\n")
    assert message.startswith(f"t.yaml:3: edge 'a {arrow} b': {arrow!r} is not an arrow; arrows are "
                              "-> (activates), -| (inhibits), => (is necessary for), ~> "
                              "(modulates), >> (is converted to)")


def test_colon_hint_for_a_list_item() -> None:
    # a list item holding ': ' is valid YAML, a one-key mapping
    assert messages("pathway: t\nentities: {a: drug}\nedges: [a -> a]\nnotes:\n"
                    "  - Onset: within hours\n") == [
        "t.yaml:5: note must be text, not a mapping (a ': ' inside text starts a key: put the "
        "text in quotes, \"Onset: within hours\")"]
    assert messages("pathway: t\nentities: {a: drug}\nedges: [a -> a]\nnotes:\n"
                    "  - Onset: within hours: fast\n") == [
        "t.yaml:5: YAML syntax error: mapping values are not allowed in this context (a value "
        "holding ': ' must be in quotes: - \"Onset: within hours: fast\")"]


def test_a_multi_line_value_without_a_dash_is_fine() -> None:
    project = load_text("pathway: t\nentities: {a: drug, b: protein}\nedges:\n  - a ->\n    b\n",
                        "t.yaml")
    assert len(project.pathways["t"].edges) == 1


def test_a_bad_kind_is_one_message_even_when_the_entity_is_used_by_label() -> None:
    assert messages("pathway: t\nentities:\n  a: drug\n  b: {kind: protien, label: Bee}\n"
                    "edges: [a -> Bee, a -> B]\n") == [
        "t.yaml:4: unknown node kind 'protien' (did you mean 'protein'?); expected one of: "
        "drug, metabolite, receptor, channel, transmitter, protein, kinase, complex, ion, "
        "process, outcome, cell, region, network, intervention, measurement"]


def test_did_you_mean_keeps_numbers() -> None:
    assert numbers("5-HT₂A receptor") == ["5", "2"]
    assert near("5-HT1A receptor", ["5-HT₂A receptor", "5-HT1A autoreceptor"]) == \
        " (did you mean '5-HT1A autoreceptor'?)"
    assert near("5-HT1A receptor", ["5-HT₂A receptor", "5-HT2A receptor"]) == ""
    assert near("D1 receptr", ["D1 receptor", "D2 receptor"]) == " (did you mean 'D1 receptor'?)"
    assert near("BDFN", ["BDNF"]) == " (did you mean 'BDNF'?)"


def test_plain_empty_is_no_value_with_libyaml_and_pure_parsers() -> None:
    # libyaml reports a plain scalar's style as "", pure PyYAML as None; both are plain
    tree, problems = p.parse('a:\nb: ""\nc: null\nd: "null"\n', "t.yaml")
    assert not problems
    assert [tree.get(k).is_null for k in "abcd"] == [True, False, True, False]
