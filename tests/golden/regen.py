"""Regenerate the golden DOT files: ``.venv/bin/python tests/golden/regen.py``.

Three sets, each a folder of ``<figure>.dot``:

- ``demo/``: the figures of the Python-built project in tests/fixtures/render/projects.py
  (independent of the loader);
- ``fixture/``: the figures of tests/fixtures/render/project/, and each of its pathways
  drawn alone;
- ``pathways/``: every figure of the curated content in pathways/.

Review the diff before committing: the golden files are the contract for how figures
look. Prints one line per file written or removed.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent / "fixtures" / "render"))

from mechgraph.drawing.dot import pathway_figure, to_dot  # noqa: E402
from mechgraph.language.load import load_project  # noqa: E402
from mechgraph.model import Project  # noqa: E402


def golden_sets() -> dict[str, dict[str, str]]:
    """{set name: {file name: DOT text}}: what the golden folders should hold."""
    from projects import demo_project

    out: dict[str, dict[str, str]] = {}
    demo = demo_project()
    out["demo"] = {f"{f}.dot": to_dot(demo, demo.figures[f]) for f in demo.figures}
    fixture = load_project(ROOT / "tests" / "fixtures" / "render" / "project")
    out["fixture"] = _figures(fixture)
    out["fixture"].update({f"pathway-{p}.dot": to_dot(fixture, pathway_figure(fixture, p))
                           for p in fixture.pathways})
    out["pathways"] = _figures(load_project(ROOT / "pathways"))
    return out


def _figures(project: Project) -> dict[str, str]:
    return {f"{f}.dot": to_dot(project, project.figures[f]) for f in project.figures}


def main() -> int:
    for name, files in golden_sets().items():
        folder = HERE / name
        folder.mkdir(exist_ok=True)
        for stale in sorted(set(p.name for p in folder.glob("*.dot")) - set(files)):
            (folder / stale).unlink()
            print(f"removed {folder.relative_to(ROOT) / stale}")
        for file, text in sorted(files.items()):
            path = folder / file
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                print(f"wrote   {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
