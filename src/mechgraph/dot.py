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
from typing import Iterable, Mapping

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
COMPARTMENT_STYLE = 'style="rounded,filled" color="#8c8c8c" fillcolor="#f4f4f4" fontsize=12 labeljust=l'
WORKFLOW_CLUSTER_STYLE = 'style="rounded" color="#bfbfbf" fontsize=13 labeljust=l'
LEGEND_STYLE = 'label="Legend" style="rounded" color="#bfbfbf" fontsize=12 labeljust=l'
LEGEND_SAMPLE = 'label="" width=0.5 height=0.3 fixedsize=true'
LEGEND_POINT = 'shape=point width=0.06 color="#262626"'
LEGEND_COLUMNS = 2  # entries per row in a top-to-bottom figure (beside it)
LEGEND_ROWS = 3  # entries per row in a left-to-right figure (above it)

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


def to_dot(project: Project, figure: Figure) -> str:
    """The DOT text of a figure: same project and figure, same bytes."""
    pathways = figure_pathways(project, figure)
    g = G.build_graph(project, pathways)
    return _Emitter(project, figure, pathways, g).emit()


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
                 g: nx.MultiDiGraph) -> None:
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
        if self.figure.highlight_shared and self._shared(key):
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
        if self._shared(key):
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
    def _legend_entries(self) -> list[tuple[str, str, str]]:
        """(sample node attributes, "arrow edge-attributes" or "", text) per legend entry."""
        entries = []
        seen: dict[NodeStyle, int] = {}
        for kind in LEGEND_KIND_ORDER:
            st = KIND_SHAPE[kind]
            if not any(d[G.KIND] is kind for _, d in self.g.nodes(data=True)):
                continue
            look = replace(st, name="")
            if look in seen:  # start and end share one look: one entry
                continue
            seen[look] = len(entries)
            per = f" peripheries={st.peripheries}" if st.peripheries != 1 else ""
            per += f" penwidth={st.penwidth}" if st.penwidth != 1.2 else ""
            entries.append((f'shape={st.shape} style="{",".join(st.border + ("filled",))}" '
                            f"fillcolor=white{per} {LEGEND_SAMPLE}", "", st.name))
        if self.figure.highlight_shared and any(self._shared(k) for k in self.g.nodes):
            entries.append((f'shape=box style=filled fillcolor=white color="{SHARED_OUTLINE[0]}" '
                            f"penwidth={SHARED_OUTLINE[1]} {LEGEND_SAMPLE}", "",
                            "in pathways of different drugs" if self.by_drug
                            else "shared by two or more pathways"))
        looks = {(e.workflow and e.effect is Effect.POSITIVE, e.effect) for e in self.edges}
        for wf, effect in sorted(looks, key=lambda t: (not t[0], list(Effect).index(t[1]))):
            st = WORKFLOW_EDGE if wf else EFFECT_STYLE[effect]
            col = f"{st.colour}:invis:{st.colour}" if st.double else st.colour
            entries.append((LEGEND_POINT, f'{st.arrowhead} arrowsize={st.arrowsize} '
                                          f'color="{col}"', st.name))
        for grade in sorted({e.grade for e in self.edges if e.grade}, key=lambda gr: gr.rank):
            ls = EVIDENCE_STYLE[grade]
            entries.append((LEGEND_POINT, f'none color="#262626{ls.alpha}" '
                                          f"style={ls.style} penwidth={ls.penwidth}", ls.name))
        for pid, colour in self.colour.items():
            entries.append((f'shape=box style=filled fillcolor="{colour}" {LEGEND_SAMPLE}', "",
                            wrap(self.project.pathways[pid].title, 34)))
        return entries

    def _legend(self) -> list[str]:
        """A grid of (sample, text) pairs in a cluster, read row by row.

        Top-to-bottom figures: each row is one rank, entries side by side (flat edges).
        Left-to-right figures: each row is a chain along the ranks (sample, text,
        sample, text...) and the rows are stacked within those ranks. BT and RL
        figures reverse the chains so that the grid still reads left to right, top down.
        """
        entries = self._legend_entries()
        if not entries:
            return []
        direction = self.figure.direction
        vertical = direction in (Direction.TB, Direction.BT)
        width = max(len(line) for *_, text in entries for line in text.split("\n"))
        width = round(0.075 * width + 0.1, 2)  # inches at 10 pt; a common width aligns the grid
        lines = ["subgraph cluster_legend {",
                 f"  id=legend {LEGEND_STYLE} labelloc={'b' if direction is Direction.BT else 't'};",
                 '  node [fontsize=10 margin="0.04,0.02"];']

        def link(x: str, y: str, attrs: str = "style=invis", arrow: str = "") -> str:
            """An edge drawn from x to y; in RL written y -> x so that x ranks after y."""
            if direction is Direction.RL:
                tail = f"dir=back arrowtail={arrow} " if arrow else ""
                return f"  {y} -> {x} [{tail}{attrs}];"
            return f"  {x} -> {y} [{f'arrowhead={arrow} ' if arrow else ''}{attrs}];"

        pairs = []
        for i, (sample, edge, text) in enumerate(entries):
            a, b = f"l{2 * i}", f"l{2 * i + 1}"
            label = "".join(escape(line) + "\\l" for line in text.split("\n"))
            lines.append(f"  {a} [{sample}];")
            lines.append(f'  {b} [shape=plaintext label="{label}" width={width}];')
            arrow, _, rest = edge.partition(" ")
            lines.append(link(a, b, f"{rest} weight=10", arrow) if edge
                         else link(a, b, "style=invis weight=10"))
            pairs.append((a, b))
        per_row = LEGEND_COLUMNS if vertical else LEGEND_ROWS
        rows = [pairs[i:i + per_row] for i in range(0, len(pairs), per_row)]
        for row in rows:
            if vertical:
                lines.append("  { rank=same; " + " ".join(n for pair in row for n in pair) + " }")
                lines += [f"  {b} -> {c} [style=invis];" for (_, b), (c, _) in zip(row, row[1:])]
            else:
                lines += [link(b, c, "style=invis weight=10") for (_, b), (c, _) in zip(row, row[1:])]
        if vertical:
            order = rows[::-1] if direction is Direction.BT else rows
            lines += [f"  {r[0][0]} -> {s[0][0]} [style=invis];" for r, s in zip(order, order[1:])]
        else:
            for j in range(2 * per_row):  # one rank per position in the rows: stack the rows
                column = [row[j // 2][j % 2] for row in rows if j // 2 < len(row)]
                lines.append("  { rank=same; " + " ".join(column) + " }")
                # a flat edge puts its tail first: top in TB, bottom once turned to LR or RL
                lines += [f"  {y} -> {x} [style=invis];" for x, y in zip(column, column[1:])]
        return lines + ["}"]


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


def _title_label(title: str, caption: str | None) -> str:
    rows = [f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="16"><B>{escape(title, "html")}</B>'
            "</FONT></TD></TR>"]
    if caption:
        paragraphs = [" ".join(p.split()) for p in caption.split("\n\n")]
        text = "\n".join(textwrap.fill(p, CAPTION_WRAP, break_long_words=False)
                         for p in paragraphs if p)
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="11" COLOR="#333333">'
                    f"{escape(text, 'html')}</FONT></TD></TR>")
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3">'
            + "".join(rows) + "</TABLE>>")
