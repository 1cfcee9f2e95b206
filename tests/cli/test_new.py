"""``mechgraph new``: the scaffold passes ``check`` and renders, and never overwrites."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from mechgraph.cli import main
from mechgraph.language.load import load_project
from mechgraph.language.schema import MODELINE_PREFIX, schema_path

from ..conftest import REPO


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_new_writes_a_valid_pathway_and_a_catalog_stub(tmp_path: Path) -> None:
    folder = tmp_path / "my pathways"
    result = run("new", "fluoxetine-sert", "-p", str(folder))
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"wrote {folder / 'entities.yaml'}\n"
                             f"wrote {folder / 'fluoxetine-sert.yaml'}\n")
    for written in ("entities.yaml", "fluoxetine-sert.yaml"):
        first = (folder / written).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(MODELINE_PREFIX)
        assert (folder / first.removeprefix(MODELINE_PREFIX)).resolve() == schema_path().resolve()
    result = run("check", "--strict", str(folder))
    # strict wants a seed place on every edge; the scaffold cannot know the source
    lines = (folder / "fluoxetine-sert.yaml").read_text(encoding="utf-8").splitlines()
    edge_line = lines.index("  - fluoxetine-sert-drug -| fluoxetine-sert-target -> "
                            "fluoxetine-sert-effect") + 1
    assert (result.exit_code, result.stderr) == (1, (
        f"{folder / 'fluoxetine-sert.yaml'}:{edge_line}: edge has no seed place (strict: give "
        "'seed:' on the edge or in 'defaults:')\n"))
    result = run("check", str(folder))
    assert (result.exit_code, result.stdout) == (
        0, "ok: 1 pathways, 2 edges, 3 entities, 0 figures, 0 experiments\n")
    project = load_project(folder)
    assert [(str(e.source), e.effect.value, str(e.target))
            for e in project.pathways["fluoxetine-sert"].edges] == [
        ("fluoxetine-sert-drug", "-|", "fluoxetine-sert-target"),
        ("fluoxetine-sert-target", "->", "fluoxetine-sert-effect")]


def test_the_scaffold_renders(tmp_path: Path) -> None:
    assert run("new", "demo", "-p", str(tmp_path / "pw")).exit_code == 0
    out = tmp_path / "out"
    result = run("render", "demo", "-p", str(tmp_path / "pw"), "--out", str(out), "-f", "svg")
    assert result.exit_code == 0, result.output
    svg = (out / "demo.svg").read_text(encoding="utf-8")
    assert "demo drug" in svg and "demo target" in svg


def test_new_beside_an_existing_catalog_writes_only_the_pathway(tmp_path: Path) -> None:
    (tmp_path / "shared.yaml").write_text("entities: {BDNF: protein}\n", encoding="utf-8")
    result = run("new", "second", "-p", str(tmp_path))
    assert (result.exit_code, result.stdout) == (0, f"wrote {tmp_path / 'second.yaml'}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["second.yaml", "shared.yaml"]
    assert run("check", str(tmp_path)).exit_code == 0


def test_new_never_overwrites(tmp_path: Path) -> None:
    assert run("new", "demo", "-p", str(tmp_path)).exit_code == 0
    (tmp_path / "demo.yaml").write_text("pathway: demo\n# my work\n", encoding="utf-8")
    result = run("new", "demo", "-p", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == f"{tmp_path / 'demo.yaml'}: already exists; choose another id or edit it\n"
    assert (tmp_path / "demo.yaml").read_text(encoding="utf-8") == "pathway: demo\n# my work\n"


@pytest.mark.parametrize("bad", ["α2-agonist", "_x", "a/b", "../up", "a b"])
def test_new_refuses_an_id_that_cannot_be_a_file_name(tmp_path: Path, bad: str) -> None:
    result = run("new", bad, "-p", str(tmp_path))
    assert result.exit_code == 2
    assert "is not a valid id: use ASCII letters" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_new_defaults_to_pathways_in_the_working_folder(tmp_path: Path) -> None:
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert run("new", "here").exit_code == 0
    finally:
        os.chdir(cwd)
    assert sorted(p.name for p in (tmp_path / "pathways").iterdir()) == ["entities.yaml", "here.yaml"]
    assert not (REPO / "pathways" / "here.yaml").exists()


def test_check_takes_path_like_every_command(tmp_path: Path) -> None:
    assert run("new", "demo", "-p", str(tmp_path)).exit_code == 0
    by_option = run("check", "-p", str(tmp_path))
    by_argument = run("check", str(tmp_path))
    assert by_option.exit_code == by_argument.exit_code == 0
    assert by_option.stdout == by_argument.stdout == (
        "ok: 1 pathways, 2 edges, 3 entities, 0 figures, 0 experiments\n")
    both = run("check", str(tmp_path / "demo.yaml"), "--path", str(tmp_path / "entities.yaml"))
    assert both.stdout == by_option.stdout


def test_a_relative_path_from_another_folder_says_where_it_looked(tmp_path: Path) -> None:
    import mechgraph as mg

    cwd = os.getcwd()
    os.chdir(tmp_path)  # a notebook outside the checkout
    try:
        with pytest.raises(mg.MechgraphError) as e:
            mg.load("pathways")
    finally:
        os.chdir(cwd)
    assert str(e.value) == (
        f"pathways: no such file or folder (looked for {tmp_path / 'pathways'}: relative paths "
        f"are read from the working folder; give an absolute path, or a path relative to "
        f"{tmp_path})")
    assert len(mg.load(REPO / "pathways").pathways) > 20  # an absolute path works from anywhere
