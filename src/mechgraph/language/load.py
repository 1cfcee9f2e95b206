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

from pathlib import Path

from ..errors import Diagnostic, MechgraphError
from ..gcpause import gc_paused
from ..model import (
    WORKFLOW_KINDS,
    Experiment,
    Figure,
    Location,
    NodeKind,
    Pathway,
    PathwayKind,
    Project,
    Step,
)
from . import parse as p
from .catalog import Catalog
from .edges import Edges
from .fields import ARROW, BOOLEANS, GRADES, RELATIONS, Defaults

PATHWAY_KEYS = ("pathway", "title", "kind", "drugs", "description", "seed", "cite",
                "defaults", "compartments", "entities", "sources", "steps", "edges", "notes",
                "tables", "drug_independent")
CATALOG_KEYS = ("entities", "compartments", "sources", "figures", "experiments")
DEFAULT_KEYS = ("evidence", "seed", "cite", "relation", "via")

STEP_KEYS = ("label", "kind", "time", "note")


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
            files.extend(_show_found(found, Path.cwd().resolve()))
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


def _show_found(found: list[Path], cwd: Path) -> list[str]:
    """``_show`` of each file found in folders, each folder resolved once: a file that is
    not a symbolic link resolves to its resolved folder and its own name."""
    folders: dict[Path, Path] = {}
    out = []
    for f in found:
        if f.is_symlink():
            out.append(_show(f, cwd))
            continue
        folder = folders.get(f.parent)
        if folder is None:
            folder = folders[f.parent] = f.parent.resolve()
        try:
            out.append(str((folder / f.name).relative_to(cwd)))
        except ValueError:
            out.append(str(f))
    return out


class _Loader(Edges, Catalog):
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


def _order(d: Diagnostic) -> tuple[str, int, str]:
    return (d.path or "", d.line or 0, d.message)


_STEP_KINDS = {k.value: k for k in WORKFLOW_KINDS}
_PATHWAY_KINDS = {k.value: k for k in PathwayKind}

__all__ = ["load_project", "load_text"]
