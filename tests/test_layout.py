"""The package tree shows the data flow, and the public API sits at the top, lazily.

language -> graph -> analysis / drawing -> formats -> cli: a module imports only from its
own stage or an earlier one (errors, model and gcpause are shared by every stage).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import mechgraph as mg

from .conftest import REPO

PACKAGE = REPO / "src" / "mechgraph"
STAGE = {"errors": 0, "model": 0, "gcpause": 0, "language": 1, "graph": 2, "analysis": 3,
         "drawing": 4, "formats": 5, "cli": 6, "__main__": 7, "sphinx": 7}
MAX_LINES = 420


def _stage(module: str) -> int:
    """``mechgraph.analysis.net`` -> the stage of ``analysis``."""
    parts = module.split(".")
    assert parts[0] == "mechgraph", module
    return STAGE[parts[1]] if len(parts) > 1 else 0


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return _imports_of(path.read_text("utf-8"), package)


def _imports_of(source: str, package: str) -> list[tuple[int, str]]:
    """Every mechgraph module ``source`` imports (at any depth), with its line."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "mechgraph":  # `from .. import graph`: each name is a module
                found += [(node.lineno, f"mechgraph.{a.name}") for a in node.names]
            elif target.startswith("mechgraph."):
                found.append((node.lineno, target))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names
                      if a.name.split(".")[0] == "mechgraph"]
    return found


def test_top_level_reads_like_the_data_flow():
    entries = sorted(p.name for p in PACKAGE.iterdir() if not p.name.startswith(("_", ".")))
    assert entries == ["analysis", "cli", "drawing", "errors.py", "formats", "gcpause.py",
                       "graph.py", "language", "model.py", "py.typed", "sphinx.py"]


def test_no_import_from_a_later_stage():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "__init__.py":
            continue  # the lazy public API names every stage on purpose
        here = _stage(_module_name(path)) if path.parent != PACKAGE or path.stem in STAGE else 0
        for line, target in _imports(path):
            if target != "mechgraph" and _stage(target) > here:
                wrong.append(f"{path.relative_to(REPO)}:{line} imports {target}")
    assert wrong == []


def test_the_walker_sees_every_import_form():
    """The walker is not blind: each way of writing an import names the right module."""
    source = ("from ..drawing import dot\nfrom ..analysis.net import Net\n"
              "from .. import graph as G\nfrom . import parse\nimport mechgraph.cli\n"
              "def f():\n    from ..formats import sbgn\n")
    assert sorted(_imports_of(source, "mechgraph.language")) == [
        (1, "mechgraph.drawing"), (2, "mechgraph.analysis.net"), (3, "mechgraph.graph"),
        (4, "mechgraph.language"), (5, "mechgraph.cli"), (7, "mechgraph.formats")]
    assert [_stage(t) > _stage("mechgraph.language")
            for _, t in sorted(_imports_of(source, "mechgraph.language"))] == [
        True, True, True, False, True, True]


def test_no_module_is_too_long():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_public_api_resolves_every_name():
    missing = [n for n in mg.__all__ if getattr(mg, n, None) is None]
    assert missing == []
    assert mg.load is mg.load_project
    assert mg.shared_nodes.__module__ == "mechgraph.analysis.shared"
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        mg.nope  # noqa: B018


def test_import_mechgraph_is_lazy():
    code = ("import sys, mechgraph as mg; "
            "print(sorted(m for m in ('networkx', 'yaml', 'graphviz', 'click', "
            "'mechgraph.analysis', 'mechgraph.drawing', 'mechgraph.language') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "[]\n"


def test_the_api_does_a_whole_job(tmp_path):
    project = mg.load(REPO / "tests" / "fixtures" / "query")
    g = mg.build_graph(project)
    assert isinstance(mg.to_dot(project, mg.pathway_figure(project, sorted(project.pathways)[0])),
                      str)
    assert g.number_of_edges() == sum(len(p.edges) for p in project.pathways.values())
