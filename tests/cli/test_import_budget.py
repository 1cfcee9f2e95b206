"""What a command imports, run as a user runs it: a fresh interpreter, the ``mechgraph``
program's entry point. A cold command pays for every module it imports, so each command
imports only what it needs: drawing one figure needs no networkx (whose import alone
costs more than the figure), checking needs no drawing, ``--help`` needs no YAML.
Modules are read from ``sys.modules`` as the process exits, not timed, so the test
cannot flake on a busy machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mechgraph.cli import COMMAND_MODULES, main

from ..conftest import REPO

# runs the program's entry point (mechgraph.cli:main, as the installed script does) and
# writes the imported module names as it exits
_PROGRAM = """
import atexit, json, sys
out, args = sys.argv[1], sys.argv[2:]
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
sys.argv = ["mechgraph", *args]
from mechgraph.cli import main
main()
"""


def imported(tmp_path: Path, *args: str, remember: bool = False) -> set[str]:
    """The modules imported by the program run with ``args``; by default with its memory
    of loaded projects off (see test_project_cache), so that the project is loaded."""
    out = tmp_path / "modules.json"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    if not remember:
        env["MECHGRAPH_NO_CACHE"] = "1"
    done = subprocess.run([sys.executable, "-c", _PROGRAM, str(out), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return set(json.loads(out.read_text()))


def under(modules: set[str], *packages: str) -> set[str]:
    return {m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)}


def test_drawing_one_figure_imports_neither_networkx_nor_other_commands(tmp_path) -> None:
    mods = imported(tmp_path, "render", "psilocybin-cascade", "--force", "-f", "svg",
                    "-o", str(tmp_path / "out"))
    assert (tmp_path / "out" / "psilocybin-cascade.svg").stat().st_size > 0
    assert "mechgraph.drawing.dot" in mods and "yaml" in mods  # it did load and draw
    assert under(mods, "networkx", "mechgraph.analysis", "mechgraph.formats",
                 "concurrent.futures", "mechgraph.cli.query", "mechgraph.cli.interop",
                 "mechgraph.cli.core", "mechgraph.cli.new", "mechgraph.drawing.convergence",
                 "csv") == set()


def test_an_unchanged_figure_imports_no_networkx(tmp_path) -> None:
    out = str(tmp_path / "out")
    imported(tmp_path, "render", "ketamine-cascade", "-f", "dot", "-o", out)
    mods = imported(tmp_path, "render", "ketamine-cascade", "-f", "dot", "-o", out)
    assert under(mods, "networkx", "mechgraph.analysis", "mechgraph.formats") == set()


def test_check_imports_no_graph_no_drawing(tmp_path) -> None:
    mods = imported(tmp_path, "check", "pathways")
    assert "mechgraph.language.load" in mods
    assert under(mods, "networkx", "mechgraph.graph", "mechgraph.drawing",
                 "mechgraph.analysis", "mechgraph.formats", "mechgraph.cli.render",
                 "mechgraph.cli.query", "mechgraph.cli.interop") == set()


def test_a_remembered_project_is_read_without_yaml(tmp_path) -> None:
    first = imported(tmp_path, "render", "psilocybin-cascade", "-f", "dot", "-o",
                     str(tmp_path / "out"), remember=True)
    again = imported(tmp_path, "render", "psilocybin-cascade", "-f", "dot", "-o",
                     str(tmp_path / "out"), remember=True)
    assert "yaml" in first and "mechgraph.language.load" in first
    assert under(again, "yaml", "mechgraph.language.load", "mechgraph.language.parse",
                 "mechgraph.language.catalog", "mechgraph.language.fields", "networkx") == set()


def test_help_imports_no_yaml_no_library(tmp_path) -> None:
    mods = imported(tmp_path, "--help")
    assert under(mods, "yaml", "networkx", "mechgraph.language", "mechgraph.graph",
                 "mechgraph.drawing", "mechgraph.analysis", "mechgraph.formats") == set()


def test_queries_still_import_networkx(tmp_path) -> None:
    """The other side: a query builds a networkx graph (the budget is not met by
    leaving something out)."""
    mods = imported(tmp_path, "effect", "ketamine", "BDNF")
    assert "networkx" in mods and "mechgraph.analysis.query" in mods


@pytest.mark.parametrize("module", sorted(set(COMMAND_MODULES.values())))
def test_every_command_is_listed_by_its_module(module: str) -> None:
    """COMMAND_MODULES (what the program imports for a command name) names exactly the
    commands each module defines."""
    import importlib

    commands = importlib.import_module(f"mechgraph.cli.{module}").COMMANDS
    assert sorted(c.name for c in commands) == \
        sorted(n for n, m in COMMAND_MODULES.items() if m == module)
    for c in commands:
        assert main.get_command(None, c.name) is c  # type: ignore[arg-type]
