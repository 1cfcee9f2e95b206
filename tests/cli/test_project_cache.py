"""The program's memory of loaded projects (mechgraph.cli.projectcache): read back only
for the same bytes, never for a project with errors, never from a file others could
write, and never in library calls or click's test runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mechgraph.cli import main

from ..conftest import REPO, VALID

_PROGRAM = """
import atexit, sys
out, args = sys.argv[1], sys.argv[2:]
atexit.register(lambda: open(out, "w").write("yaml" if "yaml" in sys.modules else "-"))
sys.argv = ["mechgraph", *args]
from mechgraph.cli import main
main()
"""


def run(tmp_path: Path, cache: Path, *args: str, cwd: Path, **env: str) -> tuple[str, str, bool]:
    """(stdout, stderr, whether YAML was read) of the program run in a fresh process."""
    out = tmp_path / "yaml-used"
    done = subprocess.run([sys.executable, "-c", _PROGRAM, str(out), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "XDG_CACHE_HOME": str(cache), **env})
    return done.stdout + f"[exit {done.returncode}]", done.stderr, out.read_text() == "yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "work" / "pathways"
    shutil.copytree(VALID, folder)
    # two likely duplicates: a project with warnings, printed on every run
    (folder / "dups.yaml").write_text(
        "entities:\n  PKB: {kind: kinase, xref: [hgnc:391]}\n"
        "  PKB kinase: {kind: kinase, xref: [HGNC:391]}\n")
    return folder


def test_same_bytes_are_read_back_with_the_same_output(tmp_path, project) -> None:
    cache, cwd = tmp_path / "cache", project.parent
    first = run(tmp_path, cache, "check", cwd=cwd)
    again = run(tmp_path, cache, "check", cwd=cwd)
    assert first[2] and not again[2]  # the second run read no YAML at all
    assert first[:2] == again[:2]
    assert "[exit 0]" in first[0] and "warning: entities 'PKB' and 'PKB kinase'" in first[1]
    kept = list((cache / "mechgraph").iterdir())
    assert len(kept) == 1 and kept[0].stat().st_mode & 0o777 == 0o600
    assert (cache / "mechgraph").stat().st_mode & 0o777 == 0o700
    # other commands with the same arguments share it; --strict is another load
    listed = run(tmp_path, cache, "list", "figures", cwd=cwd)
    assert not listed[2] and listed[:2] == run(tmp_path, cache, "list", "figures", cwd=cwd,
                                               MECHGRAPH_NO_CACHE="1")[:2]
    assert run(tmp_path, cache, "check", "--strict", cwd=cwd)[2]


def test_any_changed_byte_loads_again(tmp_path, project) -> None:
    cache, cwd = tmp_path / "cache", project.parent
    run(tmp_path, cache, "list", "pathways", cwd=cwd)
    text = (project / "ketamine.yaml").read_text()
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    (project / "ketamine.yaml").write_text(text.replace(title, "title: Renamed cascade"))
    out, _, read = run(tmp_path, cache, "list", "pathways", cwd=cwd)
    assert read and "Renamed cascade" in out
    # a new file of any kind in the folder counts too
    (project / "notes.txt").write_text("x")
    assert run(tmp_path, cache, "list", "pathways", cwd=cwd)[2]
    # and the working folder: messages name files relative to it
    assert run(tmp_path, cache, "list", "pathways", "-p", str(project), cwd=tmp_path)[2]


def test_a_project_with_errors_is_never_kept(tmp_path, project) -> None:
    cache, cwd = tmp_path / "cache", project.parent
    good = run(tmp_path, cache, "check", cwd=cwd)
    (project / "broken.yaml").write_text("pathway: broken\nedges: [a -> ]\n")
    bad = [run(tmp_path, cache, "check", cwd=cwd) for _ in range(3)]
    uncached = run(tmp_path, cache, "check", cwd=cwd, MECHGRAPH_NO_CACHE="1")
    assert all(b[2] for b in bad)  # loaded every time
    assert bad[0][:2] == bad[1][:2] == bad[2][:2] == uncached[:2]
    assert "[exit 1]" in bad[0][0] and "pathways/broken.yaml:2:" in bad[0][1]
    # render refuses it with the same messages
    drawn = run(tmp_path, cache, "render", "-f", "dot", "-o", str(tmp_path / "r"), cwd=cwd)
    assert "[exit 1]" in drawn[0] and drawn[1] == bad[0][1]
    (project / "broken.yaml").unlink()
    assert not run(tmp_path, cache, "check", cwd=cwd)[2]  # the good bytes again: kept
    assert good[:2] == run(tmp_path, cache, "check", cwd=cwd)[:2]


def test_files_others_could_write_are_ignored(tmp_path, project) -> None:
    cache, cwd = tmp_path / "cache", project.parent
    run(tmp_path, cache, "check", cwd=cwd)
    (kept,) = (cache / "mechgraph").iterdir()
    kept.chmod(0o666)
    assert run(tmp_path, cache, "check", cwd=cwd)[2]
    kept.chmod(0o600)
    (cache / "mechgraph").chmod(0o777)
    assert run(tmp_path, cache, "check", cwd=cwd)[2]
    (cache / "mechgraph").chmod(0o700)
    assert not run(tmp_path, cache, "check", cwd=cwd)[2]


def test_a_damaged_file_is_loaded_again(tmp_path, project) -> None:
    cache, cwd = tmp_path / "cache", project.parent
    first = run(tmp_path, cache, "check", cwd=cwd)
    (kept,) = (cache / "mechgraph").iterdir()
    data = kept.read_bytes()
    kept.write_bytes(data[: len(data) // 2])  # the header (and key) intact, the pickle cut
    again = run(tmp_path, cache, "check", cwd=cwd)
    assert again[2] and again[:2] == first[:2]


def test_off_by_environment_and_outside_the_program(tmp_path, project, monkeypatch) -> None:
    cache, cwd = tmp_path / "cache", project.parent
    assert run(tmp_path, cache, "check", cwd=cwd, MECHGRAPH_NO_CACHE="1")[2]
    assert not cache.exists()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0 and not cache.exists()


def test_the_real_project_draws_the_same_bytes_from_a_kept_project(tmp_path) -> None:
    cache = tmp_path / "cache"
    outs = []
    for n in range(2):
        out = tmp_path / f"r{n}"
        result = run(tmp_path, cache, "render", "ketamine-psilocybin-shared", "psilocybin-cascade",
                     "-f", "dot", "-o", str(out), cwd=REPO)
        assert "[exit 0]" in result[0] and result[2] == (n == 0)
        outs.append({f.name: f.read_bytes() for f in out.iterdir()})
    assert outs[0] == outs[1]
    for name, data in outs[0].items():
        assert data == (REPO / "renders" / name).read_bytes()


def test_a_file_changed_during_the_load_is_not_kept(tmp_path, project, monkeypatch) -> None:
    """The key is taken again after the load: a project read from bytes that changed
    meanwhile is not kept under the key of the bytes before."""
    from mechgraph.cli import projectcache
    from mechgraph.language.load import load_project

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(project.parent)
    target = project / "ketamine.yaml"

    def loader():
        loaded = load_project(Path("pathways"))
        target.write_text(target.read_text() + "\n# edited while loading\n")
        return loaded

    projectcache.load((Path("pathways"),), False, loader)
    assert not (tmp_path / "cache" / "mechgraph").exists() or \
        not list((tmp_path / "cache" / "mechgraph").glob("*.pickle"))
    projectcache.load((Path("pathways"),), False, lambda: load_project(Path("pathways")))
    assert len(list((tmp_path / "cache" / "mechgraph").glob("*.pickle"))) == 1


def test_the_key_covers_the_loader_code_and_the_yaml_library(tmp_path, project,
                                                              monkeypatch) -> None:
    from mechgraph.cli import projectcache

    monkeypatch.chdir(project.parent)
    found = projectcache._yaml_files()
    assert any(f.name == "__init__.py" and f.parent.name == "yaml" for f in found)
    library = tmp_path / "yaml-module.py"
    library.write_text("x = 1\n")
    monkeypatch.setattr(projectcache, "_yaml_files", lambda: [library])
    before = projectcache._key((Path("pathways"),), False)
    assert before == projectcache._key((Path("pathways"),), False)
    library.write_text("x = 22\n")  # an upgrade
    after = projectcache._key((Path("pathways"),), False)
    assert after is not None and before is not None
    assert after[0] == before[0] and after[1] != before[1]  # same slot, another key
    assert projectcache._key((Path("pathways"),), True)[0] != before[0]  # --strict: another slot
    assert projectcache._key((Path("no-such-folder"),), False) is None


def test_only_the_last_projects_are_kept(tmp_path, project, monkeypatch) -> None:
    from mechgraph.cli import projectcache
    from mechgraph.language.load import load_project

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(projectcache, "KEEP", 3)
    monkeypatch.chdir(project.parent)
    catalog = Path("pathways/catalog.yaml")
    files = sorted(f for f in Path("pathways").glob("*.yaml")
                   if f.stem not in ("catalog", "views"))
    for f in files:  # one slot per argument list
        projectcache.load((catalog, f), False, lambda f=f: load_project(catalog, f))
    kept = list((tmp_path / "cache" / "mechgraph").glob("*.pickle"))
    assert len(files) > 3 and len(kept) == 3, files
