"""The pathway model: frozen dataclasses and enums, no I/O.

Effects follow SBGN Activity Flow. A pathway is a list of directed, signed edges
between entity references; an entity reference is an entity id from the catalog,
optionally placed in a compartment (``NMDAR@interneuron``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Mapping


class Effect(Enum):
    """How the source of an edge acts on its target (SBGN Activity Flow)."""

    POSITIVE = "->"  # positive influence: activates, stimulates, releases
    NEGATIVE = "-|"  # negative influence: inhibits, blocks
    NECESSARY = "=>"  # necessary stimulation: target cannot happen without it
    UNKNOWN = "~>"  # unknown influence: modulates, alters
    CONVERSION = ">>"  # conversion: prodrug -> active form, substrate -> product
    ASSOCIATED = "--"  # an association of unknown sign (no causal direction)

    @property
    def sign(self) -> int:
        """+1, -1, or 0 for an influence whose sign is unknown."""
        return _SIGN[self]

    @property
    def word(self) -> str:
        return self.name.lower()


_SIGN = {
    Effect.POSITIVE: 1,
    Effect.NEGATIVE: -1,
    Effect.NECESSARY: 1,
    Effect.UNKNOWN: 0,
    # Converting A into B raises B for as long as A is given.
    Effect.CONVERSION: 1,
    Effect.ASSOCIATED: 0,
}

#: Words accepted for ``effect:`` in the long form, with the arrow they mean.
EFFECT_ALIASES: Mapping[str, Effect] = {
    **{e.value: e for e in Effect},
    **{e.word: e for e in Effect},
    "activates": Effect.POSITIVE,
    "stimulates": Effect.POSITIVE,
    "increases": Effect.POSITIVE,
    "promotes": Effect.POSITIVE,
    "induces": Effect.POSITIVE,
    "enhances": Effect.POSITIVE,
    "releases": Effect.POSITIVE,
    "agonist": Effect.POSITIVE,
    "inhibits": Effect.NEGATIVE,
    "blocks": Effect.NEGATIVE,
    "antagonist": Effect.NEGATIVE,
    "decreases": Effect.NEGATIVE,
    "reduces": Effect.NEGATIVE,
    "suppresses": Effect.NEGATIVE,
    "degrades": Effect.NEGATIVE,
    "requires": Effect.NECESSARY,
    "required-for": Effect.NECESSARY,
    "necessary-for": Effect.NECESSARY,
    "modulates": Effect.UNKNOWN,
    "alters": Effect.UNKNOWN,
    "affects": Effect.UNKNOWN,
    "regulates": Effect.UNKNOWN,
    "converts": Effect.CONVERSION,
    "converts-to": Effect.CONVERSION,
    "metabolised-to": Effect.CONVERSION,
    "metabolized-to": Effect.CONVERSION,
    "correlates": Effect.ASSOCIATED,
    "associated-with": Effect.ASSOCIATED,
}


class Relation(Enum):
    """What kind of statement an edge is (BEL's directlyIncreases / increases /
    positiveCorrelation make the same cut)."""

    MECHANISM = "mechanism"  # one direct causal step: chains are made of these
    SUMMARY = "summary"  # an observed effect of A on C that a chain explains or may explain
    ASSOCIATION = "association"  # correlation, biomarker, co-occurrence: never traversed

    @property
    def rank(self) -> int:
        """0 for a mechanism, 1 for a summary, 2 for an association."""
        return _RELATION_RANK[self]


_RELATION_RANK = {Relation.MECHANISM: 0, Relation.SUMMARY: 1, Relation.ASSOCIATION: 2}


class Grade(Enum):
    """Evidence grade of an edge, strongest first."""

    CLINICAL = "clinical"
    PRECLINICAL = "preclinical"
    IN_VITRO = "in-vitro"
    REVIEW = "review"
    HYPOTHESIS = "hypothesis"

    @property
    def rank(self) -> int:
        """0 for the strongest grade; larger is weaker."""
        return list(Grade).index(self)


class NodeKind(Enum):
    """What a node is; decides its shape in a figure."""

    DRUG = "drug"
    METABOLITE = "metabolite"
    RECEPTOR = "receptor"
    CHANNEL = "channel"
    TRANSMITTER = "transmitter"
    PROTEIN = "protein"
    KINASE = "kinase"
    COMPLEX = "complex"
    ION = "ion"
    PROCESS = "process"
    OUTCOME = "outcome"
    CELL = "cell"
    REGION = "region"
    NETWORK = "network"
    INTERVENTION = "intervention"
    MEASUREMENT = "measurement"  # a biomarker or imaging readout, never the mechanism itself
    # workflow nodes
    STEP = "step"
    DECISION = "decision"
    START = "start"
    END = "end"


WORKFLOW_KINDS = frozenset({NodeKind.STEP, NodeKind.DECISION, NodeKind.START, NodeKind.END})


class PathwayKind(Enum):
    SIGNALING = "signaling"
    WORKFLOW = "workflow"


class Direction(Enum):
    TB = "TB"
    LR = "LR"
    BT = "BT"
    RL = "RL"


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """Where something was written: a file and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, order=True, slots=True)
class SeedRef:
    """A place in a source document: ``cureus:45`` or ``cureus:45-47``."""

    source: str
    first: int
    last: int

    def __str__(self) -> str:
        if self.first == self.last:
            return f"{self.source}:{self.first}"
        return f"{self.source}:{self.first}-{self.last}"


@dataclass(frozen=True)
class Source:
    """A source document (one of the seeds), with its reference list."""

    id: str
    title: str
    file: str | None = None
    cite: tuple[str, ...] = ()
    refs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    location: Location | None = None


@dataclass(frozen=True)
class Entity:
    """A thing that can be a node: one id, one label, a kind, cross-references."""

    id: str
    label: str
    kind: NodeKind
    name: str | None = None
    xrefs: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    note: str | None = None
    tables: tuple["Table", ...] = ()
    location: Location | None = None
    plural: bool = False  # the label names several things ("SSRIs"): verbs agree with it


@dataclass(frozen=True)
class Compartment:
    id: str
    label: str
    location: Location | None = None


@dataclass(frozen=True, order=True, slots=True)
class NodeRef:
    """An entity, optionally in a compartment. ``key`` is the graph node key."""

    entity: str
    compartment: str | None = None

    @property
    def key(self) -> str:
        return self.entity if self.compartment is None else f"{self.entity}@{self.compartment}"

    def __str__(self) -> str:
        return self.key


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why an edge is believed: a grade, citations, the seed place, a note."""

    grade: Grade | None
    cites: tuple[str, ...] = ()
    seed: SeedRef | None = None
    refs: tuple[str, ...] = ()  # the seed's own reference numbers
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Edge:
    source: NodeRef
    target: NodeRef
    effect: Effect
    evidence: tuple[Evidence, ...]
    label: str | None = None  # a branch label in a workflow
    location: Location | None = None
    relation: Relation = Relation.MECHANISM
    #: for a summary: the node keys of the chain that explains it, or ``(pathway id,)``
    #: when ``via_pathway``
    via: tuple[str, ...] = ()
    via_pathway: bool = False

    @property
    def sign(self) -> int:
        return self.effect.sign


@dataclass(frozen=True)
class Step:
    """A node local to a workflow: a step, decision, start or end, with a time point."""

    id: str
    label: str
    kind: NodeKind
    time: str | None = None
    note: str | None = None
    location: Location | None = None


@dataclass(frozen=True)
class Table:
    """A table from a source document, attached to a pathway or an entity."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    seed: SeedRef | None = None
    location: Location | None = None


@dataclass(frozen=True)
class Pathway:
    id: str
    title: str
    kind: PathwayKind
    edges: tuple[Edge, ...]
    drugs: tuple[str, ...] = ()
    description: str | None = None
    cite: tuple[str, ...] = ()
    seed: SeedRef | None = None
    compartments: Mapping[str, Compartment] = field(default_factory=dict)
    steps: Mapping[str, Step] = field(default_factory=dict)
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = ()
    location: Location | None = None
    #: holds for any drug (a disease model, general neurobiology): its edges are stated
    #: for every drug
    drug_independent: bool = False


@dataclass(frozen=True)
class Figure:
    """A view: which pathways one diagram draws, with its title and caption."""

    id: str
    title: str
    pathways: tuple[str, ...]
    caption: str | None = None
    fills: SeedRef | None = None  # the seed caption this figure fills
    direction: Direction = Direction.TB
    highlight_shared: bool = False
    #: drawn as two drugs' routes converging on what they share (drawing/convergence.py)
    convergence: bool = False
    location: Location | None = None


@dataclass(frozen=True)
class Experiment:
    """A reported intervention and its outcome, checked by the knockout query."""

    id: str
    drug: str
    knockout: tuple[NodeRef, ...]
    target: NodeRef
    expect: str  # "lost" | "kept" | "increases" | "decreases" | "discordant"
    evidence: Evidence
    conflicts_with: tuple[str, ...] = ()
    location: Location | None = None


EXPECTATIONS = ("lost", "kept", "increases", "decreases", "discordant", "unknown")


@dataclass(frozen=True)
class Project:
    """Everything loaded from a set of files: the input to graph, query and render."""

    pathways: Mapping[str, Pathway]
    entities: Mapping[str, Entity]
    compartments: Mapping[str, Compartment] = field(default_factory=dict)
    figures: Mapping[str, Figure] = field(default_factory=dict)
    experiments: Mapping[str, Experiment] = field(default_factory=dict)
    sources: Mapping[str, Source] = field(default_factory=dict)
    warnings: tuple = ()  # tuple[errors.Diagnostic, ...]

    def compartment(self, pathway: Pathway, cid: str) -> Compartment | None:
        """A compartment as seen from a pathway: its own first, then the shared ones."""
        return pathway.compartments.get(cid) or self.compartments.get(cid)
