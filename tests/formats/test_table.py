"""formats/table.py: query results as records, HTML tables and DataFrames."""

from __future__ import annotations

import pytest

import mechgraph as mg
from mechgraph.errors import MechgraphError

from ..conftest import TESTS

FIXTURE = TESTS / "fixtures" / "render" / "project"


@pytest.fixture(scope="module")
def g():
    return mg.build_graph(mg.load(FIXTURE))


def test_shared_nodes_as_records_and_html(g):
    rows = mg.shared_nodes(g, mg.resolve_sources(g, ["ketamine", "psilocybin"]))
    t = mg.table(rows)
    assert t.columns == ["node", "concordant", "ketamine", "psilocybin"]
    assert t.records() == [{"node": r.key, "concordant": r.concordant,
                            "ketamine": r.reach[0].effect, "psilocybin": r.reach[1].effect}
                           for r in rows]
    html = t._repr_html_()
    assert html.startswith('<table class="mg-table">\n<thead><tr><th>node</th>')
    assert html.count("<tr>") == len(rows) + 1
    assert "BDNF" in html


def test_effects_and_paths(g):
    t = mg.table(mg.effects(g, "ketamine"))
    assert t.columns == ["node", "effect", "signs", "path"]
    nmdar = next(r for r in t.records() if r["node"].startswith("NMDAR"))
    assert nmdar["effect"] == "decreases" and nmdar["signs"] == "-"
    assert nmdar["path"] == f"ketamine -| {nmdar['node']}"
    paths = mg.signed_paths(g, ["ketamine"], ["BDNF"], cutoff=8)
    assert mg.table(paths).columns == ["path", "sign", "hops"]


def test_comparison_and_pandas(g):
    pandas = pytest.importorskip("pandas", reason="the notebook extra is not installed")
    c = mg.compare(g, "ketamine", "psilocybin")
    df = mg.table(c).to_pandas()
    assert isinstance(df, pandas.DataFrame)
    assert list(df.columns) == ["part", "node", "concordant", "ketamine", "psilocybin"]
    assert list(df["part"]).count("shared") == len(c.shared)
    assert len(df) == len(c.shared) + len(c.only_a) + len(c.only_b)


def test_html_escapes_values():
    t = mg.Table(({"node": "<b>&", "x": None},))
    assert "<td>&lt;b&gt;&amp;</td><td></td>" in t._repr_html_()


def test_unknown_results_are_refused():
    with pytest.raises(MechgraphError, match="cannot show a int as a table"):
        mg.table([1, 2])
