"""The `mechgraph` Sphinx directive, on a small site built from the render fixture."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import TESTS

pytest.importorskip("sphinx", reason="the docs extra (pip install -e '.[docs]') is not installed")
pytest.importorskip("myst_parser", reason="the docs extra is not installed")

FIXTURE = TESTS / "fixtures" / "render" / "project"


def build(src: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out),
                           "-d", str(out / ".doctrees")], capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    src = tmp_path_factory.mktemp("src")
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "mechgraph.sphinx"]\n'
        f"mechgraph_pathways = [{str(FIXTURE)!r}]\n"
        'mechgraph_cache = "cache"\n')
    (src / "index.rst").write_text(
        "Figures\n=======\n\n.. toctree::\n\n   md\n\n"
        ".. mechgraph:: convergence\n   :caption: Twice on one page, first copy.\n\n"
        ".. mechgraph:: convergence\n   :theme: dark\n   :background: solid\n"
        "   :alt: The convergence figure again.\n   :width: 30rem\n\n"
        ".. mechgraph:: no-such-figure\n\n"
        ".. mechgraph:: shared ketamine psilocybin\n")
    (src / "md.md").write_text(
        "# From Markdown\n\nSome text.\n\n```{mechgraph} ketamine-mini\n:prefix: km\n```\n")
    out = tmp_path_factory.mktemp("html")
    return out, build(src, out)


def test_two_copies_of_one_figure_share_no_id(site):
    out, done = site
    page = (out / "index.html").read_text()
    svgs = re.findall(r"<svg .*?</svg>", page, re.S)
    assert len(svgs) == 3
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'aria-labelledby="convergence--mg-title' in svgs[0]
    assert 'id="convergence-2--mg-title"' in svgs[1]
    assert 'class="mg-fig mg-dark mg-solid"' in svgs[1]
    assert 'aria-label="The convergence figure again."' in svgs[1]
    assert '<div class="mg-embed" style="max-width:30rem">' in page
    assert "Twice on one page, first copy." in page
    assert '<?xml' not in page and "<script" not in page.split("</svg>")[0].split("<svg")[1]


def test_shared_view_and_markdown(site):
    out, _ = site
    page = (out / "index.html").read_text()
    assert 'id="shared-ketamine-psilocybin--mg-title">Shared by ketamine, psilocybin</title>' in page
    md = (out / "md.html").read_text()
    assert 'aria-labelledby="km--mg-title km--mg-desc"' in md


def test_errors_are_warnings_at_the_directive(site):
    out, done = site
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line]
    assert len(warnings) == 1, done.stderr
    assert re.search(r"index\.rst:\d+: WARNING: mechgraph: no figure or pathway named "
                     r"'no-such-figure'", warnings[0]), warnings
    assert done.returncode == 0


def test_cache_is_the_render_cache(site):
    out, _ = site
    src = next(p for p in out.parent.iterdir() if p.name.startswith("src"))  # mktemp siblings
    names = sorted(p.name for p in (src / "cache").iterdir())
    assert names == ["convergence.dot", "convergence.svg", "ketamine-mini.dot",
                     "ketamine-mini.svg", "shared-ketamine-psilocybin.dot",
                     "shared-ketamine-psilocybin.svg"]
