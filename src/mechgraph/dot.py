"""Figures -> DOT text. The only module that knows how a figure looks.

Every style decision is in the immutable tables below; :func:`to_dot` only looks
them up. User text (labels, captions, notes, citations) reaches the DOT only
through :func:`escape`, and only in ``label`` and ``tooltip``; links are built by
:func:`curie_url` from CURIEs that pass a strict pattern. Node, edge and cluster
ids are synthetic (``n0``, ``e0``, ``c0``) and assigned in sorted order, so the
same project gives the same bytes on every run.
"""

from __future__ import annotations

import fnmatch
import re
import textwrap
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Collection, Iterable, Mapping

import networkx as nx

from . import graph as G
from .errors import MechgraphError
from .model import WORKFLOW_KINDS, Direction, Effect, Figure, Grade, NodeKind, Project
from .quoting import ALLOWED_HOSTS, curie_url, escape, quote, wrap  # noqa: F401 (re-exported)

#: Bumped whenever the DOT we emit or the SVG post-processing changes meaning, so that
#: renders made by an older mechgraph are never mistaken for fresh ones.
FORMAT_VERSION = 1

FONT = "DejaVu Sans"  # has Greek, sub- and superscripts (5-HT₂A, α, Ca²⁺); fonts-dejavu-core


@dataclass(frozen=True)
class NodeStyle:
    shape: str
    name: str  # what the legend calls it
    border: tuple[str, ...] = ()  # extra Graphviz style words: dashed, rounded
    peripheries: int = 1
    penwidth: float = 1.2

    @property
    def multicolour(self) -> str:
        """How Graphviz can split this shape between pathways: wedged, striped or a band."""
        if self.shape in ("ellipse", "circle"):
            return "wedged"
        if self.shape == "box" and "rounded" not in self.border:
            return "striped"
        return "band"  # a row of colour chips under the label (HTML label)


@dataclass(frozen=True)
class EdgeStyle:
    arrowhead: str
    colour: str
    name: str  # legend text
    double: bool = False  # a two-line shaft (conversion)
    arrowsize: float = 0.9


@dataclass(frozen=True)
class LineStyle:
    style: str
    penwidth: float
    name: str
    alpha: str = ""  # appended to the colour: "80" is half transparent


# Small molecules are ellipses, macromolecules boxes (only these two shapes can be split
# between several pathways: style=wedged / style=striped); the border tells kinds apart.
KIND_SHAPE: Mapping[NodeKind, NodeStyle] = MappingProxyType({
    NodeKind.DRUG: NodeStyle("ellipse", "drug", penwidth=2.6),
    NodeKind.METABOLITE: NodeStyle("ellipse", "metabolite", ("dashed",)),
    NodeKind.TRANSMITTER: NodeStyle("ellipse", "transmitter"),
    NodeKind.ION: NodeStyle("circle", "ion"),
    NodeKind.OUTCOME: NodeStyle("ellipse", "outcome", peripheries=2),
    NodeKind.PROTEIN: NodeStyle("box", "protein"),
    NodeKind.KINASE: NodeStyle("box", "kinase", penwidth=2.6),
    NodeKind.RECEPTOR: NodeStyle("box", "receptor", peripheries=2),
    NodeKind.CHANNEL: NodeStyle("box", "ion channel", ("dashed",), peripheries=2),
    NodeKind.PROCESS: NodeStyle("box", "process", ("dashed",)),
    NodeKind.COMPLEX: NodeStyle("octagon", "complex"),  # SBGN: cut-corner rectangle
    NodeKind.CELL: NodeStyle("house", "cell"),
    NodeKind.REGION: NodeStyle("tab", "brain region"),
    NodeKind.NETWORK: NodeStyle("hexagon", "network"),
    NodeKind.INTERVENTION: NodeStyle("parallelogram", "intervention"),
    # workflows: flowchart shapes
    NodeKind.START: NodeStyle("box", "start / end", ("rounded",), penwidth=2.6),
    NodeKind.END: NodeStyle("box", "start / end", ("rounded",), penwidth=2.6),
    NodeKind.STEP: NodeStyle("box", "step", ("rounded",)),
    NodeKind.DECISION: NodeStyle("diamond", "decision"),
})

# SBGN Activity Flow arrowheads; the colour repeats the arrowhead for a quick read.
EFFECT_STYLE: Mapping[Effect, EdgeStyle] = MappingProxyType({
    Effect.POSITIVE: EdgeStyle("normal", "#262626", "activates"),
    Effect.NEGATIVE: EdgeStyle("tee", "#b2182b", "inhibits", arrowsize=1.2),
    # SBGN necessary stimulation: open arrowhead with a bar behind it
    Effect.NECESSARY: EdgeStyle("onormaltee", "#2166ac", "is necessary for", arrowsize=1.1),
    Effect.UNKNOWN: EdgeStyle("odiamond", "#737373", "modulates (sign unknown)"),
    Effect.CONVERSION: EdgeStyle("vee", "#5e3c99", "is converted to", double=True),
})
LEGEND_KIND_ORDER = tuple(k for k in NodeKind if k not in WORKFLOW_KINDS) + (
    NodeKind.START, NodeKind.STEP, NodeKind.DECISION, NodeKind.END)
WORKFLOW_EDGE = EdgeStyle("normal", "#404040", "then")

EVIDENCE_STYLE: Mapping[Grade, LineStyle] = MappingProxyType({
    Grade.CLINICAL: LineStyle("solid", 2.6, "clinical evidence"),
    Grade.PRECLINICAL: LineStyle("solid", 1.3, "preclinical evidence"),
    Grade.IN_VITRO: LineStyle("dashed", 1.3, "in-vitro evidence"),
    Grade.REVIEW: LineStyle("dotted", 1.8, "stated by a review"),
    Grade.HYPOTHESIS: LineStyle("dotted", 1.3, "hypothesis", alpha="99"),
})

#: Fill colours of a figure's pathways, in the figure's order (light, tell apart in
#: common colour-vision deficiencies with the legend; ColorBrewer Paired/Set3 lights).
PATHWAY_PALETTE: tuple[str, ...] = (
    "#a6cee3", "#fdbf6f", "#b2df8a", "#fb9a99", "#cab2d6", "#ffff99", "#8dd3c7", "#fccde5",
    "#d9d9d9", "#ccebc5",
)
SHARED_OUTLINE = ("#e66101", 3.0)  # colour and width of a shared node when highlighted
HIGHLIGHT_NAME = "shared by the compared sources"  # legend text of a caller's highlight
COMPARTMENT_STYLE = 'style="rounded,filled" color="#8c8c8c" fillcolor="#f4f4f4" fontsize=12 labeljust=l'
WORKFLOW_CLUSTER_STYLE = 'style="rounded" color="#bfbfbf" fontsize=13 labeljust=l'
LEGEND_STYLE = 'label="Legend" style="rounded" color="#bfbfbf" fontsize=12'
LEGEND_SAMPLE = 'label="" width=0.5 height=0.3 fixedsize=true'
# Where an edge sample starts: a blank sample, its line drawn from the middle (TB, BT), or
# a narrow blank node mid-column (LR, RL: an unclipped double line would pinch there).
LEGEND_TAIL = 'shape=none label="" width=0.5 height=0.3 fixedsize=true'
LEGEND_TAIL_ACROSS = 'shape=none label="" width=0.02 height=0.3 fixedsize=true'
LEGEND_MAX_COLUMNS = 4  # entries per legend row at most
LEGEND_MIN_EXTENT = 6.0  # inches a legend may always take across the figure's ranks
LEGEND_GAP = 14  # points after the longest text of a legend column
LEGEND_WRAP = 34  # characters per line of a pathway title in the legend
LEGEND_WRAP_ACROSS = 26  # the same beside an LR figure, where it widens a whole column
LEGEND_HOLD = 1000  # weight that keeps an entry's sample and text (and a row) in line

GRAPH_ATTRS = (
    'charset="UTF-8"', f'fontname="{FONT}"', "newrank=true", "nodesep=0.35", "ranksep=0.45",
    'pad="0.25"', "labelloc=t", "labeljust=l", 'bgcolor="white"', "outputorder=edgesfirst",
)
NODE_ATTRS = (f'fontname="{FONT}"', "fontsize=12", 'margin="0.14,0.06"', "penwidth=1.2")
# penwidth is set explicitly, so the "bold" style word (which only sets penwidth 2) is never used
EDGE_ATTRS = (f'fontname="{FONT}"', "fontsize=10", "penwidth=1.3")
NODE_WRAP = 22  # characters per line of a node label
CAPTION_WRAP = 100

# ---------------------------------------------------------------------------- figures

_SAFE_CLASS = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def pathway_figure(project: Project, pathway_id: str) -> Figure:
    """An ad-hoc figure that draws one pathway alone."""
    p = project.pathways[pathway_id]
    return Figure(id=p.id, title=p.title, pathways=(p.id,), caption=p.description)


def figure_pathways(project: Project, figure: Figure) -> tuple[str, ...]:
    """The figure's pathway ids in its own order, globs expanded; unknown ids are errors."""
    out: list[str] = []
    for pattern in figure.pathways:
        matches = ([pattern] if pattern in project.pathways
                   else sorted(fnmatch.filter(project.pathways, pattern)))
        if not matches:
            where = figure.location
            raise MechgraphError(
                f"figure {figure.id!r} names pathway {pattern!r}, which matches no pathway",
                path=where.path if where else None, line=where.line if where else None)
        out.extend(m for m in matches if m not in out)
    return tuple(out)


def to_dot(project: Project, figure: Figure, *, highlight: Collection[str] | None = None,
           highlight_name: str = HIGHLIGHT_NAME) -> str:
    """The DOT text of a figure: same project, figure and highlight, same bytes.

    ``highlight`` (graph node keys, such as a query's answer) outlines exactly those
    nodes instead of what the figure's own ``highlight: shared`` would mark; keys the
    figure does not draw are ignored. The legend calls them ``highlight_name``.
    """
    if isinstance(highlight, str):
        raise TypeError("highlight is a collection of node keys, not one key")
    pathways = figure_pathways(project, figure)
    g = G.build_graph(project, pathways)
    return _Emitter(project, figure, pathways, g, highlight, highlight_name).emit()


@dataclass(frozen=True)
class _DrawnEdge:
    u: str
    v: str
    effect: Effect
    workflow: bool
    grade: Grade | None
    pathways: tuple[str, ...]
    branch: str | None
    tooltip: str
    url: str | None


class _Emitter:
    def __init__(self, project: Project, figure: Figure, pathways: tuple[str, ...],
                 g: nx.MultiDiGraph, highlight: Collection[str] | None = None,
                 highlight_name: str = HIGHLIGHT_NAME) -> None:
        self.project, self.figure, self.g = project, figure, g
        drawn = [p for p in pathways if any(k == p for *_, k in g.edges(keys=True))]
        self.colour = {p: PATHWAY_PALETTE[i % len(PATHWAY_PALETTE)] for i, p in enumerate(drawn)}
        self.ids = {key: f"n{i}" for i, key in enumerate(sorted(g.nodes))}
        self.workflows = {p for p in pathways if G.is_workflow(project, p)}
        # A pathway naming no drug stands for itself, so two such pathways differ.
        self.drugs = {p: frozenset(project.pathways[p].drugs) or frozenset({f"({p})"})
                      for p in drawn}
        # A figure whose pathways have no drug in common compares drugs: "shared" then
        # means reached by pathways of different drugs, not just by two pathways.
        self.by_drug = len(drawn) > 1 and not frozenset.intersection(*self.drugs.values())
        self.edges = self._edges()
        # What is outlined, and what the legend calls it: the caller's keys, or the
        # figure's own rule (see _shared).
        if highlight is not None:
            self.highlighted = frozenset(k for k in highlight if k in g)
            self.highlight_name = highlight_name
        else:
            self.highlighted = frozenset(k for k in g if figure.highlight_shared
                                         and self._shared(k))
            self.highlight_name = ("in pathways of different drugs" if self.by_drug
                                   else "shared by two or more pathways")
        self.override = highlight is not None

    # -- nodes
    def _pathways(self, key: str) -> tuple[str, ...]:
        return tuple(p for p in self.colour if p in self.g.nodes[key][G.PATHWAYS])

    def _shared(self, key: str) -> bool:
        """What ``highlight: shared`` marks (see ``by_drug``)."""
        pws = self._pathways(key)
        if len(pws) < 2:
            return False
        return not (self.by_drug and frozenset.intersection(*(self.drugs[p] for p in pws)))

    def _node(self, key: str) -> str:
        data = self.g.nodes[key]
        kind: NodeKind = data[G.KIND]
        st = KIND_SHAPE[kind]
        pws = self._pathways(key)
        colours = [self.colour[p] for p in pws] or ["white"]
        label = wrap(data[G.LABEL], NODE_WRAP)
        time = wrap(data[G.TIME], NODE_WRAP + 8) if data.get(G.TIME) else None
        band = len(colours) > 1 and st.multicolour == "band"
        attrs = [f"id={self.ids[key]}", f"shape={st.shape}"]
        style = list(st.border)
        if len(colours) > 1 and not band:
            style.append(st.multicolour)
            attrs.append(f'fillcolor="{":".join(colours)}"')
        else:
            style.append("filled")
            attrs.append(f'fillcolor="{"white" if band else colours[0]}"')
        attrs.append(f'style="{",".join(style)}"')
        if st.peripheries != 1:
            attrs.append(f"peripheries={st.peripheries}")
        if key in self.highlighted:
            attrs.append(f'color="{SHARED_OUTLINE[0]}" penwidth={SHARED_OUTLINE[1]}')
        elif st.penwidth != 1.2:
            attrs.append(f"penwidth={st.penwidth}")
        if band or time:
            attrs.append(f"label={_html_label(label, time, colours if band else ())}")
        else:
            attrs.append(f"label={quote(label)}")
        attrs.append(f"tooltip={quote(self._node_tooltip(key), 'tooltip')}")
        url = next(filter(None, map(curie_url, data[G.XREFS])), None)
        if url:
            attrs.append(f'URL="{url}"')
        classes = ["mg-node", f"mg-kind-{kind.value}"] + [self._pw_class(p) for p in pws]
        if (key in self.highlighted) if self.override else self._shared(key):
            classes.append("mg-shared")
        attrs.append(f'class="{" ".join(classes)}"')
        return f"{self.ids[key]} [{' '.join(attrs)}];"

    def _node_tooltip(self, key: str) -> str:
        d = self.g.nodes[key]
        entity = self.project.entities.get(d[G.ENTITY])
        lines = [d[G.LABEL]]
        if entity is not None and entity.name and entity.name != d[G.LABEL]:
            lines.append(entity.name)
        where = f" in {d[G.COMPARTMENT_LABEL]}" if d.get(G.COMPARTMENT_LABEL) else ""
        lines.append(f"{KIND_SHAPE[d[G.KIND]].name}{where}")
        if d.get(G.TIME):
            lines.append(f"time: {d[G.TIME]}")
        if d[G.XREFS]:
            lines.append(", ".join(d[G.XREFS]))
        lines.append("pathways: " + ", ".join(self._pathways(key)))
        return "\n".join(lines)

    def _pw_class(self, pid: str) -> str:
        if _SAFE_CLASS.fullmatch(pid):
            return f"mg-pw-{pid}"
        return f"mg-pw-{list(self.colour).index(pid)}"

    # -- edges
    def _edges(self) -> list[_DrawnEdge]:
        merged: dict[tuple[str, str, Effect], list[tuple[str, dict]]] = {}
        for u, v, pid, data in self.g.edges(keys=True, data=True):
            merged.setdefault((u, v, data[G.EFFECT]), []).append((pid, data))
        out = []
        for (u, v, effect), items in merged.items():
            items.sort(key=lambda item: item[0])
            evidence = [ev for _, d in items for ev in d[G.EVIDENCE]]
            workflow = all(pid in self.workflows for pid, _ in items)
            grade = min((ev.grade for ev in evidence), key=lambda gr: gr.rank, default=None)
            branches = sorted({d[G.BRANCH] for _, d in items if d[G.BRANCH]})
            out.append(_DrawnEdge(
                u, v, effect, workflow, None if workflow else grade,
                tuple(pid for pid, _ in items), " / ".join(branches) or None,
                self._edge_tooltip(u, v, effect, items), self._edge_url(items)))
        return sorted(out, key=lambda e: (int(self.ids[e.u][1:]), int(self.ids[e.v][1:]),
                                          list(Effect).index(e.effect)))

    def _edge_tooltip(self, u: str, v: str, effect: Effect, items: list) -> str:
        verb = EFFECT_STYLE[effect].name
        if all(pid in self.workflows for pid, _ in items) and effect is Effect.POSITIVE:
            verb = "then"
        lines = [f"{self.g.nodes[u][G.LABEL]} {verb} {self.g.nodes[v][G.LABEL]}"]
        for pid, d in items:
            for ev in d[G.EVIDENCE]:
                bits = [f"[{pid}] {ev.grade.value}"]
                if ev.seed:
                    refs = f" refs {', '.join(ev.refs)}" if ev.refs else ""
                    bits.append(f"{ev.seed}{refs}")
                if ev.cites:
                    bits.append(", ".join(ev.cites))
                lines.append("; ".join(bits))
                if ev.note:
                    lines.append(f"note: {ev.note}")
        return "\n".join(lines)

    def _edge_url(self, items: list) -> str | None:
        """Link the first citation that resolves: the edge's own, then its source refs."""
        for _, d in items:
            for ev in d[G.EVIDENCE]:
                curies = list(ev.cites)
                src = self.project.sources.get(ev.seed.source) if ev.seed else None
                if src is not None:
                    curies += [c for r in ev.refs for c in src.refs.get(r, ())]
                for c in curies:
                    if url := curie_url(c):
                        return url
        return None

    def _edge(self, i: int, e: _DrawnEdge) -> str:
        st = WORKFLOW_EDGE if e.workflow and e.effect is Effect.POSITIVE else EFFECT_STYLE[e.effect]
        line = EVIDENCE_STYLE[e.grade] if e.grade else LineStyle("solid", 1.3, "")
        colour = st.colour + line.alpha
        attrs = [f"id=e{i}", f"arrowhead={st.arrowhead}", f"arrowsize={st.arrowsize}",
                 f'color="{colour}:invis:{colour}"' if st.double else f'color="{colour}"',
                 f"style={line.style}", f"penwidth={line.penwidth}"]
        if e.branch:
            attrs.append(f"label={quote(e.branch)} fontcolor=\"#404040\"")
        attrs.append(f"tooltip={quote(e.tooltip, 'tooltip')}")
        if e.url:
            attrs.append(f'URL="{e.url}"')
        classes = ["mg-edge", f"mg-effect-{e.effect.word}"]
        if e.grade:
            classes.append(f"mg-grade-{e.grade.value}")
        if e.workflow:
            classes.append("mg-workflow")
        classes += [self._pw_class(p) for p in e.pathways]
        attrs.append(f'class="{" ".join(classes)}"')
        return f"{self.ids[e.u]} -> {self.ids[e.v]} [{' '.join(attrs)}];"

    # -- whole figure
    def emit(self) -> str:
        f = self.figure
        out = [f"// mechgraph figure format {FORMAT_VERSION}", "digraph mg {"]
        out.append(f"  graph [{' '.join(GRAPH_ATTRS)} rankdir={f.direction.value}];")
        out.append(f"  node [{' '.join(NODE_ATTRS)}];")
        out.append(f"  edge [{' '.join(EDGE_ATTRS)}];")
        out.append(f"  label={_title_label(f.title, f.caption)};")
        groups: dict[tuple[int, str], list[str]] = {}
        loose = []
        for key in sorted(self.g.nodes, key=lambda k: int(self.ids[k][1:])):
            d = self.g.nodes[key]
            if d.get(G.COMPARTMENT):
                groups.setdefault((0, d[G.COMPARTMENT]), []).append(key)
            elif len(self.workflows) > 1 and self._step_of(key):
                groups.setdefault((1, self._step_of(key)), []).append(key)
            else:
                loose.append(key)
        for ci, ((is_wf, gid), keys) in enumerate(sorted(groups.items())):
            if is_wf:
                label, style = self.project.pathways[gid].title, WORKFLOW_CLUSTER_STYLE
            else:
                label = sorted(self.g.nodes[k][G.COMPARTMENT_LABEL] or gid for k in keys)[0]
                style = COMPARTMENT_STYLE
            out.append(f"  subgraph cluster_c{ci} {{")
            out.append(f"    id=c{ci} label={quote(label)} {style};")
            out += [f"    {self._node(k)}" for k in keys]
            out.append("  }")
        out += [f"  {self._node(k)}" for k in loose]
        out += [f"  {self._edge(i, e)}" for i, e in enumerate(self.edges)]
        out += ["  " + line for line in self._legend()]
        out.append("}")
        return "\n".join(out) + "\n"

    def _step_of(self, key: str) -> str | None:
        entity = self.g.nodes[key][G.ENTITY]
        pid, sep, _ = entity.partition(":")
        return pid if sep and pid in self.workflows and entity == key else None

    # -- legend: only what this figure draws
    def _legend_entries(self) -> list[list[_LegendEntry]]:
        """The legend's sections, each a list of entries: node shapes; arrowheads and
        line styles; pathway colours (and the highlight). Empty sections are left out."""
        shapes: list[_LegendEntry] = []
        seen: set[NodeStyle] = set()
        kinds = {d[G.KIND] for _, d in self.g.nodes(data=True)}
        for kind in LEGEND_KIND_ORDER:
            st = KIND_SHAPE[kind]
            look = replace(st, name="")
            if kind not in kinds or look in seen:  # start and end share one look: one entry
                continue
            seen.add(look)
            per = f" peripheries={st.peripheries}" if st.peripheries != 1 else ""
            per += f" penwidth={st.penwidth}" if st.penwidth != 1.2 else ""
            shapes.append(_LegendEntry(
                f'shape={st.shape} style="{",".join(st.border + ("filled",))}" '
                f"fillcolor=white{per} {LEGEND_SAMPLE}", "", st.name))
        tail = LEGEND_TAIL if self._vertical else LEGEND_TAIL_ACROSS
        arrows = []
        looks = {(e.workflow and e.effect is Effect.POSITIVE, e.effect) for e in self.edges}
        for wf, effect in sorted(looks, key=lambda t: (not t[0], list(Effect).index(t[1]))):
            st = WORKFLOW_EDGE if wf else EFFECT_STYLE[effect]
            col = f"{st.colour}:invis:{st.colour}" if st.double else st.colour
            arrows.append(_LegendEntry(tail, f'{st.arrowhead} arrowsize={st.arrowsize} '
                                             f'color="{col}"', st.name))
        lines = []
        for grade in sorted({e.grade for e in self.edges if e.grade}, key=lambda gr: gr.rank):
            ls = EVIDENCE_STYLE[grade]
            lines.append(_LegendEntry(tail, f'none color="#262626{ls.alpha}" '
                                            f"style={ls.style} penwidth={ls.penwidth}", ls.name))
        fills = [_LegendEntry(f'shape=box style=filled fillcolor="{colour}" {LEGEND_SAMPLE}', "",
                              wrap(self.project.pathways[pid].title,
                                   LEGEND_WRAP if self._vertical else LEGEND_WRAP_ACROSS))
                 for pid, colour in self.colour.items()]
        if self.highlighted:
            fills.append(_LegendEntry(
                f'shape=box style=filled fillcolor=white color="{SHARED_OUTLINE[0]}" '
                f"penwidth={SHARED_OUTLINE[1]} {LEGEND_SAMPLE}", "", self.highlight_name))
        return [s for s in (shapes, arrows + lines, fills) if s]

    @property
    def _vertical(self) -> bool:
        return self.figure.direction in (Direction.TB, Direction.BT)

    def _layers(self) -> _Layers:
        """Where the figure's nodes fall along its ranks (loops counted as one step)."""
        cond = nx.condensation(self.g)
        members: dict[str, int] = cond.graph["mapping"]
        topo = list(nx.topological_sort(cond))
        depth: dict[int, int] = {}
        for c in topo:
            depth[c] = max((depth[p] + 1 for p in cond.predecessors(c)), default=0)
        height: dict[int, int] = {}
        for c in reversed(topo):
            height[c] = max((height[s] + 1 for s in cond.successors(c)), default=0)
        order = sorted(members, key=lambda k: int(self.ids[k][1:]))
        starts = [k for k in order if cond.in_degree(members[k]) == 0]
        if self.figure.direction in (Direction.TB, Direction.LR):  # the legend after the ends
            ends = [k for k in order if cond.out_degree(members[k]) == 0]
            ends.sort(key=lambda k: -depth[members[k]])  # stable: ids break ties
        else:  # the legend before the starts
            ends = sorted(starts, key=lambda k: -height[members[k]])
        # each connected component's first start with the longest way on, the main one's
        # (that of the first end) first
        tops = [max((k for k in starts if members[k] in comp), key=lambda k: height[members[k]])
                for comp in nx.weakly_connected_components(cond)]
        main = next(t for t in tops if nx.has_path(cond.to_undirected(as_view=True),
                                                   members[t], members[ends[0]]))
        tops = [main] + sorted((t for t in tops if t != main), key=lambda k: int(self.ids[k][1:]))
        return _Layers({k: depth[members[k]] for k in order}, ends, tops)

    def _figure_extent(self, layer: Mapping[str, int]) -> float:
        """About how far (inches) the figure reaches across its ranks: the widest layer
        (TB, BT) or the tallest (LR, RL), an edge passing through a layer counted too."""
        across: dict[int, float] = {}
        for key, d in self.g.nodes(data=True):
            lines = wrap(d[G.LABEL], NODE_WRAP).split("\n")
            w = 0.095 * max(map(len, lines)) + 0.3
            h = 0.19 * len(lines) + 0.14 + (0.17 if d.get(G.TIME) else 0)
            grow = {"ellipse": 1.3, "circle": 1.3, "diamond": 1.9}.get(
                KIND_SHAPE[d[G.KIND]].shape, 1.1)
            size = max(w * grow, 0.75) if self._vertical else max(h * grow, 0.5)
            across[layer[key]] = across.get(layer[key], 0.0) + size + 0.35
        for e in self.edges:
            for i in range(layer[e.u] + 1, layer[e.v]):
                across[i] = across.get(i, 0.0) + 0.35
        return max(across.values(), default=0.0)

    def _legend(self) -> list[str]:
        """A cluster of (sample, text) pairs read row by row, on ranks of its own.

        Every end of the figure (a node or loop with no way on) leads to the legend's
        first row by an invisible edge that does not pull, so the legend lies beyond the
        last figure rank: below a top-to-bottom figure, right of a left-to-right one (BT
        and RL figures: the legend leads to every start; below and right again). No
        figure node shares a rank with a legend row, so a row is as tall as its own
        samples. Only the deepest end pulls, so that the legend sits under (or beside) it.

        TB/BT: each row is one rank, entries side by side; rows stack down. LR/RL: each
        row is a chain along the ranks (sample, text, sample, text...), the rows stacked
        within those ranks. Each section (shapes; arrowheads and lines; pathways) starts a row,
        with as many entries per row as keep the legend within the figure's breadth (as
        estimated from its layers). Edge samples are real edges, so their arrowheads and
        line styles are exactly the figure's.
        """
        sections = self._legend_entries()
        if not sections:
            return []
        direction, vertical = self.figure.direction, self._vertical
        layers = self._layers()
        # About as wide (TB, BT) or tall (LR, RL) as the figure: the estimate runs short
        # (clusters, edge routes), and a TB legend may be as wide as the title block.
        extent = self._figure_extent(layers.layer)
        if vertical:
            room = max(1.25 * extent, _title_width(self.figure.title, self.figure.caption),
                       LEGEND_MIN_EXTENT)
        else:
            room = max(1.5 * extent, LEGEND_MIN_EXTENT)
        if vertical and len(sections) > 2:  # shapes and lines share a row if both fit in it
            both = sections[0] + sections[1]
            if len(both) <= LEGEND_MAX_COLUMNS and _legend_width([both], [len(both)]) <= room:
                sections = [both] + sections[2:]
        if vertical:  # per section, the most entries per row that fit the figure's width
            columns = [next((c for c in range(LEGEND_MAX_COLUMNS, 1, -1)
                             if _legend_width([sec], [c]) <= room), 2) for sec in sections]
        else:  # the fewest that fit its height
            columns = next(([c] * len(sections) for c in range(1, LEGEND_MAX_COLUMNS)
                            if _legend_height(sections, [c] * len(sections)) <= room),
                           [LEGEND_MAX_COLUMNS] * len(sections))
        per_row = max(columns)
        rows = _legend_rows(sections, columns)
        widths = _legend_text_widths(rows, per_section=vertical)
        lines = ["subgraph cluster_legend {",
                 # where Graphviz flips BT and RL figures, the label still goes top left
                 f"  id=legend {LEGEND_STYLE} labelloc={'b' if direction is Direction.BT else 't'}"
                 f" labeljust={'r' if direction is Direction.RL else 'l'};",
                 '  node [fontsize=10 margin="0.04,0.02" width=0 height=0];']

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
                lines.append(f"  {a} [{entry.sample}];")
                label = _legend_label(entry.text, widths[si, j])
                lines.append(f"  {b} [shape=plaintext label={label}];")
                if entry.edge:
                    arrow, _, rest = entry.edge.partition(" ")
                    unclip = " tailclip=false" if vertical else ""
                    lines.append(link(a, b, f"{rest}{unclip} {hold}", arrow))
                else:
                    lines.append(link(a, b, f"style=invis {hold}"))
        pairs = [[(f"l{2 * i}", f"l{2 * i + 1}") for i, _ in row] for _, row in rows]
        if vertical:
            for row in pairs:
                lines.append("  { rank=same; " + " ".join(n for pair in row for n in pair) + " }")
                lines += [f"  {b} -> {c} [style=invis {hold}];"
                          for (_, b), (c, _) in zip(row, row[1:])]
            # stack the rows: every column within a section, the first column across them
            order = list(zip(rows, pairs))
            for ((s, _), r), ((t, _), q) in zip(order, order[1:]):
                for j in range(len(q) if s == t else 1):
                    x, y = (q[j][0], r[j][0]) if direction is Direction.BT else (r[j][0], q[j][0])
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
            middle = _legend_width(sections, columns) / 2
            centres, x = [], 0.0
            for j, (a, b) in enumerate(pairs[0]):
                text = widths[rows[0][0], j] / 72
                centres += [(abs(x + 0.25 - middle), a), (abs(x + 0.85 + text / 2 - middle), b)]
                x += 0.85 + text + 0.35
            first = min(centres)[1]
        else:
            first = pairs[(len(pairs) - 1) // 2][0][0]
        for k in layers.ends:
            n, pull = self.ids[k], 1 if k == layers.ends[0] else 0
            lines.append(f"{n} -> {first} [style=invis weight={pull}];"
                         if direction in (Direction.TB, Direction.LR)
                         else f"{first} -> {n} [style=invis weight={pull}];")
        # Tied to the legend, a component of the figure could drift along the ranks: each
        # one's first node keeps to the rank of the main one's, as if drawn alone.
        if len(layers.tops) > 1:
            lines.append("{ rank=same; " + " ".join(self.ids[k] for k in layers.tops) + " }")
        return lines


@dataclass(frozen=True)
class _Layers:
    layer: dict[str, int]  # node key -> longest path to it from a start
    ends: list[str]  # what the legend ties to: the ends (TB, LR) or starts (BT, RL), the
    #                  farthest from the other side first
    tops: list[str]  # each connected component's first start, the main one's first


@dataclass(frozen=True)
class _LegendEntry:
    sample: str  # attributes of the sample node
    edge: str  # "arrowhead edge-attributes" of an edge sample, or ""
    text: str


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
    return {(si, j): round(5.2 * chars[(si, j) if per_section else (0, j)] + LEGEND_GAP)
            for si, row in rows for j in range(len(row))}


def _legend_width(sections: list[list[_LegendEntry]], columns: list[int]) -> float:
    """About how wide (inches) a TB legend is."""
    rows = _legend_rows(sections, columns)
    widths = _legend_text_widths(rows, per_section=True)
    return max(sum(0.5 + 0.35 + widths[si, j] / 72 + 0.35 for j in range(len(row)))
               for si, row in rows)


def _legend_height(sections: list[list[_LegendEntry]], columns: list[int]) -> float:
    """About how tall (inches) an LR legend is."""
    rows = _legend_rows(sections, columns)
    return 0.3 + sum(max(0.31, *(0.155 * (e.text.count("\n") + 1) + 0.04 for _, e in row))
                     + 0.35 for _, row in rows)


# ---------------------------------------------------------------------------- labels

def _html_label(label: str, time: str | None, colours: Iterable[str]) -> str:
    colours = list(colours)
    span = f' COLSPAN="{len(colours)}"' if len(colours) > 1 else ""
    rows = [f"<TR><TD{span}>{escape(label, 'html')}</TD></TR>"]
    if time:
        rows.append(f'<TR><TD{span}><FONT POINT-SIZE="10" COLOR="#4d4d4d">'
                    f"{escape(time, 'html')}</FONT></TD></TR>")
    if colours:
        chips = "".join(f'<TD BGCOLOR="{c}" HEIGHT="7" WIDTH="14"></TD>' for c in colours)
        rows.append(f"<TR>{chips}</TR>")
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
            + "".join(rows) + "</TABLE>>")


def _legend_label(text: str, width: int) -> str:
    """Legend text, left-aligned in a cell ``width`` points wide (or as wide as it is)."""
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
            f'<TD WIDTH="{width}" ALIGN="LEFT" BALIGN="LEFT">{escape(text, "html")}</TD>'
            "</TR></TABLE>>")


def _title_width(title: str, caption: str | None) -> float:
    """About how wide (inches) :func:`_title_label` draws."""
    lines = _caption_text(caption).split("\n") if caption else []
    return max([0.116 * len(title)] + [0.078 * len(line) for line in lines])


def _caption_text(caption: str) -> str:
    paragraphs = [" ".join(p.split()) for p in caption.split("\n\n")]
    return "\n".join(textwrap.fill(p, CAPTION_WRAP, break_long_words=False)
                     for p in paragraphs if p)


def _title_label(title: str, caption: str | None) -> str:
    rows = [f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="16"><B>{escape(title, "html")}</B>'
            "</FONT></TD></TR>"]
    if caption:
        text = _caption_text(caption)
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="11" COLOR="#333333">'
                    f"{escape(text, 'html')}</FONT></TD></TR>")
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3">'
            + "".join(rows) + "</TABLE>>")
