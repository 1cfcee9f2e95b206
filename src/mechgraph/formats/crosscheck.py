"""Our edges against a signed reference network, matched by CURIE identity.

Each of our signalling edges (by entity: compartments are pooled) is

- **supported**: the reference has the same direction with the same sign;
- **contradicted**: the same direction, only with the opposite sign;
- **unsigned**: the same direction, but one of the two signs is unknown;
- **reversed**: the reference has only the other direction;
- **absent**: the reference has neither (``why`` says whether it knows both nodes).

And the reference's own directed edges between two of our entities, in a direction we
do not have, are listed as **missing** from ours. Associations on either side are left
out (they have no direction), and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..model import Project
from .imported import Imported

STATUSES = ("supported", "contradicted", "unsigned", "reversed", "absent")
_WORD = {1: "+", -1: "-", 0: "?"}


@dataclass(frozen=True)
class Checked:
    """One of our edges and what the reference says of it."""

    source: str  # entity id
    target: str
    sign: int
    status: str
    reference: tuple[str, ...]  # the reference's edges that decided it, as "A -| B"
    pathways: tuple[str, ...]
    why: str = ""


@dataclass(frozen=True)
class Missing:
    """A reference edge between two of our entities that we lack in that direction."""

    source: str
    target: str
    sign: int
    reference: str  # as the reference names it, with its line
    reverse_in_ours: bool


@dataclass
class CrossCheck:
    reference: str
    edges: list[Checked]
    missing: list[Missing]
    unmatched_reference_nodes: int
    skipped: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATUSES}
        for e in self.edges:
            out[e.status] += 1
        out["missing"] = len(self.missing)
        return out


def crosscheck(project: Project, reference: Imported,
               pathways: Iterable[str] | None = None) -> CrossCheck:
    """Match the signalling edges of ``pathways`` (default: all) to ``reference``.

    >>> from mechgraph.language.load import load_text
    >>> from mechgraph.formats.tables import from_sif
    >>> p = load_text("pathway: p\\nedges: [a -> b]\\nentities: {a: {kind: protein, "
    ...               "xref: [hgnc.symbol:A]}, b: {kind: protein, xref: [hgnc.symbol:B]}}\\n",
    ...               path="p.yaml")
    >>> ref = from_sif("r.sif", text="A inhibits B\\n", id_prefix="hgnc.symbol")
    >>> [(e.source, e.status) for e in crosscheck(p, ref).edges]
    [('a', 'contradicted')]
    """
    from ..model import PathwayKind

    skipped: dict[str, int] = {}
    chosen = sorted(project.pathways) if pathways is None else list(pathways)
    ours: dict[tuple[str, str], tuple[set[int], set[str]]] = {}
    for pid in chosen:
        pw = project.pathways[pid]
        if pw.kind is PathwayKind.WORKFLOW:
            continue
        for e in pw.edges:
            if e.relation.value == "association":
                skipped["associations in our pathways"] = skipped.get("associations in our pathways", 0) + 1
                continue
            signs, pids = ours.setdefault((e.source.entity, e.target.entity), (set(), set()))
            signs.add(e.sign)
            pids.add(pid)
    by_curie: dict[str, set[str]] = {}
    for eid, ent in project.entities.items():
        for c in ent.xrefs:
            by_curie.setdefault(c, set()).add(eid)
    ref_entities: dict[str, set[str]] = {}
    unmatched = 0
    for nid, node in reference.nodes.items():
        hits = set().union(*(by_curie.get(c, set()) for c in node.xrefs)) if node.xrefs else set()
        ref_entities[nid] = hits
        unmatched += not hits
    theirs: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for link in reference.links:
        if link.relation == "association":
            skipped["associations in the reference"] = skipped.get("associations in the reference", 0) + 1
            continue
        text = (f"{reference.nodes[link.source].label} {link.effect.value} "
                f"{reference.nodes[link.target].label}"
                + (f" ({reference.source_file}:{link.line})" if link.line else ""))
        for u in ref_entities.get(link.source, ()):
            for v in ref_entities.get(link.target, ()):
                theirs.setdefault((u, v), []).append((link.effect.sign, text))
    known = set().union(*ref_entities.values()) if ref_entities else set()
    checked = []
    for (u, v), (signs, pids) in sorted(ours.items()):
        for sign in sorted(signs, reverse=True):
            checked.append(_judge(u, v, sign, theirs, known, tuple(sorted(pids))))
    missing = [Missing(u, v, s, text, (v, u) in ours)
               for (u, v), found in sorted(theirs.items()) if (u, v) not in ours and u != v
               for s, text in found]
    return CrossCheck(reference.source_file, checked, missing, unmatched, skipped)


def _judge(u: str, v: str, sign: int, theirs: dict, known: set[str],
           pids: tuple[str, ...]) -> Checked:
    same = theirs.get((u, v), [])
    if same:
        texts = tuple(t for _, t in same)
        ref_signs = {s for s, _ in same}
        if sign != 0 and sign in ref_signs:
            return Checked(u, v, sign, "supported", texts, pids)
        if sign != 0 and -sign in ref_signs:
            return Checked(u, v, sign, "contradicted", texts, pids)
        return Checked(u, v, sign, "unsigned", texts, pids)
    back = theirs.get((v, u), [])
    if back:
        return Checked(u, v, sign, "reversed", tuple(t for _, t in back), pids)
    why = ", ".join(f"{n} not in the reference" for n in (u, v) if n not in known) \
        or "no edge between them in the reference"
    return Checked(u, v, sign, "absent", (), pids, why)


def sign_text(sign: int) -> str:
    return _WORD[sign]


__all__ = ["crosscheck", "CrossCheck", "Checked", "Missing", "STATUSES", "sign_text"]
