"""A notebook executed by nbconvert shows a figure as inline SVG and a result as a table."""

from __future__ import annotations

import re

import pytest

from ..conftest import TESTS

nbformat = pytest.importorskip("nbformat", reason="the notebook extra is not installed")
nbconvert = pytest.importorskip("nbconvert", reason="the notebook extra is not installed")

FIXTURE = TESTS / "fixtures" / "render" / "project"


def test_notebook_shows_inline_svg_and_an_html_table(tmp_path):
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import ExecutePreprocessor

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(f"import mechgraph as mg\nproject = mg.load({str(FIXTURE)!r})\n"
                                  "g = mg.build_graph(project)"),
        nbformat.v4.new_code_cell('mg.view(project, "convergence")'),
        nbformat.v4.new_code_cell('mg.view(project, "convergence")'),
        nbformat.v4.new_code_cell(
            'mg.table(mg.shared_nodes(g, mg.resolve_sources(g, ["ketamine", "psilocybin"])))'),
    ]
    ExecutePreprocessor(timeout=120, kernel_name="python3").preprocess(
        nb, {"metadata": {"path": str(tmp_path)}})
    outputs = [o for c in nb.cells for o in c.outputs]
    assert [sorted(o.get("data", {})) for o in outputs] == [
        ["image/svg+xml", "text/html", "text/plain"],
        ["image/svg+xml", "text/html", "text/plain"],
        ["text/html", "text/plain"]]
    page, _ = HTMLExporter().from_notebook_node(nb)
    svgs = re.findall(r'<svg [^>]*class="mg-fig"', page)
    assert len(svgs) == 2
    body = page.split("<body", 1)[1]  # the template's own CSS carries icons as data URIs
    assert "data:image/svg+xml;base64" not in body and "<img" not in body
    # the two displays of one figure do not share an id
    ids = re.findall(r'<(?:title|desc|g|linearGradient)[^>]* id="([^"]+)"', page)
    assert ids and len(ids) == len(set(ids))
    assert '<table class="mg-table">' in page and "<td>BDNF</td>" in page
    assert page.count("<title>") > 2  # tooltips
