"""Signed tables in: SIF with sign words, OmniPath-style 1/-1, SIGNOR-style columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import mechgraph as mg
from mechgraph.cli import main
from mechgraph.errors import MechgraphError
from mechgraph.formats.cells import inert


def links(imp):
    return [(imp.nodes[l.source].label, l.effect.value, imp.nodes[l.target].label, l.relation,
             l.line) for l in imp.links]


def test_sif_sign_words_several_targets_and_associations() -> None:
    text = ("# a comment\nBDNF activates NTRK2\nGSK3B\tinhibits\tCTNNB1\tMYC\n"
            "MTOR controls-state-change-of EIF4EBP1\nAKT1 in-complex-with MTOR\nLONELY\n"
            "X frobnicates Y\n")
    imp = mg.from_sif("net.sif", text=text, id_prefix="hgnc.symbol")
    assert links(imp) == [
        ("BDNF", "->", "NTRK2", "mechanism", 2), ("GSK3B", "-|", "CTNNB1", "mechanism", 3),
        ("GSK3B", "-|", "MYC", "mechanism", 3), ("MTOR", "~>", "EIF4EBP1", "mechanism", 4),
        ("AKT1", "--", "MTOR", "association", 5)]
    assert imp.nodes["BDNF"].xrefs == ("hgnc.symbol:BDNF",)
    assert imp.not_expressed() == {"lone nodes with no relation": 1,
                                   "relations of an unknown type 'frobnicates'": 1}


def test_omnipath_style_signs_and_bare_accessions() -> None:
    text = ("source\tinteraction\ttarget\treferences\n"
            "P23560\t1\tQ16620\tSIGNOR:11111;HPRD:22222\n"
            "Q16620\t-1\tP31749\t\nP31749\t0\tP42345\t\n")
    imp = mg.from_table("omni.tsv", text=text)
    assert links(imp) == [("P23560", "->", "Q16620", "mechanism", 2),
                          ("Q16620", "-|", "P31749", "mechanism", 3),
                          ("P31749", "~>", "P42345", "mechanism", 4)]
    assert imp.nodes["P23560"].xrefs == ("uniprot:P23560",)
    assert imp.links[0].cites == ("pmid:11111", "pmid:22222")


def test_omnipath_stimulation_columns() -> None:
    text = ("source,target,is_stimulation,is_inhibition\nA,B,1,0\nB,C,0,1\nC,D,1,1\n")
    imp = mg.from_table("o.csv", text=text)
    assert links(imp) == [("A", "->", "B", "mechanism", 2), ("B", "-|", "C", "mechanism", 3)]
    assert imp.not_expressed() == {"relations marked both stimulating and inhibiting": 1}


def test_signor_style_columns() -> None:
    text = ("ENTITYA\tTYPEA\tIDA\tENTITYB\tTYPEB\tIDB\tEFFECT\tMECHANISM\tPMID\n"
            "BDNF\tprotein\tP23560\tNTRK2\tprotein\tQ16620\tup-regulates activity\tbinding\t123\n"
            "GSK3B\tprotein\tP49841\tCTNNB1\tprotein\tP35222\tdown-regulates quantity\t\t456\n"
            "X\tprotein\tP0\tY\tprotein\tP1\tform complex\t\t\n"
            "Y\tprotein\tP1\tZ\tprotein\tP2\tunknown\t\t\n")
    imp = mg.from_table("signor.tsv", text=text)
    assert links(imp) == [("BDNF", "->", "NTRK2", "mechanism", 2),
                          ("GSK3B", "-|", "CTNNB1", "mechanism", 3),
                          ("X", "--", "Y", "association", 4), ("Y", "~>", "Z", "mechanism", 5)]
    assert [l.cites for l in imp.links] == [("pmid:123",), ("pmid:456",), (), ()]
    assert (imp.nodes["BDNF"].label, imp.nodes["BDNF"].xrefs) == ("BDNF", ("uniprot:P23560",))
    assert imp.not_expressed() == {"identifiers of no known CURIE prefix": 3}  # P0, P1, P2


def test_table_without_source_column_names_the_header() -> None:
    with pytest.raises(MechgraphError) as e:
        mg.from_table("bad.tsv", text="from_gene\tto_gene\tsign\nA\tB\t1\n")
    assert str(e.value).startswith("bad.tsv:1: no source and target columns in the header "
                                   "'from_gene\\tto_gene\\tsign'")


def test_sif_line_with_two_cells_is_an_error_with_its_line() -> None:
    with pytest.raises(MechgraphError) as e:
        mg.from_sif("bad.sif", text="A activates B\nA activates\n")
    assert str(e.value) == "bad.sif:2: expected 'source relation target', got 'A activates'"


def test_import_cli_matches_the_catalog_and_leaves_the_old_file_on_error(tmp_path: Path) -> None:
    (tmp_path / "catalog.yaml").write_text(
        "entities:\n  BDNF: {kind: protein, xref: [hgnc:1033]}\n  TrkB: {kind: receptor}\n")
    sif = tmp_path / "in.sif"
    sif.write_text("BDNF activates TrkB\nTrkB activates ERK\n")
    out = tmp_path / "imported.yaml"
    result = CliRunner().invoke(main, ["import", str(sif), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert text.splitlines()[3:] == [
        "pathway: imported", "title: in", "kind: signaling",
        "description: Imported from in.sif (SIF).", "sources:", "  imported:", "    title: in",
        "    file: in.sif", "entities:", "  ERK:", "    kind: protein", "edges:",
        "  - edge: BDNF -> TrkB", "    seed: imported:1", "  - edge: TrkB -> ERK",
        "    seed: imported:2"]
    assert result.stderr == ("in.sif (SIF): 1 entities, 2 edges, 0 compartments; 2 nodes "
                             "matched catalog entities\nnot expressed: nothing\n")
    before = out.read_bytes()
    sif.write_text("BDNF activates\n")
    bad = CliRunner().invoke(main, ["import", str(sif), "-o", str(out)])
    assert (bad.exit_code, bad.stderr) == (
        1, f"{sif}:1: expected 'source relation target', got 'BDNF activates'\n")
    assert out.read_bytes() == before
    curated = tmp_path / "catalog.yaml"
    mine = curated.read_bytes()
    refused = CliRunner().invoke(main, ["import", str(sif), "-o", str(curated)])
    assert (refused.exit_code, refused.stderr) == (
        1, f"{curated}: exists and was not written by 'mechgraph import'; choose another name, "
           "or add --force to replace it\n")
    assert curated.read_bytes() == mine
    named = CliRunner().invoke(main, ["import", str(sif), "-o", str(tmp_path / "a b.yaml")])
    assert named.exit_code == 1 and "the file name is the pathway id" in named.stderr


def test_spreadsheet_cells_are_inert() -> None:
    assert [inert(c) for c in ("=cmd|' /C calc'!A0", "+1+1", "-|", "@SUM(A1:A2)", "-1", "+",
                               "0.5", "BDNF", "")] == [
        "'=cmd|' /C calc'!A0", "'+1+1", "'-|", "'@SUM(A1:A2)", "-1", "+", "0.5", "BDNF", ""]
