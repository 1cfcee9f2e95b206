"""Content checks for the curated pathways under pathways/.

These test the curation, not the loader: identifiers, citations, seed places,
the figures that fill the seeds' missing images, and the signs and necessity
edges the queries depend on. Seed-file checks run when the seed documents are
present (../shared/seeds beside the repository, or $MECHGRAPH_SEEDS) and are
skipped otherwise.
"""

from __future__ import annotations

import os
import re
from collections import deque
from pathlib import Path

import pytest

from mechgraph.language.load import load_project
from mechgraph.model import Effect, Grade, NodeKind, PathwayKind, Relation

ROOT = Path(__file__).resolve().parents[1]
PATHWAYS = ROOT / "pathways"
SEEDS = Path(os.environ.get("MECHGRAPH_SEEDS", ROOT.parent / "shared" / "seeds"))

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed documents not found at {SEEDS}")


@pytest.fixture(scope="module")
def project():
    return load_project(PATHWAYS, strict=True)


def seed_lines(project, source_id: str) -> list[str]:
    return (SEEDS / project.sources[source_id].file).read_text(encoding="utf-8").split("\n")


# --------------------------------------------------------------------------------------
# the project as a whole

def test_loads_strictly_without_warnings(project):
    assert project.warnings == ()


def test_pathway_ids_are_exactly_the_curated_files(project):
    assert set(project.pathways) == {
        "bdnf-trkb-shared", "comparators", "depression-neurobiology", "esketamine", "hnk", "htr2a-biased-agonism",
        "ketamine-abuse-liability", "ketamine-adverse-effects", "ketamine-bdnf-mtor",
        "ketamine-cascade-comparative", "ketamine-clinical",
        "ketamine-crossover-trial", "ketamine-disinhibition", "ketamine-eef2k",
        "ketamine-gapdh-rheb", "ketamine-inflammation", "ketamine-monoamine", "ketamine-opioid",
        "ketamine-psilocybin-trial", "ketamine-targets", "lateral-habenula",
        "network-normalisation", "opioid-probes", "psilocybin-5ht2a", "psychedelics-plasticity",
    }
    for pid, pathway in project.pathways.items():
        assert Path(pathway.location.path).name == f"{pid}.yaml"


def test_sources_are_the_five_seeds(project):
    assert {sid: s.file for sid, s in project.sources.items()} == {
        "comparative": "000_e7dc6807ae586063.txt",
        "shared-mechanisms": "001_efa2ab4b78cf25c0.txt",
        "cureus": "002_e08b8724185bd379.txt",
        "foundations": "003_a5bfa8846e96504b.txt",
        "translational": "004_75cb52d3379ded47.txt",
    }
    assert project.sources["cureus"].cite == ("doi:10.7759/cureus.83244",)
    assert project.sources["shared-mechanisms"].cite == ("pmid:40624295", "doi:10.1038/s41380-025-03100-2")
    assert project.sources["translational"].cite == ("doi:10.1038/s41398-025-03654-3",)
    assert project.sources["cureus"].refs["16"] == ("doi:10.1016/j.bbr.2014.05.065",)
    assert project.sources["cureus"].refs["2"] == ()
    assert sorted(project.sources["cureus"].refs, key=int) == [str(n) for n in range(1, 35)]
    assert sorted(project.sources["foundations"].refs, key=int) == [str(n) for n in range(1, 36)]


@needs_seeds
def test_source_files_exist(project):
    for source in project.sources.values():
        assert (SEEDS / source.file).is_file(), source.file


@needs_seeds
def test_printed_reference_dois_appear_in_the_seed(project):
    """Every CURIE in a reference list is printed in that seed, except the three
    technical-guide references identified from their exact titles."""
    identified_by_title = {("foundations", "1"), ("foundations", "15"), ("foundations", "30")}
    for sid, source in project.sources.items():
        text = (SEEDS / source.file).read_text(encoding="utf-8")
        for number, curies in source.refs.items():
            if (sid, number) in identified_by_title:
                continue
            for curie in curies:
                assert curie.split(":", 1)[1] in text, (sid, number, curie)


# --------------------------------------------------------------------------------------
# entities and cross-references

LOCAL_ID = {
    "hgnc": r"[1-9]\d{0,5}",
    "chebi": r"[1-9]\d{0,6}",
    "go": r"\d{7}",
    "uberon": r"\d{7}",
    "cl": r"\d{7}",
    "uniprot": r"[OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9](?:[A-Z][A-Z0-9]{2}[0-9]){1,2}",
    "pubchem.compound": r"[1-9]\d{0,9}",
    "mesh": r"[A-Z]\d{6,9}",
    "ncbigene": r"[1-9]\d{0,9}",
    "drugbank": r"DB\d{5}",
}

# Which ontology may describe which kind of node.
PREFIX_KINDS = {
    "hgnc": {NodeKind.PROTEIN, NodeKind.RECEPTOR, NodeKind.KINASE, NodeKind.COMPLEX},
    "uniprot": {NodeKind.PROTEIN, NodeKind.RECEPTOR, NodeKind.KINASE},
    "chebi": {NodeKind.DRUG, NodeKind.METABOLITE, NodeKind.TRANSMITTER},
    "pubchem.compound": {NodeKind.DRUG, NodeKind.METABOLITE},
    "go": {NodeKind.PROCESS, NodeKind.COMPLEX, NodeKind.RECEPTOR},
    "uberon": {NodeKind.REGION},
    "cl": {NodeKind.CELL},
}


def test_every_xref_has_a_known_prefix_and_well_formed_id(project):
    for entity in project.entities.values():
        for curie in entity.xrefs:
            prefix, _, local = curie.partition(":")
            assert prefix in LOCAL_ID, (entity.id, curie)
            assert re.fullmatch(LOCAL_ID[prefix], local), (entity.id, curie)


def test_xref_ontology_fits_the_node_kind(project):
    for entity in project.entities.values():
        for curie in entity.xrefs:
            prefix = curie.split(":", 1)[0]
            assert entity.kind in PREFIX_KINDS[prefix], (entity.id, entity.kind, curie)


def test_no_two_entities_share_an_xref(project):
    seen: dict[str, str] = {}
    for entity in project.entities.values():
        for curie in entity.xrefs:
            assert curie not in seen, (curie, seen.get(curie), entity.id)
            seen[curie] = entity.id


def test_checked_identifiers(project):
    xrefs = {eid: set(e.xrefs) for eid, e in project.entities.items() if e.xrefs}
    assert xrefs == {
        "ketamine": {"chebi:6121", "pubchem.compound:3821"},
        "psilocybin": {"chebi:8614"},
        "imipramine": {"chebi:47499"},
        "naltrexone": {"chebi:7465"},
        "morphine": {"chebi:17303"},
        "rapamycin": {"chebi:9168"},
        "glutamate": {"chebi:29985"},
        "GABA": {"chebi:16865"},
        "serotonin": {"chebi:28790"},
        "dopamine": {"chebi:18243"},
        "NMDAR": {"go:0017146"},
        "AMPAR": {"go:0032281"},
        "TrkB": {"hgnc:8032", "uniprot:Q16620"},
        "HTR2A": {"hgnc:5293"},
        "DRD1": {"hgnc:3020"},
        "DRD2": {"hgnc:3023"},
        "OPRM1": {"hgnc:8156"},
        "OPRK1": {"hgnc:8154"},
        "OPRD1": {"hgnc:8153"},
        "SERT": {"hgnc:11050"},
        "VMAT": {"hgnc:10935"},
        "MAO": {"hgnc:6833", "hgnc:6834"},
        "BDNF": {"hgnc:1033", "uniprot:P23560"},
        "mTORC1": {"go:0031931", "hgnc:3942"},
        "ERK": {"hgnc:6871", "hgnc:6877"},
        "eEF2K": {"hgnc:24615"},
        "eEF2": {"hgnc:3214"},
        "GAPDH": {"hgnc:4141"},
        "Rheb": {"hgnc:10011"},
        "synaptogenesis": {"go:0007416"},
        "spinogenesis": {"go:0060996"},
        "neuroinflammation": {"go:0150076"},
        "VTA": {"uberon:0002691"},
        "dorsal-raphe": {"uberon:0002043"},
    }


def test_seed_spellings_resolve_to_one_entity(project):
    """Names the seeds use for one thing are synonyms of one entity."""
    owner = {}
    for entity in project.entities.values():
        for name in (entity.id, entity.label, *entity.synonyms):
            owner[name] = entity.id
    assert {name: owner[name] for name in (
        "mTOR", "mTORC1", "EFK2", "eEF2K", "5-HT2AR", "5-HT_{2A}R", "5-HT2A", "AMPA_R", "AMPAR",
        "NMDA receptor", "(S)-ketamine", "HNK", "glutamate surge", "neuroplasticity",
    )} == {
        "mTOR": "mTORC1", "mTORC1": "mTORC1", "EFK2": "eEF2K", "eEF2K": "eEF2K",
        "5-HT2AR": "HTR2A", "5-HT_{2A}R": "HTR2A", "5-HT2A": "HTR2A", "AMPA_R": "AMPAR",
        "AMPAR": "AMPAR", "NMDA receptor": "NMDAR", "(S)-ketamine": "esketamine", "HNK": "HNK",
        "glutamate surge": "glutamate", "neuroplasticity": "synaptic-plasticity",
    }


# --------------------------------------------------------------------------------------
# edges: evidence and seed places

def signalling(project):
    return [p for p in project.pathways.values() if p.kind is PathwayKind.SIGNALING]


def test_every_signalling_edge_has_a_grade_and_a_seed_place(project):
    for pathway in signalling(project):
        for edge in pathway.edges:
            assert edge.evidence, (pathway.id, str(edge.source), str(edge.target))
            for ev in edge.evidence:
                assert isinstance(ev.grade, Grade), (pathway.id, str(edge.source), str(edge.target))
                assert ev.seed is not None and ev.seed.source in project.sources


def test_every_ref_number_is_in_its_seeds_reference_list(project):
    for pathway in signalling(project):
        for edge in pathway.edges:
            for ev in edge.evidence:
                for ref in ev.refs:
                    assert ref in project.sources[ev.seed.source].refs, (pathway.id, ev.seed, ref)
    for x in project.experiments.values():
        for ref in x.evidence.refs:
            assert ref in project.sources[x.evidence.seed.source].refs, (x.id, ref)


def test_edge_cites_are_the_printed_dois_of_its_refs(project):
    """An edge that cites references by number also cites the DOIs the seed prints for them."""
    for pathway in signalling(project):
        for edge in pathway.edges:
            for ev in edge.evidence:
                refs = project.sources[ev.seed.source].refs
                wanted = {c for r in ev.refs for c in refs[r]}
                assert wanted <= set(ev.cites), (pathway.id, str(edge.source), str(edge.target), ev.seed)


def all_seed_places(project):
    for pathway in project.pathways.values():
        if pathway.seed:
            yield f"pathway {pathway.id}", pathway.seed
        for edge in pathway.edges:
            for ev in edge.evidence:
                if ev.seed:
                    yield f"{pathway.id}: {edge.source} -> {edge.target}", ev.seed
        for table in pathway.tables:
            yield f"{pathway.id} table", table.seed
    for entity in project.entities.values():
        for table in entity.tables:
            yield f"{entity.id} table", table.seed
    for x in project.experiments.values():
        yield f"experiment {x.id}", x.evidence.seed
    for f in project.figures.values():
        if f.fills:
            yield f"figure {f.id}", f.fills


@needs_seeds
def test_every_seed_place_lies_within_its_seed_file(project):
    sizes = {sid: len(seed_lines(project, sid)) for sid in project.sources}
    for what, seed in all_seed_places(project):
        assert seed is not None, what
        assert 1 <= seed.first <= seed.last <= sizes[seed.source], (what, str(seed))
        lines = seed_lines(project, seed.source)[seed.first - 1:seed.last]
        assert any(line.strip() for line in lines), (what, str(seed), "points at blank lines")


def test_tables_have_seed_places(project):
    tables = [t for p in project.pathways.values() for t in p.tables]
    tables += [t for e in project.entities.values() for t in e.tables]
    assert {str(t.seed) for t in tables} == {
        "foundations:56-67", "foundations:69-76", "comparative:24-32", "comparative:66-71",
        "cureus:197-203", "cureus:179", "cureus:155", "cureus:157",
    }


# --------------------------------------------------------------------------------------
# figures

PLACEHOLDER_CAPTIONS = {
    "comparative:47", "comparative:57", "comparative:81",
    "cureus:116", "cureus:127",
    "foundations:46", "foundations:104",
}


def test_figures_fill_exactly_the_seven_missing_figures(project):
    fills = {str(f.fills) for f in project.figures.values() if f.fills}
    assert fills == PLACEHOLDER_CAPTIONS
    assert len([f for f in project.figures.values() if f.fills]) == 7
    assert {f.id: str(f.fills) for f in project.figures.values() if f.fills} == {
        "ketamine-cascade": "comparative:47",
        "psilocybin-cascade": "comparative:57",
        "ketamine-psilocybin-trial-workflow": "comparative:81",
        "cureus-figure-1": "cureus:116",
        "cureus-figure-2": "cureus:127",
        "ketamine-primary-cascade": "foundations:46",
        "ketamine-crossover-trial-workflow": "foundations:104",
    }


@needs_seeds
def test_the_seven_fills_are_the_seeds_placeholder_captions(project):
    found = set()
    for sid in project.sources:
        for number, line in enumerate(seed_lines(project, sid), start=1):
            if re.match(r"\s*(Caption:|FIGURE \d+:)", line):
                found.add(f"{sid}:{number}")
    assert found == PLACEHOLDER_CAPTIONS


def test_figures_name_existing_pathways_and_stay_readable(project):
    from mechgraph.graph import build_graph

    for figure in project.figures.values():
        assert figure.pathways, figure.id
        assert set(figure.pathways) <= set(project.pathways), figure.id
        assert figure.caption, figure.id
        nodes = build_graph(project, figure.pathways).number_of_nodes()
        assert 8 <= nodes <= 30, (figure.id, nodes)


def test_the_comparison_figures(project):
    shared = project.figures["ketamine-psilocybin-shared"]
    assert shared.highlight_shared
    assert set(shared.pathways) == {"ketamine-disinhibition", "ketamine-bdnf-mtor",
                                    "psilocybin-5ht2a", "psychedelics-plasticity",
                                    "bdnf-trkb-shared"}
    overview = project.figures["ketamine-theories-overview"]
    assert set(overview.pathways) == {"ketamine-disinhibition", "ketamine-monoamine",
                                      "ketamine-opioid", "ketamine-inflammation"}
    workflows = {f.id for f in project.figures.values()
                 if all(project.pathways[p].kind is PathwayKind.WORKFLOW for p in f.pathways)}
    assert workflows == {"ketamine-psilocybin-trial-workflow", "ketamine-crossover-trial-workflow"}


# --------------------------------------------------------------------------------------
# drugs, signs and necessity

DRUG_KINDS = {NodeKind.DRUG, NodeKind.METABOLITE, NodeKind.INTERVENTION}


def test_every_signalling_pathway_declares_its_drugs(project):
    for pathway in signalling(project):
        if pathway.id == "bdnf-trkb-shared":
            assert pathway.drug_independent and not pathway.drugs
            continue
        assert pathway.drugs, pathway.id
        nodes = {e.source.entity for e in pathway.edges} | {e.target.entity for e in pathway.edges}
        for drug in pathway.drugs:
            assert project.entities[drug].kind in DRUG_KINDS, (pathway.id, drug)
            assert drug in nodes, (pathway.id, drug)


def edge_index(project, pathways=None):
    out: dict[str, list[tuple[str, int, Effect]]] = {}
    for pathway in project.pathways.values():
        if pathway.kind is not PathwayKind.SIGNALING or (pathways and pathway.id not in pathways):
            continue
        for e in pathway.edges:
            out.setdefault(e.source.key, []).append((e.target.key, e.effect.sign, e.effect))
    return out


def path_sign(project, pathway_id, keys):
    edges = {(e.source.key, e.target.key): e.effect.sign for e in project.pathways[pathway_id].edges}
    sign = 1
    for a, b in zip(keys, keys[1:]):
        sign *= edges[(a, b)]
    return sign


def test_disinhibition_raises_glutamate(project):
    chain = ["ketamine", "NMDAR@interneuron", "GABA@interneuron", "pyramidal-firing@pyramidal", "glutamate"]
    assert path_sign(project, "ketamine-disinhibition", chain) == 1
    assert path_sign(project, "ketamine-disinhibition", chain[:3]) == -1  # interneuron GABA release falls
    assert path_sign(project, "ketamine-disinhibition", chain[:4]) == 1  # pyramidal firing rises


def test_relieved_brakes_raise_bdnf_and_mtorc1(project):
    assert path_sign(project, "ketamine-eef2k", [
        "ketamine", "NMDAR@postsynaptic", "eEF2K@postsynaptic", "p-eEF2@postsynaptic",
        "BDNF-translation@postsynaptic", "BDNF"]) == 1
    assert path_sign(project, "ketamine-gapdh-rheb", [
        "ketamine", "NMDAR", "SNO-GAPDH", "Rheb", "mTORC1"]) == 1
    assert path_sign(project, "lateral-habenula", ["ketamine", "LHb-burst-firing"]) == -1
    assert path_sign(project, "depression-neurobiology", [
        "LHb-burst-firing", "VTA", "dopamine", "monoamine-signalling"]) == -1


def test_conversions(project):
    conversions = {(e.source.key, e.target.key)
                   for p in project.pathways.values() for e in p.edges if e.effect is Effect.CONVERSION}
    assert conversions == {
        ("psilocybin", "psilocin"), ("ketamine", "HNK"),
        ("eEF2@postsynaptic", "p-eEF2@postsynaptic"),
        ("GAPDH", "SNO-GAPDH"),
    }


def test_necessity_edges_and_their_scope(project):
    necessary = {(p.id, e.source.key, e.target.key)
                 for p in project.pathways.values() for e in p.edges if e.effect is Effect.NECESSARY}
    assert necessary == {
        # on the mechanistic steps
        ("ketamine-bdnf-mtor", "mTORC1", "synaptic-protein-synthesis"),
        ("ketamine-bdnf-mtor", "synaptic-protein-synthesis", "synaptogenesis"),
        # on the outcome, where an animal study tested it (cureus:109 and foundations:27
        # test AMPA receptors for the effect, not for BDNF release)
        ("ketamine-bdnf-mtor", "AMPAR@postsynaptic", "antidepressant-effect"),
        ("ketamine-bdnf-mtor", "BDNF", "antidepressant-effect"),
        ("ketamine-bdnf-mtor", "mTORC1", "antidepressant-effect"),
        ("ketamine-monoamine", "serotonin", "antidepressant-effect"),
        ("ketamine-monoamine", "DRD1@pyramidal", "antidepressant-effect"),
        # the habenula study's antagonists are of no stated subtype (cureus:143)
        ("ketamine-opioid", "opioid-receptors", "antidepressant-effect"),
    }
    for pid, _, _ in necessary:
        assert "ketamine" in project.pathways[pid].drugs
        assert not {"psilocybin", "LSD", "esketamine", "HNK"} & set(project.pathways[pid].drugs), pid


def reach(project, start):
    index = edge_index(project)
    seen, queue = {start}, deque([start])
    while queue:
        for target, _, _ in index.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def test_ketamine_and_psilocybin_converge(project):
    both = reach(project, "ketamine") & reach(project, "psilocybin")
    assert {"BDNF", "TrkB", "mTORC1", "synaptogenesis", "synaptic-plasticity", "spinogenesis",
            "DMN-imaging", "pfc-limbic-connectivity", "antidepressant-effect",
            "depressive-symptoms"} <= both
    # the receptor-level DMN claim is psilocybin's alone; ketamine reaches only the imaging reading
    assert "DMN" not in reach(project, "ketamine")
    assert "cognitive-flexibility" not in reach(project, "ketamine")
    assert "NMDAR@interneuron" not in reach(project, "psilocybin")
    assert "HTR2A@pyramidal" not in reach(project, "ketamine")


# --------------------------------------------------------------------------------------
# experiments

def test_experiments(project):
    assert {x.id: (x.drug, tuple(str(k) for k in x.knockout), str(x.target), x.expect)
            for x in project.experiments.values()} == {
        "ampar-antagonist-abolishes-ketamine": ("ketamine", ("AMPAR@postsynaptic",), "antidepressant-effect", "lost"),
        "ampar-inhibitor-abolishes-ketamine-guide": ("ketamine", ("AMPAR@postsynaptic",), "antidepressant-effect", "lost"),
        "bdnf-required-for-ketamine": ("ketamine", ("BDNF",), "antidepressant-effect", "lost"),
        "mtorc1-required-for-ketamine": ("ketamine", ("mTORC1",), "antidepressant-effect", "lost"),
        "rapamycin-blocks-ketamine": ("ketamine", ("mTORC1",), "antidepressant-effect", "lost"),
        "serotonin-depletion-blocks-ketamine": ("ketamine", ("serotonin",), "antidepressant-effect", "lost"),
        "d1-blockade-blocks-ketamine": ("ketamine", ("DRD1@pyramidal",), "antidepressant-effect", "lost"),
        "opioid-antagonists-abolish-ketamine": ("ketamine", ("opioid-receptors",), "antidepressant-effect", "lost"),
        "naltrexone-spares-ketamine": ("ketamine", ("OPRM1",), "antidepressant-effect", "kept"),
        "hnk-acts-without-nmdar-blockade": ("HNK", ("NMDAR@interneuron", "NMDAR@postsynaptic"),
                                            "antidepressant-effect", "kept"),
        "iproniazid-relieves-depression": ("iproniazid", (), "depressive-symptoms", "decreases"),
        "imipramine-relieves-depression": ("imipramine", (), "depressive-symptoms", "decreases"),
        "reserpine-worsens-depression": ("reserpine", (), "depressive-symptoms", "increases"),
        "morphine-does-not-mimic-ketamine": ("morphine", (), "antidepressant-effect", "lost"),
    }


def test_conflicts_are_mutual(project):
    pairs = {(x.id, other) for x in project.experiments.values() for other in x.conflicts_with}
    assert pairs == {("opioid-antagonists-abolish-ketamine", "naltrexone-spares-ketamine"),
                     ("naltrexone-spares-ketamine", "opioid-antagonists-abolish-ketamine")}


def test_every_experiment_has_evidence_and_a_seed(project):
    for x in project.experiments.values():
        assert isinstance(x.evidence.grade, Grade), x.id
        assert x.evidence.seed is not None, x.id
        assert x.evidence.note, x.id


def test_knockout_nodes_are_nodes_of_the_graph(project):
    keys = {e.source.key for p in project.pathways.values() for e in p.edges}
    keys |= {e.target.key for p in project.pathways.values() for e in p.edges}
    for x in project.experiments.values():
        for node in (*x.knockout, x.target):
            assert node.key in keys, (x.id, node.key)


# --------------------------------------------------------------------------------------
# workflows

def test_workflows(project):
    for pid in ("ketamine-psilocybin-trial", "ketamine-crossover-trial"):
        pathway = project.pathways[pid]
        assert pathway.kind is PathwayKind.WORKFLOW
        kinds = [s.kind for s in pathway.steps.values()]
        assert kinds.count(NodeKind.START) == 1, pid
        for sid, step in pathway.steps.items():
            out = [e for e in pathway.edges if e.source.entity == sid]
            if step.kind is NodeKind.DECISION:
                assert len(out) >= 2 and all(e.label for e in out), (pid, sid)
                assert len({e.label for e in out}) == len(out), (pid, sid)
            elif step.kind is NodeKind.END:
                assert not out, (pid, sid)
            else:
                assert len(out) == 1, (pid, sid)
            if step.kind is NodeKind.STEP:
                assert step.time, (pid, sid)
    branches = {e.label for e in project.pathways["ketamine-crossover-trial"].edges if e.label}
    assert branches == {"yes", "no", "ketamine first", "placebo first", "ketamine", "placebo"}


# --------------------------------------------------------------------------------------
# our own words

def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _free_texts(project):
    for p in project.pathways.values():
        yield p.id, p.title
        if p.description:
            yield p.id, p.description
        yield from ((p.id, n) for n in p.notes)
        for e in p.edges:
            for ev in e.evidence:
                if ev.note:
                    yield f"{p.id}: {e.source} -> {e.target}", ev.note
    for f in project.figures.values():
        yield f.id, f.title
        if f.caption:
            yield f.id, f.caption
    for x in project.experiments.values():
        if x.evidence.note:
            yield x.id, x.evidence.note
    for e in project.entities.values():
        if e.note:
            yield e.id, e.note


@needs_seeds
def test_no_seed_sentence_is_pasted(project):
    """No run of eight words of a seed appears in our titles, descriptions, notes or captions."""
    n = 8
    grams = set()
    for sid in project.sources:
        words = _words(" ".join(seed_lines(project, sid)))
        grams |= {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}
    for what, text in _free_texts(project):
        words = _words(text)
        pasted = [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)
                  if tuple(words[i:i + n]) in grams]
        assert not pasted, (what, pasted[0])


# --------------------------------------------------------------------------------------
# the expert review of issue 10: each fixed row, exactly

def edge_of(project, pathway_id, source, target):
    found = [e for e in project.pathways[pathway_id].edges
             if e.source.key == source and e.target.key == target]
    assert len(found) == 1, (pathway_id, source, target, found)
    return found[0]


def places(edge):
    """{seed place: grade} of one edge's statements."""
    return {str(ev.seed): ev.grade.value for ev in edge.evidence}


def test_no_glutamate_necessity_and_ampar_necessity_is_for_the_outcome(project):
    necessary = [(p.id, e) for p in project.pathways.values() for e in p.edges
                 if e.effect is Effect.NECESSARY]
    assert not [pid for pid, e in necessary if e.source.key == "glutamate"]
    # the seeds test AMPA receptors for the antidepressant effect (cureus:109, foundations:27),
    # an observation explained by the BDNF chain; that they switch on BDNF (cureus:111) is a
    # plain positive step, not a tested requirement
    ampar = [(pid, e) for pid, e in necessary if e.source.key == "AMPAR@postsynaptic"]
    assert [(pid, e.target.key, e.relation, e.via) for pid, e in ampar] == [
        ("ketamine-bdnf-mtor", "antidepressant-effect", Relation.SUMMARY, ("BDNF", "TrkB", "mTORC1"))]
    assert places(ampar[0][1]) == {"cureus:109": "preclinical", "foundations:27": "preclinical"}
    for pid in ("ketamine-bdnf-mtor", "ketamine-disinhibition"):
        step = edge_of(project, pid, "AMPAR@postsynaptic", "BDNF")
        assert (step.effect, step.relation) == (Effect.POSITIVE, Relation.MECHANISM), pid
    # the AMPAR antagonist tool was only there for the experiment
    assert "AMPAR-antagonist" not in project.entities


def test_opioid_binding_and_eef2k_are_plain_statements(project):
    for r in ("OPRM1", "OPRK1", "OPRD1"):
        assert places(edge_of(project, "ketamine-opioid", "ketamine", r)) == {"cureus:141": "review"}
    assert places(edge_of(project, "ketamine-eef2k", "ketamine", "NMDAR@postsynaptic")) == {"cureus:111": "review"}


def test_necessity_places_and_grades(project):
    assert places(edge_of(project, "ketamine-bdnf-mtor", "AMPAR@postsynaptic", "BDNF")) == {
        "cureus:111": "review"}
    assert places(edge_of(project, "ketamine-bdnf-mtor", "mTORC1", "synaptic-protein-synthesis")) == {
        "foundations:36": "review"}
    assert places(edge_of(project, "ketamine-bdnf-mtor", "BDNF", "antidepressant-effect")) == {
        "cureus:111": "preclinical", "foundations:32": "hypothesis"}
    assert places(edge_of(project, "ketamine-bdnf-mtor", "mTORC1", "antidepressant-effect")) == {
        "cureus:111": "preclinical", "foundations:36": "preclinical"}


def test_review_rows_regraded(project):
    # esketamine: no clinical mechanism step; the clinical finding is the drug's summary edge
    assert not [e for e in project.pathways["esketamine"].edges
                if e.target.key == "antidepressant-effect" and e.source.key != "esketamine"]
    eske = edge_of(project, "esketamine", "esketamine", "antidepressant-effect")
    assert eske.relation is Relation.SUMMARY
    assert places(eske) == {"cureus:101": "clinical", "translational:7": "clinical"}
    # imaging findings are about the drugs, not the receptor
    assert not [e for e in project.pathways["network-normalisation"].edges if e.source.entity == "HTR2A"]
    # opioid release hypothesis
    for s, t in [("ketamine", "beta-endorphin"), ("OPRM1", "BDNF"), ("OPRK1", "BDNF")]:
        assert set(places(edge_of(project, "ketamine-opioid", s, t)).values()) == {"hypothesis"}, (s, t)
    # abuse liability: the potential link is a hypothesis, the human fMRI finding clinical
    assert places(edge_of(project, "ketamine-abuse-liability", "reward-circuit", "dopamine@nacc")) == {
        "cureus:167": "hypothesis"}
    assert places(edge_of(project, "ketamine-abuse-liability", "ketamine", "negative-stimulus-reactivity")) == {
        "cureus:167": "clinical"}
    # the direction of the cognitive side effects is stated
    cog = edge_of(project, "ketamine-adverse-effects", "ketamine", "cognitive-side-effects")
    assert cog.effect is Effect.POSITIVE and places(cog) == {"cureus:157": "hypothesis"}
    # hedged seed wording: hypothesis
    assert places(edge_of(project, "ketamine-disinhibition", "ketamine", "NMDAR@interneuron")) == {
        "cureus:109": "review", "foundations:23": "hypothesis", "cureus:118": "review"}
    for s, t in [("ketamine", "NMDAR"), ("NMDAR", "SNO-GAPDH"), ("SNO-GAPDH", "Rheb"), ("Rheb", "mTORC1")]:
        assert places(edge_of(project, "ketamine-gapdh-rheb", s, t)) == {"foundations:38": "hypothesis"}
    for t in ("synaptic-plasticity", "functional-connectivity"):
        assert places(edge_of(project, "psilocybin-5ht2a", "HTR2A@pyramidal", t))["comparative:51"] == "hypothesis"


def test_review_rows_moved_to_the_right_seed_place(project):
    assert places(edge_of(project, "ketamine-bdnf-mtor", "synaptogenesis", "antidepressant-effect")) == {
        "cureus:143": "review"}
    assert places(edge_of(project, "ketamine-eef2k", "eEF2K@postsynaptic", "p-eEF2@postsynaptic")) == {
        "cureus:111": "review"}
    assert not [e for p in project.pathways.values() for e in p.edges for ev in e.evidence
                if str(ev.seed) in {"cureus:133", "foundations:124"} and "HNK" not in (e.source.key, e.target.key)]
    assert places(edge_of(project, "hnk", "HNK", "antidepressant-effect")) == {
        "foundations:50": "preclinical", "foundations:124": "review"}
    # the legend's postsynaptic-NMDAR-to-BDNF jump is the eEF2K chain in short
    brake = edge_of(project, "ketamine-disinhibition", "NMDAR@postsynaptic", "BDNF")
    assert brake.relation is Relation.SUMMARY and brake.via == ("eEF2K@postsynaptic", "p-eEF2@postsynaptic")
    # the psilocybin -> psilocin conversion sits where psilocin is named, wherever it is drawn
    conversions = {pid: places(edge_of(project, pid, "psilocybin", "psilocin"))
                   for pid in ("psilocybin-5ht2a", "htr2a-biased-agonism", "psychedelics-plasticity")}
    assert conversions == {pid: {"comparative:51": "review"} for pid in conversions}
    assert not [e for e in project.pathways["network-normalisation"].edges if e.target.key == "psilocin"]
    # the receptor-to-experience link is not at comparative:88
    assert not [e for p in project.pathways.values() for e in p.edges
                if e.source.entity == "HTR2A" and e.target.key == "psychedelic-experience"]


def test_off_topic_seed_references_are_not_linked(project):
    trkb_paper = "doi:10.1038/s41593-023-01316-5"   # Cureus ref 9, psychedelics binding TrkB
    ketect = "doi:10.1093/ijnp/pyab088"             # Cureus ref 3, ketamine vs ECT trial
    for e in project.pathways["depression-neurobiology"].edges:
        if e.source.key == "LHb-burst-firing":
            for ev in e.evidence:
                assert "9" not in ev.refs and trkb_paper not in ev.cites
                assert str(ev.seed) == "cureus:63" and "reference 9" in ev.note
    for s, t in [("SNRIs", "SERT"), ("SNRIs", "NET"), ("bupropion", "NET"), ("bupropion", "DAT")]:
        for ev in edge_of(project, "comparators", s, t).evidence:
            assert str(ev.seed) == "cureus:71" and "3" not in ev.refs and ketect not in ev.cites


# --------------------------------------------------------------------------------------
# relation kinds, measurements, drug-independent pathways

def relations(project, relation):
    return {(p.id, e.source.key, e.target.key)
            for p in project.pathways.values() for e in p.edges if e.relation is relation}


def test_measurements_are_their_own_nodes(project):
    kinds = {eid for eid, e in project.entities.items() if e.kind is NodeKind.MEASUREMENT}
    assert kinds == {"plasma-BDNF", "DMN-imaging", "pfc-limbic-connectivity"}
    # plasma BDNF is read in patients; it is not the BDNF of the cascade
    plasma = edge_of(project, "ketamine-clinical", "ketamine", "plasma-BDNF")
    assert plasma.relation is Relation.SUMMARY and places(plasma) == {"foundations:72": "clinical"}
    assert not [e for p in project.pathways.values() for e in p.edges
                if e.source.key == "ketamine" and e.target.key == "BDNF" and e.relation is not Relation.SUMMARY]
    # nothing mechanistic starts from a measurement
    for p in signalling(project):
        for e in p.edges:
            if project.entities[e.source.entity].kind is NodeKind.MEASUREMENT:
                assert e.relation is Relation.ASSOCIATION, (p.id, str(e.source), str(e.target))


def test_associations(project):
    assert relations(project, Relation.ASSOCIATION) == {
        ("psilocybin-5ht2a", "psychedelic-experience", "antidepressant-effect"),
        ("htr2a-biased-agonism", "psychedelic-experience", "antidepressant-effect"),
        ("network-normalisation", "DMN-imaging", "antidepressant-effect"),
        ("network-normalisation", "DMN-imaging", "rumination"),
        ("network-normalisation", "pfc-limbic-connectivity", "top-down-control"),
        ("ketamine-abuse-liability", "reward-circuit", "antidepressant-effect"),
        ("ketamine-inflammation", "neuroinflammation", "depressive-symptoms"),
        ("depression-neurobiology", "BDNF", "hippocampal-atrophy"),
        ("comparators", "ECT", "HTR2A"),
        ("comparators", "ECT", "DRD2"),
        ("comparators", "anxiety", "suicidal-ideation"),
    }


def test_summaries_and_what_explains_them(project):
    via = {(p.id, e.source.key, e.target.key): e.via
           for p in project.pathways.values() for e in p.edges if e.relation is Relation.SUMMARY}
    assert via[("ketamine-bdnf-mtor", "ketamine", "BDNF")] == (
        "NMDAR@interneuron", "glutamate", "AMPAR@postsynaptic")
    assert via[("ketamine-clinical", "ketamine", "antidepressant-effect")] == (
        "AMPAR@postsynaptic", "BDNF", "mTORC1")
    assert via[("lateral-habenula", "ketamine", "LHb-burst-firing")] == ("opioid-receptors",)
    assert via[("ketamine-inflammation", "ketamine", "postoperative-delirium")] == ("neuroinflammation",)
    assert via[("hnk", "HNK", "antidepressant-effect")] == ("AMPAR@postsynaptic",)
    # every drug -> outcome or drug -> reading edge is a summary
    outcome_like = {NodeKind.OUTCOME, NodeKind.MEASUREMENT}
    for p in signalling(project):
        for e in p.edges:
            if project.entities[e.source.entity].kind is NodeKind.DRUG \
                    and project.entities[e.target.entity].kind in outcome_like:
                assert e.relation is Relation.SUMMARY, (p.id, str(e.source), str(e.target))
    # every adverse effect and every imaging finding is an observation
    assert all(e.relation is Relation.SUMMARY for e in project.pathways["ketamine-adverse-effects"].edges)
    assert all(e.relation is Relation.SUMMARY for e in project.pathways["network-normalisation"].edges
               if e.source.key in {"ketamine", "esketamine", "psilocybin", "LSD"})


def test_outcome_necessity_and_shortcuts_are_summaries(project):
    """A finding that the outcome needs X is an observation, explained by X's chain; the
    mechanistic steps carry the necessity that knockouts follow."""
    via = {(p.id, e.source.key, e.target.key, e.effect): (e.relation, e.via)
           for p in project.pathways.values() for e in p.edges}
    N = Effect.NECESSARY
    assert via[("ketamine-bdnf-mtor", "BDNF", "antidepressant-effect", N)] == (Relation.SUMMARY, ("TrkB", "mTORC1"))
    assert via[("ketamine-bdnf-mtor", "mTORC1", "antidepressant-effect", N)] == (
        Relation.SUMMARY, ("synaptic-protein-synthesis", "synaptogenesis"))
    assert via[("ketamine-monoamine", "serotonin", "antidepressant-effect", N)] == (Relation.SUMMARY, ("mTORC1",))
    assert via[("ketamine-monoamine", "DRD1@pyramidal", "antidepressant-effect", N)] == (Relation.SUMMARY, ())
    assert via[("ketamine-opioid", "opioid-receptors", "antidepressant-effect", N)] == (
        Relation.SUMMARY, ("LHb-burst-firing",))
    assert via[("ketamine-bdnf-mtor", "AMPAR@postsynaptic", "antidepressant-effect", N)] == (
        Relation.SUMMARY, ("BDNF", "TrkB", "mTORC1"))
    for pid in ("ketamine-bdnf-mtor",):
        for s_, t in [("mTORC1", "synaptic-protein-synthesis"),
                      ("synaptic-protein-synthesis", "synaptogenesis")]:
            assert via[(pid, s_, t, N)] == (Relation.MECHANISM, ()), (s_, t)
    # BDNF acts on synapses through TrkB; TrkB on plasticity through mTORC1
    for pid in ("ketamine-bdnf-mtor", "ketamine-opioid", "psychedelics-plasticity", "depression-neurobiology"):
        assert via[(pid, "BDNF", "synaptogenesis", Effect.POSITIVE)] == (Relation.SUMMARY, ("TrkB",)), pid
    assert via[("ketamine-eef2k", "BDNF", "synaptic-plasticity", Effect.POSITIVE)] == (Relation.SUMMARY, ("TrkB",))
    for pid in ("ketamine-disinhibition", "comparators"):
        assert via[(pid, "TrkB", "synaptic-plasticity", Effect.POSITIVE)] == (Relation.SUMMARY, ("mTORC1",)), pid
    assert via[("ketamine-bdnf-mtor", "AMPAR@postsynaptic", "mTORC1", Effect.POSITIVE)] == (
        Relation.SUMMARY, ("BDNF", "TrkB"))


def test_drug_independent_pathways(project):
    assert {pid for pid, p in project.pathways.items() if p.drug_independent} == {
        "depression-neurobiology", "bdnf-trkb-shared"}


def test_claims_once_missing_are_modelled(project):
    assert places(edge_of(project, "ketamine-clinical", "ketamine", "suicidal-ideation")) == {
        "cureus:89": "review", "comparative:87": "review"}
    assert places(edge_of(project, "ketamine-clinical", "ketamine", "analgesia")) == {"cureus:101": "review"}
    assert places(edge_of(project, "ketamine-adverse-effects", "ketamine", "hallucinations")) == {
        "cureus:155": "clinical", "cureus:157": "clinical"}
    assert places(edge_of(project, "comparators", "SSRIs", "anxiety")) == {"cureus:83": "review"}
    assert places(edge_of(project, "comparators", "SSRIs", "emotional-blunting")) == {"cureus:83": "review"}
    delirium = edge_of(project, "ketamine-inflammation", "ketamine", "postoperative-delirium")
    assert delirium.effect is Effect.NEGATIVE and places(delirium) == {"cureus:147": "clinical"}
    assert "intranasal" in edge_of(project, "ketamine-adverse-effects", "ketamine",
                                   "urinary-tract-dysfunction").evidence[0].note
    assert any("cureus:171" in n for n in project.pathways["ketamine-clinical"].notes)
    assert any("comparative:87" in n for n in project.pathways["esketamine"].notes)
    assert any("cureus:93" in n for n in project.pathways["comparators"].notes)


def test_psilocybin_cascade_has_the_reset_and_no_dead_end(project):
    pathway = project.pathways["psilocybin-5ht2a"]
    out = {e.source.key for e in pathway.edges}
    nodes = out | {e.target.key for e in pathway.edges}
    sinks = nodes - out
    assert sinks == {"antidepressant-effect"}
    assert edge_of(project, "psilocybin-5ht2a", "network-reset", "cognitive-flexibility").effect is Effect.POSITIVE
    assert edge_of(project, "psilocybin-5ht2a", "DMN", "network-reset").effect is Effect.NEGATIVE


def test_trial_screening_belongs_to_the_ketamine_arm(project):
    pathway = project.pathways["ketamine-psilocybin-trial"]
    into = {e.target.entity: (e.source.entity, e.label) for e in pathway.edges}
    assert into["screening"] == ("arm", "ketamine")
    assert into["psi-prep"] == ("arm", "psilocybin")
    assert into["arm"] == ("referral", None)


def test_the_comparative_cascade_draws_only_its_seed(project):
    pathway = project.pathways["ketamine-cascade-comparative"]
    assert {str(ev.seed).split(":")[0] for e in pathway.edges for ev in e.evidence} == {"comparative"}
    assert not any(e.effect is Effect.NECESSARY for e in pathway.edges)
    assert project.figures["ketamine-cascade"].pathways == ("ketamine-cascade-comparative",)
    assert "Added from the other seeds" in project.figures["ketamine-cascade"].caption
    assert "necessary" not in project.figures["cureus-figure-1"].caption
    assert "postsynaptic NMDA receptors stops" not in project.figures["ketamine-primary-cascade"].caption


# --------------------------------------------------------------------------------------
# the figure review: grades by one rule, the opioid arm, dead ends

def statements(edge):
    """(seed place, grade) of every statement of one edge (one seed may give two grades)."""
    return sorted((str(ev.seed), ev.grade.value) for ev in edge.evidence)


ROUTE = [("NMDAR@interneuron", "GABA@interneuron"), ("GABA@interneuron", "pyramidal-firing@pyramidal"),
         ("pyramidal-firing@pyramidal", "glutamate")]


def test_disinhibition_route_is_a_hypothesis_and_the_block_is_plain_everywhere(project):
    """Every seed that names the interneuron route hedges it (comparative:40, foundations:23,
    cureus:109 with cureus:111); the block itself and AMPAR activation are stated plainly."""
    drawn = {}
    for p in signalling(project):
        for e in p.edges:
            drawn.setdefault((e.source.key, e.target.key), []).append((p.id, e))
    for s_, t in ROUTE:
        grades = {(pid, ev.grade.value) for pid, e in drawn[(s_, t)] for ev in e.evidence}
        assert {g for _, g in grades} == {"hypothesis"}, (s_, t, grades)
        assert {pid for pid, _ in grades} == {"ketamine-disinhibition", "ketamine-cascade-comparative",
                                              "esketamine"}, (s_, t)
    assert statements(edge_of(project, "ketamine-cascade-comparative", "ketamine", "NMDAR@interneuron")) == [
        ("comparative:40", "hypothesis"), ("comparative:40", "review")]
    assert places(edge_of(project, "esketamine", "esketamine", "NMDAR@interneuron")) == {"translational:4": "review"}
    for pid in ("ketamine-disinhibition", "ketamine-cascade-comparative", "esketamine"):
        glu = edge_of(project, pid, "glutamate", "AMPAR@postsynaptic")
        assert {ev.grade.value for ev in glu.evidence} == {"review"}, pid
    assert places(edge_of(project, "ketamine-disinhibition", "glutamate", "AMPAR@postsynaptic")) == {
        "cureus:109": "review", "foundations:27": "review", "translational:4": "review", "cureus:118": "review"}


def test_opioid_arm_draws_only_what_the_seed_found(project):
    # the habenula finding names no subtype: the family carries it, the mu receptor does not
    mu_out = {(e.target.key, e.effect) for p in project.pathways.values() for e in p.edges
              if e.source.key == "OPRM1"}
    assert mu_out == {("BDNF", Effect.POSITIVE), ("addiction-liability", Effect.POSITIVE)}
    # cureus:143 reports that the antagonists took away ketamine's calming of the habenula
    # (and with it the effect); it gives no step from the receptors to habenular firing, so
    # the family's only outgoing edge anywhere is the observed necessity for the outcome
    family_out = {(p.id, e.target.key, e.effect, e.relation) for p in project.pathways.values()
                  for e in p.edges if e.source.key == "opioid-receptors"}
    assert family_out == {("ketamine-opioid", "antidepressant-effect", Effect.NECESSARY, Relation.SUMMARY)}
    for pid in ("ketamine-opioid", "lateral-habenula"):
        calm = edge_of(project, pid, "ketamine", "LHb-burst-firing")
        assert (calm.effect, calm.relation, calm.via, places(calm)) == (
            Effect.NEGATIVE, Relation.SUMMARY, ("opioid-receptors",), {"cureus:143": "preclinical"}), pid
        assert set(calm.evidence[0].refs) == {"1", "4", "22"}, pid
    assert places(edge_of(project, "ketamine-opioid", "ketamine", "opioid-receptors")) == {
        "cureus:143": "hypothesis"}
    # the habenula leads on (cureus:63): its bursts hold down the VTA and the raphe, so in the
    # theories figure calming it reaches dopamine and serotonin instead of ending there
    arm = project.pathways["ketamine-opioid"]
    assert {(e.target.key, e.effect) for e in arm.edges if e.source.key == "LHb-burst-firing"} == {
        ("VTA", Effect.NEGATIVE), ("dorsal-raphe", Effect.NEGATIVE)}
    for s_, t in [("LHb-burst-firing", "VTA"), ("VTA", "dopamine"),
                  ("LHb-burst-firing", "dorsal-raphe"), ("dorsal-raphe", "serotonin")]:
        e = edge_of(project, "ketamine-opioid", s_, t)
        assert places(e) == {"cureus:63": "review"} and e.evidence[0].refs == ("8",), (s_, t)
    assert path_sign(project, "ketamine-opioid", ["ketamine", "LHb-burst-firing", "VTA", "dopamine"]) == 1
    assert path_sign(project, "ketamine-opioid", ["ketamine", "LHb-burst-firing", "dorsal-raphe", "serotonin"]) == 1
    theories = project.figures["ketamine-theories-overview"].pathways
    drawn = [e for pid in theories for e in project.pathways[pid].edges]
    assert {e.source.key for e in drawn} >= {"LHb-burst-firing", "dopamine", "serotonin"}
    # the probes' null findings are experiments; their receptor actions sit in a pathway no
    # figure draws, graded as the plain class statements they are
    probes = project.pathways["opioid-probes"]
    assert {(e.source.key, e.effect, e.target.key) for e in probes.edges} == {
        ("naltrexone", Effect.NEGATIVE, "OPRM1"), ("morphine", Effect.POSITIVE, "OPRM1")}
    assert all(places(e) == {"cureus:143": "review"} for e in probes.edges)
    assert not [f.id for f in project.figures.values() if "opioid-probes" in f.pathways]
    assert not [p.id for p in project.pathways.values() if p.id != "opioid-probes"
                for e in p.edges if {e.source.key, e.target.key} & {"naltrexone", "morphine"}]
    caption = project.figures["ketamine-theories-overview"].caption
    assert "naltrexone" in caption and "morphine" in caption


def test_tca_receptor_blockade_leads_to_side_effects_not_the_outcome(project):
    receptors = ("adrenergic-receptors", "histamine-receptors", "muscarinic-receptors")
    for r in receptors:
        e = edge_of(project, "comparators", r, "receptor-blockade-side-effects")
        assert e.effect is Effect.NEGATIVE and places(e) == {"cureus:75": "hypothesis"}, r
        assert path_sign(project, "comparators", ["TCAs", r, "receptor-blockade-side-effects"]) == 1
        assert "antidepressant-effect" not in reach(project, r), r
    summary = edge_of(project, "comparators", "TCAs", "receptor-blockade-side-effects")
    assert (summary.relation, summary.via, places(summary)) == (Relation.SUMMARY, receptors, {"cureus:75": "review"})
    # antidepressants potentiate BDNF at TrkB (cureus:65): a positive influence, worded so
    for drug in ("SSRIs", "TCAs"):
        trkb = edge_of(project, "comparators", drug, "TrkB")
        assert trkb.effect is Effect.POSITIVE and "allosteric" in trkb.evidence[0].note, drug
