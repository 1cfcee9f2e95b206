"""Hostile input at the command line: numbers, sizes, file names, spreadsheet cells."""

from __future__ import annotations

import csv
import io
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from mechgraph.cli import main
from mechgraph.drawing import render as R
from mechgraph.errors import MechgraphError
from mechgraph.language.load import load_project
from mechgraph.language.parse import MAX_BYTES

from ..conftest import VALID


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e999", "Infinity"])
def test_timeout_must_be_finite(tmp_path: Path, value: str) -> None:
    result = run("render", "-p", str(VALID), "-f", "dot", "--out", str(tmp_path), "--timeout", value)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"Invalid value for '--timeout': {value!r} is not a finite number" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_library_timeout_must_be_finite(valid_project, tmp_path: Path) -> None:
    with pytest.raises(MechgraphError) as e:
        R.render_figures(valid_project, formats=["svg"], out_dir=tmp_path, timeout=float("nan"))
    assert str(e.value) == "error: timeout nan must be a number of seconds, more than 0 and at most 86400"


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:  # sparse: 512 MiB on paper, nothing on disk
        f.truncate(512 << 20)
    tracemalloc.start()
    try:
        with pytest.raises(MechgraphError) as e:
            load_project(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(e.value) == (f"{big}: file is 536,870,912 bytes; pathway files may be at most "
                            f"{MAX_BYTES:,} bytes")
    assert peak < 4 * MAX_BYTES


def test_a_newline_in_a_file_name_cannot_forge_a_message(tmp_path: Path) -> None:
    name = "x.yaml\nfake.yaml:1: all good"
    (tmp_path / f"{name}.yaml").write_text("pathway: nope\nedges: [a -> b]\n", encoding="utf-8")
    result = run("check", str(tmp_path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == len([ln for ln in lines if ln.startswith(repr(str(tmp_path / name) + ".yaml"))])
    assert all("\n" not in ln and ln.startswith("'") for ln in lines)
    assert lines[0].startswith(repr(f"{tmp_path / name}.yaml") + ":1: pathway id 'nope' does not match")


def test_csv_cells_are_inert(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_text(
        "pathway: f\ndrugs: [d]\n"
        "entities:\n  d: {kind: drug, label: '=HYPERLINK(\"http://evil\",\"x\")'}\n"
        "  t: {kind: protein, label: '@SUM(A1)'}\n  u: {kind: protein, label: '+cmd'}\n"
        "  v: {kind: protein, label: '-2+3'}\n"
        "edges: [d -> t -> u -> v]\n", encoding="utf-8")
    result = run("effect", "d", "-p", str(tmp_path), "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["node", "effect", "signs", "hops", "evidence", "relation", "provenance", "path"]
    cells = [c for row in rows[1:] for c in row]
    assert {r[0] for r in rows[1:]} == {"'@SUM(A1)", "'+cmd", "'-2+3"}
    assert all(c[:1] not in ("=", "+", "-", "@", "\t", "\r") or c in ("+", "-") or c.lstrip("+-").isdigit()
               for c in cells), cells
    assert any(c.startswith("'=HYPERLINK") for c in cells)  # in the explanation path
