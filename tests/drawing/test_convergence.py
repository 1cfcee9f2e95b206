"""convergence.py: two drugs' routes meeting, and the geometry of the figure a reader sees."""

from __future__ import annotations

import re
import struct
from dataclasses import replace

import pytest
from click.testing import CliRunner

import mechgraph as mg
from mechgraph.cli import main
from mechgraph.drawing import render as R
from mechgraph.drawing.convergence import convergence_dot
from mechgraph.drawing.quoting import escape
from mechgraph.errors import MechgraphError

from ..conftest import REPO, TESTS

FIXTURE = TESTS / "fixtures" / "render" / "project"
SHARED = "ketamine-psilocybin-shared"


def labels(dot: str) -> dict[str, str]:
    """Each drawn node's label (its tooltip's first line) -> its id."""
    return {m.group(2): m.group(1) for m in re.finditer(
        r'^\s+(n\d+) \[id=\S+ .*?tooltip="((?:[^"\\]|\\[^n])*)\\n', dot, re.M)}


def test_convergence_of_the_fixture():
    project = mg.load(FIXTURE)
    fig = replace(project.figures["convergence"], convergence=True)
    dot = mg.to_dot(project, fig)
    assert dot == convergence_dot(project, fig)
    ids = labels(dot)
    # every node of both routes to a shared node, nothing else
    assert sorted(ids) == ["5-HT₂A", "AMPAR", "Antidepressant effect", "BDNF", "GABA release",
                           "Glutamate", "Ketamine", "NMDAR", "Psilocin", "Psilocybin",
                           "Synaptogenesis", "mTORC1"]
    assert "rankdir=TB" in dot
    # first drug on the left of the top row; the outcome is the deepest end, the one the
    # legend (below the last figure rank) hangs from
    assert f"  {{rank=min; {ids['Ketamine']} -> {ids['Psilocybin']} [style=invis];}}\n" in dot
    assert re.search(rf"^  {ids['Antidepressant effect']} -> l\d+ \[style=invis\];$", dot, re.M)
    shared = {lab for lab, n in ids.items()
              if re.search(rf"^\s+{n} \[.*mg-shared", dot, re.M)}
    assert shared == {"AMPAR", "Antidepressant effect", "BDNF", "Glutamate", "Synaptogenesis",
                      "mTORC1"}
    assert "reached by both drugs" in dot


def test_only_pathways_that_reach_the_shared_nodes():
    project = mg.load(REPO / "pathways")
    dot = mg.to_dot(project, project.figures[SHARED])
    drawn = set(re.findall(r"mg-pw-([a-z0-9-]+)", dot))
    assert drawn == set(project.figures[SHARED].pathways)
    # the nodes on the answer's explanations: ketamine's through its disinhibition chain
    # (NMDAR -> GABA -| pyramidal firing -> glutamate -> AMPAR -> BDNF), psilocybin's
    # through psilocin and 5-HT2A
    ids = labels(dot)
    assert sorted(ids) == [
        "5-HT₂A receptor", "AMPAR", "Antidepressant effect", "BDNF", "ERK", "GABA", "Glutamate",
        "Ketamine", "NMDAR", "Neuronal growth and survival", "Psilocin", "Psilocybin",
        "Pyramidal firing", "Rewiring of maladaptive networks", "Spinogenesis",
        "Synaptic plasticity", "Synaptic protein synthesis", "Synaptogenesis", "TrkB", "mTORC1"]
    # a summary edge only where no mechanism explains the node: ketamine reaches synaptic
    # plasticity only through TrkB ~> synaptic plasticity, and BDNF (which its chain
    # explains) is not drawn again through the summary ketamine -> BDNF
    summaries = re.findall(r"^  (n\d+) -> (n\d+) \[id=e\d+ [^\n]*mg-relation-summary", dot, re.M)
    assert summaries == [(ids["TrkB"], ids["Synaptic plasticity"])]
    assert not re.search(rf"^  {ids['Ketamine']} -> {ids['BDNF']} ", dot, re.M)

    def outlined(colour: str) -> set[str]:
        return {lab for lab, n in ids.items()
                if re.search(rf'^\s+{n} \[[^\n]*color="{colour}" penwidth=3.0', dot, re.M)}

    # provenance: stated answers in the usual outline, those psilocybin (or ketamine)
    # reaches only through the other drug's pathway in the inferred one
    assert outlined("#e66101") == {"Antidepressant effect", "BDNF", "Spinogenesis",
                                   "Synaptic plasticity", "Synaptogenesis", "TrkB", "mTORC1"}
    assert outlined("#8073ac") == {"ERK", "Neuronal growth and survival",
                                   "Rewiring of maladaptive networks",
                                   "Synaptic protein synthesis"}
    legend = dot.split("subgraph cluster_legend {")[1].replace("<BR/>", " ")
    assert "reached by both drugs" in legend
    assert "shared, inferred (through another drug's pathway)" in legend


def test_convergence_needs_two_drugs():
    project = mg.load(FIXTURE)
    fig = replace(project.figures["ketamine-across"], convergence=True)
    with pytest.raises(MechgraphError, match="a convergence compares two drugs; its pathways "
                                             r"name 1 \(ketamine\)"):
        mg.to_dot(project, fig)


@pytest.mark.parametrize("command", ["shared", "compare"])
def test_render_option_draws_the_convergence(command, tmp_path):
    out = tmp_path / "view.dot"
    r = CliRunner().invoke(main, [command, "ketamine", "psilocybin", "-p", str(FIXTURE),
                                  "--render", str(out)])
    assert r.exit_code == 0, r.output
    dot = out.read_text()
    ids = labels(dot)
    assert f"{{rank=min; {ids['Ketamine']} -> {ids['Psilocybin']} [style=invis];}}" in dot
    assert "Ketamine, left to right" not in dot


# ---------------------------------------------------------------------------- geometry

def png_size(path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def svg_geometry(svg: str) -> dict[str, float]:
    """Widths of the whole figure and of its drawing without the legend, in pt, and the
    smallest node label."""
    width = float(re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ', svg).group(1))
    body = re.sub(r'<g id="[^"]*legend" class="cluster">.*?</g>', "", svg, flags=re.S)
    body = re.sub(r'<g id="[^"]*--l\d+" class="node">.*?</g>', "", body, flags=re.S)
    xs = []
    for g in re.finditer(r'<g id="[^"]*--(?:n\d+|c\d+)" class="(?:node|cluster)[^"]*">.*?</g>',
                         body, re.S):
        for pts in re.findall(r'(?:points|d)="([^"]+)"', g.group(0)):
            xs += [float(x) for x in re.findall(r"(-?[\d.]+),", pts)]
        for cx, rx in re.findall(r'<ellipse[^>]*cx="([-\d.]+)"[^>]*rx="([\d.]+)"', g.group(0)):
            xs += [float(cx) - float(rx), float(cx) + float(rx)]
    sizes = [float(s) for g in re.finditer(r'<g id="[^"]*--n\d+" class="node.*?</g>', svg, re.S)
             for s in re.findall(r'font-size="([\d.]+)"', g.group(0))]
    return {"width": width, "drawing": max(xs) - min(xs) + 36, "label": min(sizes)}


def shown_at_800px(font_pt: float, width_pt: float) -> float:
    """A label's size in pt when a figure ``width_pt`` wide is shown 800 px wide."""
    return font_pt * 600 / width_pt  # 800 px = 600 pt; the figure's units are pt


def test_committed_shared_figure_is_no_wider_than_16_9():
    w, h = png_size(REPO / "renders" / f"{SHARED}.png")
    assert w / h <= 16 / 9, (w, h)


def test_shared_figure_labels_read_at_800px_without_the_legend():
    geo = svg_geometry((REPO / "renders" / f"{SHARED}.svg").read_text())
    assert geo["label"] == 12.0
    assert shown_at_800px(geo["label"], geo["drawing"]) >= 9.0, geo


def test_shared_figure_labels_read_at_800px_with_its_legend():
    geo = svg_geometry((REPO / "renders" / f"{SHARED}.svg").read_text())
    assert shown_at_800px(geo["label"], geo["width"]) >= 9.0, geo


def test_geometry_measures_what_it_says(tmp_path):
    """The measure itself: a figure twice as wide shows its labels half as large."""
    assert shown_at_800px(12, 800) == pytest.approx(9.0)
    assert shown_at_800px(12, 1600) == pytest.approx(4.5)
    project = mg.load(FIXTURE)
    R.render_figures(project, ["ketamine-across"], formats=["svg"], out_dir=tmp_path)
    geo = svg_geometry((tmp_path / "ketamine-across.svg").read_text())
    assert geo["label"] == 12.0 and 0 < geo["drawing"] < geo["width"]


def test_shared_figure_legend_names_fills_by_pathway_id():
    """The convergence's key table names each fill by its pathway's id: the titles made
    the legend wider than the drawing (see the 800 px test above)."""
    project = mg.load(REPO / "pathways")
    dot = convergence_dot(project, project.figures[SHARED])
    key = dot[dot.index("subgraph cluster_legend"):]
    for pid in ("ketamine-disinhibition", "ketamine-bdnf-mtor", "psilocybin-5ht2a",
                "psychedelics-plasticity", "bdnf-trkb-shared"):
        assert f'BALIGN="LEFT">{pid}</TD>' in key
        assert escape(project.pathways[pid].title, "html") not in key


def test_answer_is_kept_per_loaded_project_and_asked_afresh_for_another(monkeypatch):
    from mechgraph.drawing import convergence as C

    asked = []
    real = C.shared_nodes
    monkeypatch.setattr(C, "shared_nodes", lambda *a, **k: asked.append(1) or real(*a, **k))
    project = mg.load(FIXTURE)
    fig = replace(project.figures["convergence"], convergence=True)
    first = convergence_dot(project, fig)
    assert convergence_dot(project, fig) == first and len(asked) == 1  # kept: same project
    again = mg.load(FIXTURE)  # a fresh load asks again, and draws the same bytes
    assert convergence_dot(again, fig) == first and len(asked) == 2
    # rows given by the caller are drawn as given, never kept
    rows = real(mg.build_graph(project, ["ketamine-mini", "psilocybin-mini"]),
                [C.Source("ketamine", "drug"), C.Source("psilocybin", "drug")])
    convergence_dot(project, fig, rows=rows[:1])
    assert convergence_dot(project, fig) == first
    # dropped with the project
    key = id(project)
    assert key in C._ANSWERS
    del project, rows
    import gc

    gc.collect()
    assert key not in C._ANSWERS
