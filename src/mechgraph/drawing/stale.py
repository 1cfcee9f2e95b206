"""Which renders are out of date, without drawing anything: for CI and ``render --check``.

A figure's renders are *missing* when one of its requested outputs or its ``.dot``
stamp does not exist, *changed* when the stamp differs from the DOT mechgraph would
write now (or its SVG was finished by an older version of the SVG theming); a file in the folder named after no figure or pathway is *orphaned*.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..model import Project
from . import dot as D
from .render import FORMATS, output_path, select_figures, verify_formats
from .theme import current

KINDS = ("missing", "changed", "orphaned")


@dataclass(frozen=True, order=True)
class Stale:
    """One stale render: the figure (or file stem), why, and the file concerned."""

    name: str
    reason: str  # one of KINDS
    path: Path


def stale_renders(project: Project, names: Sequence[str] | None = None, *,
                  formats: Sequence[str] = ("svg", "png"),
                  out_dir: Path | str = Path("renders")) -> list[Stale]:
    """Every stale render in ``out_dir``; orphans only when every figure is checked."""
    out_dir = Path(out_dir)
    formats = verify_formats(formats)
    found: list[Stale] = []
    for fig in select_figures(project, names):
        stamp = output_path(out_dir, fig.id, "dot")
        for fmt in dict.fromkeys(formats + ("dot",)):
            path = output_path(out_dir, fig.id, fmt)
            if not path.exists():
                found.append(Stale(fig.id, "missing", path))
        svg = output_path(out_dir, fig.id, "svg")
        if stamp.exists() and stamp.read_bytes() != D.to_dot(project, fig).encode("utf-8"):
            found.append(Stale(fig.id, "changed", stamp))
        elif "svg" in formats and svg.exists() and not current(svg):
            found.append(Stale(fig.id, "changed", svg))  # drawn by an older mechgraph
    if not names:
        found += orphans(project, out_dir)
    return found


def orphans(project: Project, out_dir: Path | str) -> list[Stale]:
    """Renders in ``out_dir`` of figures or pathways the project no longer has."""
    known = set(project.figures) | set(project.pathways)
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return []
    return sorted(Stale(p.stem, "orphaned", p) for p in out_dir.iterdir()
                  if p.is_file() and p.suffix[1:] in FORMATS and p.stem not in known)
