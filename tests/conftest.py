from __future__ import annotations

from pathlib import Path

import pytest

from mechgraph.language.load import load_project
from mechgraph.model import Project

TESTS = Path(__file__).parent
VALID = TESTS / "valid"
REPO = TESTS.parent
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="session", autouse=True)
def _program_memory(tmp_path_factory: pytest.TempPathFactory):
    """``mechgraph`` run as a program (in a subprocess) keeps loaded projects in
    $XDG_CACHE_HOME/mechgraph: the tests' go to a folder of their own, never the user's."""
    import os

    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if old is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(scope="session")
def valid_project() -> Project:
    return load_project(VALID)
