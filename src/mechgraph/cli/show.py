"""A pathway or an entity as plain text: what ``mechgraph show`` prints."""

from __future__ import annotations

import difflib

from ..errors import MechgraphError
from ..model import Edge, Entity, Pathway, Project, Relation, Table


def show_text(project: Project, name: str) -> str:
    """The edges of a pathway, or an entity's card, with evidence and tables.

    >>> from mechgraph.language.load import load_text
    >>> p = load_text("pathway: p\\nedges: [a -| b]\\nentities: {a: drug, b: receptor}", path="p.yaml")
    >>> print(show_text(p, "p").splitlines()[3])
      a -| b
    """
    if name in project.pathways:
        return _pathway(project, project.pathways[name])
    entity = _find_entity(project, name)
    if entity is not None:
        return _entity(project, entity)
    choices = list(project.pathways) + [e.id for e in project.entities.values()]
    near = difflib.get_close_matches(name, choices, n=1)
    hint = f" (did you mean '{near[0]}'?)" if near else ""
    raise MechgraphError(f"no pathway or entity named {name!r}{hint}")


def _find_entity(project: Project, name: str) -> Entity | None:
    folded = name.casefold()
    for exact in (True, False):
        for e in project.entities.values():
            names = (e.id, e.label, *e.synonyms)
            if (name in names) if exact else any(n.casefold() == folded for n in names):
                return e
    return None


def _pathway(project: Project, p: Pathway) -> str:
    out = [f"{p.id}: {p.title}",
           f"  {p.kind.value}" + (f"; drugs: {', '.join(p.drugs)}" if p.drugs else "")
           + (f"; {p.location}" if p.location else "")]
    if p.description:
        out.append(f"  {p.description}")
    out.append("")
    for edge in p.edges:
        out.append(f"  {_edge(edge)}")
        for ev in edge.evidence:
            bits = [ev.grade.value if ev.grade else "ungraded"]
            if ev.seed:
                bits.append(f"seed {ev.seed}")
            if ev.refs:
                bits.append("ref " + ", ".join(ev.refs))
            bits.extend(ev.cites)
            out.append(f"      {'; '.join(bits)}")
            if ev.note:
                out.append(f"      {ev.note}")
    for note in p.notes:
        out += ["", f"  note: {note}"]
    out += _tables(p.tables)
    return "\n".join(out) + "\n"


def _edge(edge: Edge) -> str:
    """An edge as written, its label, and what it is when it is not one mechanistic step:
    ``(summary via a, b)`` or ``(association)``, so that neither reads as a step."""
    label = f"  [{edge.label}]" if edge.label else ""
    kind = ""
    if edge.relation is not Relation.MECHANISM:
        via = ""
        if edge.via:
            via = (" via pathway " if edge.via_pathway else " via ") + ", ".join(edge.via)
        kind = f"  ({edge.relation.value}{via})"
    return f"{edge.source} {edge.effect.value} {edge.target}{label}{kind}"


def _entity(project: Project, e: Entity) -> str:
    out = [f"{e.id}: {e.label}" + (f" ({e.name})" if e.name else ""), f"  kind: {e.kind.value}"]
    if e.xrefs:
        out.append(f"  xrefs: {' '.join(e.xrefs)}")
    if e.synonyms:
        out.append(f"  synonyms: {', '.join(e.synonyms)}")
    if e.note:
        out.append(f"  note: {e.note}")
    used = [p.id for p in project.pathways.values()
            if any(e.id in (x.source.entity, x.target.entity) for x in p.edges)]
    out.append(f"  pathways: {', '.join(used) or 'none'}")
    out += _tables(e.tables)
    return "\n".join(out) + "\n"


def _tables(tables: tuple[Table, ...]) -> list[str]:
    out: list[str] = []
    for t in tables:
        out += ["", f"  {t.title}" + (f"  (seed {t.seed})" if t.seed else "")]
        widths = [max(len(r[i]) for r in (t.columns, *t.rows)) for i in range(len(t.columns))]
        for i, row in enumerate((t.columns, *t.rows)):
            out.append("  | " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
            if i == 0:
                out.append("  |" + "|".join("-" * (w + 2) for w in widths) + "|")
    return out
