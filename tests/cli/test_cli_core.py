"""check, list and show through the same door users use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from mechgraph.cli import main

from ..conftest import REPO, TESTS, VALID

INVALID = TESTS / "invalid"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_check_ok() -> None:
    result = run("check", "--strict", str(VALID))
    assert (result.exit_code, result.stdout) == (
        0, "ok: 3 pathways, 20 edges, 16 entities, 2 figures, 2 experiments\n")


def test_check_typo_gives_file_line_and_did_you_mean(tmp_path: Path) -> None:
    result = run("check", str(INVALID / "unknown-node.yaml"))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "tests/invalid/unknown-node.yaml:9: unknown node 'BDFN' (did you mean 'BDNF'?); "
        "add it to the entities catalog or check its spelling\n")


def snapshot() -> list[tuple[str, int]]:
    skip = {".git", ".venv", ".pytest_cache", ".hypothesis", "__pycache__"}
    return sorted((str(p), p.stat().st_mtime_ns) for p in REPO.rglob("*")
                  if not skip & set(p.relative_to(REPO).parts))


def test_check_writes_nothing() -> None:
    before = snapshot()
    result = run("check", str(INVALID))
    assert result.exit_code == 1
    assert snapshot() == before


def test_list_pathways_and_entities() -> None:
    result = run("list", "-p", str(VALID))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "pathway     kind       edges  drugs       title",
        "----------  ---------  -----  ----------  ----------------------------------------",
        "ketamine    signaling  11     ketamine    Ketamine disinhibits pyramidal neurons",
        "psilocybin  signaling  5      psilocybin  Psilocybin acts through 5-HT2A receptors",
        "trial       workflow   4                  Crossover trial",
    ]
    result = run("list", "experiments", "-p", str(VALID))
    assert result.stdout.splitlines()[2] == (
        "ampar-block  ketamine  AMPAR@postsynaptic  antidepressant effect  lost")


def test_list_rejects_unknown_kind_as_usage_error() -> None:
    result = run("list", "drugs", "-p", str(VALID))
    assert result.exit_code == 2
    assert "'drugs' is not one of" in result.stderr


def test_show_pathway_and_entity() -> None:
    result = run("show", "psilocybin", "-p", str(VALID))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:6] == [
        "psilocybin: Psilocybin acts through 5-HT2A receptors",
        "  signaling; drugs: psilocybin; tests/valid/psilocybin.yaml:1",
        "",
        "  psilocybin >> psilocin",
        "      clinical; seed cureus:100",
        "  psilocin -> 5-HT2A",
    ]
    result = run("show", "mTOR", "-p", str(VALID))  # a synonym finds the entity
    assert result.stdout == "mTORC1: mTORC1\n  kind: complex\n  synonyms: mTOR\n  pathways: ketamine, psilocybin\n"


def test_show_marks_summaries_and_associations(tmp_path) -> None:
    (tmp_path / "p.yaml").write_text(
        "pathway: p\ntitle: T\ndrugs: [d]\n"
        "entities: {d: drug, a: receptor, o: outcome, m: measurement}\n"
        "edges:\n"
        "  - d -| a -> o\n"
        "  - {edge: d -> o, relation: summary, via: [a]}\n"
        "  - {edge: d -> m, relation: summary}\n"
        "  - o -- m\n", encoding="utf-8")
    result = run("show", "p", "-p", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert [ln for ln in result.stdout.splitlines() if ln.startswith("  ") and " " in ln[2:]
            and not ln.startswith("   ")][1:] == [
        "  d -| a", "  a -> o", "  d -> o  (summary via a)", "  d -> m  (summary)",
        "  o -- m  (association)"]


def test_show_unknown_name() -> None:
    result = run("show", "ketamin", "-p", str(VALID))
    assert (result.exit_code, result.stderr) == (
        1, "error: no pathway or entity named 'ketamin' (did you mean 'ketamine'?)\n")


def test_python_dash_m_and_help_do_not_import_networkx_or_graphviz() -> None:
    code = ("import sys; sys.argv=['mechgraph','--help']\n"
            "try:\n    import runpy; runpy.run_module('mechgraph', run_name='__main__')\n"
            "except SystemExit as e:\n    assert e.code == 0, e.code\n"
            "heavy = sorted(m for m in ('networkx', 'graphviz', 'pydot', 'yaml') if m in sys.modules)\n"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert "Usage: mechgraph" in out.stdout
    assert out.stdout.splitlines()[-1] == "[]"
