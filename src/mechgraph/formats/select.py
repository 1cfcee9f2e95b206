"""What an export holds: pathways, figures or a drug's pathways, as one plain graph.

Workflows are left out unless named: their arrows mean "then", not "acts on".
"""

from __future__ import annotations

from typing import Iterable

import networkx as nx

from ..errors import MechgraphError
from ..graph import build_graph, is_workflow
from ..language.fields import near
from ..model import Project


def export_graph(project: Project, names: Iterable[str] = (), *,
                 drugs: Iterable[str] = ()) -> nx.MultiDiGraph:
    """The graph of the named pathways and figures and the pathways of ``drugs``
    (nothing named: every signalling pathway)."""
    return build_graph(project, select_pathways(project, names, drugs=drugs))


def select_pathways(project: Project, names: Iterable[str] = (), *,
                    drugs: Iterable[str] = ()) -> list[str]:
    names, drugs = list(names), list(drugs)
    chosen: list[str] = []
    for name in names:
        if name in project.pathways:
            chosen.append(name)
        elif name in project.figures:
            chosen += project.figures[name].pathways
        else:
            raise MechgraphError(f"unknown pathway or figure {name!r}"
                                 f"{near(name, list(project.pathways) + list(project.figures))}")
    for drug in drugs:
        ids = _drug_ids(project, drug)
        hits = [pid for pid, pw in project.pathways.items() if set(pw.drugs) & ids]
        if not hits:
            raise MechgraphError(f"no pathway declares the drug {drug!r}; drugs: "
                                 + ", ".join(sorted({d for p in project.pathways.values()
                                                     for d in p.drugs})))
        chosen += [p for p in hits if not is_workflow(project, p)]
    if not names and not drugs:
        chosen = [p for p in project.pathways if not is_workflow(project, p)]
    return sorted(dict.fromkeys(chosen))


def _drug_ids(project: Project, name: str) -> set[str]:
    if name in project.entities:
        return {name}
    folded = name.casefold()
    return {eid for eid, e in project.entities.items()
            if folded in (eid.casefold(), e.label.casefold(), *(s.casefold() for s in e.synonyms))}


__all__ = ["export_graph", "select_pathways"]
