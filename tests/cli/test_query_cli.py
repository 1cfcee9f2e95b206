"""The query commands through the door users use: tables, JSON (validated against the
shipped schema), CSV, and the error paths (did-you-mean, exit 1)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from mechgraph.cli import main
from mechgraph.cli.report import schema

from ..conftest import TESTS

FIXTURES = str(TESTS / "fixtures" / "query")
VALIDATOR = jsonschema.Draft202012Validator(schema())


def run(*args: str):
    return CliRunner().invoke(main, [*args, "-p", FIXTURES])


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def as_json(*args: str) -> dict:
    doc = json.loads(ok(*args, "--format", "json"))
    VALIDATOR.validate(doc)
    return doc


def test_schema_is_valid():
    jsonschema.Draft202012Validator.check_schema(schema())


# every command's JSON, on cases that exercise nulls, unknown signs and empty parts
JSON_CASES = [
    ("shared", "ketamine", "psilocybin"),
    ("shared", "signs*", "--by", "compartment"),
    ("shared", "ketamine-*", "psilocybin-5ht2a", "--min", "3"),
    ("compare", "ketamine", "psilocybin"),
    ("compare", "mixdrug", "loopdrug"),
    ("effect", "ketamine"),
    ("effect", "mixdrug", "C", "F", "psilocin"),
    ("effect", "ketamine", "-k", "AMPAR", "antidepressant effect"),
    ("paths", "ketamine", "BDNF"),
    ("paths", "ketamine", "BDNF", "--sign", "-"),
    ("upstream", "BDNF", "--depth", "2"),
    ("downstream", "NMDAR"),
    ("knockout", "AMPAR", "--drug", "ketamine"),
    ("knockout", "B", "--drug", "mixdrug"),
    ("experiments",),
    ("shared", "ketamine", "psilocybin", "--stated"),
    ("effect", "psilocybin", "--stated"),
    ("paths", "psilocybin", "AMPAR", "--stated"),
    ("knockout", "AMPAR", "--drug", "psilocybin", "--stated"),
    ("compare", "ketamine", "psilocybin", "--stated"),
]


@pytest.mark.parametrize("args", JSON_CASES, ids=[" ".join(a) for a in JSON_CASES])
def test_json_output_validates_against_the_schema(args):
    doc = as_json(*args)
    assert doc["query"] == args[0] and doc["schema_version"] == 2


def test_schema_rejects_a_drifted_document():
    doc = as_json("effect", "ketamine")
    doc["results"][0]["effect"] = "up"
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(doc)
    doc = as_json("shared", "ketamine", "psilocybin")
    doc["results"][0]["extra"] = 1
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(doc)


def test_shared_table():
    assert ok("shared", "ketamine", "psilocybin").splitlines()[:10] == [
        "nodes shared by ketamine, psilocybin (by entity)",
        "",
        "node                   ketamine   psilocybin          concordant  evidence     provenance",
        "---------------------  ---------  ------------------  ----------  -----------  ----------",
        "antidepressant effect  increases  increases           yes         preclinical  stated",
        "BDNF                   increases  increases           yes         preclinical  stated",
        "glutamate release      increases  unknown             ?           preclinical  stated",
        "mTORC1                 increases  increases           yes         preclinical  stated",
        "synaptogenesis         increases  increases           yes         preclinical  stated",
        "TrkB                   increases  increases           yes         preclinical  stated",
    ]
    # psilocybin reaches AMPAR only through ketamine's glutamate release -> AMPAR: last, marked
    assert ("AMPAR                  increases  unknown (inferred)  ?           preclinical  inferred"
            in ok("shared", "ketamine", "psilocybin").splitlines())


def test_shared_json_names_each_sources_sign_and_path():
    doc = as_json("shared", "ketamine", "psilocybin")
    bdnf = next(r for r in doc["results"] if r["key"] == "BDNF")
    assert bdnf["concordant"] is True and bdnf["count"] == 2
    assert [(s["source"], s["effect"], s["signs"], s["path"]["text"]) for s in bdnf["sources"]] == [
        ("ketamine", "increases", ["+"], "Ketamine -| NMDA receptor@postsynaptic -> eEF2K -| BDNF"),
        # psilocybin also reaches BDNF through 5-HT2A ~> glutamate release -> AMPAR
        ("psilocybin", "increases", ["+", "?"], "Psilocybin >> psilocin -> 5-HT₂A receptor -> BDNF"),
    ]
    hop = bdnf["sources"][0]["path"]["hops"][0]
    assert hop == {"source": "ketamine", "target": "NMDAR@postsynaptic", "effect": "-|",
                   "sign": "-", "pathways": ["ketamine-eef2k"], "evidence": "preclinical",
                   "relation": "mechanism", "support": 0}  # the fixture gives no seed places
    assert [(s["relation"], s["provenance"], s["path"]["provenance"]) for s in bdnf["sources"]] \
        == [("mechanism", "stated", "stated")] * 2


def test_shared_csv_has_a_row_per_node_and_source():
    rows = list(csv.reader(io.StringIO(ok("shared", "ketamine", "psilocybin", "-f", "csv"))))
    assert rows[0] == ["node", "source", "kind", "effect", "signs", "evidence", "concordant",
                       "relation", "provenance", "path"]
    assert rows[-2:] == [
        ["AMPAR", "ketamine", "drug", "increases", "+", "preclinical", "", "mechanism", "stated",
         "Ketamine -| NMDA receptor@interneuron -> GABA release@interneuron -| pyramidal "
         "firing@pyramidal -> glutamate release -> AMPAR@postsynaptic"],
        ["AMPAR", "psilocybin", "drug", "unknown", "?", "preclinical", "", "mechanism",
         "inferred",
         "Psilocybin >> psilocin -> 5-HT₂A receptor ~> glutamate release -> AMPAR@postsynaptic"],
    ]
    assert len(rows) == 1 + 2 * 7


def test_shared_needs_two_sources():
    result = run("shared", "ketamine")
    assert result.exit_code == 1
    assert "shared needs two or more sources" in result.stderr


def test_effect_glutamate_increase_table():
    out = ok("effect", "ketamine", "glutamate surge")
    lines = out.splitlines()
    assert lines[0] == "net effect of ketamine"
    assert lines[2:5:2] == [
        "node               effect     signs  hops  evidence     relation   provenance  path",
        "glutamate release  increases  +      4     preclinical  mechanism  stated      Ketamine -| "
        "NMDA receptor@interneuron -> GABA release@interneuron -| pyramidal firing@pyramidal -> "
        "glutamate release",
    ]


def test_effect_reports_unreached_nodes():
    doc = as_json("effect", "psilocybin", "eEF2K", "BDNF")
    assert [r["node"] for r in doc["results"]] == ["BDNF"]
    assert [n["node"] for n in doc["unreached"]] == ["eEF2K"]
    assert ok("effect", "psilocybin", "eEF2K").endswith("eEF2K: not reached\n")


def test_effect_with_knockout_composes():
    doc = as_json("effect", "ketamine", "-k", "AMPAR", "antidepressant effect", "BDNF")
    assert doc["knockout"] == ["AMPAR@postsynaptic"]
    assert [r["node"] for r in doc["results"]] == ["BDNF"]
    assert [n["node"] for n in doc["unreached"]] == ["antidepressant effect"]


def test_paths_table_and_sign_filter():
    lines = ok("paths", "ketamine", "BDNF", "--cutoff", "3").splitlines()
    assert lines[:1] + lines[2:] == [
        "#  sign  hops  evidence     relation   provenance  path",
        "1  +     3     preclinical  mechanism  stated      Ketamine -| NMDA receptor@postsynaptic -> eEF2K -| BDNF",
        "2  +     3     hypothesis   mechanism  stated      Ketamine -> β-endorphin -> μ-opioid receptor -> BDNF",
    ]
    assert ok("paths", "ketamine", "BDNF", "--sign", "-") == "(nothing)\n"
    assert [p["text"] for p in as_json("paths", "mixdrug", "C", "--sign", "-")["results"]] == [
        "mixdrug -| B -> C"]


def test_upstream_downstream():
    doc = as_json("downstream", "GABA release", "--depth", "2")
    assert [(r["node"], r["effect"], r["distance"]) for r in doc["results"]] == [
        ("pyramidal firing@pyramidal", "decreases", 1), ("glutamate release", "decreases", 2)]
    doc = as_json("upstream", "TrkB", "--depth", "1")
    assert [(r["node"], r["effect"]) for r in doc["results"]] == [("BDNF", "increases")]


def test_knockout_table():
    out = ok("knockout", "AMPAR", "--drug", "ketamine").splitlines()
    assert out[0] == ("ketamine with AMPAR@postsynaptic held off: 1 lost, 0 reversed, 0 changed, "
                      "0 mimicked, 12 kept")
    assert out[4].split()[:6] == ["antidepressant", "effect", "lost", "increases", "(needs",
                                  "AMPAR@postsynaptic)"]
    assert [line.split()[0] for line in out[5:]] == [
        "BDNF", "eEF2K", "GABA", "glutamate", "mTORC1", "NMDA", "NMDA", "pyramidal",
        "synaptogenesis", "TrkB", "β-endorphin", "μ-opioid"]


def test_knockout_json_statuses():
    doc = as_json("knockout", "B", "--drug", "mixdrug")
    assert {r["node"]: (r["status"], r["before"]["effect"], r["after"]["effect"])
            for r in doc["results"]} == {
        "A": ("kept", "increases", "increases"), "C": ("changed", "discordant", "increases"),
        "D": ("kept", "unknown", "unknown"), "E": ("kept", "unknown", "unknown"),
        "F": ("kept", "increases", "increases")}


def test_experiments_table_reports_conflicts_and_check_fails():
    out = ok("experiments")
    assert ("opioid-antagonist-abolishes-ketamine: the seeds disagree "
            "(naltrexone-spares-ketamine); the graph gives increases, as the other seed reports"
            ) in out
    # holding GABA release off raises BDNF by itself, as ketamine does: mimicked, not decreased
    assert "gaba-block-misread: expected decreases, the graph gives mimicked" in out
    assert "4 of 6 reproduced independently of the edges written from their own seed place" in out
    assert run("experiments", "--check").exit_code == 1


def test_compare_table_fits_one_screen():
    out = ok("compare", "ketamine", "psilocybin")
    lines = out.splitlines()
    assert lines[0] == "ketamine and psilocybin share 7 nodes (by entity)"
    assert "only ketamine (6)" in lines and "only psilocybin (3)" in lines
    assert len(lines) < 40


@pytest.mark.parametrize("args, message", [
    (("effect", "ketamin"), "unknown drug 'ketamin' (did you mean 'ketamine'?)"),
    (("effect", "ketamine", "BDFN"), "unknown node 'BDFN' (did you mean 'BDNF'?)"),
    (("paths", "ketamine", "glutamate"),
     "unknown node 'glutamate' (did you mean 'glutamate surge' or 'glutamate release'?)"),
    (("shared", "ketamine", "psilocibin"),
     "'psilocibin' is neither a pathway nor a drug (did you mean 'psilocybin'?)"),
    (("knockout", "AMPAR@raphe", "--drug", "ketamine"),
     "AMPAR has no node in compartment 'raphe' (it is in: postsynaptic)"),
    (("compare", "ketamine", "nothing"), "unknown drug 'nothing'"),
    (("upstream", "TrkC"), "unknown node 'TrkC' (did you mean 'TrkB'?)"),
])
def test_user_errors_exit_1_with_did_you_mean(args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"


def test_usage_errors_exit_2():
    assert run("paths", "ketamine").exit_code == 2
    assert run("shared", "ketamine", "psilocybin", "--format", "xml").exit_code == 2
    assert run("knockout", "AMPAR").exit_code == 2


def highlighted(dot_text: str) -> dict[str, str]:
    """{node id: first tooltip line} of the nodes a figure outlines."""
    return dict(re.findall(r'^\s*(n\d+) \[[^\n]*color="#e66101" penwidth=3.0 [^\n]*'
                           r'tooltip="([^"\\]*)', dot_text, re.M))


@pytest.mark.parametrize("by, expected", [
    # by entity, NMDA receptors count as shared though each pathway places its own in a
    # different cell: both are outlined; the figure's own rule (same node in two
    # pathways) would have outlined only ketamine and BDNF
    ("entity", {"n1": "BDNF", "n3": "NMDA receptor", "n4": "NMDA receptor", "n9": "Ketamine"}),
    ("compartment", {"n1": "BDNF", "n9": "Ketamine"}),
])
def test_shared_render_outlines_exactly_the_shared_nodes(tmp_path, by, expected):
    out = tmp_path / "shared.dot"
    ok("shared", "ketamine-disinhibition", "ketamine-eef2k", "--by", by, "--render", str(out))
    text = out.read_text(encoding="utf-8")
    assert re.findall(r'^\s*n3 \[[^\n]*tooltip="NMDA receptor\\n[^"]*in ([^"\\]*)', text, re.M) == [
        "GABAergic interneuron"]
    assert re.findall(r'^\s*n4 \[[^\n]*tooltip="NMDA receptor\\n[^"]*in ([^"\\]*)', text, re.M) == [
        "Postsynaptic neuron"]
    assert highlighted(text) == expected
    assert "shared by the compared sources" in text
    assert "shared by two or more pathways" not in text


def test_shared_keys_take_every_node_of_a_shared_entity():
    """A row grouped by entity names the entity: every node of it is outlined, also one
    in a compartment that no source reached."""
    from mechgraph.analysis.query import SharedNode, signaling_graph
    from mechgraph.cli.query import shared_keys
    from mechgraph.language.load import load_project

    g = signaling_graph(load_project(Path(FIXTURES)))
    row = SharedNode("NMDAR", ("NMDAR@interneuron",), ())
    assert shared_keys(g, [row], by="entity") == {"NMDAR@interneuron", "NMDAR@postsynaptic"}
    row = SharedNode("NMDAR@interneuron", ("NMDAR@interneuron",), ())
    assert shared_keys(g, [row], by="compartment") == {"NMDAR@interneuron"}


def test_shared_render_draws_the_pathways_behind_the_answer(tmp_path):
    out = tmp_path / "shared.dot"
    result = run("shared", "ketamine-disinhibition", "psilocybin-5ht2a", "--render", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"drew {out}\n"
    text = out.read_text(encoding="utf-8")
    assert "\ndigraph mg {\n" in text
    assert "Shared by ketamine-disinhibition, psilocybin-5ht2a" in text
    bad = run("shared", "ketamine", "psilocybin", "--render", str(tmp_path / "x.gif"))
    assert bad.exit_code == 1 and "unknown format 'gif'" in bad.stderr
    assert not (tmp_path / "x.gif").exists()


def test_shared_render_marks_inferred_answers(tmp_path):
    """psilocybin reaches AMPAR only through ketamine's glutamate release -> AMPAR: that
    node gets the inferred outline and its legend entry; stated ones the usual one."""
    out = tmp_path / "shared.dot"
    ok("shared", "ketamine", "psilocybin", "--render", str(out))
    text = out.read_text(encoding="utf-8")
    inferred = dict(re.findall(r'^\s*(n\d+) \[[^\n]*color="#8073ac" penwidth=3.0 [^\n]*'
                               r'tooltip="([^"\\]*)', text, re.M))
    assert sorted(inferred.values()) == ["AMPAR"]
    assert "BDNF" in highlighted(text).values()
    legend = text.split("subgraph cluster_legend {")[1].replace("<BR/>", " ")  # wrapped lines
    assert "shared, inferred (through another drug's pathway)" in legend
    assert "shared by the compared sources" in legend
