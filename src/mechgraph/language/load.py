"""YAML files and folders -> a validated :class:`~mechgraph.model.Project`.

The checks live in ``fields`` (one value at a time) and ``catalog`` (entities, names,
figures, experiments); this module reads pathways and runs the passes. The loader never stops
at the first problem: it reads every file, collects every problem, and raises one
:class:`~mechgraph.errors.MechgraphError` carrying them all, sorted by place.

Two passes: the first reads every file's catalog parts (entities, compartments,
sources) so that names resolve across files; the second reads pathways, figures
and experiments against that catalog.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Mapping

from ..errors import Diagnostic, MechgraphError
from ..gcpause import gc_paused
from ..model import (
    EFFECT_ALIASES,
    WORKFLOW_KINDS,
    Compartment,
    Edge,
    Effect,
    Experiment,
    Figure,
    Location,
    NodeKind,
    NodeRef,
    Pathway,
    PathwayKind,
    Project,
    Relation,
    Step,
)
from . import parse as p
from .catalog import Catalog
from .fields import ARROW, BOOLEANS, GRADES, MAX_WORD, RELATIONS, Defaults, maker
from .relation import Relations

PATHWAY_KEYS = ("pathway", "title", "kind", "drugs", "description", "seed", "cite",
                "defaults", "compartments", "entities", "sources", "steps", "edges", "notes",
                "tables", "drug_independent")
CATALOG_KEYS = ("entities", "compartments", "sources", "figures", "experiments")
EDGE_KEYS = ("edge", "from", "to", "effect", "evidence", "seed", "ref", "cite", "note", "label",
             "relation", "via")
DEFAULT_KEYS = ("evidence", "seed", "cite", "relation", "via")

STEP_KEYS = ("label", "kind", "time", "note")
ARROWS = ("-> (activates), -| (inhibits), => (is necessary for), ~> (modulates), "
          ">> (is converted to)")
# Arrows from other notations that students write; each would split into a wrong name.
WRONG_ARROW = re.compile(r"-->|--\||==+>|<-+|<=+|[→⟶⇒⊣←]")


@gc_paused
def load_project(*paths: str | Path, strict: bool = False) -> Project:
    """Load every ``*.yaml`` / ``*.yml`` under the given files and folders.

    With ``strict``, every edge of a signalling pathway must carry an evidence
    grade and a seed place. Raises :class:`MechgraphError` listing every problem.
    """
    files: list[str] = []
    diags: list[Diagnostic] = []
    for path in paths or (Path("pathways"),):
        path = Path(path)
        if path.is_dir():
            found = sorted(x for x in path.rglob("*") if x.suffix in (".yaml", ".yml") and x.is_file())
            if not found:
                diags.append(Diagnostic(_show(path), None, "no *.yaml files in this folder"))
            cwd = Path.cwd().resolve()
            files.extend(_show(f, cwd) for f in found)
        elif path.is_file():
            files.append(_show(path))
        elif path.exists():
            diags.append(Diagnostic(_show(path), None, "not a regular file or a folder"))
        elif path.is_absolute():
            diags.append(Diagnostic(_show(path), None, "no such file or folder"))
        else:  # a notebook in another folder: say where a relative path was looked for
            diags.append(Diagnostic(_show(path), None, (
                f"no such file or folder (looked for {Path.cwd() / path}: relative paths are "
                "read from the working folder; give an absolute path, or a path relative to "
                f"{Path.cwd()})")))
    texts: list[tuple[str, str]] = []
    for shown in files:
        try:
            texts.append((shown, p.decode(p.read_bounded(shown), shown)))
        except MechgraphError as e:
            diags.extend(e.diagnostics)
        except OSError as e:
            diags.append(Diagnostic(shown, None, f"cannot read: {e.strerror}"))
    return _Loader(diags, strict).load(texts)


@gc_paused
def load_text(text: str, path: str = "<string>", *, strict: bool = False) -> Project:
    """Load one file's text (a pathway with inline ``entities:``, or a catalog).

    >>> project = load_text("pathway: demo\\nedges: [a -| b]\\nentities: {a: drug, b: receptor}",
    ...                     path="demo.yaml")
    >>> [str(e.source) + e.effect.value + str(e.target) for e in project.pathways["demo"].edges]
    ['a-|b']
    """
    return _Loader([], strict).load([(path, text)])


def _show(path: Path, cwd: Path | None = None) -> str:
    """A path as users should see it in messages: relative to the working folder (``cwd``,
    resolved; found when not given) if inside."""
    try:
        return str(path.resolve().relative_to(cwd or Path.cwd().resolve()))
    except ValueError:
        return str(path)


class _Loader(Relations, Catalog):
    """The second pass's readers (pathways, steps, edges) and the two passes themselves."""

    # -- the two passes ------------------------------------------------------------
    def load(self, texts: list[tuple[str, str]]) -> Project:
        trees: list[tuple[str, p.Map]] = []
        for path, text in texts:
            self.path = path
            root, problems = p.parse(text, path)
            self.diags.extend(problems)
            if root is None:
                continue
            if not isinstance(root, p.Map):
                self.error(root.line, f"a pathway file must be a mapping of keys, not {p.kind_name(root)}")
                continue
            trees.append((path, root))
        self.catalog_files = [path for path, root in trees if "pathway" not in root.items]
        for path, root in trees:  # pass 1: the catalog; sources first, entity tables cite them
            self.path = path
            if (node := root.get("sources")) is not None:
                self.read_sources(node)
        for path, root in trees:
            self.path = path
            is_pathway = "pathway" in root.items
            self.keys(root, PATHWAY_KEYS if is_pathway else CATALOG_KEYS,
                      "pathway file" if is_pathway else "catalog file (no 'pathway:' key)")
            if (node := root.get("entities")) is not None:
                self.read_entities(node)
            if not is_pathway and (node := root.get("compartments")) is not None:
                self.compartments.update(self.read_compartments(node))
        for path, root in trees:  # compartments declared by any pathway, for experiments
            if isinstance(c := root.get("compartments"), p.Map) and "pathway" in root.items:
                self.all_compartments.update(c.items)
        self.all_compartments.update(self.compartments)
        self.pathway_ids = {r.get("pathway").value for _, r in trees  # type: ignore[union-attr]
                            if isinstance(r.get("pathway"), p.Scalar)}
        self.check_duplicate_entities()
        pathways: dict[str, Pathway] = {}
        figures: dict[str, Figure] = {}
        experiments: dict[str, Experiment] = {}
        pending_figures: list[tuple[str, p.Map]] = []
        for path, root in trees:  # pass 2
            self.path = path
            if "pathway" in root.items:
                pathway = self.read_pathway(root)
                if pathway is not None:
                    if pathway.id in pathways:
                        self.error(root.line, f"pathway id {pathway.id!r} is used twice "
                                              f"(also in {pathways[pathway.id].location})")
                    else:
                        pathways[pathway.id] = pathway
            else:
                if (node := root.get("figures")) is not None:
                    pending_figures.append((path, node))  # type: ignore[arg-type]
                if (node := root.get("experiments")) is not None:
                    self.read_experiments(node, experiments)
        for path, node in pending_figures:
            self.path = path
            self.read_figures(node, figures, pathways)
        self.check_conflicts(experiments)
        if self.diags:
            raise MechgraphError(diagnostics=sorted(set(self.diags), key=_order))
        return Project(
            pathways=dict(sorted(pathways.items())),
            entities=dict(sorted(self.entities.items())),
            compartments=dict(sorted(self.compartments.items())),
            figures=figures,
            experiments=dict(sorted(experiments.items())),
            sources=dict(sorted(self.sources.items())),
            warnings=tuple(sorted(set(self.warnings), key=_order)),
        )

    # -- pathways --------------------------------------------------------------------
    def read_pathway(self, root: p.Map) -> Pathway | None:
        pid = self.identifier(root.get("pathway"), "pathway id")
        if pid is None:
            return None
        stem = Path(self.path).stem
        if self.path != "<string>" and pid != stem:
            self.error(root.key_line("pathway"), f"pathway id {pid!r} does not match the file name "
                                                 f"{Path(self.path).name!r} (write 'pathway: {stem}' "
                                                 "or rename the file)")
        kind = self.enum(root.get("kind"), "pathway kind", _PATHWAY_KINDS) or PathwayKind.SIGNALING
        local = self.read_compartments(root.get("compartments")) if "compartments" in root.items else {}
        compartments = {**self.compartments, **local}
        steps = self.read_steps(root.get("steps"), kind) if "steps" in root.items else {}
        defaults = self.read_defaults(root.get("defaults"))
        edges = self.read_edges(root.get("edges"), pid, kind, steps, compartments, defaults)
        drugs = []
        for text, line in self.texts(root.get("drugs"), "drug", name=True):
            ref = self.resolve(text, line)
            if ref is not None:
                drugs.append(ref.entity)
                if not any(ref.entity in (e.source.entity, e.target.entity) for e in edges):
                    self.warn(line, f"drug {text!r} is not a node of pathway {pid!r}")
        if "edges" not in root.items:
            self.error(root.line, f"pathway {pid!r} has no 'edges'")
        return Pathway(
            id=pid, title=self.text(root.get("title"), "title") or pid, kind=kind,
            edges=edges, drugs=tuple(dict.fromkeys(drugs)),
            description=self.text(root.get("description"), "description"),
            cite=self.curies(root.get("cite")), seed=self.seed(root.get("seed")),
            compartments=local, steps=steps, tables=self.read_tables(root.get("tables")),
            notes=tuple(t for t, _ in self.texts(root.get("notes"), "note")),
            location=Location(self.path, root.key_line("pathway")),
            drug_independent=bool(self.enum(root.get("drug_independent"), "drug_independent",
                                            BOOLEANS)),
        )

    def read_steps(self, node: p.Node | None, kind: PathwayKind) -> dict[str, Step]:
        m = self.mapping(node, "'steps'") if node is not None else None
        if m is None:
            return {}
        if kind is not PathwayKind.WORKFLOW:
            self.error(m.line, "'steps' belong to workflows: add 'kind: workflow'")
        out: dict[str, Step] = {}
        for sid, (key, body) in m.items.items():
            if not self.text(key, "step id", name=True):
                continue
            if "@" in sid or ARROW.search(sid):
                self.error(key.line, f"step id {sid!r} may not hold '@' or an arrow")
                continue
            loc = Location(self.path, key.line)
            if isinstance(body, p.Scalar):
                out[sid] = Step(sid, self.text(body, "step label", name=True) or sid, NodeKind.STEP, location=loc)
                continue
            b = self.mapping(body, f"step {sid!r}")
            if b is None:
                continue
            self.keys(b, STEP_KEYS, f"step {sid!r}")
            skind = self.enum(b.get("kind"), "step kind", _STEP_KINDS) or NodeKind.STEP
            out[sid] = Step(sid, self.text(b.get("label"), "step label", name=True) or sid, skind,
                            time=self.text(b.get("time"), "time point", name=True),
                            note=self.text(b.get("note"), "note"), location=loc)
        return out

    def read_defaults(self, node: p.Node | None) -> "Defaults":
        """A pathway's ``defaults:``, read once and shared by all its edges."""
        m = self.mapping(node, "'defaults'") if node is not None else None
        if m is None:
            return Defaults()
        self.keys(m, DEFAULT_KEYS, "'defaults'")
        return Defaults(
            grade=self.enum(m.get("evidence"), "evidence grade", GRADES),
            seed=self.seed(m.get("seed")), cites=self.curies(m.get("cite")),
            has_grade=m.get("evidence") is not None, has_seed=m.get("seed") is not None,
            relation=self.enum(m.get("relation"), "relation", RELATIONS), via=m.get("via"))

    def read_edges(self, node: p.Node | None, pid: str, kind: PathwayKind,
                   steps: Mapping[str, Step], compartments: Mapping[str, Compartment],
                   defaults: Defaults) -> tuple[Edge, ...]:
        if node is None:
            return ()
        if not isinstance(node, p.Seq):
            self.error(node.line, f"'edges' must be a list (lines starting with '- '), not {p.kind_name(node)}")
            return ()
        edges: dict[tuple[str, str], Edge] = {}
        # name -> NodeRef, for names that resolved: shared by every pathway with no steps
        # and no compartments of its own (a name means the same there), else its own
        if steps or len(compartments) != len(self.compartments):
            self._refs: dict[str, NodeRef] = {}
        else:
            self._refs = self.__dict__.setdefault("_shared_refs", {})
        for item in node.items:
            for k, edge in self.read_edge(item, kind, steps, compartments, defaults):
                old = edges.get(k)
                if old is None:
                    edges[k] = edge
                elif old.effect is edge.effect and old.relation is edge.relation:
                    edges[k] = _edge(old.source, old.target, old.effect,
                                    old.evidence + tuple(e for e in edge.evidence if e not in old.evidence),
                                    old.label or edge.label, old.location, old.relation,
                                    old.via or edge.via, old.via_pathway or edge.via_pathway)
                elif old.effect is edge.effect:
                    self.error(edge.location.line if edge.location else None,
                               f"edge {edge.source} {edge.effect.value} {edge.target} is a "
                               f"{edge.relation.value} here and a {old.relation.value} on line "
                               f"{old.location.line if old.location else '?'}; keep one")
                else:
                    opposite = old.effect.sign * edge.effect.sign == -1
                    what = "the opposite effect" if opposite else "a different effect"
                    self.error(edge.location.line if edge.location else None,
                               f"edge {edge.source} {edge.effect.value} {edge.target} contradicts "
                               f"{old.source} {old.effect.value} {old.target} on line "
                               f"{old.location.line if old.location else '?'}: the same edge with "
                               f"{what} in one pathway; keep one")
        return tuple(edges.values())

    def read_edge(self, item: p.Node, kind: PathwayKind, steps: Mapping[str, Step],
                  compartments: Mapping[str, Compartment],
                  defaults: Defaults) -> list[tuple[tuple[str, str], Edge]]:
        """An item of 'edges' -> its edges, each with its (source, target) node keys."""
        attrs: Mapping[str, p.Node] = {}
        effect: Effect | None = None
        if type(item) is p.Scalar:
            chain, line = item.value, item.line
            # text() would accept it unchanged but for the spaces around it: printable
            # ASCII (no control, formatting or non-XML character), not null, not too long
            if chain.isascii() and chain.isprintable() and len(chain) <= MAX_WORD \
                    and not (item.plain and chain in p.NULLS):
                chain = chain.strip()
            else:
                chain = self.text(item, "edge")
        elif isinstance(item, p.Map):
            self.keys(item, EDGE_KEYS, "edge")
            attrs = {k: v for k, (_, v) in item.items.items()}
            line = item.line
            if "effect" in attrs:
                effect = self.enum(attrs["effect"], "effect", EFFECT_ALIASES)
                if effect is None:
                    return []
            if "edge" in attrs:
                chain = self.text(attrs["edge"], "edge")
                if "from" in attrs or "to" in attrs:
                    self.error(line, "an edge takes either 'edge: A -> B' or 'from:'/'to:', not both")
                    return []
            elif "from" in attrs and "to" in attrs:
                a = self.text(attrs["from"], "'from'", name=True)
                b = self.text(attrs["to"], "'to'", name=True)
                if not a or not b:
                    return []
                if effect is None:
                    self.error(line, "an edge with 'from'/'to' needs 'effect' "
                                     "(for example effect: activates)")
                    return []
                chain = f"{a} {effect.value} {b}"
            else:
                self.error(line, "an edge needs 'edge: A -> B', or 'from', 'to' and 'effect'")
                return []
        else:
            self.error(item.line, f"an edge must be text like 'A -> B' or a mapping, not {p.kind_name(item)}")
            return []
        if not chain:
            self.error(line, "empty edge: write 'A -> B'")
            return []
        if (wrong := WRONG_ARROW.search(chain)) is not None:
            bad = wrong.group()
            turn = ("; arrows point from source to target, so write it the other way round"
                    if bad[0] in "<←" else "")
            self.error(line, f"edge {chain!r}: {bad!r} is not an arrow; arrows are {ARROWS}{turn}")
            return []
        parts = [s.strip() for s in ARROW.split(chain)]
        names, arrows = parts[0::2], parts[1::2]
        if not arrows:
            self.error(line, f"edge {chain!r} has no arrow; use one of ->, -|, =>, ~>, >>, --")
            return []
        if not names[0] or not names[-1]:
            where = "starts" if not names[0] else "ends"
            self.error(line, f"chain {chain!r} {where} with a dangling arrow; "
                             "every arrow needs a node on both sides")
            return []
        if "" in names:
            self.error(line, f"chain {chain!r} has two arrows in a row; put a node between them")
            return []
        if effect is not None and "edge" in attrs:
            mismatched = [a for a in arrows if EFFECT_ALIASES[a] is not effect]
            if mismatched:
                word = self.text(attrs["effect"], "effect")
                self.error(line, f"effect {word!r} disagrees with the arrow "
                                 f"{mismatched[0]!r} in {chain!r}; keep one")
                return []
        comps = compartments.keys()
        known = self._refs
        refs = []  # (NodeRef, its key) per name; None where the name is wrong
        resolved = True
        for n in names:
            ref = known.get(n)
            if ref is None:  # errors are not kept: each wrong name is reported where it is
                found = self.resolve(n, line, steps=steps, compartments=comps)
                if found is not None:
                    ref = known[n] = (found, found.key)
                else:
                    resolved = False
            refs.append(ref)
        effects = [EFFECT_ALIASES[a] for a in arrows]
        if attrs:
            evidence = self.read_evidence(attrs, defaults, line, kind)
            relations = self.read_relations(attrs, defaults, effects, line, chain)
        else:  # a bare chain: what it says besides its nodes is the pathway's defaults
            evidence, relations = self._bare(defaults, kind, effects, arrows, line, chain)
        if attrs or defaults.via is not None:
            via, via_pathway = self.read_via(attrs, defaults, relations, line, steps, comps)
        else:
            via, via_pathway = (), False
        if not resolved or relations is None:
            return []
        label = self.text(attrs.get("label"), "branch label", name=True) if attrs else None
        if label and kind is not PathwayKind.WORKFLOW:
            self.error(line, "'label' names a branch in a workflow; in a signalling pathway use 'note'")
        loc = _location(self.path, line)
        out = []
        for i in range(len(arrows)):
            (source, skey), (target, tkey) = refs[i], refs[i + 1]
            relation = relations[i]
            if relation is Relation.SUMMARY:
                edge = _edge(source, target, effects[i], evidence, label, loc, relation,
                             via, via_pathway)
            else:
                edge = _edge(source, target, effects[i], evidence, label, loc, relation,
                             (), False)
            out.append(((skey, tkey), edge))
        return out


_edge = maker(Edge)
_location = maker(Location)


def _order(d: Diagnostic) -> tuple[str, int, str]:
    return (d.path or "", d.line or 0, d.message)


_STEP_KINDS = {k.value: k for k in WORKFLOW_KINDS}
_PATHWAY_KINDS = {k.value: k for k in PathwayKind}

__all__ = ["load_project", "load_text"]
