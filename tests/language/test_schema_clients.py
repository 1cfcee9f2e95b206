"""The schema as real clients use it: check-jsonschema reads each file with its own YAML
parser (which types ``16`` as an integer and ``2024-05-01`` as a date), so it sees what an
editor sees, not the loader's all-text tree."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mechgraph.language import parse as p
from mechgraph.language.schema import MODELINE_PREFIX, modeline, schema_path

from ..conftest import REPO, TESTS, VALID

INVALID = TESTS / "invalid"
SHIPPED = sorted((REPO / "pathways").glob("*.yaml"))


def check_jsonschema(*files: Path) -> dict:
    run = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "-o", "JSON", "--schemafile",
         str(schema_path()), *map(str, files)],
        capture_output=True, text=True, timeout=120)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def by_file(report: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for e in report.get("errors", []):
        out.setdefault(Path(e["filename"]).name, []).append(f'{e["path"]}: {e["message"]}')
    for e in report.get("parse_errors", []):
        out.setdefault(Path(e["filename"]).name, []).append(f'unparsable: {e["message"]}')
    return out


def test_every_shipped_and_valid_file_passes() -> None:
    files = SHIPPED + sorted(VALID.glob("*.yaml"))
    assert len(files) > 25
    report = check_jsonschema(*files)
    assert by_file(report) == {}
    assert report["status"] == "ok"


def _schema_header(path: Path) -> str:
    return path.read_text(encoding="utf-8").splitlines()[1]


def _readable(path: Path) -> bool:
    tree, problems = p.parse(path.read_text(encoding="utf-8"), str(path))
    return tree is not None and not problems


def test_invalid_files_as_the_header_says() -> None:
    files = sorted(INVALID.glob("*.yaml"))
    problems = by_file(check_jsonschema(*files))
    visible = {f.name for f in files if _schema_header(f) == "# schema: invalid"}
    invisible = {f.name for f in files if _schema_header(f) != "# schema: invalid" and _readable(f)}
    assert len(visible) >= 20
    missed = sorted(visible - problems.keys())
    assert missed == [], "check-jsonschema accepts files the loader rejects"
    # what the schema is said not to see, it accepts
    assert {name: problems[name] for name in invisible if name in problems} == {}
    # a schema-visible defect is a validation error, never a parse failure
    assert [n for n in visible if any(m.startswith("unparsable") for m in problems[n])] == []


def test_numbers_a_parser_types_are_accepted(tmp_path: Path) -> None:
    ok = tmp_path / "typed.yaml"
    ok.write_text(
        "pathway: typed\ntitle: 1984\ndescription: yes\ndrugs: [a]\n"
        "entities: {a: drug, b: {kind: protein, label: 2024-05-01, synonyms: [3.5, true]}}\n"
        "edges:\n  - {edge: a -> b, ref: [16, 17], note: 12:30}\n  - {edge: b -> a, ref: 4}\n"
        "tables: [{title: T, columns: [x, y], rows: [[1, 2.5], [no, null]]}]\n", encoding="utf-8")
    bad = tmp_path / "negative.yaml"
    bad.write_text("pathway: negative\ndrugs: [a]\nedges:\n  - {edge: a -> b, ref: [-1]}\n",
                   encoding="utf-8")
    assert by_file(check_jsonschema(ok)) == {}
    assert list(by_file(check_jsonschema(bad))) == ["negative.yaml"]


def test_top_level_error_names_the_real_problem(tmp_path: Path) -> None:
    report = check_jsonschema(INVALID / "unknown-pathway-key.yaml")
    assert [(e["path"], e["message"]) for e in report["errors"]] == [
        ("$", "Additional properties are not allowed ('titel' was unexpected)")]
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text("entities: {a: drug}\nedges: [a -> b]\n", encoding="utf-8")
    report = check_jsonschema(catalog)
    assert [(e["path"], e["message"]) for e in report["errors"]] == [
        ("$", "Additional properties are not allowed ('edges' was unexpected)")]
    for e in report.get("errors", []):
        assert "oneOf" not in e["message"] and "any of the given schemas" not in e["message"]


def test_schema_has_an_id() -> None:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    assert schema["$id"] == "urn:mechgraph:schema:pathway:1"


@pytest.mark.parametrize("path", SHIPPED, ids=[f.stem for f in SHIPPED])
def test_shipped_file_names_the_schema_on_its_first_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == modeline(path)
    assert first == MODELINE_PREFIX + "../src/mechgraph/language/pathway.schema.json"
    assert (path.parent / first.removeprefix(MODELINE_PREFIX)).resolve() == schema_path().resolve()
