"""Every file in tests/invalid/ holds one defect; its first line says where and what.

``# error: LINE: FRAGMENT`` — loading the file must fail with exactly one error, at
that line of that file, whose message contains the fragment.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mechgraph.errors import MechgraphError
from mechgraph.language.load import load_project

from ..conftest import TESTS

INVALID = TESTS / "invalid"
CASES = sorted(INVALID.glob("*.yaml"))
EXPECT = re.compile(r"# error: (\d+): (.+)")


def expectation(path: Path) -> tuple[int, str]:
    m = EXPECT.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert m, f"{path.name}: first line must be '# error: LINE: FRAGMENT'"
    return int(m.group(1)), m.group(2)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_invalid_file_reports_its_one_defect(path: Path) -> None:
    line, fragment = expectation(path)
    with pytest.raises(MechgraphError) as caught:
        load_project(path)
    errors = [d for d in caught.value.diagnostics if d.severity == "error"]
    assert [(Path(d.path).name, d.line) for d in errors] == [(path.name, line)], str(caught.value)
    assert fragment in errors[0].message


def test_there_are_many_defects() -> None:
    assert {p.stem for p in CASES} >= {
        "unknown-node", "unknown-effect", "duplicate-key", "unknown-compartment", "id-mismatch",
        "opposite-effects", "malformed-curie", "empty", "dangling-arrow-end", "alias", "tag",
        "too-deep", "bidi-in-label", "title-not-text",
    }


def test_folder_reports_every_problem_of_every_file_sorted() -> None:
    with pytest.raises(MechgraphError) as caught:
        load_project(INVALID)
    places = [(Path(d.path).name, d.line) for d in caught.value.diagnostics]
    assert places == sorted(places)
    # every file contributes its defect (files are loaded together, so no file hides another)
    assert {name for name, _ in places} == {p.name for p in CASES}
