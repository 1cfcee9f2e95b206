"""crosscheck: our edges against a signed reference table, matched by CURIE identity."""

from __future__ import annotations

import json

from click.testing import CliRunner

import mechgraph as mg
from mechgraph.cli import main

from ..conftest import TESTS

FIXTURE = TESTS / "fixtures" / "interop"
REFERENCE = FIXTURE / "reference.tsv"


def result():
    return mg.crosscheck(mg.load(FIXTURE / "catalog.yaml", FIXTURE / "signals.yaml"),
                         mg.import_file(REFERENCE))


def test_every_outcome_exactly() -> None:
    r = result()
    assert [(e.source, e.sign, e.target, e.status, e.reference, e.why) for e in r.edges] == [
        ("A", 1, "B", "supported", ("AAA1 -> BBB1 (reference.tsv:2)",), ""),
        ("B", -1, "C", "contradicted", ("BBB1 -> CCC1 (reference.tsv:3)",), ""),
        ("C", 1, "D", "reversed", ("DDD1 -> CCC1 (reference.tsv:4)",), ""),
        ("D", 0, "E", "unsigned", ("DDD1 -| EEE1 (reference.tsv:5)",), ""),
        ("E", 1, "F", "absent", (), "no edge between them in the reference"),
        ("F", -1, "G", "absent", (), "G not in the reference")]
    assert [(m.source, m.sign, m.target, m.reference, m.reverse_in_ours) for m in r.missing] == [
        ("A", 0, "H", "101 ~> HHH1 (reference.tsv:9)", False),
        ("B", -1, "D", "BBB1 -| DDD1 (reference.tsv:7)", False),
        ("D", 1, "C", "DDD1 -> CCC1 (reference.tsv:4)", True),
        ("H", -1, "A", "HHH1 -| AAA1 (reference.tsv:8)", False)]
    assert r.counts() == {"supported": 1, "contradicted": 1, "unsigned": 1, "reversed": 1,
                          "absent": 2, "missing": 4}
    assert r.skipped == {"associations in our pathways": 1, "associations in the reference": 1}
    assert r.unmatched_reference_nodes == 1  # ZZZ9


def test_cli_json_and_csv() -> None:
    args = ["crosscheck", str(REFERENCE), "signals", "-p", str(FIXTURE)]
    doc = json.loads(CliRunner().invoke(main, args + ["-f", "json"]).stdout)
    assert doc["query"] == "crosscheck" and doc["schema_version"] == 1
    assert [(e["status"], e["source"], e["sign"], e["target"]) for e in doc["edges"]] == [
        ("supported", "A", "+", "B"), ("contradicted", "B", "-", "C"), ("reversed", "C", "+", "D"),
        ("unsigned", "D", "?", "E"), ("absent", "E", "+", "F"), ("absent", "F", "-", "G")]
    csv_out = CliRunner().invoke(main, args + ["-f", "csv"]).stdout.splitlines()
    assert csv_out[0] == "kind,status,source,sign,target,pathways,reference,why"
    assert csv_out[1] == "ours,supported,A,+,B,signals,AAA1 -> BBB1 (reference.tsv:2),"
    assert csv_out[-1] == "missing,missing,H,-,A,,HHH1 -| AAA1 (reference.tsv:8),"
    table = CliRunner().invoke(main, args).stdout
    assert table.splitlines()[0] == ("our edges against reference.tsv: 1 supported, "
                                     "1 contradicted, 1 unsigned, 1 reversed, 2 absent, 4 missing")


def test_unknown_pathway_is_a_clear_error() -> None:
    out = CliRunner().invoke(main, ["crosscheck", str(REFERENCE), "signls", "-p", str(FIXTURE)])
    assert out.exit_code == 1
    assert out.stderr == ("error: unknown pathway 'signls' (did you mean 'signals'?); known: "
                          "roundtrip, signals\n")
