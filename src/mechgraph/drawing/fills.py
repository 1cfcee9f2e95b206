"""Pathway fills that stay the same from one figure of a project to the next.

Each pathway has a home fill: the pathways in the order the project's figures first
draw them, then the others in the project's order, take the colours of
:data:`~mechgraph.drawing.style.PATHWAY_PALETTE` in turn. A figure gives each of its
pathways its home fill where no pathway before it in the figure has that fill; the others
then take the first fills the figure has not used. (A figure of more pathways than there
are fills repeats them, by its own order, as it must.)
"""

from __future__ import annotations

import fnmatch
import weakref
from typing import Sequence

from ..model import Project
from .style import PATHWAY_PALETTE

#: id(project) -> {pathway id: its place in the project's order}: a pure function of a
#: loaded project, made once for all its figures and dropped with it
_HOMES: dict[int, dict[str, int]] = {}


def matching(project: Project, pattern: str) -> list[str]:
    """The pathway ids a figure's entry names: the id itself, or a glob's matches, sorted."""
    if pattern in project.pathways:
        return [pattern]
    return sorted(fnmatch.filter(project.pathways, pattern))


def homes(project: Project) -> dict[str, int]:
    """Every pathway's place in the order that gives it its home fill."""
    key = id(project)
    out = _HOMES.get(key)
    if out is None:
        order: dict[str, int] = {}
        for figure in project.figures.values():
            for pattern in figure.pathways:  # a pattern matching nothing is check's to report
                for pid in matching(project, pattern):
                    order.setdefault(pid, len(order))
        for pid in project.pathways:
            order.setdefault(pid, len(order))
        out = _HOMES[key] = order
        weakref.finalize(project, _HOMES.pop, key, None)
    return out


def figure_fills(project: Project, drawn: Sequence[str]) -> dict[str, str]:
    """The fill of each pathway a figure draws, in the figure's order."""
    home, n = homes(project), len(PATHWAY_PALETTE)
    chosen: dict[str, int] = {}
    for i, pid in enumerate(drawn):  # home fills first, as many as are free
        c = home.get(pid, i) % n
        if c not in chosen.values():
            chosen[pid] = c
    for i, pid in enumerate(drawn):  # then the first free fill (repeats past n pathways)
        if pid not in chosen:
            chosen[pid] = next((j for j in range(n) if j not in chosen.values()), i % n)
    return {pid: PATHWAY_PALETTE[chosen[pid]] for pid in drawn}
