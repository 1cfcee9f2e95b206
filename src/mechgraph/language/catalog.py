"""The catalog: entities, compartments and sources, the names that resolve to them,
and the figure and experiment lists that refer to pathways and entities.

Node identity lives here: an entity has one id, and its id, label and synonyms each
name it alone (exactly, then ignoring case). Shared-node answers are only as good as
this identity, so likely duplicates (one CURIE on two entities, labels equal but for
case and punctuation) are reported as warnings.
"""

from __future__ import annotations

import fnmatch
import unicodedata
from typing import Iterable, Mapping

from ..errors import Diagnostic
from ..model import (
    EXPECTATIONS,
    WORKFLOW_KINDS,
    Compartment,
    Direction,
    Entity,
    Evidence,
    Experiment,
    Figure,
    Location,
    NodeKind,
    NodeRef,
    Pathway,
    PathwayKind,
    Source,
    Step,
)
from . import parse as p
from .fields import ARROW, BOOLEANS, Defaults, Fields, near

ENTITY_KEYS = ("label", "name", "kind", "xref", "synonyms", "note", "tables", "plural")
SOURCE_KEYS = ("title", "file", "cite", "refs")
FIGURE_KEYS = ("title", "caption", "fills", "pathways", "direction", "highlight")
EXPERIMENT_KEYS = ("drug", "knockout", "target", "expect", "evidence", "seed", "ref", "cite",
                   "note", "conflicts_with")
KINDS = {k.value: k for k in NodeKind if k not in WORKFLOW_KINDS}


class Catalog(Fields):
    """Readers of the catalog parts; the loader's second pass builds on them."""

    def __init__(self, diags: list[Diagnostic], strict: bool) -> None:
        super().__init__(diags, strict)
        self.entities: dict[str, Entity] = {}
        self.compartments: dict[str, Compartment] = {}
        self.names: dict[str, str] = {}  # id/label/synonym -> entity id
        self.folded: dict[str, set[str]] = {}  # casefolded name -> entity ids
        self.all_compartments: set[str] = set()
        self.broken: set[str] = set()  # names of entities refused with an error (casefolded)
        self.catalog_files: list[str] = []  # files without 'pathway:' among those read

    def read_entities(self, node: p.Node) -> None:
        m = self.mapping(node, "'entities'")
        if m is None:
            return
        for eid, (key, body) in m.items.items():
            eid = self.text(key, "entity id", name=True)
            if not eid:
                continue
            if "@" in eid or ARROW.search(eid):
                self.error(key.line, f"entity id {eid!r} may not hold '@' or an arrow "
                                     "(->, -|, =>, ~>, >>, --)")
                continue
            if eid in self.entities:
                self.error(key.line, f"entity {eid!r} is defined twice (also at {self.entities[eid].location})")
                continue
            entity = self.read_entity(eid, key, body)
            if entity is not None:
                self.entities[eid] = entity
                self.index_names(entity)
            else:  # already reported: its names are known, just unusable
                self.broken.update(_names_of(eid, body))

    def read_entity(self, eid: str, key: p.Scalar, body: p.Node) -> Entity | None:
        loc = Location(self.path, key.line)
        if isinstance(body, p.Scalar):  # shorthand: `glutamate: transmitter`
            kind = self.enum(body, "node kind", KINDS)
            return Entity(eid, eid, kind, location=loc) if kind else None
        m = self.mapping(body, f"entity {eid!r}")
        if m is None:
            return None
        self.keys(m, ENTITY_KEYS, f"entity {eid!r}", required=("kind",))
        kind = self.enum(m.get("kind"), "node kind", KINDS)
        label = self.text(m.get("label"), "label", name=True) or eid
        if kind is None:
            return None
        return Entity(
            id=eid, label=label, kind=kind,
            name=self.text(m.get("name"), "name", name=True),
            xrefs=self.curies(m.get("xref"), "cross-reference"),
            synonyms=tuple(s for s, _ in self.texts(m.get("synonyms"), "synonym", name=True)),
            note=self.text(m.get("note"), "note"),
            tables=self.read_tables(m.get("tables")),
            location=loc,
            plural=bool(self.enum(m.get("plural"), "plural", BOOLEANS)),
        )

    def index_names(self, entity: Entity) -> None:
        line = entity.location.line if entity.location else None
        for name in dict.fromkeys((entity.id, entity.label, *entity.synonyms)):
            owner = self.names.get(name)
            if owner is not None and owner != entity.id:
                self.error(line, f"name {name!r} of entity {entity.id!r} already names entity "
                                 f"{owner!r} ({self.entities[owner].location}); a name must "
                                 "point to one entity")
                continue
            self.names[name] = entity.id
            self.folded.setdefault(name.casefold(), set()).add(entity.id)

    def check_duplicate_entities(self) -> None:
        by_curie: dict[str, str] = {}
        by_label: dict[str, str] = {}
        for eid, entity in self.entities.items():
            self.path = entity.location.path if entity.location else self.path
            line = entity.location.line if entity.location else None
            for curie in entity.xrefs:
                other = by_curie.setdefault(curie, eid)
                if other != eid:
                    self.warn(line, f"entities {other!r} and {eid!r} share {curie}: likely the "
                                    "same thing (merge them, or make one a synonym)")
            norm = norm_label(entity.label)
            other = by_label.setdefault(norm, eid)
            if other != eid and norm:
                self.warn(line, f"entities {other!r} and {eid!r} have labels that differ only by "
                                f"case or punctuation ({self.entities[other].label!r}, "
                                f"{entity.label!r}): likely the same thing")

    def read_compartments(self, node: p.Node) -> dict[str, Compartment]:
        m = self.mapping(node, "'compartments'")
        out: dict[str, Compartment] = {}
        for cid, (key, body) in (m.items.items() if m else ()):
            if self.identifier(key, "compartment id") is None:
                continue
            label = self.text(body, f"label of compartment {cid!r}", name=True)
            out[cid] = Compartment(cid, label or cid, Location(self.path, key.line))
        return out

    def read_sources(self, node: p.Node) -> None:
        for sid, key, b in self.records(node, "source", SOURCE_KEYS, required=("title",)):
            refs: dict[str, tuple[str, ...]] = {}
            if (rnode := b.get("refs")) is not None and (rmap := self.mapping(rnode, "'refs'")):
                for num, (nkey, cites) in rmap.items.items():
                    if not num.isdigit():
                        self.error(nkey.line, f"reference number {num!r} must be a whole number")
                        continue
                    refs[str(int(num))] = self.curies(cites)
            if sid in self.sources:
                self.error(key.line, f"source {sid!r} is defined twice")
                continue
            self.sources[sid] = Source(
                sid, self.text(b.get("title"), "title") or sid,
                file=self.text(b.get("file"), "file", name=True),
                cite=self.curies(b.get("cite")), refs=refs, location=Location(self.path, key.line))

    # -- names -----------------------------------------------------------------------
    def resolve(self, text: str, line: int, *, steps: Mapping[str, Step] = {},
                compartments: Iterable[str] = ()) -> NodeRef | None:
        """``name[@compartment]`` -> NodeRef, or an error with a did-you-mean."""
        name, at, comp = text.partition("@")
        name, comp = name.strip(), comp.strip()
        if not name:
            self.error(line, f"missing node name before '@' in {text!r}")
            return None
        if at and not comp:
            self.error(line, f"missing compartment after '@' in {text!r}")
            return None
        if name in steps:
            eid = name
        else:
            eid = self.names.get(name)
            if eid is None:
                folded = self.folded.get(name.casefold(), set())
                if len(folded) == 1:
                    eid = next(iter(folded))
                elif len(folded) > 1:
                    self.error(line, f"node {name!r} matches {', '.join(sorted(folded))} when case "
                                     "is ignored; write it exactly")
                    return None
        if eid is None and name.casefold() in self.broken:
            return None  # its entity's own error says why; one mistake, one message
        if eid is None:
            choices = list(self.names) + list(steps)
            close = near(name, choices)
            hint = ("add it to the entities catalog or check its spelling"
                    if self.catalog_files or close
                    else "no catalog was loaded (only pathway files were given), so only "
                         "entities declared in them are known: check the folder "
                         "(mechgraph check pathways) or add the catalog file")
            self.error(line, f"unknown node {name!r}{close}; {hint}")
            return None
        if comp:
            comps = set(compartments)
            if comp not in comps:
                self.error(line, f"unknown compartment {comp!r} in {text!r}{near(comp, comps)}; "
                                 f"declared: {', '.join(sorted(comps)) or 'none'}")
                return None
        return NodeRef(eid, comp or None)

    # -- figures and experiments -----------------------------------------------------
    def read_figures(self, node: p.Node, figures: dict[str, Figure],
                     pathways: Mapping[str, Pathway]) -> None:
        for fid, key, b in self.records(node, "figure", FIGURE_KEYS, required=("pathways",)):
            chosen: list[str] = []
            for pattern, line in self.texts(b.get("pathways"), "pathway", name=True):
                if any(ch in pattern for ch in "*?["):
                    hits = sorted(fnmatch.filter(pathways, pattern))
                    if not hits:
                        self.error(line, f"pattern {pattern!r} matches no pathway")
                    chosen.extend(hits)
                elif pattern in pathways:
                    chosen.append(pattern)
                else:
                    self.error(line, f"unknown pathway {pattern!r}{near(pattern, pathways)}")
            highlight = self.enum(b.get("highlight"), "highlight",
                                  {h: h for h in ("none", "shared", "convergence")})
            if fid in figures:
                self.error(key.line, f"figure {fid!r} is defined twice")
                continue
            figures[fid] = Figure(
                id=fid, title=self.text(b.get("title"), "title") or fid,
                pathways=tuple(dict.fromkeys(chosen)),
                caption=self.text(b.get("caption"), "caption"), fills=self.seed(b.get("fills")),
                direction=self.enum(b.get("direction"), "direction",
                                    {d.value: d for d in Direction}) or Direction.TB,
                highlight_shared=highlight in ("shared", "convergence"),
                convergence=highlight == "convergence", location=Location(self.path, key.line))

    def read_experiments(self, node: p.Node, experiments: dict[str, Experiment]) -> None:
        for xid, key, b in self.records(node, "experiment", EXPERIMENT_KEYS,
                                        required=("drug", "target", "expect")):
            comps = self.all_compartments
            drug = [self.resolve(t, ln) for t, ln in self.texts(b.get("drug"), "drug", name=True)]
            knock = [self.resolve(t, ln, compartments=comps)
                     for t, ln in self.texts(b.get("knockout"), "knockout node", name=True)]
            target = [self.resolve(t, ln, compartments=comps)
                      for t, ln in self.texts(b.get("target"), "target", name=True)]
            expect = self.enum(b.get("expect"), "expected outcome", {e: e for e in EXPECTATIONS})
            attrs = {k: v for k, (_, v) in b.items.items()}
            evidence = self.read_evidence(attrs, Defaults(), key.line, PathwayKind.SIGNALING, "experiment")
            # no knockout (absent or []) asks for the drug's own effect on the target
            if None in drug + knock + target or not (drug and target and expect):
                continue
            if xid in experiments:
                self.error(key.line, f"experiment {xid!r} is defined twice")
                continue
            experiments[xid] = Experiment(
                id=xid, drug=drug[0].entity, knockout=tuple(knock), target=target[0],  # type: ignore[union-attr]
                expect=expect, evidence=evidence[0] if evidence else Evidence(None),  # type: ignore[arg-type]
                conflicts_with=tuple(t for t, _ in self.texts(b.get("conflicts_with"), "experiment id", name=True)),
                location=Location(self.path, key.line))

    def check_conflicts(self, experiments: Mapping[str, Experiment]) -> None:
        for x in experiments.values():
            self.path = x.location.path if x.location else self.path
            for other in x.conflicts_with:
                if other not in experiments:
                    self.error(x.location.line if x.location else None,
                               f"experiment {x.id!r} conflicts_with unknown experiment "
                               f"{other!r}{near(other, experiments)}")


def norm_label(label: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", label).casefold() if ch.isalnum())


def _names_of(eid: str, body: p.Node) -> set[str]:
    """Every name an entity definition gives (id, label, synonyms), casefolded."""
    names = {eid}
    if isinstance(body, p.Map):
        for key in ("label", "synonyms"):
            node = body.get(key)
            items = node.items if isinstance(node, p.Seq) else [node]
            names.update(x.value.strip() for x in items if isinstance(x, p.Scalar))
    return {n.casefold() for n in names if n}
