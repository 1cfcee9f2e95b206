from __future__ import annotations

from pathlib import Path

import pytest

from mechgraph.language.load import load_project
from mechgraph.model import Project

TESTS = Path(__file__).parent
VALID = TESTS / "valid"
REPO = TESTS.parent
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def valid_project() -> Project:
    return load_project(VALID)
