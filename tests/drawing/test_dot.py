"""dot.py: style tables, escaping, links, ids, legend, and the golden DOT files."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace

import pydot
import pytest

from mechgraph.drawing import dot as D
from mechgraph.drawing import render
from mechgraph.errors import MechgraphError
from mechgraph.language.load import load_project
from mechgraph.model import (
    Compartment,
    Direction,
    Edge,
    Effect,
    Entity,
    Evidence,
    Figure,
    Grade,
    NodeKind,
    NodeRef,
    Pathway,
    PathwayKind,
    Project,
    Step,
)

from ..conftest import TESTS

HERE = TESTS
sys.path.insert(0, str(HERE / "fixtures" / "render"))
sys.path.insert(0, str(HERE / "golden"))
from projects import demo_project  # noqa: E402
from regen import golden_sets  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def tiny(label_a: str = "A", **pathway) -> Project:
    edge = Edge(NodeRef("a"), NodeRef("b"), Effect.NEGATIVE,
                (Evidence(Grade.PRECLINICAL, ("pmid:123",)),))
    p = Pathway("p", pathway.pop("title", "Tiny"), PathwayKind.SIGNALING, (edge,), **pathway)
    return Project(pathways={"p": p},
                   entities={"a": Entity("a", label_a, NodeKind.DRUG),
                             "b": Entity("b", "B", NodeKind.PROTEIN)})


def draw(project: Project, pathway: str = "p") -> str:
    return D.to_dot(project, D.pathway_figure(project, pathway))


# ---------------------------------------------------------------------------- whole text

TINY_DOT = r'''// mechgraph figure format 1
digraph mg {
  graph [charset="UTF-8" fontname="DejaVu Sans" newrank=true nodesep=0.35 ranksep=0.45 pad="0.25" labelloc=t labeljust=l bgcolor="white" outputorder=edgesfirst rankdir=TB];
  node [fontname="DejaVu Sans" fontsize=12 margin="0.14,0.06" penwidth=1.2];
  edge [fontname="DejaVu Sans" fontsize=10 penwidth=1.3];
  label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3"><TR><TD ALIGN="LEFT"><FONT POINT-SIZE="16">Tiny</FONT></TD></TR></TABLE>>;
  n0 [id=n0 shape=ellipse fillcolor="#a6cee3" style="filled" penwidth=2.6 label="A" tooltip="A\ndrug\npathways: p" class="mg-node mg-kind-drug mg-pw-p"];
  n1 [id=n1 shape=box fillcolor="#a6cee3" style="filled" label="B" tooltip="B\nprotein\npathways: p" class="mg-node mg-kind-protein mg-pw-p"];
  n0 -> n1 [id=e0 arrowhead=tee arrowsize=1.2 color="#b2182b" style=solid penwidth=1.3 tooltip="A inhibits B\n[p] preclinical; pmid:123" URL="https://pubmed.ncbi.nlm.nih.gov/123/" class="mg-edge mg-effect-negative mg-grade-preclinical mg-pw-p"];
  subgraph cluster_legend {
    id=legend label="" style="rounded" color="#bfbfbf" margin=6;
    node [fontsize=10 margin="0.04,0.02" width=0 height=0];
    l0 [shape=ellipse style="filled" fillcolor=white penwidth=2.6 margin="0.1,0.03" label="drug"];
    l2 [shape=box style="filled" fillcolor=white margin="0.1,0.03" label="protein"];
    l4 [shape=plaintext label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="0"><TR><TD BGCOLOR="#a6cee3" BORDER="1" WIDTH="28" HEIGHT="14" FIXEDSIZE="TRUE"></TD><TD ALIGN="LEFT" BALIGN="LEFT">Tiny</TD></TR></TABLE>>];
    l6 [shape=none label="" width=0.4 height=0.2 fixedsize=true];
    l7 [shape=plaintext label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR><TD WIDTH="46" ALIGN="LEFT" BALIGN="LEFT">inhibits</TD></TR></TABLE>>];
    l6 -> l7 [arrowhead=tee arrowsize=1.2 color="#b2182b" tailclip=false weight=1000 minlen=0];
    l8 [shape=none label="" width=0.4 height=0.2 fixedsize=true];
    l9 [shape=plaintext label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR><TD WIDTH="106" ALIGN="LEFT" BALIGN="LEFT">preclinical evidence</TD></TR></TABLE>>];
    l8 -> l9 [arrowhead=none color="#262626" style=solid penwidth=1.3 tailclip=false weight=1000 minlen=0];
    { rank=same; l0 l2 l4 l6 l7 }
    l0 -> l2 [style=invis weight=1000 minlen=0];
    l2 -> l4 [style=invis weight=1000 minlen=0];
    l4 -> l6 [style=invis weight=1000 minlen=0];
    { rank=same; l8 l9 }
    l0 -> l8 [style=invis];
  }
  n1 -> l4 [style=invis];
}
'''


def test_tiny_figure_exact_dot():
    assert draw(tiny()) == TINY_DOT


@pytest.mark.parametrize("group", ["demo", "fixture", "pathways"])
def test_golden_dot(group):
    """Every figure's DOT equals its reviewed golden file (regenerate: tests/golden/regen.py)."""
    expected = golden_sets()[group]
    folder = HERE / "golden" / group
    assert sorted(p.name for p in folder.glob("*.dot")) == sorted(expected)
    for name, text in expected.items():
        assert (folder / name).read_text(encoding="utf-8") == text, (
            f"{group}/{name} differs from its golden file; if the change is intended run "
            f"`make golden` and review the diff")


def test_same_bytes_under_every_hash_seed():
    code = ("import sys, hashlib; sys.path.insert(0, %r);"
            "from projects import demo_project; from mechgraph.drawing.dot import to_dot;"
            "p = demo_project();"
            "print(hashlib.sha256(''.join(to_dot(p, f) for f in p.figures.values())"
            ".encode()).hexdigest())") % str(HERE / "fixtures" / "render")
    digests = set()
    for seed in ("0", "1", "4242", "random"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True)
        digests.add(out.stdout.strip())
    p = demo_project()
    here = hashlib.sha256("".join(D.to_dot(p, f) for f in p.figures.values()).encode())
    assert digests == {here.hexdigest()}


def test_text_has_no_absolute_paths_or_times():
    text = "".join(golden_sets()["pathways"].values())
    assert str(HERE.parent) not in text and "/tmp" not in text
    assert not re.search(r"\b20\d\d-\d\d-\d\d", text)


# ---------------------------------------------------------------------------- tables

def test_every_kind_effect_and_grade_has_a_style():
    assert set(D.KIND_SHAPE) == set(NodeKind)
    assert set(D.EFFECT_STYLE) == set(Effect)
    assert set(D.EVIDENCE_STYLE) == set(Grade)


def test_style_tables_are_immutable():
    with pytest.raises(TypeError):
        D.KIND_SHAPE[NodeKind.DRUG] = D.KIND_SHAPE[NodeKind.ION]  # type: ignore[index]
    with pytest.raises(AttributeError):
        D.EFFECT_STYLE[Effect.NEGATIVE].arrowhead = "normal"  # type: ignore[misc]


def test_arrowheads_mean_what_the_legend_says():
    assert {e: s.arrowhead for e, s in D.EFFECT_STYLE.items()} == {
        Effect.POSITIVE: "normal", Effect.NEGATIVE: "tee", Effect.NECESSARY: "onormaltee",
        Effect.UNKNOWN: "odiamond", Effect.CONVERSION: "vee", Effect.ASSOCIATED: "none"}
    assert [D.EFFECT_STYLE[e].double for e in Effect] == [False, False, False, False, True,
                                                          False]


def test_kinds_look_different():
    """No two kinds share a look, except start and end (one flowchart terminal)."""
    looks = {}
    for kind, st in D.KIND_SHAPE.items():
        looks.setdefault(replace(st, name=""), set()).add(kind)
    assert sorted(sorted(k.value for k in ks) for ks in looks.values() if len(ks) > 1) == [
        ["end", "start"]]


def test_kinds_shared_most_often_can_be_split_between_pathways():
    splittable = {k for k, st in D.KIND_SHAPE.items() if st.multicolour != "band"}
    assert splittable == {NodeKind.DRUG, NodeKind.METABOLITE, NodeKind.TRANSMITTER,
                          NodeKind.ION, NodeKind.OUTCOME, NodeKind.PROTEIN, NodeKind.KINASE,
                          NodeKind.RECEPTOR, NodeKind.CHANNEL, NodeKind.PROCESS}


# ---------------------------------------------------------------------------- escaping

@pytest.mark.parametrize("text, context, expected", [
    ('say "hi"', "label", "say &quot;hi&quot;"),
    ("a\\b", "label", "a&#92;&#92;b"),
    ("a\\b", "tooltip", "a&#92;&#92;&#92;&#92;b"),
    ("\\N \\G \\L \\n", "label", "&#92;&#92;N &#92;&#92;G &#92;&#92;L &#92;&#92;n"),
    ("<b>&amp;</b>", "label", "&lt;b&gt;&amp;amp;&lt;/b&gt;"),
    ("{a|b}", "label", "&#123;a&#124;b&#125;"),
    ("one\ntwo", "label", "one\\ntwo"),
    ("one\ntwo", "html", "one<BR/>two"),
    ("one\r\ntwo\rthree", "tooltip", "one\\ntwo\\nthree"),
    ("tab\there", "label", "tab here"),
    ("bell\x07\x00nul", "label", "bellnul"),
    ("left\u202eright\u2066", "label", "leftright"),
    ("5-HT₂A α Ca²⁺ — µ", "label", "5-HT₂A α Ca²⁺ — µ"),
    ("trailing\\", "label", "trailing&#92;&#92;"),
])
def test_escape(text, context, expected):
    assert D.escape(text, context) == expected


def test_escaped_text_never_holds_a_raw_quote_or_backslash():
    nasty = "".join(chr(c) for c in range(0x20, 0x7f)) + "\n\\\"\\"
    for context in ("label", "html", "tooltip"):
        out = D.escape(nasty, context)
        assert '"' not in out and "<" not in out.replace("<BR/>", "")
        assert "\\" not in out.replace("\\n", "")


DANGEROUS = 'q"b\\s\\N\\G\\E&amp;<x>{y}|z]α₂\\'


def test_dangerous_label_renders_exactly(tmp_path):
    """Each dangerous character survives DOT, Graphviz and SVG as itself."""
    project = tiny(DANGEROUS)
    text = draw(project)
    svg = render.to_files(D.pathway_figure(project, "p"), text, ["svg"])["svg"]
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert DANGEROUS in texts
    tips = [a.get(f"{XLINK}title") for a in root.iter(f"{SVG}a")]
    assert f"{DANGEROUS}\ndrug\npathways: p" in tips
    assert f"{DANGEROUS} inhibits B\n[p] preclinical; pmid:123" in tips
    # read back by pydot: the label is one attribute of one node, quoted as emitted
    graph = pydot.graph_from_dot_data(text)[0]
    (node,) = graph.get_node("n0")
    assert node.get("label") == f'"{D.escape(DANGEROUS)}"'


def test_label_cannot_break_out_of_its_string():
    project = tiny('x"]; evil [label="y"]; n0 -> evil; //')
    graph = pydot.graph_from_dot_data(draw(project))[0]
    names = {n.get_name() for n in graph.get_nodes()} - {"graph", "node", "edge"}
    assert names == {"n0", "n1"}
    # the figure's edge, and the invisible one that puts the legend below the figure
    assert [(e.get_source(), e.get_destination()) for e in graph.get_edges()] == [
        ("n0", "n1"), ("n1", "l4")]


def test_user_text_reaches_only_labels_and_tooltips():
    """Hostile text in every user field ends up in label or tooltip, nowhere else."""
    evil = 'EVIL" URL="javascript:x" fontname="EVIL'
    steps = {"s": Step("s", evil, NodeKind.START, time=evil), "t": Step("t", evil, NodeKind.END)}
    wf = Pathway("w", evil, PathwayKind.WORKFLOW,
                 (Edge(NodeRef("s"), NodeRef("t"), Effect.POSITIVE,
                       (Evidence(Grade.CLINICAL, note=evil),), label=evil),), steps=steps)
    sig = Pathway("EVIL-p", evil, PathwayKind.SIGNALING,
                  (Edge(NodeRef("a", "c"), NodeRef("b"), Effect.NEGATIVE,
                        (Evidence(Grade.REVIEW, (evil, "javascript:alert(1)"), note=evil),)),),
                  compartments={"c": Compartment("c", evil)})
    project = Project(
        pathways={"w": wf, "EVIL-p": sig},
        entities={"a": Entity("a", evil, NodeKind.COMPLEX, name=evil, xrefs=(evil,)),
                  "b": Entity("b", evil, NodeKind.PROTEIN, xrefs=("javascript:alert(1)",))})
    fig = Figure("f", evil, ("w", "EVIL-p"), caption=evil, highlight_shared=True)
    text = D.to_dot(project, fig)
    graph = pydot.graph_from_dot_data(text)[0]
    seen = set()

    def visit(g):
        for attr, value in g.get_attributes().items():
            if "EVIL" in str(value):
                seen.add(attr)
        for item in g.get_nodes() + g.get_edges():
            for attr, value in item.get_attributes().items():
                if "EVIL" in str(value):
                    seen.add(attr)
        for sub in g.get_subgraphs():
            visit(sub)

    visit(graph)
    assert seen == {"label", "tooltip", "class"}  # class: the pathway id, checked as a slug
    assert re.findall(r' URL="', text) == []  # neither xref nor citation resolves
    assert re.findall(r"mg-pw-[^ \"]+", text) and set(re.findall(r"mg-pw-[^ \"]+", text)) == {
        "mg-pw-w", "mg-pw-EVIL-p"}


def test_ids_are_synthetic():
    project = demo_project()
    for fig in project.figures.values():
        graph = pydot.graph_from_dot_data(D.to_dot(project, fig))[0]
        names = set()
        stack = [graph]
        while stack:
            g = stack.pop()
            names |= {n.get_name() for n in g.get_nodes()} - {"graph", "node", "edge"}
            names |= {e.get_source() for e in g.get_edges()}
            names |= {e.get_destination() for e in g.get_edges()}
            stack += g.get_subgraphs()
        assert all(re.fullmatch(r"[nl]\d+", n) for n in names), names


# ---------------------------------------------------------------------------- links

@pytest.mark.parametrize("curie, url", [
    ("doi:10.7759/cureus.83244", "https://doi.org/10.7759/cureus.83244"),
    ("DOI:10.1016/S0140-6736(19)31203-0", "https://doi.org/10.1016/S0140-6736(19)31203-0"),
    ('doi:10.1000/a"b<c>', "https://doi.org/10.1000/a%22b%3Cc%3E"),
    ("pmid:12345678", "https://pubmed.ncbi.nlm.nih.gov/12345678/"),
    ("hgnc:1033", "https://identifiers.org/hgnc:1033"),
    ("chebi:6121", "https://identifiers.org/CHEBI:6121"),
    ("go:0007399", "https://identifiers.org/GO:0007399"),
    ("javascript:alert(1)", None),
    ("http://evil.example/x", None),
    ("hgnc:BDNF", None),
    ("pmid:0", None),
    ("no-colon", None),
])
def test_curie_url(curie, url):
    assert D.curie_url(curie) == url


def test_every_link_goes_to_an_allowed_resolver():
    text = "".join(golden_sets()["pathways"].values())
    urls = set(re.findall(r'URL="([^"]*)"', text))
    assert urls  # the content cites something
    hosts = {re.match(r"https://([^/]+)/", u).group(1) for u in urls}
    assert hosts <= set(D.ALLOWED_HOSTS)


# ---------------------------------------------------------------------------- figures

def legend_texts(text: str) -> list[str]:
    """The legend's texts in order: the names inside shape samples, the texts beside
    edge samples, and the key table's lines (line breaks read as spaces)."""
    legend = text.split("subgraph cluster_legend {")[1] if "cluster_legend" in text else ""
    out = []
    for attrs in re.findall(r"^    l\d+ \[(.*)\];$", legend, re.M):
        if name := re.search(r' label="((?:[^"\\]|\\.)+)"', attrs):
            out.append(name.group(1).replace("\\n", " "))
        else:
            out += [t.replace("<BR/>", " ") for t in re.findall(
                r'<TD(?: ALIGN="LEFT"| WIDTH="\d+")[^>]*>([^<]+(?:<BR/>[^<]+)*)</TD>', attrs)]
    return out


def test_legend_shows_only_what_the_figure_uses():
    # below a TB figure: shapes, the key table (fills, outline), then arrows and lines
    assert legend_texts(draw(tiny())) == ["drug", "protein", "Tiny", "inhibits",
                                          "preclinical evidence"]
    demo = demo_project()
    assert legend_texts(D.to_dot(demo, demo.figures["trials"])) == [
        "start / end", "step", "decision", "IV ketamine trial", "Psilocybin trial", "then"]
    assert legend_texts(D.to_dot(demo, demo.figures["shared-mechanisms"])) == [
        "drug", "metabolite", "receptor", "transmitter", "protein", "kinase", "complex", "ion",
        "process", "outcome", "network",
        "Ketamine disinhibits pyramidal neurons", "Psilocybin acts through 5-HT₂A receptors",
        "in pathways of different drugs", "activates", "inhibits", "is necessary for",
        "modulates (sign unknown)", "is converted to", "clinical evidence",
        "preclinical evidence", "in-vitro evidence", "stated by a review", "hypothesis"]


def node_line(text: str, label: str) -> str:
    """A node's line, found by its label: plain, or on the white plate of a split fill."""
    (line,) = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("n") and (
        f'label="{label}"' in ln or f'STYLE="rounded"><TR><TD>{label}</TD>' in ln)]
    return line


def test_shared_nodes_are_split_and_highlighted_when_asked():
    demo = demo_project()
    fig = demo.figures["shared-mechanisms"]
    text = D.to_dot(demo, fig)
    assert node_line(text, "BDNF") == (
        'n1 [id=n1 shape=box fillcolor="#a6cee3:#fdbf6f" style="striped" margin="0.3,0.06" '
        'color="#e66101" penwidth=3.0 label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1" '
        'BGCOLOR="#ffffffb3" STYLE="rounded"><TR><TD>BDNF</TD></TR></TABLE>> '
        'tooltip="BDNF\\nbrain-derived neurotrophic factor\\nprotein\\n'
        'hgnc:1033, uniprot:P23560\\npathways: ketamine-disinhibition, psilocybin-5ht2a" '
        'URL="https://identifiers.org/hgnc:1033" class="mg-node mg-kind-protein '
        'mg-pw-ketamine-disinhibition mg-pw-psilocybin-5ht2a mg-shared"];')
    assert 'style="wedged"' in node_line(text, "glutamate")
    # a split fill's dividing lines run under a white plate, never through the text
    split = [ln for ln in text.splitlines() if 'style="striped"' in ln or 'style="wedged"' in ln
             or 'style="dashed,striped"' in ln or 'style="dashed,wedged"' in ln]
    assert len(split) == 4
    assert all('BGCOLOR="#ffffffb3" STYLE="rounded"><TR><TD>' in ln for ln in split)
    whole = [ln for ln in text.splitlines() if re.match(r"  n\d+ \[", ln) and ln not in split]
    assert whole and not any('BGCOLOR="#ffffffb3" STYLE="rounded"' in ln for ln in whole)
    plain = D.to_dot(demo, replace(fig, highlight_shared=False))
    assert node_line(plain, "BDNF") == node_line(text, "BDNF").replace(
        ' color="#e66101" penwidth=3.0', "")
    assert "shared by two or more pathways" not in legend_texts(plain)


def shared(text: str) -> list[str]:
    """Labels of the nodes marked shared (a split fill puts its label on a plate)."""
    return ["".join(m) for m in re.findall(
        r'label=(?:"([^"]*)"|<<TABLE[^>]*><TR><TD>([^<]*)</TD>.*?>>) '
        r'tooltip="[^"]*"(?: URL="[^"]*")? class="[^"]*mg-shared', text)]


def test_what_highlight_shared_marks():
    """Pathways of different drugs: nodes both drugs reach. One drug: nodes two pathways share."""
    demo = demo_project()
    fig = demo.figures["shared-mechanisms"]
    assert sorted(shared(D.to_dot(demo, fig))) == [
        "BDNF", "antidepressant effect", "glutamate", "synaptogenesis"]
    psi = replace(demo.pathways["psilocybin-5ht2a"], drugs=("psilocybin", "ketamine"))
    one_drug = replace(demo, pathways={**demo.pathways, psi.id: psi})
    text = D.to_dot(one_drug, fig)
    assert sorted(shared(text)) == ["BDNF", "antidepressant effect", "glutamate",
                                    "synaptogenesis"]
    assert "shared by two or more pathways" in legend_texts(text)
    # a node in two pathways of the same drug is not "shared between drugs"
    ket2 = replace(demo.pathways["ketamine-disinhibition"], id="ketamine-2",
                   edges=demo.pathways["ketamine-disinhibition"].edges[:1])
    three = replace(demo, pathways={**demo.pathways, "ketamine-2": ket2})
    fig3 = replace(fig, pathways=fig.pathways + ("ketamine-2",))
    assert sorted(shared(D.to_dot(three, fig3))) == [
        "BDNF", "antidepressant effect", "glutamate", "synaptogenesis"]
    fig4 = replace(fig, pathways=("ketamine-disinhibition", "ketamine-2"))
    assert sorted(shared(D.to_dot(three, fig4))) == ["NMDAR", "ketamine"]


def test_shapes_that_cannot_split_get_a_colour_band():
    project = demo_project()
    both = replace(project.pathways["psilocybin-5ht2a"], edges=project.pathways[
        "psilocybin-5ht2a"].edges + (Edge(NodeRef("BDNF"), NodeRef("mTORC1"), Effect.POSITIVE,
                                          (Evidence(Grade.PRECLINICAL),)),))
    project = replace(project, pathways={**project.pathways, both.id: both})
    text = D.to_dot(project, project.figures["shared-mechanisms"])
    (line,) = [ln for ln in text.splitlines() if "mg-kind-complex" in ln]
    assert 'shape=octagon fillcolor="white" style="filled"' in line
    assert ('label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1"><TR>'
            '<TD COLSPAN="2">mTORC1</TD></TR><TR><TD BGCOLOR="#a6cee3" HEIGHT="7" WIDTH="14">'
            '</TD><TD BGCOLOR="#fdbf6f" HEIGHT="7" WIDTH="14"></TD></TR></TABLE>>') in line


def test_compartments_are_labelled_clusters():
    demo = demo_project()
    text = D.to_dot(demo, demo.figures["ketamine-lr"])
    clusters = re.findall(r"subgraph (cluster_\w+) \{\n\s+id=\w+ label=\"([^\"]*)\"", text)
    assert clusters == [("cluster_c0", "GABAergic interneuron"),
                        ("cluster_c1", "Postsynaptic neuron"), ("cluster_legend", "")]
    c0 = text.split("subgraph cluster_c0 {")[1].split("}")[0]
    assert re.findall(r'label="([^"]*)" tooltip', c0) == ["GABA release", "NMDAR"]


def test_workflows_draw_branches_times_and_one_cluster_each():
    demo = demo_project()
    text = D.to_dot(demo, demo.figures["trials"])
    assert re.findall(r'label="([^"]*)" fontcolor', text) == ["yes", "no", "yes", "no"]
    assert text.count('<FONT POINT-SIZE="10" COLOR="#4d4d4d">Week −2</FONT>') == 2
    assert re.findall(r"id=c\d label=\"([^\"]*)\"", text) == ["IV ketamine trial",
                                                                "Psilocybin trial"]
    assert "mg-grade-" not in text.split("subgraph cluster_legend")[0]
    assert 'shape=diamond' in node_line(text.split("cluster_c1")[0], "Eligible?")


def test_edges_carry_evidence_and_a_resolver_link():
    demo = demo_project()
    text = D.to_dot(demo, demo.figures["ketamine-lr"])
    (line,) = [ln for ln in text.splitlines() if "ketamine inhibits NMDAR" in ln]
    assert line.strip() == (
        'n8 -> n4 [id=e7 arrowhead=tee arrowsize=1.2 color="#b2182b" style=solid penwidth=1.3 '
        'tooltip="ketamine inhibits NMDAR\\n[ketamine-disinhibition] preclinical; cureus:64 refs '
        '16; doi:10.1038/nature09146\\nnote: Blocks the channel pore." '
        'URL="https://doi.org/10.1038/nature09146" class="mg-edge mg-effect-negative '
        'mg-grade-preclinical mg-pw-ketamine-disinhibition"];')
    # no citation of its own: the source's reference list resolves "ref 16"
    (line,) = [ln for ln in text.splitlines() if "AMPAR is necessary for BDNF" in ln]
    assert 'URL="https://doi.org/10.1126/science.1190287"' in line


def test_same_edge_from_two_pathways_is_drawn_once():
    demo = demo_project()
    text = D.to_dot(demo, demo.figures["shared-mechanisms"])
    (line,) = [ln for ln in text.splitlines() if "synaptogenesis activates antidepressant" in ln]
    assert ("[ketamine-disinhibition] clinical\\n[psilocybin-5ht2a] clinical" in line
            and "mg-pw-ketamine-disinhibition mg-pw-psilocybin-5ht2a" in line)


def test_globs_expand_and_unknown_pathways_are_errors():
    demo = demo_project()
    assert D.figure_pathways(demo, Figure("f", "t", ("*-trial", "ketamine-trial"))) == (
        "ketamine-trial", "psilocybin-trial")
    with pytest.raises(MechgraphError) as e:
        D.figure_pathways(demo, Figure("f", "t", ("nothing-*",)))
    assert str(e.value) == "error: figure 'f' names pathway 'nothing-*', which matches no pathway"


@pytest.mark.parametrize("direction", list(Direction))
def test_every_direction_lays_out(direction, tmp_path):
    demo = demo_project()
    fig = replace(demo.figures["shared-mechanisms"], direction=direction)
    text = D.to_dot(demo, fig)
    assert f"rankdir={direction.value}]" in text
    svg = render.to_files(fig, text, ["svg"])["svg"]
    assert f'<g id="{fig.id}--legend" class="cluster">'.encode() in svg


def plain_layout(text: str) -> dict[str, tuple[float, float, float, float]]:
    """Graphviz's layout of a DOT text: {node id: (left, right, bottom, top)} in inches."""
    out = subprocess.run(["dot", "-Tplain"], input=text.encode(), capture_output=True,
                         check=True).stdout.decode()
    boxes = {}
    for line in out.splitlines():
        if line.startswith("node "):
            _, name, x, y, w, h, *_ = line.split()
            x, y, w, h = map(float, (x, y, w, h))
            boxes[name] = (x - w / 2, x + w / 2, y - h / 2, y + h / 2)
    return boxes


def looped() -> Project:
    """A cascade, and beside it a loop that leads nowhere: no end to tie the legend to."""
    e = (Evidence(Grade.PRECLINICAL),)
    edges = [("a", "b"), ("b", "c"), ("x", "y"), ("y", "z"), ("z", "x")]
    p = Pathway("p", "Loop", PathwayKind.SIGNALING,
                tuple(Edge(NodeRef(u), NodeRef(v), Effect.POSITIVE, e) for u, v in edges))
    return Project(pathways={"p": p},
                   entities={k: Entity(k, k.upper(), NodeKind.PROTEIN) for k in "abcxyz"})


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("figure", ["shared-mechanisms", "trials", "ketamine-lr", "loop"])
def test_legend_lies_beyond_every_figure_rank(figure, direction):
    """Below a TB or BT figure, right of an LR or RL one, sharing no rank with it."""
    project = looped() if figure == "loop" else demo_project()
    fig = D.pathway_figure(project, "p") if figure == "loop" else project.figures[figure]
    boxes = plain_layout(D.to_dot(project, replace(fig, direction=direction)))
    nodes = [b for n, b in boxes.items() if n.startswith("n")]
    legend = [b for n, b in boxes.items() if n.startswith("l")]
    assert nodes and legend
    if direction in (Direction.TB, Direction.BT):
        assert max(top for *_, top in legend) < min(bottom for *_, bottom, _ in nodes)
    else:
        assert min(left for left, *_ in legend) > max(right for _, right, *_ in nodes)


def test_legend_is_tied_by_one_edge_to_the_deepest_end():
    """One invisible edge, not one per end (each one spanning ranks slows dot down)."""
    text = draw(looped())
    ids = {m[1]: m[0] for m in re.findall(r'(n\d+) \[id=n\d+ [^\n]*label="(\w)"', text)}
    tied = re.findall(r"^  (n\d+) -> (l\d+) \[style=invis\];$", text, re.M)
    assert [n for n, _ in tied] == [ids["C"]]  # the cascade's end; the loop is not tied
    # and the loop keeps to the ranks it would have alone: it starts where the cascade does
    assert f"  {{ rank=same; {ids['A']} {ids['X']} }}" in text.splitlines()
    drawn_back = D.to_dot(looped(), replace(D.pathway_figure(looped(), "p"),
                                            direction=Direction.BT))
    assert re.findall(r"^  l\d+ -> (n\d+) \[style=invis\];$", drawn_back, re.M) == [ids["A"]]


def test_legend_samples_are_the_figures_own_styles():
    """Each edge sample carries the figure's arrowhead and line attributes verbatim."""
    demo = demo_project()
    text = D.to_dot(demo, demo.figures["shared-mechanisms"])
    legend = text.split("subgraph cluster_legend {")[1]
    for effect, st in D.EFFECT_STYLE.items():
        if effect is Effect.ASSOCIATED:  # the demo draws no association
            continue
        colour = f"{st.colour}:invis:{st.colour}" if st.double else st.colour
        assert f'arrowhead={st.arrowhead} arrowsize={st.arrowsize} color="{colour}"' in legend
    for grade, ls in D.EVIDENCE_STYLE.items():
        assert (f'arrowhead=none color="#262626{ls.alpha}" style={ls.style} '
                f"penwidth={ls.penwidth}") in legend


def outlined(text: str) -> dict[str, str]:
    """{node id: label} of every node drawn with the highlight outline."""
    colour, width = D.SHARED_OUTLINE
    return {m[0]: m[1] for m in re.findall(
        r'^\s*(n\d+) \[[^\n]*color="%s" penwidth=%s [^\n]*tooltip="([^"\\]*)' % (colour, width),
        text, re.M)}


def test_highlight_overrides_the_figures_own_rule():
    demo = demo_project()
    fig = demo.figures["shared-mechanisms"]
    own = D.to_dot(demo, fig)
    assert sorted(outlined(own).values()) == [
        "BDNF", "antidepressant effect", "glutamate", "synaptogenesis"]
    keys = {"NMDAR@interneuron", "mTORC1", "not drawn here"}
    text = D.to_dot(demo, fig, highlight=keys)
    assert outlined(text) == {"n6": "NMDAR", "n11": "mTORC1"}  # NMDAR@interneuron, mTORC1
    assert sorted(re.findall(r"id=(n\d+) [^\n]*mg-shared", text)) == ["n11", "n6"]
    assert "shared by the compared sources" in legend_texts(text)
    assert "in pathways of different drugs" not in legend_texts(text)
    named = D.to_dot(demo, fig, highlight=keys, highlight_name="reached by both")
    texts = legend_texts(named)  # the key table's last line, after the pathways' fills
    assert texts[texts.index("Psilocybin acts through 5-HT₂A receptors") + 1] == "reached by both"
    # an empty highlight outlines nothing, and the legend has no entry for it
    none = D.to_dot(demo, fig, highlight=())
    assert outlined(none) == {} and "mg-shared" not in none
    assert legend_texts(none) == [t for t in legend_texts(own)
                                  if t != "in pathways of different drugs"]


def test_loaded_fixture_matches_its_python_twin_in_kinds():
    project = load_project(HERE / "fixtures" / "render" / "project")
    assert sorted(project.figures) == ["convergence", "ketamine-across", "trial"]
    assert D.figure_pathways(project, project.figures["ketamine-across"]) == ("ketamine-mini",)


# ---------------------------------------------------------------------------- relation kinds


def test_summaries_and_associations_are_drawn_apart_from_mechanisms():
    from mechgraph.language.load import load_text

    project = load_text(
        "pathway: p\ntitle: T\n"
        "entities: {d: drug, a: receptor, o: outcome, m: measurement}\n"
        "edges:\n"
        "  - {edge: d -| a -> o, evidence: preclinical}\n"
        "  - {edge: d -> o, relation: summary, via: [a], evidence: clinical}\n"
        "  - {edge: o -- m, evidence: clinical}\n"
        "  - {edge: d -| m, relation: association, evidence: clinical}\n", path="p.yaml")
    text = draw(project)
    edges = {m.group(1): m.group(2) for m in re.finditer(
        r"^  (n\d+ -> n\d+) \[id=e\d+ (.*?) tooltip=", text, re.M)}
    ids = {label: n for n, label in re.findall(r'^  (n\d+) \[.*?label="([^"]+)"', text, re.M)}
    d, a, o, m = ids["d"], ids["a"], ids["o"], ids["m"]
    # the clinical summary is thinner than the preclinical step it summarises
    assert edges[f"{d} -> {o}"] == ('arrowhead=onormal arrowsize=0.9 color="#969696" '
                                    "style=dashed penwidth=0.9")
    assert edges[f"{a} -> {o}"] == ('arrowhead=normal arrowsize=0.9 color="#262626" '
                                    "style=solid penwidth=1.3")
    ends = "dir=both arrowhead=dot arrowtail=dot arrowsize=0.45"
    assert edges[f"{o} -> {m}"] == f'{ends} color="#969696" style=dotted penwidth=1.1'
    assert edges[f"{d} -> {m}"] == (f'{ends} color="#969696" style=dotted '
                                    'penwidth=1.1 xlabel="\u2212" fontsize=13')
    # a correlation is worded as one, never with a causal verb
    tips = {m.group(1): m.group(2) for m in re.finditer(
        r'^  (n\d+ -> n\d+) \[.*? tooltip="([^"\\]*)\\n', text, re.M)}
    assert tips[f"{o} -> {m}"] == "o is associated with m"
    assert tips[f"{d} -> {m}"] == "d is negatively associated with m"
    assert tips[f"{d} -> {o}"] == "d activates o (summary)"
    assert tips[f"{a} -> {o}"] == "a activates o"
    assert re.search(rf'^  {m} \[id={m} shape=cylinder ', text, re.M)
    legend = text.split("subgraph cluster_legend {")[1].replace("\\n", " ")  # wrapped
    for entry in ("summary: activates",
                  "association: a correlation",
                  "measurement (biomarker, imaging)"):
        assert entry in legend
    # grades are legend lines of mechanistic steps only: the clinical summary adds none
    assert ">clinical evidence<" not in legend and ">preclinical evidence<" in legend
    assert "class=\"mg-edge mg-effect-positive mg-relation-summary mg-grade-clinical" in text


def edge_samples(text: str) -> dict[str, str]:
    """The legend's edge samples of a TB figure: {its text: its arrowhead and attributes}."""
    legend = text.split("subgraph cluster_legend {")[1]
    labels = dict(re.findall(r"^    (l\d+) \[shape=plaintext label=<.*?>([^<>]+)</TD>",
                             legend, re.M))
    return {labels[head]: attrs for head, attrs in re.findall(
        r"^    l\d+ -> (l\d+) \[arrowhead=(.*?) tailclip=false weight=1000 minlen=0\];",
        legend, re.M)}


def test_every_line_sample_of_the_legend_looks_different():
    """A hypothesis (dotted, arrowhead left out in the legend) and an association (dotted,
    undirected) once had the same sample; each line in the key must be told apart."""
    from mechgraph.language.load import load_text

    project = load_text(
        "pathway: p\ntitle: T\n"
        "entities: {d: drug, a: receptor, b: protein, o: outcome, m: measurement}\n"
        "edges:\n"
        "  - {edge: d -| a, evidence: clinical}\n"
        "  - {edge: a -> b, evidence: preclinical}\n"
        "  - {edge: b -> o, evidence: in-vitro}\n"
        "  - {edge: d -> b, evidence: review}\n"
        "  - {edge: a -> o, evidence: hypothesis}\n"
        "  - {edge: d -> o, relation: summary, via: [a], evidence: clinical}\n"
        "  - {edge: o -- m, evidence: clinical}\n", path="p.yaml")
    samples = edge_samples(draw(project))
    lines = {k: v for k, v in samples.items() if k.startswith("summary") or k.endswith(
        ("evidence", "review", "hypothesis", "correlation"))}
    assert sorted(lines) == sorted([
        "clinical evidence", "preclinical evidence", "in-vitro evidence", "stated by a review",
        "hypothesis", "summary: activates", "association: a correlation"])
    assert len(set(lines.values())) == len(lines), lines
    assert lines["association: a correlation"] == (
        'dot arrowsize=0.45 dir=both arrowtail=dot color="#969696" style=dotted penwidth=1.1')


def test_the_legend_keys_every_summary_arrowhead_and_no_step_a_summary_alone_uses():
    """A summary is drawn grey with its own arrowhead: each one the figure draws has its
    entry, and an effect only summaries have (here "is necessary for") gets no step
    entry, which would show a blue arrow the figure never draws."""
    from mechgraph.language.load import load_text

    project = load_text(
        "pathway: p\ntitle: T\n"
        "entities: {d: drug, a: receptor, b: protein, o: outcome, x: outcome}\n"
        "edges:\n"
        "  - {edge: d -| a -> b, evidence: preclinical}\n"
        "  - {edge: d -> o, relation: summary, via: [a], evidence: clinical}\n"
        "  - {edge: d -| x, relation: summary, evidence: clinical}\n"
        "  - {edge: b => o, relation: summary, evidence: preclinical}\n", path="p.yaml")
    samples = edge_samples(draw(project))
    grey = 'color="#969696" style=dashed penwidth=0.9'
    assert samples == {
        "activates": 'normal arrowsize=0.9 color="#262626"',
        "inhibits": 'tee arrowsize=1.2 color="#b2182b"',
        "preclinical evidence": 'none color="#262626" style=solid penwidth=1.3',
        "summary: activates": f"onormal arrowsize=0.9 {grey}",
        "summary: inhibits": f"tee arrowsize=1.2 {grey}",
        "summary: is necessary for": f"onormaltee arrowsize=1.1 {grey}",
    }


def test_a_plural_subject_takes_a_plural_verb():
    from mechgraph.language.load import load_text

    project = load_text(
        "pathway: p\ntitle: T\n"
        "entities:\n"
        "  SSRIs: {kind: drug, plural: true}\n"
        "  receptors: {kind: receptor, label: Muscarinic receptors, plural: yes}\n"
        "  TrkB: receptor\n"
        "  o: outcome\n"
        "  m: measurement\n"
        "edges:\n"
        "  - SSRIs -> TrkB\n"
        "  - SSRIs -| receptors\n"
        "  - receptors => o\n"
        "  - {edge: receptors -- m, relation: association}\n"
        "  - {edge: SSRIs -> m, relation: association}\n"
        "  - TrkB ~> o\n", path="p.yaml")
    assert project.entities["SSRIs"].plural and not project.entities["TrkB"].plural
    heads = {m.group(1).split("\\n")[0] for m in re.finditer(
        r'^  n\d+ -> n\d+ \[.*? tooltip="((?:[^"\\]|\\.)*)"', draw(project), re.M)}
    assert heads == {
        "SSRIs activate TrkB", "SSRIs inhibit Muscarinic receptors",
        "Muscarinic receptors are necessary for o", "Muscarinic receptors are associated with m",
        "SSRIs are positively associated with m", "TrkB modulates (sign unknown) o"}
