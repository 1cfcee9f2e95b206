"""A comparison figure laid out as a convergence: two drugs' routes meeting.

What two drugs share is drawn from the explanation of the answer, not from whole
pathways: for every node both drugs reach, each drug's path to it as the analysis ranks
explanations (mechanistic steps before a chain with a summary edge, stated before
inferred, then evidence, then length: the path ``mechgraph shared`` prints). A summary
edge is drawn only where no mechanism explains the node: when a chain with a summary
edge passes a node that mechanistic steps explain, the chain is drawn from that node's
own explanation on. Only those nodes and edges (and so only the pathways that carry
them) are drawn, top to bottom: the first drug at the top left, the second at the top
right, their own routes on their sides, the nodes they share between, the outcomes
last. Shared nodes are outlined, those reached only through another drug's pathway
(inferred) in the inferred colour. Everything else (shapes, arrowheads, lines, tooltips,
links, legend) is the ordinary figure's (:mod:`.dot`), except that the legend stays
within the drawing's width (more rows rather than wider ones) and names each pathway's
fill by its id, so that the figure's labels still read at a column's width.
"""

from __future__ import annotations

import weakref
from dataclasses import replace
from typing import Sequence

from .. import graph as G
from ..analysis.query import Path, SharedNode, Source, effects, resolve_drug, shared_nodes
from ..errors import MechgraphError
from ..model import Direction, Figure, NodeKind, Project
from . import dot as D

HIGHLIGHT_NAME = "reached by both drugs"
LEGEND_WITHIN = 1.0  # legend rows no wider than the drawing (as estimated)
NODESEP = 0.2  # inches between nodes of a rank: compact, to be read at a column's width


def figure_drugs(project: Project, figure: Figure) -> tuple[str, ...]:
    """The drugs a figure compares: the first drug each of its pathways names, in order."""
    return tuple(dict.fromkeys(project.pathways[p].drugs[0]
                               for p in D.figure_pathways(project, figure)
                               if project.pathways[p].drugs))


class _Routes:
    """Each drug's drawn route to a node: its explanation, a summary edge only where no
    mechanism explains the node (see the module's text)."""

    def __init__(self, g, rows: Sequence[SharedNode]) -> None:
        self.g = g
        self.known = {(r.source.name, n): r.path for row in rows for r in row.reach
                      for n in row.nodes if r.path is not None and r.path.nodes[-1] == n}
        self.reached: dict[str, dict] = {}

    def explanation(self, drug: str, node: str) -> Path | None:
        if (drug, node) in self.known:
            return self.known[(drug, node)]
        if drug not in self.reached:  # explained lazily: only the nodes asked for
            self.reached[drug] = effects(self.g, drug)
        inf = self.reached[drug].get(node)
        return inf.path if inf is not None else None

    def hops(self, drug: str, path: Path) -> tuple:
        if path.relation == 0:
            return path.hops
        sign = 1
        signs = []
        for h in path.hops:
            sign *= h.sign
            signs.append(sign)
        for i in range(len(path.hops) - 2, -1, -1):  # the last node mechanism explains
            node = path.hops[i].target
            own = self.explanation(drug, node)
            if own is not None and own.relation == 0 and own.sign == signs[i]:
                return own.hops + path.hops[i + 1:]
        return path.hops


def convergence_dot(project: Project, figure: Figure, drugs: Sequence[str] | None = None,
                    rows: Sequence[SharedNode] | None = None, *,
                    highlight_name: str = HIGHLIGHT_NAME) -> str:
    """The DOT of ``figure`` drawn as the convergence of two drugs (default: its own two).

    ``rows`` are the answer to draw (default: :func:`shared_nodes` of the two drugs on
    the figure's pathways); answers that only chain through another drug's pathway are
    outlined as inferred, as :func:`mechgraph.drawing.dot.to_dot` does.
    """
    pathways = D.figure_pathways(project, figure)
    g = G.build_graph(project, pathways)
    names = list(drugs) if drugs else list(figure_drugs(project, figure))
    if len(names) != 2:
        raise MechgraphError(f"figure {figure.id!r}: a convergence compares two drugs; its "
                             f"pathways name {len(names)} ({', '.join(names) or 'none'})",
                             path=figure.location.path if figure.location else None,
                             line=figure.location.line if figure.location else None)
    memo = _answers(project) if rows is None else {}
    answer = memo.get((pathways, tuple(names)))
    if answer is None:
        answer = _answer(g, pathways, names, rows)
        memo[pathways, tuple(names)] = answer
    a, b, edges, answered, inferred_answers = answer
    if not edges:
        raise MechgraphError(f"figure {figure.id!r}: {names[0]} and {names[1]} share no node")
    sub = g.edge_subgraph(edges).copy()
    at: dict[str, set[str]] = {}  # a node belongs to the pathways of the edges drawn at it
    for u, v, k in sub.edges(keys=True):
        at.setdefault(u, set()).add(k)
        at.setdefault(v, set()).add(k)
    for n, data in sub.nodes(data=True):
        data[G.PATHWAYS] = " ".join(sorted(at[n]))
    shared = {n for n in answered if n in sub}
    inferred = {n for n in inferred_answers if n in sub}
    drawn = {k for ks in at.values() for k in ks}
    used = tuple(p for p in pathways if p in drawn)
    fig = replace(figure, pathways=used, direction=Direction.TB)
    emitter = D._Emitter(project, fig, used, sub, shared, highlight_name)
    emitter.inferred = frozenset(inferred)
    emitter.nodesep = NODESEP
    emitter.key_by_id = True  # short keys: the legend no wider than the drawing
    emitter.legend_within = LEGEND_WITHIN
    text = emitter.emit()
    ids = emitter.ids
    outcomes = sorted((ids[k] for k in shared if sub.nodes[k].get(G.KIND) == NodeKind.OUTCOME.value),
                      key=lambda i: int(i[1:]))
    hints = [f"  graph [nodesep={NODESEP} ranksep=0.4];",  # compact: read at a column's width
             f"  {{rank=min; {ids[a]} -> {ids[b]} [style=invis];}}"]  # first drug on the left
    if len(outcomes) > 1:  # the outcomes side by side, last: the legend ties to them
        hints.append(f"  {{rank=same; {'; '.join(outcomes)};}}")
    head, _, tail = text.rpartition("}")
    return head + "\n".join(hints) + "\n}" + tail


def _answer(g, pathways: tuple[str, ...], names: Sequence[str],
            rows: Sequence[SharedNode] | None) -> tuple:
    """What a convergence draws of the two drugs' shared-node answer (``rows``, by
    default the answer on ``g``): the drugs' node keys, the edges of their drawn routes
    (u, v, pathway), the answer's nodes, and those of them answered only by inference."""
    a, b = (resolve_drug(g, n) for n in names)
    if rows is None:
        rows = shared_nodes(g, [Source(a, "drug"), Source(b, "drug")])
    routes = _Routes(g, rows)
    # one pathway per hop (the figure's first that has it): fewer colours to tell apart
    order = {p: i for i, p in enumerate(pathways)}
    edges = frozenset((h.source, h.target, min(h.pathways, key=lambda p: order.get(p, len(order))))
                      for row in rows for r in row.reach if r.path
                      for h in routes.hops(r.source.name, r.path))
    answered = tuple(dict.fromkeys(n for row in rows for n in row.nodes))
    inferred = tuple(dict.fromkeys(n for row in rows if row.provenance == "inferred"
                                   for n in row.nodes))
    return a, b, edges, answered, inferred


#: id(project) -> {(pathways, drugs): _answer(...)}: each loaded project's own answers,
#: a pure function of it (and dropped with it), so that drawing its convergence again
#: (a notebook, a docs build, another render in the same process) does not ask again;
#: a project loaded afresh asks afresh
_ANSWERS: dict[int, dict[tuple, tuple]] = {}


def _answers(project: Project) -> dict[tuple, tuple]:
    key = id(project)
    memo = _ANSWERS.get(key)
    if memo is None:
        memo = _ANSWERS[key] = {}
        weakref.finalize(project, _ANSWERS.pop, key, None)
    return memo
