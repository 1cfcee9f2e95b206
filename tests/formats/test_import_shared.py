"""Real files from other tools (../shared/interop) import to pathways that check and draw."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import mechgraph as mg
from mechgraph.cli import main
from mechgraph.errors import MechgraphError
from mechgraph.language.load import load_project

from ..conftest import REPO

INTEROP = REPO.parent / "shared" / "interop"
needs_interop = pytest.mark.skipif(not INTEROP.is_dir(), reason=f"{INTEROP} is absent: the "
                                   "third-party interop files are not in this checkout")
IMPORTABLE = sorted(p for p in INTEROP.glob("*/*") if p.suffix in (".sbgn", ".gpml", ".bel", ".cx2")
                    and p.name != "PD_Reference_Card.sbgn") if INTEROP.is_dir() else []


def edges(imp) -> set[tuple[str, str, str, str]]:
    pw = imp.project().pathways[imp.pathway]
    return {(e.source.key, e.effect.value, e.target.key, e.relation.value) for e in pw.edges}


@needs_interop
@pytest.mark.parametrize("path", IMPORTABLE, ids=lambda p: p.name)
def test_every_file_imports_checks_and_renders(path: Path, tmp_path: Path) -> None:
    name = path.name.split(".")[0].replace("_", "-")
    out = tmp_path / f"{name}.yaml"
    result = CliRunner().invoke(main, ["import", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}\n"
    assert result.stderr.startswith(f"{path.name} (")  # the summary, with counts
    text = out.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    schema = text.splitlines()[0].split("=", 1)[1]
    assert (out.parent / schema).resolve() == (REPO / "src/mechgraph/language/pathway.schema.json")
    checked = CliRunner().invoke(main, ["check", str(out)])
    assert checked.exit_code == 0, checked.output
    drawn = CliRunner().invoke(main, ["render", name, "-p", str(out), "--out",
                                      str(tmp_path / "r"), "-f", "svg"])
    assert drawn.exit_code == 0, drawn.output
    assert (tmp_path / "r" / f"{name}.svg").read_text("utf-8").count('class="node') >= 1


@needs_interop
def test_process_description_is_refused_clearly(tmp_path: Path) -> None:
    path = INTEROP / "libsbgn" / "PD_Reference_Card.sbgn"
    out = tmp_path / "pd.yaml"
    result = CliRunner().invoke(main, ["import", str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:3: not supported: Activity Flow only (this map is http://identifiers.org/"
        "combine.specifications/sbgn.pd.level-1.version-1.3); Process Description and Entity "
        "Relationship maps have no signed influences to import\n")
    assert not out.exists()


@needs_interop
def test_sbgn_af_with_a_logic_gate() -> None:
    imp = mg.from_sbgn(INTEROP / "libsbgn" / "regulation_of_tgfbeta-induced_metastasis.sbgn")
    outcome = "Pro-invasion-migration-metastasis-gene-expression-platform"
    assert edges(imp) == {
        ("TGF-beta", "->", outcome, "mechanism"),
        ("p63", "=>", "Metastatic-suppressor-genes-activity", "mechanism"),
        ("Mutant-p53-P-Smad", "-|", "p63", "mechanism"),
        ("Metastatic-suppressor-genes-activity", "-|", outcome, "mechanism"),
        # AND(Ras, TGF beta) -> Mutant p53/P-Smad: each input is necessary
        ("Ras", "=>", "Mutant-p53-P-Smad", "mechanism"),
        ("TGF-beta", "=>", "Mutant-p53-P-Smad", "mechanism")}
    gate = ("SBGN AND gate glyph6 (line 28): Ras, TGF beta -> positive influence of Mutant p53/ "
            "P-Smad. Written as => from each input, which means the same in the pathway language.")
    assert imp.notes == [gate] and imp.warnings == [gate]
    assert imp.not_expressed() == {}
    kinds = {e.id: e.kind.value for e in imp.project().entities.values()}
    assert kinds[outcome] == "outcome" and kinds["Ras"] == "protein"


@needs_interop
def test_sbgn_bom_version_attribute_and_compartment() -> None:
    imp = mg.from_sbgn(INTEROP / "libsbgn" / "compartment.sbgn")
    assert imp.compartments == {"nucleus": "nucleus"}
    assert {n.label: n.compartment for n in imp.nodes.values()} == {
        "co-repressor": "nucleus", "co-activator": "nucleus", "Gene transcription": None}
    assert edges(imp) == {("co-repressor@nucleus", "=>", "Gene-transcription", "mechanism"),
                          ("co-activator@nucleus", "=>", "Gene-transcription", "mechanism")}
    assert imp.not_expressed() == {}


@needs_interop
def test_sbgn_reference_card_counts_what_it_cannot_hold() -> None:
    imp = mg.from_sbgn(INTEROP / "libsbgn" / "AF_Reference_Card.sbgn")
    assert imp.not_expressed() == {
        "'equivalence arc' arcs": 4, "'tag' glyphs": 2,
        "edges that repeat a pair with another effect (the first is kept)": 3,
        "logic gates (each described in a note)": 5, "submap terminals": 3}
    assert edges(imp) == {("Source-AN@Connecting-Arcs", "~>", "Target-AN@Connecting-Arcs",
                           "mechanism")}
    assert imp.warnings[0] == ("SBGN OR gate glyph32 (line 127): no inputs -> no output. "
                               "Not imported: it is not connected.")


@needs_interop
def test_gpml_mtor_arrowheads_groups_and_xrefs() -> None:
    imp = mg.from_gpml(INTEROP / "wikipathways" / "WP1471.gpml")
    got = edges(imp)
    assert Counter(e for _, e, _, _ in got) == {"->": 25, "-|": 10}
    assert {("RHEB@Cell", "->", "MTOR@Cell", "mechanism"),
            ("TSC1-TSC2", "-|", "RHEB@Cell", "mechanism"),  # an interaction onto a Complex group
            ("FKBP1A-Rapamycin", "-|", "MLST8-MTOR-RPTOR", "mechanism"),
            ("RPS6KB1@Cell", "-|", "Insulin-signaling@Cell", "mechanism")} <= got
    assert imp.not_expressed() == {
        "data nodes in no interaction (declared, not drawn)": 2,
        "graphical lines (drawing only)": 1,
        "group members in no interaction of their own (declared, not drawn)": 20,
        "groups (their members are kept as separate nodes)": 8,
        "labels and shapes that are graphics only": 6}
    ents = imp.project().entities
    assert ents["MTOR"].xrefs == ("ensembl:ENSG00000198793",)
    assert ents["Rapamycin"].xrefs == ("pubchem.compound:5497196",)
    assert ents["TSC1-TSC2"].label == "TSC1:TSC2" and ents["TSC1-TSC2"].kind.value == "complex"
    assert imp.cite == ("wikipathways:WP1471",)


@needs_interop
def test_gpml_mim_types_anchors_and_unconnected_lines() -> None:
    imp = mg.from_gpml(INTEROP / "wikipathways" / "WP4698.gpml")
    got = edges(imp)
    assert Counter((e, r) for _, e, _, r in got) == {
        ("->", "mechanism"): 31, (">>", "mechanism"): 6, ("--", "association"): 5,
        ("-|", "mechanism"): 5}
    assert ("25-OH-D3@Cell", ">>", "1-25-OH-2D3@Cell", "mechanism") in got  # mim-conversion
    assert imp.not_expressed() == {
        "data nodes in no interaction (declared, not drawn)": 4,
        "graphical lines (drawing only)": 4,
        "group members in no interaction of their own (declared, not drawn)": 40,
        "groups (their members are kept as separate nodes)": 15,
        "interactions without an arrowhead (plain lines)": 6,
        "labels and shapes that are graphics only": 12,
        "unconnected interactions (an end attached to no node)": 2}
    catalysed = {(imp.nodes[a.source].label, imp.nodes[a.target].label) for a in imp.links
                 if a.note and "anchor" in a.note}
    assert ("CYP27A1", "25(OH)D3") in catalysed  # the enzyme on the conversion raises its product
    ents = imp.project().entities.values()
    assert {"chebi", "ensembl", "hgnc.symbol", "hmdb", "uniprot"} <= {
        x.split(":")[0] for e in ents for x in e.xrefs}
    bdnf = mg.from_gpml(INTEROP / "wikipathways" / "WP3676.gpml")
    anchored = [link for link in bdnf.links if link.note and "anchor" in link.note]
    assert len(anchored) == 3  # arrows that end on another interaction act on its target
    assert {(bdnf.nodes[a.source].label, bdnf.nodes[a.target].label) for a in anchored} == {
        ("AKT", "PSD95"), ("cAMP", "PSD95:TrkB"), ("TrkB", "PSD95:TrkB")}


@needs_interop
def test_bel_script_by_our_parser() -> None:
    imp = mg.from_bel(INTEROP / "pybel" / "test_bel.bel")
    assert edges(imp) == {
        ("AKT1", "->", "EGFR", "summary"), ("EGFR", "-|", "FADD", "summary"),
        ("EGFR", "-|", "CASP8", "mechanism"), ("FADD", "->", "CASP8", "summary"),
        ("AKT1", "--", "CASP8", "association")}
    assert imp.project().entities["AKT1"].xrefs == ("hgnc.symbol:AKT1",)
    assert [(l.line, l.cites, l.note) for l in imp.links][:2] == [
        (33, ("pmid:123455",), "Evidence 1 w extra notes"), (38, ("pmid:123455",), "Evidence 2")]
    assert imp.title == "PyBEL Test Simple" and imp.not_expressed() == {}


@needs_interop
def test_cx2_go_cam_relations() -> None:
    imp = mg.from_cx2(INTEROP / "cytoscape-web" / "06f859c1-8051-11ef-b4e1-005056ae6f73.valid.cx2")
    assert edges(imp) == {("RBX1@cytoplasm", "-|", "NFE2L2@nucleus", "mechanism"),
                          ("KEAP1@cytoplasm", "->", "RBX1@cytoplasm", "mechanism")}
    assert imp.not_expressed() == {"edges of type 'RO:0012010'": 1, "edges of type 'has input'": 3}
    assert imp.project().entities["NFE2L2"].xrefs == ("uniprot:Q16236",)


@needs_interop
def test_imported_pathway_joins_the_curated_catalog(tmp_path: Path) -> None:
    """Imported into pathways/, a node is the curated entity it shares a CURIE or name with."""
    import shutil

    folder = tmp_path / "pathways"
    shutil.copytree(REPO / "pathways", folder)
    out = folder / "wp-bdnf.yaml"
    result = CliRunner().invoke(main, ["import", str(INTEROP / "wikipathways" / "WP3676.gpml"),
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    project = load_project(folder)
    pw = project.pathways["wp-bdnf"]
    assert ("BDNF", "TrkB") in {(e.source.entity, e.target.entity) for e in pw.edges}
    assert "entities:" in out.read_text("utf-8")
    assert "\n  BDNF:\n" not in out.read_text("utf-8")  # the catalog's BDNF, not a new one


def test_unknown_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(MechgraphError, match="no such file"):
        mg.import_file(tmp_path / "missing.sif")
