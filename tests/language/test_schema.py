"""The JSON Schema shipped for editors agrees with the loader on every example."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from mechgraph.language import parse as p

from ..conftest import REPO, TESTS, VALID

INVALID = TESTS / "invalid"
SCHEMA = json.loads(resources.files("mechgraph.language").joinpath("pathway.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def as_json(node: p.Node):
    """The tree as the loader sees it: every scalar text, plain empties null."""
    if isinstance(node, p.Map):
        return {k: as_json(v) for k, (_, v) in node.items.items()}
    if isinstance(node, p.Seq):
        return [as_json(x) for x in node.items]
    return None if node.is_null else node.value


def document(path: Path):
    tree, problems = p.parse(path.read_text(encoding="utf-8"), str(path))
    return tree, problems


def test_schema_is_a_valid_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


VALID_FILES = sorted(VALID.glob("*.yaml")) + sorted((REPO / "pathways").glob("*.yaml"))


@pytest.mark.parametrize("path", VALID_FILES, ids=[f"{p.parent.name}/{p.stem}" for p in VALID_FILES])
def test_schema_accepts_every_valid_file(path: Path) -> None:
    tree, problems = document(path)
    assert not problems
    errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in VALIDATOR.iter_errors(as_json(tree))]
    assert errors == []


INVALID_FILES = sorted(INVALID.glob("*.yaml"))


@pytest.mark.parametrize("path", INVALID_FILES, ids=[p.stem for p in INVALID_FILES])
def test_schema_and_loader_agree_on_invalid_files(path: Path) -> None:
    header = path.read_text(encoding="utf-8").splitlines()[1]
    assert header.startswith("# schema: ")
    tree, problems = document(path)
    if tree is None and [d.message[:10] for d in problems] == ["empty file"]:
        tree, problems = p.Scalar("", 1), []  # an empty document is null to a schema
    if tree is None or problems:
        # unreadable as data (syntax, tag, alias, depth, duplicate key): nothing for a schema to see
        assert header == "# schema: valid (the schema cannot see this defect)"
        return
    valid = VALIDATOR.is_valid(as_json(tree))
    if header == "# schema: invalid":
        assert not valid, "the schema accepts a file the loader rejects"
    else:
        # cross-file and semantic defects (unknown node, id vs file name, opposite effects...)
        assert valid, "marked as invisible to the schema, but the schema rejects it: mark it invalid"
