"""A comparison figure laid out as a convergence: two drugs' routes meeting.

What two drugs share is drawn from the explanation of the answer, not from whole
pathways: for every node both drugs reach, the shortest path from each drug to it (the
path ``mechgraph shared`` prints). Only those nodes and edges (and so only the
pathways that carry them) are drawn, top
to bottom: the first drug at the top left, the second at the top right, their own
routes on their sides, the nodes they share between, the outcomes last. Shared nodes
are outlined. Everything else (shapes, arrowheads, lines, tooltips, links, legend) is
the ordinary figure's (:mod:`.dot`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from .. import graph as G
from ..analysis.names import resolve_drug
from ..analysis.shared import Source, shared_nodes
from ..errors import MechgraphError
from ..model import Direction, Figure, NodeKind, Project
from . import dot as D

HIGHLIGHT_NAME = "reached by both drugs"


def figure_drugs(project: Project, figure: Figure) -> tuple[str, ...]:
    """The drugs a figure compares: the first drug each of its pathways names, in order."""
    return tuple(dict.fromkeys(project.pathways[p].drugs[0]
                               for p in D.figure_pathways(project, figure)
                               if project.pathways[p].drugs))


def convergence_dot(project: Project, figure: Figure,
                    drugs: Sequence[str] | None = None) -> str:
    """The DOT of ``figure`` drawn as the convergence of two drugs (default: its own two)."""
    pathways = D.figure_pathways(project, figure)
    g = G.build_graph(project, pathways)
    names = list(drugs) if drugs else list(figure_drugs(project, figure))
    if len(names) != 2:
        raise MechgraphError(f"figure {figure.id!r}: a convergence compares two drugs; its "
                             f"pathways name {len(names)} ({', '.join(names) or 'none'})",
                             path=figure.location.path if figure.location else None,
                             line=figure.location.line if figure.location else None)
    a, b = (resolve_drug(g, n) for n in names)
    rows = shared_nodes(g, [Source(a, "drug"), Source(b, "drug")])
    # each drug's route: the explanation of the answer, its shortest path to each node
    # one pathway per hop (the figure's first that has it): fewer colours to tell apart
    order = {p: i for i, p in enumerate(pathways)}
    edges = {(h.source, h.target, min(h.pathways, key=lambda p: order.get(p, len(order))))
             for row in rows for r in row.reach if r.path for h in r.path.hops}
    if not edges:
        raise MechgraphError(f"figure {figure.id!r}: {names[0]} and {names[1]} share no node")
    sub = g.edge_subgraph(edges).copy()
    for n in sub:  # a node belongs to the pathways of the edges drawn at it
        sub.nodes[n][G.PATHWAYS] = " ".join(sorted({k for *_, k in sub.in_edges(n, keys=True)}
                                                   | {k for *_, k in sub.out_edges(n, keys=True)}))
    shared = {n for row in rows for n in row.nodes if n in sub}
    used = tuple(p for p in pathways if any(k == p for *_, k in sub.edges(keys=True)))
    fig = replace(figure, pathways=used, direction=Direction.TB)
    text = D._Emitter(project, fig, used, sub, shared, HIGHLIGHT_NAME).emit()
    ids = {key: f"n{i}" for i, key in enumerate(sorted(sub.nodes))}  # as the emitter numbers
    outcomes = sorted((ids[k] for k in shared if sub.nodes[k].get(G.KIND) == NodeKind.OUTCOME.value),
                      key=lambda i: int(i[1:]))
    hints = ["  graph [nodesep=0.2 ranksep=0.4];",  # compact: read at a column's width
             f"  {{rank=min; {ids[a]} -> {ids[b]} [style=invis];}}"]  # first drug on the left
    if outcomes:
        hints.append(f"  {{rank=max; {'; '.join(outcomes)};}}")  # the outcome last
    head, _, tail = text.rpartition("}")
    return head + "\n".join(hints) + "\n}" + tail
