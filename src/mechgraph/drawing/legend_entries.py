"""What a figure's legend explains: its entries, section by section.

Node shapes (each named inside a sample of itself), arrowheads and evidence lines (an
edge sample each, drawn with exactly the figure's attributes), and one key table of the
pathways' fills and the outlines, chip and text a line each (it needs no node or edge of
its own). :mod:`mechgraph.drawing.legend` lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol, Sequence

from .. import graph as G
from ..model import WORKFLOW_KINDS, Effect, Grade, NodeKind
from .quoting import escape, fold_html, quote, wrap
from .style import (
    ASSOCIATION_END,
    ASSOCIATION_END_SIZE,
    ASSOCIATION_LINE,
    EFFECT_STYLE,
    EVIDENCE_STYLE,
    INFERRED_OUTLINE,
    KIND_SHAPE,
    LEGEND_LINE_COLOUR,
    LEGEND_TAIL,
    LEGEND_TAIL_ACROSS,
    RELATION_COLOUR,
    SHARED_OUTLINE,
    SUMMARY_LINE,
    NodeStyle,
    edge_style,
    summary_head,
)

if TYPE_CHECKING:
    import networkx as nx

LEGEND_KIND_ORDER = tuple(k for k in NodeKind if k not in WORKFLOW_KINDS) + (
    NodeKind.START, NodeKind.STEP, NodeKind.DECISION, NodeKind.END)
LEGEND_WRAP = 30  # characters per line of a pathway title in the legend
LEGEND_WRAP_KEY = 40  # the same in the key table below a TB figure: fewer, wider lines
LEGEND_WRAP_SHAPE = 20  # the same inside a shape sample
#: inches a shape sample is wider than its name (a little more than Graphviz's margins)
SHAPE_PAD = {"box": 0.2, "cylinder": 0.2, "ellipse": 0.45, "circle": 0.45, "diamond": 0.8}
LEGEND_SHAPE = 'margin="0.1,0.03"'  # a shape sample: about as small as its name
LEGEND_WRAP_ACROSS = 18  # the same beside an LR figure, where it widens a whole column
KEY_ROWS = 3  # keys a key table below a TB figure holds in one column
KEY_COLUMNS = 3  # and its columns at most
KEY_CHIP = 'WIDTH="28" HEIGHT="14" FIXEDSIZE="TRUE"'  # a key table's colour chip, points


class DrawnEdge(Protocol):
    """What the legend reads of an edge the figure draws."""

    @property
    def u(self) -> str: ...
    @property
    def v(self) -> str: ...
    @property
    def effect(self) -> Effect: ...
    @property
    def workflow(self) -> bool: ...
    @property
    def grade(self) -> Grade | None: ...
    @property
    def relation(self) -> str: ...


@dataclass(frozen=True)
class LegendEntry:
    sample: str  # attributes of the sample node
    edge: str  # "arrowhead edge-attributes" of an edge sample, or ""
    text: str
    #: attributes of one node that is sample and text at once (a shape named inside it,
    #: the key table), or ""
    single: str = ""
    pad: float = 0.0  # inches a single node is wider than its text


def _shape_entry(kind: NodeKind) -> tuple[NodeStyle, LegendEntry]:
    """A node kind's look (its style without its name) and legend entry."""
    st = KIND_SHAPE[kind]
    per = "".join(f" {attr}" for attr in st.outline())
    # the shape with its name inside: one node, no text beside it
    name = wrap(st.name, LEGEND_WRAP_SHAPE)
    return replace(st, name=""), LegendEntry(
        "", "", name,
        f'shape={st.shape} style="{",".join(st.border + ("filled",))}" '
        f"fillcolor=white{per} {LEGEND_SHAPE} label={quote(name)}",
        SHAPE_PAD.get(st.shape, 0.25))


def legend_entries(g: nx.MultiDiGraph, edges: Sequence[DrawnEdge],
                    fills: Sequence[tuple[str, str]], highlight: str | None, *,
                    inferred: str | None = None,
                    vertical: bool) -> list[list[LegendEntry]]:
    """The legend's sections, each a list of entries: node shapes; arrowheads and
    line styles; pathway colours (and the highlight). Empty sections are left out."""
    shapes: list[LegendEntry] = []
    seen: set[int] = set()
    kinds = {d[G.KIND] for _, d in g.nodes(data=True)}  # as the graph holds them: text
    for kind, look, entry in _SHAPE_ENTRIES:
        if kind not in kinds or look in seen:  # start and end share one look: one entry
            continue
        seen.add(look)
        shapes.append(entry)
    tail = LEGEND_TAIL if vertical else LEGEND_TAIL_ACROSS
    arrows = []
    # deduplicated by id(): an Enum member's hash is a Python call (members are singletons)
    # arrowheads of steps only: a summary is drawn grey with its own head (below)
    looks = {(e.workflow and e.effect is Effect.POSITIVE, id(e.effect)):
             (e.workflow and e.effect is Effect.POSITIVE, e.effect) for e in edges
             if e.relation == "mechanism"}.values()
    for wf, effect in sorted(looks, key=lambda t: (not t[0], _EFFECT_INDEX[id(t[1])])):
        st = edge_style(effect, workflow=wf)
        arrows.append(LegendEntry(tail, f"{st.arrowhead} arrowsize={st.arrowsize} "
                                         f"{st.color_attr()}", st.name))
    lines = []
    for grade in sorted({id(e.grade): e.grade for e in edges
                         if e.grade and e.relation == "mechanism"}.values(),
                        key=lambda gr: gr.rank):
        ls = EVIDENCE_STYLE[grade]
        lines.append(LegendEntry(tail, f'none color="{LEGEND_LINE_COLOUR}{ls.alpha}" '
                                        f"{ls.attrs}", ls.name))
    # a summary of each effect the figure summarises, its arrowhead as drawn
    for effect in sorted({id(e.effect): e.effect for e in edges
                          if e.relation == "summary"}.values(),
                         key=lambda ef: _EFFECT_INDEX[id(ef)]):
        lines.append(LegendEntry(tail, f'{summary_head(effect)} color="{RELATION_COLOUR}" '
                                        f"{SUMMARY_LINE.attrs}",
                                 f"summary: {EFFECT_STYLE[effect].name}"))
    if any(e.relation == "association" for e in edges):
        ends = (f"{ASSOCIATION_END} arrowsize={ASSOCIATION_END_SIZE} dir=both "
                f"arrowtail={ASSOCIATION_END}")
        lines.append(LegendEntry(tail, f'{ends} color="{RELATION_COLOUR}" '
                                        f"{ASSOCIATION_LINE.attrs}", ASSOCIATION_LINE.name))
    # Fills and outlines need no node or edge of their own: one key table, chip and text
    # a line each, takes one place in a row however many pathways the figure colours.
    width = LEGEND_WRAP_KEY if vertical else LEGEND_WRAP_ACROSS
    keys = [(f'BGCOLOR="{colour}" BORDER="1"', title) for colour, title in fills]
    if highlight is not None:
        keys.append((f'BGCOLOR="white" BORDER="{SHARED_OUTLINE[1]:g}" '
                     f'COLOR="{SHARED_OUTLINE[0]}"', highlight))
    if inferred is not None:
        keys.append((f'BGCOLOR="white" BORDER="{INFERRED_OUTLINE[1]:g}" '
                     f'COLOR="{INFERRED_OUTLINE[0]}"', inferred))
    # below a TB figure, many keys side by side (rows of KEY_ROWS at most): not as tall
    columns = min(KEY_COLUMNS, -(-len(keys) // KEY_ROWS)) if vertical else 1
    wrapped = [wrap(t, width) for _, t in keys]
    table = _key_table([(c, t) for (c, _), t in zip(keys, wrapped)], columns)
    texts = []  # what the width estimate reads: each row's texts side by side
    for i in range(0, len(wrapped), columns):
        cells = [t.split("\n") for t in wrapped[i:i + columns]]
        widths = [max(map(len, c)) for c in cells]
        texts += ["  ".join(f"{c[k] if k < len(c) else '':{w}}" for c, w in zip(cells, widths))
                  for k in range(max(map(len, cells)))]
    swatches = [LegendEntry("", "", "\n".join(texts),
                             f"shape=plaintext label={table}", 0.45 * columns)] if keys else []
    width = LEGEND_WRAP if vertical else LEGEND_WRAP_ACROSS
    return [[e if e.single else _rewrapped(e, width) for e in s]
            for s in ((shapes, arrows + lines, swatches) if len(keys) > KEY_ROWS * 2
                      else (shapes, swatches, arrows + lines) if vertical
                      else (shapes, arrows + lines, swatches)) if s]


def _rewrapped(e: LegendEntry, width: int) -> LegendEntry:
    """The entry with its text wrapped to ``width``: itself when that changes nothing."""
    text = wrap(e.text, width)
    return e if text == e.text else LegendEntry(e.sample, e.edge, text, e.single, e.pad)


def _key_table(keys: Sequence[tuple[str, str]], columns: int = 1) -> str:
    """A key table: a chip (``attrs``: its fill and border) and its text per key, the keys
    in ``columns`` columns, filled row by row."""
    cells = [f'<TD {attrs} {KEY_CHIP}></TD><TD ALIGN="LEFT" BALIGN="LEFT">'
             f'{escape(text, "html")}</TD>' for attrs, text in keys]
    rows = "".join("<TR>" + "".join(cells[i:i + columns]) + "</TR>"
                   for i in range(0, len(cells), columns))
    return fold_html('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="0">'
                     + rows + "</TABLE>>")


#: id(effect) -> its place in Effect's order (an Enum's iteration is a Python generator)
_EFFECT_INDEX = {id(e): i for i, e in enumerate(Effect)}
#: each node kind's (look, legend entry): constants, made once
_SHAPE_ENTRY = {kind: _shape_entry(kind) for kind in LEGEND_KIND_ORDER}
#: the same in legend order, as (kind's text, number of the first kind of an equal
#: look, legend entry): what a figure's legend compares without hashing a style per kind
_SHAPE_ENTRIES = tuple(
    (kind.value, next(i for i, other in enumerate(LEGEND_KIND_ORDER)
                      if _SHAPE_ENTRY[other][0] == look), entry)
    for kind, (look, entry) in _SHAPE_ENTRY.items())
