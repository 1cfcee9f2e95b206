"""What every importer builds: nodes and signed links read from another tool's file,
then written as one pathway of our language (YAML text), or as a Project in memory.

An importer never drops a construct in silence: whatever it cannot express is counted
under a short name with the places it was seen (:meth:`Imported.skip`), and
:meth:`Imported.summary` lists them all in one report.

Entities are matched to a catalog when one is given (``base``): first by a shared
CURIE, then by an exact id, label or synonym. Anything unmatched is declared in the
imported file itself, with an id and label no other entity uses.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import MechgraphError
from ..gcpause import gc_paused
from ..language.curie import check_curie
from ..model import (
    Compartment,
    Edge,
    Effect,
    Entity,
    Evidence,
    NodeKind,
    NodeRef,
    Pathway,
    PathwayKind,
    Project,
    Relation,
    SeedRef,
    Source,
)

#: what an importer's relation kinds are called in the pathway language
RELATIONS = ("mechanism", "summary", "association")
_ID = re.compile(r"[^A-Za-z0-9]+")
_PLAIN = re.compile(r"[A-Za-z0-9(][A-Za-z0-9 _.()/+'αβγδκλμ:-]*")
_MAX_EXAMPLES = 5


@dataclass
class Node:
    """One node of the source file, before it becomes an entity."""

    id: str  # the source's own id (a glyph id, a GraphId, a name)
    label: str
    kind: NodeKind = NodeKind.PROTEIN
    xrefs: tuple[str, ...] = ()
    compartment: str | None = None  # a key of Imported.compartments
    name: str | None = None


@dataclass
class Link:
    """One signed relation between two nodes of the source file."""

    source: str
    target: str
    effect: Effect
    line: int | None = None
    relation: str = "mechanism"
    cites: tuple[str, ...] = ()
    note: str | None = None


@dataclass
class Imported:
    """A file read by an importer: build it up, then ask for ``yaml()`` or ``project()``."""

    fmt: str
    path: str  # the file as named to the importer
    pathway: str
    title: str = ""
    cite: tuple[str, ...] = ()
    nodes: dict[str, Node] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    compartments: dict[str, str] = field(default_factory=dict)  # id -> label
    notes: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    # -- building -------------------------------------------------------------------
    def skip(self, what: str, example: str = "", count: int = 1) -> None:
        """Count a construct the pathway language cannot hold, with where it was."""
        self.skipped[what] += count
        if example:
            seen = self.examples.setdefault(what, [])
            if len(seen) < _MAX_EXAMPLES and example not in seen:
                seen.append(example)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def xref(self, prefix: str, local: str, where: str = "") -> str | None:
        """A checked CURIE, or None (counted) when the id does not fit the prefix."""
        curie, problem = check_curie(f"{prefix}:{local.strip()}")
        if problem:
            self.skip("cross-references that are not valid CURIEs", f"{prefix}:{local}"
                      + (f" ({where})" if where else ""))
        return curie

    def compartment(self, label: str) -> str:
        """The id of a compartment of that label, declared on first use."""
        for cid, existing in self.compartments.items():
            if existing == label:
                return cid
        cid = _unique(_slug(label) or "compartment", set(self.compartments))
        self.compartments[cid] = label
        return cid

    # -- the result ---------------------------------------------------------------
    @property
    def source_file(self) -> str:
        return Path(self.path).name

    def summary(self) -> str:
        """Counts of what came in, and every construct that did not, with examples."""
        b = self._built()
        lines = [f"{self.source_file} ({self.fmt}): {len(b.entities)} entities, "
                 f"{len(b.edges)} edges, {len(self.compartments)} compartments"
                 + (f"; {b.matched} nodes matched catalog entities" if b.matched else "")]
        problems = Counter(self.skipped) + b.skipped
        examples = {**self.examples, **b.examples}
        if problems:
            lines.append(f"not expressed ({sum(problems.values())}):")
            for what, n in sorted(problems.items(), key=lambda kv: (-kv[1], kv[0])):
                shown = examples.get(what, [])
                more = f": {', '.join(shown)}" + (", ..." if n > len(shown) else "") if shown else ""
                lines.append(f"  {n} {what}{more}")
        else:
            lines.append("not expressed: nothing")
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines) + "\n"

    def not_expressed(self) -> dict[str, int]:
        """What the importer and the writer could not express, by kind -> count."""
        return dict(sorted((Counter(self.skipped) + self._built().skipped).items()))

    def yaml(self, *, out: str | Path | None = None, base: Project | None = None) -> str:
        """The pathway file's text; ``out`` (where it will be written) places the
        schema modeline; ``base`` is the catalog to match entities against."""
        from .yamltext import pathway_yaml

        return pathway_yaml(self, self._built(base), out)

    @gc_paused
    def project(self, base: Project | None = None) -> Project:
        """A Project of ``base`` plus this pathway, no YAML in between (for large files)."""
        b = self._built(base)
        base = base or Project({}, {})
        if self.pathway in base.pathways:
            raise MechgraphError(f"pathway id {self.pathway!r} is already used; "
                                 "choose another id for the imported file")
        source = Source(self.pathway, self.title or self.source_file, file=self.source_file,
                        cite=self.cite)
        refs: dict[str, NodeRef] = {}
        edges = tuple(_model_edge(self.pathway, e, refs) for e in b.edges)
        pathway = Pathway(self.pathway, self.title or self.pathway, PathwayKind.SIGNALING, edges,
                          description=f"Imported from {self.source_file} ({self.fmt}).",
                          cite=self.cite,
                          compartments={c: Compartment(c, lab) for c, lab in self.compartments.items()},
                          notes=tuple(self.notes))
        entities = {**base.entities, **{e.id: e for e in b.entities}}
        return Project(pathways={**base.pathways, self.pathway: pathway}, entities=entities,
                       compartments=base.compartments, figures=base.figures,
                       experiments=base.experiments,
                       sources={**base.sources, self.pathway: source}, warnings=base.warnings)

    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def _built(self, base: Project | None | str = "last") -> "Built":
        """Entities and edges against ``base``; the summary reports the last one built."""
        if isinstance(base, str):  # "last"
            if self._cache:
                return next(iter(self._cache.values()))
            base = None
        key = id(base)
        if key not in self._cache:
            self._cache.clear()
            self._cache[key] = _build(self, base)  # type: ignore[arg-type]
        return self._cache[key]


@dataclass
class BuiltEdge:
    source: str  # node key: entity[@compartment]
    target: str
    effect: Effect
    relation: str
    line: int | None
    cites: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass
class Built:
    entities: list[Entity]  # declared by the imported file
    edges: list[BuiltEdge]
    matched: int
    skipped: Counter
    examples: dict[str, list[str]]


@gc_paused
def _build(imp: Imported, base: Project | None) -> Built:
    skipped: Counter = Counter()
    examples: dict[str, list[str]] = {}

    def skip(what: str, example: str) -> None:
        skipped[what] += 1
        shown = examples.setdefault(what, [])
        if len(shown) < _MAX_EXAMPLES and example not in shown:
            shown.append(example)

    catalog = base.entities if base else {}
    by_curie: dict[str, str] = {}
    names: dict[str, str] = {}
    for eid, ent in catalog.items():
        for c in ent.xrefs:
            by_curie.setdefault(c, eid)
        for n in (eid, ent.label, *ent.synonyms):
            names.setdefault(n, eid)
    taken = set(names)
    # one entity per (label, xrefs); the same label with other xrefs is another entity
    groups: dict[tuple[str, tuple[str, ...], NodeKind], list[Node]] = {}
    for node in imp.nodes.values():
        groups.setdefault((node.label, tuple(sorted(set(node.xrefs))), node.kind), []).append(node)
    entity_of: dict[str, str] = {}
    declared: list[Entity] = []
    matched = 0
    label_count = Counter(label for label, _, _ in groups)
    fresh: list[tuple[str, tuple[str, ...], NodeKind, list[Node]]] = []
    for (label, xrefs, kind), members in groups.items():
        eid = next((by_curie[c] for c in xrefs if c in by_curie), None)
        if eid is None and label in names:
            known = catalog[names[label]].xrefs
            clash = {c.split(":")[0] for c in known} & {c.split(":")[0] for c in xrefs}
            if not clash or set(known) & set(xrefs):
                eid = names[label]
        if eid is None:
            fresh.append((label, xrefs, kind, members))
            continue
        matched += len(members)
        for n in members:
            entity_of[n.id] = eid
        missing = [c for c in xrefs if c not in catalog[eid].xrefs]
        if missing:
            skip("cross-references the matching catalog entity lacks",
                 f"{eid}: {' '.join(missing)}")
    shown_of: list[str] = []
    for label, xrefs, kind, _ in fresh:  # labels first, so that no id takes another's label
        shown = label if label_count[label] == 1 and label not in taken else \
            _unique(f"{label} ({xrefs[0] if xrefs else kind.value})", taken)
        taken.add(shown)
        shown_of.append(shown)
    for shown, (label, xrefs, kind, members) in zip(shown_of, fresh):
        eid = shown if _slug(shown) == shown else _unique(_slug(shown) or "node", taken)
        taken.add(eid)
        first = members[0]
        declared.append(Entity(eid, shown, kind, name=first.name, xrefs=xrefs))
        for n in members:
            entity_of[n.id] = eid
    # links -> edges keyed by node key; the language holds one edge per pair in a pathway
    edges: dict[tuple[str, str], BuiltEdge] = {}
    for link in imp.links:
        if link.source not in imp.nodes or link.target not in imp.nodes:
            skip("links to an unknown node", f"{link.source} -> {link.target}")
            continue
        u = _key(entity_of[link.source], imp.nodes[link.source].compartment)
        v = _key(entity_of[link.target], imp.nodes[link.target].compartment)
        old = edges.get((u, v))
        if old is None:
            edges[(u, v)] = BuiltEdge(u, v, link.effect, link.relation, link.line, link.cites,
                                      (link.note,) if link.note else ())
        elif old.effect is link.effect and old.relation == link.relation:
            old.cites = tuple(dict.fromkeys(old.cites + link.cites))
            if link.note and link.note not in old.notes:
                old.notes += (link.note,)
        else:
            skip("edges that repeat a pair with another effect (the first is kept)",
                 f"{u} {link.effect.value} {v}{_at(link.line)}")
    return Built(sorted(declared, key=lambda e: e.id), list(edges.values()), matched,
                 skipped, examples)


_RELATION = {r.value: r for r in Relation}


def _model_edge(source: str, e: BuiltEdge, refs: dict[str, NodeRef]) -> Edge:
    evidence = (Evidence(None, e.cites, SeedRef(source, e.line, e.line) if e.line else None,
                         note=" ".join(e.notes) or None),)
    return Edge(_ref(e.source, refs), _ref(e.target, refs), e.effect, evidence,
                relation=_RELATION[e.relation])


def _ref(key: str, refs: dict[str, NodeRef]) -> NodeRef:
    """One NodeRef per node key, shared by its edges."""
    ref = refs.get(key)
    if ref is None:
        eid, _, comp = key.partition("@")
        ref = refs[key] = NodeRef(eid, comp or None)
    return ref


def _key(eid: str, comp: str | None) -> str:
    return f"{eid}@{comp}" if comp else eid


def _at(line: int | None) -> str:
    return f" (line {line})" if line else ""


def _slug(text: str) -> str:
    """Letters, digits and single hyphens: safe as an id and inside a chain."""
    return _ID.sub("-", text).strip("-")[:60].strip("-")


def _unique(text: str, taken: set[str]) -> str:
    if text not in taken:
        return text
    n = 2
    while f"{text}-{n}" in taken:
        n += 1
    return f"{text}-{n}"


def scalar(text: str) -> str:
    """A YAML scalar that reads back as exactly ``text`` (every value is text to us)."""
    if _PLAIN.fullmatch(text) and not text.endswith((" ", ":")) and ": " not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def schema_ref(out: str | Path | None) -> str:
    """Where the editor finds the pathway schema: its ``$id`` if that is a URL, else the
    path relative to the file being written (for pathways/: ../src/mechgraph/language/...)."""
    here = Path(__file__).resolve().parent.parent / "language" / "pathway.schema.json"
    try:
        sid = json.loads(here.read_text("utf-8")).get("$id")
    except (OSError, ValueError):
        sid = None
    if isinstance(sid, str) and sid.startswith(("https://", "http://")):  # a urn: is no place
        return sid
    start = Path(out).resolve().parent if out else Path.cwd()
    return Path(os.path.relpath(here, start)).as_posix()


__all__ = ["Imported", "Node", "Link", "RELATIONS", "scalar",
           "schema_ref"]
