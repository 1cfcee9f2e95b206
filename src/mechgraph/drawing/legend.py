"""A figure's legend: what it explains, how its entries are laid out, where it sits.

The legend shows only what the figure draws: its node shapes, its arrowheads and
evidence lines, its pathways' fills and the highlight. It is a cluster of (sample,
text) pairs read row by row, on ranks of its own, tied by one invisible edge to the
figure's deepest end so that it lies beyond the last figure rank: below a top-to-bottom
figure, right of a left-to-right one. It is kept small (at most a fifth of the figure):
shapes named inside themselves, one key table for the fills and outlines, entries
running on within a row, a row saved where a slightly wider legend allows. Its entries
(:mod:`mechgraph.drawing.legend_entries`) take their attributes from
:mod:`mechgraph.drawing.style`, as the figure's own nodes and edges do, and its layout is
estimated from the figure's layers so that it stays about within the figure's breadth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Sequence

from .. import graph as G
from ..model import Direction, NodeKind
from .components import Condensation
from .legend_entries import DrawnEdge, legend_entries
from .legend_entries import LegendEntry as _LegendEntry
from .quoting import escape, fold_html, wrap
from .style import KIND_SHAPE, LEGEND_NODE_ATTRS, LEGEND_STYLE, NODE_WRAP

if TYPE_CHECKING:
    import networkx as nx

LEGEND_MAX_COLUMNS = 8  # entries per legend row at most
LEGEND_MIN_EXTENT = 6.0  # inches a legend may always take across the figure's ranks
LEGEND_GAP = 6  # points after the longest text of a legend column
LEGEND_STRETCH = 1.25  # how much wider than its room a TB legend may grow to save a row
NODESEP = 0.35  # inches between nodes of a rank: GRAPH_ATTRS's nodesep
LEGEND_HOLD = 1000  # weight that keeps an entry's sample and text (and a row) in line


@dataclass(frozen=True)
class _Layers:
    layer: dict[str, int]  # node key -> longest path to it from a start
    ends: list[str]  # what the legend ties to: the ends (TB, LR) or starts (BT, RL), the
    #                  farthest from the other side first
    tops: list[str]  # each connected component's first start, the main one's first


def legend_lines(g: nx.MultiDiGraph, ids: Mapping[str, str], edges: Sequence[DrawnEdge], *,
                 direction: Direction, fills: Sequence[tuple[str, str]],
                 highlight: str | None, title_width: float,
                 inferred: str | None = None, nodesep: float = NODESEP,
                 within: float | None = None,
                 wrapped: Mapping[str, str] | None = None) -> list[str]:
    """The DOT lines of the legend cluster and of the edges that anchor it to the figure.

    ``ids`` are the figure's node ids by graph key, ``edges`` what it draws, ``fills``
    (colour, pathway title) in the figure's order, ``highlight`` the legend text of the
    outline (None: nothing is outlined), ``title_width`` about how wide (inches) the
    figure's title block is, ``nodesep`` (inches) the figure's gap between nodes of a rank.
    ``within`` bounds a TB/BT legend's rows to that many times the figure's estimated
    breadth, neither the title block's nor a stretch to save a row (None: those apply).
    ``wrapped``: node key -> its label as the figure draws it (wrapped), where already made.

    One invisible edge leads from the figure's deepest end (a node or loop with no way
    on) to the legend's first row, so the legend lies beyond the last figure rank: below
    a top-to-bottom figure, right of a left-to-right one (BT and RL figures: the legend
    leads to the farthest start; below and right again). No figure node shares a rank
    with a legend row, so a row is as tall as its own samples.

    TB/BT: each row is one rank, entries side by side, as many as fit the figure's
    breadth (as estimated from its layers); sections run on within a row; rows stack
    down. LR/RL: each row is a chain along the ranks (sample, text, sample, text...), the
    rows stacked within those ranks, each section starting a row, as few columns as keep
    the legend within the figure's height. Edge samples are real edges, so their
    arrowheads and line styles are exactly the figure's.
    """
    vertical = direction in (Direction.TB, Direction.BT)
    sections = legend_entries(g, edges, fills, highlight, vertical=vertical, inferred=inferred)
    if not sections:
        return []
    layers = _layers(g, ids, direction)
    # About as wide (TB, BT) or tall (LR, RL) as the figure: the estimate runs short
    # (clusters, edge routes), and a TB legend may be as wide as the title block.
    extent = _figure_extent(g, edges, layers.layer, vertical=vertical, wrapped=wrapped)
    if vertical and within is not None:  # the caller's bound, not stretched
        room = max(within * extent, LEGEND_MIN_EXTENT)
    elif vertical:
        room = max(1.25 * extent, title_width, LEGEND_MIN_EXTENT)
    else:
        room = max(2.2 * extent, LEGEND_MIN_EXTENT)
    if vertical:  # entries flow row by row, as many to a row as fit the figure's width
        rows = _flow_rows(sections, room, nodesep)
        # from three rows on, a rank less is worth a legend a little wider than the
        # estimate of the figure: each row costs a rank separation besides its height
        wider = _flow_rows(sections, LEGEND_STRETCH * room, nodesep)
        if len(wider) < len(rows) and len(rows) > 2 and within is None:
            rows = wider
        per_row = max(len(row) for _, row in rows)
    else:  # the fewest columns that fit its height
        columns = next(([c] * len(sections) for c in range(1, LEGEND_MAX_COLUMNS)
                        if _legend_height(sections, [c] * len(sections)) <= room),
                       [LEGEND_MAX_COLUMNS] * len(sections))
        per_row = max(columns)
        rows = _legend_rows(sections, columns)
    widths = _legend_text_widths(rows, per_section=vertical)
    lines = ["subgraph cluster_legend {",
             f"  id=legend {LEGEND_STYLE};",
             f"  node [{LEGEND_NODE_ATTRS}];"]

    def link(x: str, y: str, attrs: str = "style=invis", arrow: str = "") -> str:
        """An edge drawn from x to y; in RL written y -> x so that x ranks after y."""
        if direction is Direction.RL:
            tail = f"dir=back arrowtail={arrow} " if arrow else ""
            return f"  {y} -> {x} [{tail}{attrs}];"
        return f"  {x} -> {y} [{f'arrowhead={arrow} ' if arrow else ''}{attrs}];"

    # A flat edge (within a rank) asks for minlen times nodesep between its ends, and
    # dot doubles minlen in a figure with edge labels: minlen=0 leaves just nodesep.
    flat = " minlen=0" if vertical else ""
    hold = f"weight={LEGEND_HOLD}{flat}"
    for si, row in rows:
        for j, (i, entry) in enumerate(row):
            a, b = f"l{2 * i}", f"l{2 * i + 1}"
            if entry.single and vertical:  # one node; the pair's two ends are the same
                lines.append(f"  {a} [{entry.single}];")
                continue
            if entry.single:  # a placeholder sample keeps the column's pattern
                lines.append(f"  {a} [shape=point style=invis width=0.01];")
                lines.append(f"  {b} [{entry.single}];")
                lines.append(link(a, b, f"style=invis {hold}"))
                continue
            lines.append(f"  {a} [{entry.sample}];")
            label = _legend_label(entry.text, widths[si, j])
            lines.append(f"  {b} [shape=plaintext label={label}];")
            if entry.edge:
                arrow, _, rest = entry.edge.partition(" ")
                unclip = " tailclip=false" if vertical else ""
                lines.append(link(a, b, f"{rest}{unclip} {hold}", arrow))
            else:
                lines.append(link(a, b, f"style=invis {hold}"))
    pairs = [[(f"l{2 * i}", f"l{2 * i}" if e.single and vertical else f"l{2 * i + 1}")
              for i, e in row] for _, row in rows]
    if vertical:
        for row in pairs:
            lines.append("  { rank=same; " + " ".join(dict.fromkeys(n for pair in row for n in pair))
                         + " }")
            lines += [f"  {b} -> {c} [style=invis {hold}];"
                      for (_, b), (c, _) in zip(row, row[1:])]
        # stack the rows by their first entries
        for r, q in zip(pairs, pairs[1:]):
            x, y = (q[0][0], r[0][0]) if direction is Direction.BT else (r[0][0], q[0][0])
            lines.append(f"  {x} -> {y} [style=invis];")
    else:
        for row in pairs:
            lines += [link(b, c, f"style=invis {hold}") for (_, b), (c, _) in zip(row, row[1:])]
        for j in range(2 * per_row):  # one rank per position in the rows: stack the rows
            column = [row[j // 2][j % 2] for row in pairs if j // 2 < len(row)]
            lines.append("  { rank=same; " + " ".join(column) + " }")
            # a flat edge puts its tail first: top in TB, bottom once turned to LR or RL
            lines += [f"  {y} -> {x} [style=invis minlen=0];"
                      for x, y in zip(column, column[1:])]
    lines.append("}")
    # The legend's middle meets the figure: the node of the first row nearest the
    # middle of the widest (TB, BT), the first sample of the middle row (LR, RL).
    if vertical:
        middle = max(_row_width(row, nodesep) for _, row in rows) / 2
        centres, x = [], 0.0
        for j, ((a, b), (_, e)) in enumerate(zip(pairs[0], rows[0][1])):
            text = (_text_points(e) if e.single else widths[rows[0][0], j]) / 72
            if e.single:
                centres.append((abs(x + text / 2 - middle), a))
                x += text + nodesep
            else:
                centres += [(abs(x + 0.2 - middle), a),
                            (abs(x + 0.4 + nodesep + text / 2 - middle), b)]
                x += 0.4 + nodesep + text + nodesep
        first = min(centres)[1]
    else:
        first = pairs[(len(pairs) - 1) // 2][0][0]
    return lines + _anchors(layers, ids, first, direction)


def _anchors(layers: _Layers, ids: Mapping[str, str], first: str,
             direction: Direction) -> list[str]:
    """The one invisible edge that puts the legend (at its node ``first``) beyond the
    figure: from its deepest end (TB, LR), or to its farthest start (BT, RL).

    One edge, not one per end: each invisible edge that spans ranks becomes a chain of
    virtual nodes that crossing minimisation must place, which made a 1,000-node figure
    lay out 5x slower than the same graph without a legend. The other ends are pulled
    towards their own predecessors, so they stay above (before) the deepest one's rank.
    """
    k = layers.ends[0]
    lines = [f"{ids[k]} -> {first} [style=invis];"
             if direction in (Direction.TB, Direction.LR)
             else f"{first} -> {ids[k]} [style=invis];"]
    # Tied to the legend, a component of the figure could drift along the ranks: each
    # one's first node keeps to the rank of the main one's, as if drawn alone.
    if len(layers.tops) > 1:
        lines.append("{ rank=same; " + " ".join(ids[k] for k in layers.tops) + " }")
    return lines


def _layers(g: nx.MultiDiGraph, ids: Mapping[str, str], direction: Direction) -> _Layers:
    """Where the figure's nodes fall along its ranks (loops counted as one step)."""
    cond = Condensation(g)
    members = cond.members
    topo = cond.topological_order()
    depth: dict[int, int] = {}
    for c in topo:
        before = cond.pred[c]
        depth[c] = max(map(depth.__getitem__, before)) + 1 if before else 0
    height: dict[int, int] = {}
    for c in reversed(topo):
        after = cond.succ[c]
        height[c] = max(map(height.__getitem__, after)) + 1 if after else 0
    order = sorted(members, key=lambda k: int(ids[k][1:]))
    starts = [k for k in order if not cond.pred[members[k]]]
    if direction in (Direction.TB, Direction.LR):  # the legend after the ends
        ends = [k for k in order if not cond.succ[members[k]]]
        ends.sort(key=lambda k: -depth[members[k]])  # stable: ids break ties
    else:  # the legend before the starts
        ends = sorted(starts, key=lambda k: -height[members[k]])
    # each connected component's first start with the longest way on, the main one's
    # (that of the first end) first
    part = cond.weak_components()
    tops = [max((k for k in starts if part[members[k]] == comp), key=lambda k: height[members[k]])
            for comp in sorted(set(part.values()))]
    main = next(t for t in tops if part[members[t]] == part[members[ends[0]]])
    tops = [main] + sorted((t for t in tops if t != main), key=lambda k: int(ids[k][1:]))
    return _Layers({k: depth[members[k]] for k in order}, ends, tops)


def _figure_extent(g: nx.MultiDiGraph, edges: Sequence[DrawnEdge], layer: Mapping[str, int],
                   *, vertical: bool, wrapped: Mapping[str, str] | None = None) -> float:
    """About how far (inches) the figure reaches across its ranks: the widest layer
    (TB, BT) or the tallest (LR, RL), an edge passing through a layer counted too."""
    across: dict[int, float] = {}
    wrapped = wrapped or {}
    for key, d in g.nodes(data=True):
        label = wrapped.get(key)
        if label is None:
            label = wrap(d[G.LABEL], NODE_WRAP)
        if "\n" in label:
            lines = label.split("\n")
            longest, count = max(map(len, lines)), len(lines)
        else:
            longest, count = len(label), 1
        grow, at = _GROW[d[G.KIND]], layer[key]
        if vertical:  # the width across a rank
            size = max((0.095 * longest + 0.3) * grow, 0.75)
        else:  # the height
            size = max((0.19 * count + 0.14 + (0.17 if d.get(G.TIME) else 0)) * grow, 0.5)
        across[at] = across.get(at, 0.0) + size + 0.35
    for e in edges:
        for i in range(layer[e.u] + 1, layer[e.v]):
            across[i] = across.get(i, 0.0) + 0.35
    return max(across.values(), default=0.0)


#: a node kind's text (as the graph holds it) -> how much its shape adds around the text
_GROW = {k.value: {"ellipse": 1.3, "circle": 1.3, "diamond": 1.9}.get(KIND_SHAPE[k].shape, 1.1)
         for k in NodeKind}


def _legend_rows(sections: list[list[_LegendEntry]], columns: list[int]
                 ) -> list[tuple[int, list[tuple[int, _LegendEntry]]]]:
    """(section, [(entry number, entry)...]) per row, ``columns[s]`` entries a row in
    section ``s``; each section starts a row."""
    rows: list[tuple[int, list[tuple[int, _LegendEntry]]]] = []
    k = 0
    for si, (section, per_row) in enumerate(zip(sections, columns)):
        numbered = list(enumerate(section, k))
        k += len(section)
        rows += [(si, numbered[i:i + per_row]) for i in range(0, len(numbered), per_row)]
    return rows


def _legend_text_widths(rows: list[tuple[int, list[tuple[int, _LegendEntry]]]], *,
                        per_section: bool) -> dict[tuple[int, int], int]:
    """{(section, column): points}. A common width per text column keeps left-aligned
    texts in line: per section when a row is a rank of its own (TB, BT), else over all
    rows (a column is one rank). About the longest line at 10 pt, and a gap after it."""
    chars: dict[tuple[int, int], int] = {}
    for si, row in rows:
        for j, (_, e) in enumerate(row):
            n = max(len(line) for line in e.text.split("\n"))
            key = (si, j) if per_section else (0, j)
            chars[key] = max(chars.get(key, 0), n)
    return {(si, j): round(5.0 * chars[(si, j) if per_section else (0, j)] + LEGEND_GAP)
            for si, row in rows for j in range(len(row))}


def _text_points(entry: _LegendEntry) -> int:
    """About how wide (points) an entry's text is at 10 pt, with a gap after it."""
    return round(5.0 * max(len(line) for line in entry.text.split("\n")) + LEGEND_GAP
                 + 72 * entry.pad)


def _row_width(row: Sequence[tuple[int, _LegendEntry]], nodesep: float = NODESEP) -> float:
    """About how wide (inches) a TB legend row is: sample, gap, text, gap per entry (a
    single node: itself, gap)."""
    return sum(_entry_width(e, nodesep) for _, e in row)


def _entry_width(e: _LegendEntry, nodesep: float) -> float:
    """One entry's share of :func:`_row_width`."""
    return (0 if e.single else 0.4 + nodesep) + _text_points(e) / 72 + nodesep


def _flow_rows(sections: list[list[_LegendEntry]], room: float, nodesep: float = NODESEP
               ) -> list[tuple[int, list[tuple[int, _LegendEntry]]]]:
    """A TB legend's rows: its entries in order, each row as full as fits in ``room``
    inches (at most LEGEND_MAX_COLUMNS entries, at least one). Sections run on within a
    row, so that no row is left half empty: the legend takes as few ranks as it can."""
    rows: list[tuple[int, list[tuple[int, _LegendEntry]]]] = []
    row: list[tuple[int, _LegendEntry]] = []
    widths: list[float] = []  # row's entries' widths: _row_width summed in the same order
    for item in enumerate(e for section in sections for e in section):
        width = _entry_width(item[1], nodesep)
        if row and (len(row) == LEGEND_MAX_COLUMNS or sum(widths + [width]) > room):
            rows.append((len(rows), row))
            row, widths = [], []
        row.append(item)
        widths.append(width)
    rows.append((len(rows), row))
    return rows


def _legend_height(sections: list[list[_LegendEntry]], columns: list[int]) -> float:
    """About how tall (inches) an LR legend is."""
    rows = _legend_rows(sections, columns)
    return 0.3 + sum(max(0.31, *(0.14 * (e.text.count("\n") + 1) + 0.04 for _, e in row))
                     + 0.35 for _, row in rows)


def _legend_label(text: str, width: int) -> str:
    """Legend text, left-aligned in a cell ``width`` points wide (or as wide as it is)."""
    return fold_html('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
                     f'<TD WIDTH="{width}" ALIGN="LEFT" BALIGN="LEFT">{escape(text, "html")}</TD>'
                     "</TR></TABLE>>")
