"""The committed renders/ must match the YAML: regenerate with `make figures`.

Each figure's renders/<id>.dot (the stamp its SVG and PNG were drawn from) must equal
the DOT we would emit now; every figure must have its SVG and PNG, no render may be
left from a figure that is gone, and renders/index.html must be the page we would
write. When the installed Graphviz is the one that drew them, the SVGs are also laid
out again from their DOT and compared byte for byte.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from mechgraph.drawing import render
from mechgraph.drawing.dot import to_dot
from mechgraph.drawing.gallery import index_html
from mechgraph.language.load import load_project

from ..conftest import REPO

ROOT = REPO
RENDERS = ROOT / "renders"
HINT = "renders/ is out of date with pathways/: run `make figures` and commit the result"
GRAPHVIZ = "2.43.0"  # the version that drew the committed renders


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT / "pathways")


def test_every_figure_is_rendered_and_nothing_else(project):
    assert RENDERS.is_dir(), HINT
    expected = {f"{f}.{ext}" for f in project.figures for ext in ("dot", "svg", "png")}
    present = {p.name for p in RENDERS.iterdir() if p.suffix in (".dot", ".svg", ".png")}
    assert present == expected, HINT


def test_committed_dot_matches_the_yaml(project):
    stale = [f for f in project.figures
             if (RENDERS / f"{f}.dot").read_text("utf-8") != to_dot(project, project.figures[f])]
    assert stale == [], f"{HINT} (stale: {', '.join(stale)})"


def test_committed_index_page_matches(project):
    assert (RENDERS / "index.html").read_text("utf-8") == index_html(project, RENDERS), HINT


@pytest.mark.skipif(
    shutil.which("dot") is None
    or GRAPHVIZ not in subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr,
    reason=f"SVGs are compared only with Graphviz {GRAPHVIZ}")
def test_committed_svg_is_what_its_dot_draws(project):
    for f, fig in project.figures.items():
        dot_text = (RENDERS / f"{f}.dot").read_text("utf-8")
        svg = render.to_files(fig, dot_text, ["svg"])["svg"]
        assert (RENDERS / f"{f}.svg").read_bytes() == svg, f"{HINT} ({f}.svg)"
