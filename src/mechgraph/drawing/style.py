"""How a figure looks: the immutable style tables, and the lookups over them.

Every visual choice is a constant here: the shape of a node by its kind, the
arrowhead and colour of an edge by its effect, the line by its evidence grade, the
fills of pathways, the highlight outline, fonts and the default attributes of the
graph, its nodes, edges and clusters, and the look of the legend's samples.
:mod:`mechgraph.drawing.dot` and :mod:`mechgraph.drawing.legend` only look them up, so a legend sample
is drawn with exactly the attributes of what it explains.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from ..model import Effect, Grade, NodeKind

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

    def outline(self, *, highlighted: bool = False, inferred: bool = False) -> list[str]:
        """The border attributes that differ from NODE_ATTRS; a highlight overrides the pen
        (``inferred``: a highlighted answer that chains through another drug's pathway)."""
        attrs = [f"peripheries={self.peripheries}"] if self.peripheries != 1 else []
        if highlighted:
            attrs.append(INFERRED_HIGHLIGHT_ATTRS if inferred else HIGHLIGHT_ATTRS)
        elif self.penwidth != 1.2:
            attrs.append(f"penwidth={self.penwidth}")
        return attrs


@dataclass(frozen=True)
class EdgeStyle:
    arrowhead: str
    colour: str
    name: str  # legend text
    double: bool = False  # a two-line shaft (conversion)
    arrowsize: float = 0.9

    def color_attr(self, alpha: str = "") -> str:
        """The ``color`` attribute: two parallel lines (with a gap) for a double shaft."""
        colour = self.colour + alpha
        return f'color="{colour}:invis:{colour}"' if self.double else f'color="{colour}"'


@dataclass(frozen=True)
class LineStyle:
    style: str
    penwidth: float
    name: str
    alpha: str = ""  # appended to the colour: "80" is half transparent

    @property
    def attrs(self) -> str:
        return f"style={self.style} penwidth={self.penwidth}"


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
    NodeKind.MEASUREMENT: NodeStyle("cylinder", "measurement (biomarker, imaging)"),
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
    Effect.ASSOCIATED: EdgeStyle("none", "#737373", "is associated with"),
})
# by id(): an Enum member's hash is a Python call (members are singletons)
_STYLE_OF = {id(e): st for e, st in EFFECT_STYLE.items()}
WORKFLOW_EDGE = EdgeStyle("normal", "#404040", "then")

EVIDENCE_STYLE: Mapping[Grade, LineStyle] = MappingProxyType({
    Grade.CLINICAL: LineStyle("solid", 2.6, "clinical evidence"),
    Grade.PRECLINICAL: LineStyle("solid", 1.3, "preclinical evidence"),
    Grade.IN_VITRO: LineStyle("dashed", 1.3, "in-vitro evidence"),
    Grade.REVIEW: LineStyle("dotted", 1.8, "stated by a review"),
    Grade.HYPOTHESIS: LineStyle("dotted", 1.3, "hypothesis", alpha="99"),
})
UNGRADED_LINE = LineStyle("solid", 1.3, "")  # workflow steps carry no evidence

# Statements that are not one mechanistic step: thinner and greyer than any step, so an
# observation is never the heaviest line of a cascade. A summary keeps its arrowhead (the
# sign), open where it is positive; an association is an undirected dotted line with a small
# dot at each end, so it never reads as a hypothesis (also dotted) without its arrowhead.
RELATION_COLOUR = "#969696"
SUMMARY_LINE = LineStyle("dashed", 0.9, "summary")  # named per effect in the legend
ASSOCIATION_LINE = LineStyle("dotted", 1.1, "association: a correlation")
SUMMARY_ARROWHEAD = {Effect.POSITIVE: "onormal", Effect.NECESSARY: "onormaltee"}
ASSOCIATION_LABEL = {1: "+", -1: "\u2212"}  # a signed correlation
ASSOCIATION_END, ASSOCIATION_END_SIZE = "dot", 0.45  # the glyph at each end of an association
ASSOCIATION_ENDS = (f"dir=both arrowhead={ASSOCIATION_END} arrowtail={ASSOCIATION_END} "
                    f"arrowsize={ASSOCIATION_END_SIZE}")
ASSOCIATION_VERB = {1: "is positively associated with", -1: "is negatively associated with"}

#: Fill colours of pathways (light, told apart in common colour-vision deficiencies with
#: the legend; ColorBrewer Paired/Set3/Pastel1 lights; no grey, which reads as "no pathway").
#: drawing/fills.py gives each pathway its own, the same in every figure where it can.
PATHWAY_PALETTE: tuple[str, ...] = (
    "#a6cee3", "#fdbf6f", "#b2df8a", "#fb9a99", "#cab2d6", "#ffff99", "#8dd3c7", "#fccde5",
    "#e5d8bd", "#ccebc5",
)
SHARED_OUTLINE = ("#e66101", 3.0)  # colour and width of a shared node when highlighted
HIGHLIGHT_ATTRS = f'color="{SHARED_OUTLINE[0]}" penwidth={SHARED_OUTLINE[1]}'
INFERRED_OUTLINE = ("#8073ac", 3.0)  # a highlighted answer that is inferred, not stated
INFERRED_HIGHLIGHT_ATTRS = f'color="{INFERRED_OUTLINE[0]}" penwidth={INFERRED_OUTLINE[1]}'
BRANCH_FONT_COLOUR = "#404040"  # an edge's branch label
COMPARTMENT_STYLE = 'style="rounded,filled" color="#8c8c8c" fillcolor="#f4f4f4" fontsize=12 labeljust=l'
WORKFLOW_CLUSTER_STYLE = 'style="rounded" color="#bfbfbf" fontsize=13 labeljust=l'
LEGEND_STYLE = 'label="" style="rounded" color="#bfbfbf" margin=6'
LEGEND_NODE_ATTRS = 'fontsize=10 margin="0.04,0.02" width=0 height=0'
LEGEND_SAMPLE = 'label="" width=0.4 height=0.2 fixedsize=true'
LEGEND_LINE_COLOUR = "#262626"  # of the samples of evidence lines
# Where an edge sample starts: a blank sample, its line drawn from the middle (TB, BT), or
# a narrow blank node mid-column (LR, RL: an unclipped double line would pinch there).
LEGEND_TAIL = 'shape=none label="" width=0.4 height=0.2 fixedsize=true'
LEGEND_TAIL_ACROSS = 'shape=none label="" width=0.02 height=0.2 fixedsize=true'

GRAPH_ATTRS = (
    'charset="UTF-8"', f'fontname="{FONT}"', "newrank=true", "nodesep=0.35", "ranksep=0.45",
    'pad="0.25"', "labelloc=t", "labeljust=l", 'bgcolor="white"', "outputorder=edgesfirst",
)
NODE_ATTRS = (f'fontname="{FONT}"', "fontsize=12", 'margin="0.14,0.06"', "penwidth=1.2")
# penwidth is set explicitly, so the "bold" style word (which only sets penwidth 2) is never used
EDGE_ATTRS = (f'fontname="{FONT}"', "fontsize=10", "penwidth=1.3")
NODE_WRAP = 22  # characters per line of a node label
# a striped box is wider than its label, so that its stripes show beside the label's plate
SPLIT_MARGIN = {"striped": ' margin="0.3,0.06"'}


def edge_style(effect: Effect, *, workflow: bool) -> EdgeStyle:
    """The arrow of an effect; a workflow's plain "then" for a step that leads to the next."""
    return WORKFLOW_EDGE if workflow and effect is Effect.POSITIVE else _STYLE_OF[id(effect)]


def edge_verb(effect: Effect, workflow: bool, relation: str, *, plural: bool = False) -> str:
    """How a tooltip words an edge: an association as a correlation, never a causal verb;
    the verb agreeing with a ``plural`` subject ("SSRIs activate", "are necessary for")."""
    if relation == "association":
        verb = ASSOCIATION_VERB.get(effect.sign, "is associated with")
    else:
        verb = edge_style(effect, workflow=workflow).name
    if not plural:
        return verb
    first, _, rest = verb.partition(" ")
    first = "are" if first == "is" else first[:-1] if first.endswith("s") else first
    return f"{first} {rest}".rstrip()


def line_style(grade: Grade | None) -> LineStyle:
    """The line of an edge's best evidence grade; a plain line where it has none."""
    return EVIDENCE_STYLE[grade] if grade else UNGRADED_LINE


def relation_attrs(relation: str, effect: Effect) -> list[str]:
    """How a summary or an association is drawn, whatever its evidence grade."""
    if relation == "association":
        attrs = [ASSOCIATION_ENDS, f'color="{RELATION_COLOUR}"', ASSOCIATION_LINE.attrs]
        if effect.sign in ASSOCIATION_LABEL:
            # the sign in ink, not the line's grey (text must read in light and dark), as an
            # external label: placed beside the drawn line, never as a rank of its own
            attrs.append(f'xlabel="{ASSOCIATION_LABEL[effect.sign]}" fontsize=13')
        return attrs
    return [f"arrowhead={summary_head(effect)}", f'color="{RELATION_COLOUR}"',
            SUMMARY_LINE.attrs]


def summary_head(effect: Effect) -> str:
    """A summary's arrowhead and its size: its effect's, open where that is positive."""
    st = EFFECT_STYLE[effect]
    return f"{SUMMARY_ARROWHEAD.get(effect, st.arrowhead)} arrowsize={st.arrowsize}"


def edge_look(effect: Effect, workflow: bool, grade: Grade | None, relation: str
              ) -> tuple[str, str]:
    """An edge's DOT attributes (all but id, label, tooltip and link) and classes (all but
    its pathways'), by its effect, whether it is a workflow step, its grade and relation."""
    st, line = edge_style(effect, workflow=workflow), line_style(grade)
    if relation == "mechanism":
        attrs = [f"arrowhead={st.arrowhead}", f"arrowsize={st.arrowsize}",
                 st.color_attr(line.alpha), line.attrs]
    else:
        attrs = relation_attrs(relation, effect)
    classes = ["mg-edge", f"mg-effect-{effect.word}"]
    if relation != "mechanism":
        classes.append(f"mg-relation-{relation}")
    if grade:
        classes.append(f"mg-grade-{grade.value}")
    if workflow:
        classes.append("mg-workflow")
    return " ".join(attrs), " ".join(classes)
