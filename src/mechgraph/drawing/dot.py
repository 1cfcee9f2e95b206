"""Figures -> DOT text: the figure's title, its nodes, clusters and edges, then its legend.

Every style decision is a lookup in :mod:`mechgraph.drawing.style`; the legend is laid out by
:mod:`mechgraph.drawing.legend`. User text (labels, captions, notes, citations) reaches the DOT
only through :func:`escape`, and only in ``label`` and ``tooltip``; links are built by
:func:`curie_url` from CURIEs that pass a strict pattern. Node, edge and cluster ids
are synthetic (``n0``, ``e0``, ``c0``) and assigned in sorted order, so the same
project gives the same bytes on every run.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Collection, Iterable, NamedTuple

from .. import graph as G
from ..errors import MechgraphError
from ..model import Effect, Figure, Grade, NodeKind, Project
from .fills import figure_fills, matching
from .legend import legend_lines
from .quoting import (  # noqa: F401 (re-exported)
    ALLOWED_HOSTS, curie_url, escape, fill_paragraphs, fold_html, quote, wrap)
from .style import (  # noqa: F401 (re-exported)
    BRANCH_FONT_COLOUR, COMPARTMENT_STYLE, EDGE_ATTRS, EFFECT_STYLE, EVIDENCE_STYLE,
    GRAPH_ATTRS, KIND_SHAPE, NODE_ATTRS, NODE_WRAP, PATHWAY_PALETTE, SHARED_OUTLINE, SPLIT_MARGIN,
    WORKFLOW_CLUSTER_STYLE, edge_look, edge_verb, edge_style, line_style, relation_attrs)

if TYPE_CHECKING:
    import networkx as nx

#: Bumped whenever the DOT we emit or the SVG post-processing changes meaning, so that
#: renders made by an older mechgraph are never mistaken for fresh ones.
FORMAT_VERSION = 1

HIGHLIGHT_NAME = "shared by the compared sources"  # legend text of a caller's highlight
INFERRED_NAME = "shared, inferred (through another drug's pathway)"
CAPTION_WRAP = 100

# ---------------------------------------------------------------------------- figures

_GRADE_RANK = {gr: gr.rank for gr in Grade}
_GRADE_TEXT = {id(None): "ungraded", **{id(gr): gr.value for gr in Grade}}  # by id(), as below
# by id(): an Enum member's hash is a Python call (members are singletons)
_EFFECT_ORDER = {id(e): i for i, e in enumerate(Effect)}
_EFFECT = {e.value: e for e in Effect}
# by a node's kind (as the graph stores it): its style, how it splits between pathways,
# its shape attribute, its border style words (each followed by a comma), its class
_KIND_LOOK = {k.value: (st, st.multicolour, f"shape={st.shape}",
                        "".join(f"{b}," for b in st.border), f"mg-kind-{k.value}")
              for k, st in KIND_SHAPE.items()}
_SAFE_CLASS = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def pathway_figure(project: Project, pathway_id: str) -> Figure:
    """An ad-hoc figure that draws one pathway alone."""
    p = project.pathways[pathway_id]
    return Figure(id=p.id, title=p.title, pathways=(p.id,), caption=p.description,
                  location=p.location)


def figure_pathways(project: Project, figure: Figure) -> tuple[str, ...]:
    """The figure's pathway ids in its own order, globs expanded; unknown ids are errors."""
    out: list[str] = []
    for pattern in figure.pathways:
        matches = matching(project, pattern)
        if not matches:
            where = figure.location
            raise MechgraphError(
                f"figure {figure.id!r} names pathway {pattern!r}, which matches no pathway",
                path=where.path if where else None, line=where.line if where else None)
        out.extend(m for m in matches if m not in out)
    return tuple(out)


def to_dot(project: Project, figure: Figure, *, highlight: Collection[str] | None = None,
           highlight_name: str = HIGHLIGHT_NAME, inferred: Collection[str] = ()) -> str:
    """The DOT text of a figure: same project, figure and highlight, same bytes.

    ``highlight`` (graph node keys, such as a query's answer) outlines exactly those
    nodes instead of what the figure's own ``highlight: shared`` would mark; keys the
    figure does not draw are ignored. The legend calls them ``highlight_name``. Those of
    them also in ``inferred`` (answers that chain through another drug's pathway) are
    outlined in another colour, which the legend names.
    """
    if isinstance(highlight, str):
        raise TypeError("highlight is a collection of node keys, not one key")
    if figure.convergence and highlight is None:
        from .convergence import convergence_dot

        return convergence_dot(project, figure)
    pathways = figure_pathways(project, figure)
    g = G.figure_graph(project, pathways)
    emitter = _Emitter(project, figure, pathways, g, highlight, highlight_name)
    emitter.inferred = frozenset(k for k in inferred if k in emitter.highlighted)
    return emitter.emit()


class _DrawnEdge(NamedTuple):
    u: str
    v: str
    effect: Effect
    workflow: bool
    grade: Grade | None
    pathways: tuple[str, ...]
    branch: str | None
    tooltip: str
    url: str | None
    relation: str = "mechanism"


class _Emitter:
    def __init__(self, project: Project, figure: Figure, pathways: tuple[str, ...],
                 g: nx.MultiDiGraph, highlight: Collection[str] | None = None,
                 highlight_name: str = HIGHLIGHT_NAME) -> None:
        self.project, self.figure, self.g = project, figure, g
        # the node dict itself (a FigureGraph's, networkx's): g.nodes[key] is a Python call
        self._nodes = g._node if type(getattr(g, "_node", None)) is dict else g.nodes
        present = {k for _, _, k in g.edges(keys=True)}
        drawn = [p for p in pathways if p in present]
        self.colour = figure_fills(project, drawn)  # each pathway's fill, figure to figure
        order = sorted(g.nodes)
        self.ids = {key: f"n{i}" for i, key in enumerate(order)}
        self.index = {key: i for i, key in enumerate(order)}  # the number in the id
        self._pw: dict[str, tuple[str, ...]] = {}
        self._pw_classes: dict[str, str] = {}
        self._node_looks: dict[tuple[str, str], tuple] = {}
        self.wrapped: dict[str, str] = {}  # node key -> its label as drawn (wrapped)
        self._looks: dict[tuple, tuple[str, str]] = {}
        self._evs: dict[tuple[str, int], tuple] = {}
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
        self.inferred: frozenset[str] = frozenset()
        self.nodesep = 0.35  # the graph's nodesep (GRAPH_ATTRS), that the legend lays out by
        self.key_by_id = False  # the legend names a pathway's fill by its id, not its title
        self.legend_within: float | None = None  # a TB legend's width, times the figure's

    # -- nodes
    def _pathways(self, key: str) -> tuple[str, ...]:
        text = self._nodes[key][G.PATHWAYS]  # many nodes share one: made once per figure
        out = self._pw.get(text)
        if out is None:
            pids = G.split(text)
            out = self._pw[text] = tuple(p for p in self.colour if p in pids)
        return out

    def _shared(self, key: str) -> bool:
        """What ``highlight: shared`` marks (see ``by_drug``)."""
        pws = self._pathways(key)
        if len(pws) < 2:
            return False
        return not (self.by_drug and frozenset.intersection(*(self.drugs[p] for p in pws)))

    def _node_look(self, key: str) -> tuple:
        """What a node's drawing takes from its kind and pathways alone (made once per figure
        for each pair): attributes from shape to style, outline (plain, highlighted, inferred),
        band colours, kind name, classes, whether shared, the tooltip's last line."""
        st, multicolour, shape, border, kind_class = _KIND_LOOK[self._nodes[key][G.KIND]]
        pws = self._pathways(key)
        colours = [self.colour[p] for p in pws] or ["white"]
        band = len(colours) > 1 and multicolour == "band"
        if len(colours) > 1 and not band:
            head = (f'{shape} fillcolor="{":".join(colours)}" style="{border}{multicolour}"'
                    + SPLIT_MARGIN.get(multicolour, ""))  # stripes show beside the plate
        else:
            head = f'{shape} fillcolor="{"white" if band else colours[0]}" style="{border}filled"'
        outlines = tuple("".join(f" {a}" for a in st.outline(highlighted=h, inferred=i))
                         for h, i in ((False, False), (True, False), (True, True)))
        classes = " ".join(["mg-node", kind_class, *map(self._pw_class, pws)])
        return (head, outlines, colours if band else None, len(colours) > 1 and not band,
                st.name, classes, self._shared(key), "\npathways: " + ", ".join(pws))

    def _node(self, key: str) -> str:
        data = self._nodes[key]
        look_key = (data[G.KIND], data[G.PATHWAYS])
        look = self._node_looks.get(look_key)
        if look is None:
            look = self._node_looks[look_key] = self._node_look(key)
        head, outlines, band, split, kind_name, classes, shared, pw_line = look
        text, time, xrefs = data[G.LABEL], data.get(G.TIME), data[G.XREFS]
        label = self.wrapped[key] = wrap(text, NODE_WRAP)  # the legend's extent reads it
        label = (_html_label(label, wrap(time, NODE_WRAP + 8) if time else None, band or (),
                             split) if band is not None or time or split else quote(label))
        # the tooltip: label, entity name, kind and compartment, time, xrefs, pathways
        name = getattr(self.project.entities.get(data[G.ENTITY]), "name", None)
        tip = f"{text}\n{name}" if name and name != text else text
        where = data.get(G.COMPARTMENT_LABEL)
        tip += f"\n{kind_name} in {where}" if where else f"\n{kind_name}"
        if time:
            tip += f"\ntime: {time}"
        url = ""
        if xrefs:
            refs = G.split(xrefs)
            tip += "\n" + ", ".join(refs)
            if link := next(filter(None, map(curie_url, refs)), None):
                url = f' URL="{link}"'
        hl, id_ = key in self.highlighted, self.ids[key]
        if (hl if self.override else shared):
            classes += " mg-shared"
        return (f"{id_} [id={id_} {head}{outlines[hl + (hl and key in self.inferred)]} "
                f"label={label} tooltip={quote(tip + pw_line, 'tooltip')}"
                f'{url} class="{classes}"];')

    def _pw_class(self, pid: str) -> str:
        out = self._pw_classes.get(pid)
        if out is None:
            out = self._pw_classes[pid] = (f"mg-pw-{pid}" if _SAFE_CLASS.fullmatch(pid)
                                           else f"mg-pw-{list(self.colour).index(pid)}")
        return out

    # -- edges
    def _edges(self) -> list[_DrawnEdge]:
        # (pathway, its statements, branch) per edge u -> v of one effect and relation
        merged: dict[tuple[str, str, str, str], list[tuple[str, tuple, str]]] = {}
        index = getattr(self.g, "edge_of", None)  # a FigureGraph's own, or made here
        if index is None:  # (pathway, u, v) -> the model edge, whose evidence is drawn
            index = {}
            for p in self.colour:
                pw = self.project.pathways[p]
                for e in pw.edges:
                    index[(p, G.node_key(pw, e.source), G.node_key(pw, e.target))] = e
        labels = {k: d[G.LABEL] for k, d in self.g.nodes(data=True)}
        entities = self.project.entities  # a plural subject ("SSRIs") takes a plural verb
        plural = {k for k, d in self.g.nodes(data=True)
                  if getattr(entities.get(d.get(G.ENTITY)), "plural", False)}
        for u, v, pid, data in self.g.edges(keys=True, data=True):
            edge = index.get((pid, u, v))
            item = (pid, edge.evidence if edge is not None else (), data[G.BRANCH])
            key = (u, v, data[G.EFFECT], data[G.RELATION])
            if key in merged:
                merged[key].append(item)
            else:
                merged[key] = [item]
        workflows, rank, verbs, evidence = self.workflows, _GRADE_RANK, {}, self._evidence
        out = []
        for (u, v, effect, relation), items in merged.items():
            effect = _EFFECT.get(effect) or Effect(effect)
            if len(items) > 1:
                items.sort(key=lambda item: item[0])
                workflow = all(pid in workflows for pid, _, _ in items)
                pids = tuple(pid for pid, _, _ in items)
                branch = " / ".join(sorted({b for _, _, b in items if b})) or None
                drawn = [evidence(pid, evs) for pid, evs, _ in items]
                text = "".join(d[0] for d in drawn)
                grades = [d[1] for d in drawn if d[1]]  # each its statements' strongest
                grade = None if workflow or not grades else min(grades, key=rank.__getitem__)
                url = next((d[2] for d in drawn if d[2]), None)
            else:  # one pathway draws it: the same, without a loop per field
                pid, evs, branch = items[0]
                workflow, pids, branch = pid in workflows, (pid,), branch or None
                text, grade, url = evidence(pid, evs)
                grade = None if workflow else grade
            look = (id(effect), workflow, relation, u in plural)
            verb = verbs.get(look)
            if verb is None:
                verb = verbs[look] = edge_verb(effect, workflow, relation, plural=look[3])
            head = (f"{labels[u]} {verb} {labels[v]}" if relation != "summary"
                    else f"{labels[u]} {verb} {labels[v]} ({relation})")
            out.append(_DrawnEdge(u, v, effect, workflow, grade, pids, branch, head + text,
                                  url, relation))
        index = self.index
        return sorted(out, key=lambda e: (index[e.u], index[e.v], _EFFECT_ORDER[id(e.effect)],
                                          e.relation))

    def _evidence(self, pid: str, evs: tuple) -> tuple[str, Grade | None, str | None]:
        """Pathway ``pid``'s statements of an edge as the edge draws them, made once per
        figure for each: their tooltip lines (each after a line break), their strongest
        grade, and the first citation that resolves to a link (their own, then their
        source refs)."""
        out = self._evs.get((pid, id(evs)))  # evs: the project's, alive while drawing
        if out is not None:
            return out
        text, url = "", None
        for ev in evs:
            bits = [f"[{pid}] {_GRADE_TEXT[id(ev.grade)]}"]
            if ev.seed:
                refs = f" refs {', '.join(ev.refs)}" if ev.refs else ""
                bits.append(f"{ev.seed}{refs}")
            if ev.cites:
                bits.append(", ".join(ev.cites))
            text += "\n" + "; ".join(bits)
            if ev.note:
                text += f"\nnote: {ev.note}"
            if url is None:
                curies = list(ev.cites)
                src = self.project.sources.get(ev.seed.source) if ev.seed else None
                if src is not None:
                    curies += [c for r in ev.refs for c in src.refs.get(r, ())]
                url = next(filter(None, map(curie_url, curies)), None)
        grades = [ev.grade for ev in evs if ev.grade]
        out = self._evs[pid, id(evs)] = (
            text, min(grades, key=_GRADE_RANK.__getitem__) if grades else None, url)
        return out

    def _edge(self, i: int, e: _DrawnEdge) -> str:
        # keyed by id(): an Enum member's hash is a Python call (members are singletons)
        look = (id(e.effect), e.workflow, id(e.grade), e.relation, e.pathways)
        cached = self._looks.get(look)
        if cached is None:
            attrs, classes = edge_look(e.effect, e.workflow, e.grade, e.relation)
            cached = self._looks[look] = (
                attrs, " ".join([classes, *map(self._pw_class, e.pathways)]))
        attrs, classes = cached
        label = f' label={quote(e.branch)} fontcolor="{BRANCH_FONT_COLOUR}"' if e.branch else ""
        url = f' URL="{e.url}"' if e.url else ""
        return (f"{self.ids[e.u]} -> {self.ids[e.v]} [id=e{i} {attrs}{label} "
                f'tooltip={quote(e.tooltip, "tooltip")}{url} class="{classes}"];')

    # -- whole figure
    def emit(self) -> str:
        f = self.figure
        out = [f"// mechgraph figure format {FORMAT_VERSION}", "digraph mg {"]
        out.append(f"  graph [{' '.join(GRAPH_ATTRS)} rankdir={f.direction.value}];")
        out.append(f"  node [{' '.join(NODE_ATTRS)}];")
        out.append(f"  edge [{' '.join(EDGE_ATTRS)}];")
        # the caption's lines, made once: the title block and the legend's width read them
        self.caption_text = fill_paragraphs(f.caption, CAPTION_WRAP) if f.caption else None
        out.append(f"  label={_title_label(f.title, self.caption_text)};")
        groups: dict[tuple[int, str], list[str]] = {}
        loose = []
        for key in sorted(self.g.nodes, key=self.index.__getitem__):
            d = self._nodes[key]
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
                label = sorted(self._nodes[k][G.COMPARTMENT_LABEL] or gid for k in keys)[0]
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
        entity = self._nodes[key][G.ENTITY]
        pid, sep, _ = entity.partition(":")
        return pid if sep and pid in self.workflows and entity == key else None

    def _legend(self) -> list[str]:
        """The legend of only what this figure draws (see :func:`legend_lines`)."""
        f = self.figure
        return legend_lines(
            self.g, self.ids, self.edges, direction=f.direction,
            fills=[(colour, pid if self.key_by_id else self.project.pathways[pid].title)
                   for pid, colour in self.colour.items()],
            highlight=self.highlight_name if self.highlighted - self.inferred else None,
            title_width=_title_width(f.title, self.caption_text),
            inferred=INFERRED_NAME if self.inferred else None, nodesep=self.nodesep,
            within=self.legend_within, wrapped=self.wrapped)


# ---------------------------------------------------------------------------- labels

def _html_label(label: str, time: str | None, colours: Iterable[str], plate: bool) -> str:
    """Label, time, a band's chips; on a white ``plate`` where wedge lines would cross it."""
    colours = list(colours)
    span = f' COLSPAN="{len(colours)}"' if len(colours) > 1 else ""
    rows = [f"<TR><TD{span}>{escape(label, 'html')}</TD></TR>"]
    if time:
        rows.append(f'<TR><TD{span}><FONT POINT-SIZE="10" COLOR="#4d4d4d">'
                    f"{escape(time, 'html')}</FONT></TD></TR>")
    if colours:
        chips = "".join(f'<TD BGCOLOR="{c}" HEIGHT="7" WIDTH="14"></TD>' for c in colours)
        rows.append(f"<TR>{chips}</TR>")
    ground = ' BGCOLOR="#ffffffb3" STYLE="rounded"' if plate else ""
    return fold_html(f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1"{ground}>'
                     + "".join(rows) + "</TABLE>>")


def _title_width(title: str, text: str | None) -> float:
    """About how wide (inches) :func:`_title_label` draws (``text``: the caption's lines)."""
    lines = text.split("\n") if text is not None else []
    return max([0.116 * len(title)] + [0.078 * len(line) for line in lines])


def _title_label(title: str, text: str | None) -> str:
    """The title block: the title, and the caption's lines (``text``) below it."""
    rows = [f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="16">{escape(title, "html")}'
            "</FONT></TD></TR>"]
    if text is not None:
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="11" COLOR="#333333">'
                    f"{escape(text, 'html')}</FONT></TD></TR>")
    return fold_html('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3">'
                     + "".join(rows) + "</TABLE>>")
