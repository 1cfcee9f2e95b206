"""The reported experiments replayed as knockouts, and whether each is reproduced
independently of the edges written from its own seed sentence.

An experiment's knockout clamps its nodes off (:mod:`mechgraph.analysis.knockout`); it
is *reproduced* when the graph gives the reported outcome. It is reproduced
*independently* when it still is once the edges whose only support is the experiment's
own seed place are left out: an experiment that passes only through an edge written from
the sentence that reports it tests nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal

import networkx as nx

from ..errors import MechgraphError
from ..gcpause import gc_paused
from ..graph import ENTITY, node_key, project_of
from ..model import Experiment, NodeRef, Project, SeedRef
from .knockout import KnockoutRow, _blocked_by, clamped
from .names import resolve_drug
from .net import Path
from .reach import drug_effects, merge, necessary_inputs, nets_of
from .search import BUDGET

__all__ = ["ExperimentOutcome", "run_experiments", "own_edges"]

#: how an experiment fares once the edges of its own seed place are left out
Independence = Literal["independent", "own-edges-only", "not-reproduced"]


@dataclass(frozen=True)
class ExperimentOutcome:
    """One reported experiment replayed on the graph."""

    experiment: Experiment
    before: str | None  # the drug's net effect on the target without the knockout
    observed: str  # "lost", "mimicked" or the net effect after the knockout
    path: Path | None  # a surviving path, or (when lost) the path the knockout cut
    status: Literal["reproduced", "contested", "failed"]
    conflicts: tuple[str, ...]  # ids of the experiments it conflicts with
    blocked_by: tuple[str, ...] = ()  # when lost: necessary inputs no longer reached
    #: independent: reproduced without the edges only its own seed place supports;
    #: own-edges-only: reproduced only with them; not-reproduced: not reproduced at all
    independence: Independence = "not-reproduced"
    own_edges: tuple[tuple[str, str, str], ...] = ()  # (u, v, pathway) left out
    #: what the graph gives without them ("unreached": the drug no longer reaches the
    #: target even before the knockout)
    observed_without: str | None = None

    @property
    def reproduced(self) -> bool:
        return self.status == "reproduced"


def _overlaps(a: SeedRef, b: SeedRef) -> bool:
    return a.source == b.source and a.first <= b.last and b.first <= a.last


def own_edges(g: nx.Graph, project: Project, x: Experiment) -> tuple[tuple[str, str, str], ...]:
    """The edges of ``g`` whose every statement has a seed place overlapping the
    experiment's own (their only support is the sentence that reports it)."""
    seed = x.evidence.seed
    if seed is None:
        return ()
    out = []
    for pid, pathway in project.pathways.items():
        for e in pathway.edges:
            if e.evidence and all(ev.seed is not None and _overlaps(ev.seed, seed)
                                  for ev in e.evidence):
                u, v = node_key(pathway, e.source), node_key(pathway, e.target)
                if g.has_edge(u, v, pid):
                    out.append((u, v, pid))
    return tuple(sorted(out))
def _refs(g: nx.Graph, refs: Iterable[NodeRef], where: Experiment) -> list[str]:
    out: list[str] = []
    for ref in refs:
        nodes = [ref.key] if ref.key in g else (
            [] if ref.compartment else
            sorted(n for n, e in g.nodes(data=ENTITY) if e == ref.entity))
        if not nodes:
            loc = where.location
            raise MechgraphError(f"experiment {where.id}: {ref.key!r} is not a node of the graph",
                                 path=loc.path if loc else None, line=loc.line if loc else None)
        out += nodes
    return out


def _matches(expect: str, observed: str, before: str | None, *, knockout: bool = True) -> bool:
    if not knockout:  # the drug's own effect: "lost" reads "never reaches the target"
        return expect == observed
    if before is None:
        return False  # the graph never reached the target: nothing to knock out
    if expect == "kept":
        return observed != "lost"
    if observed == "mimicked":  # the knockout alone moves the target as the drug did
        return expect == before
    return expect == observed


@gc_paused
def run_experiments(g: nx.Graph, experiments: Iterable[Experiment] | None = None, *,
                    cutoff: int | None = None, budget: int = BUDGET) -> list[ExperimentOutcome]:
    """Replay each experiment (default: the project's) as a knockout.

    An experiment with no knockout asks for the drug's own effect on its target
    (``lost``: the drug never reaches it). An experiment is *reproduced* when the graph
    gives its expected outcome; *contested* when it does not but conflicts with one that
    is (the seeds disagree and the graph sides with the other); *failed* otherwise.
    """
    if experiments is None:
        project = project_of(g)
        experiments = project.experiments.values() if project is not None else ()
    project = project_of(g)
    raw = []
    for x in sorted(experiments, key=lambda x: x.id):
        b, observed, path, why = _replay(g, x, cutoff, budget)
        own = own_edges(g, project, x) if project is not None else ()
        b2, without = (_replay(nx.restricted_view(g, [], own), x, cutoff, budget)[:2] if own
                       else (b, observed))
        raw.append((x, b, observed, path, why, own, (without, b2)))
    ok = {x.id for x, b, o, *_ in raw if _matches(x.expect, o, b, knockout=bool(x.knockout))}
    # without its own edges the drug must still reach the target before the knockout
    alone = {x.id for x, _, _, _, _, _, (w, b2) in raw
             if _matches(x.expect, w, b2, knockout=bool(x.knockout))}
    against: dict[str, set[str]] = {}
    for x, *_ in raw:
        for c in x.conflicts_with:  # a conflict binds both ways, whichever side wrote it
            against.setdefault(x.id, set()).add(c)
            against.setdefault(c, set()).add(x.id)
    out = []
    for x, b, o, path, why, own, without in raw:
        conflicts = tuple(sorted(against.get(x.id, ())))
        status = ("reproduced" if x.id in ok else
                  "contested" if any(c in ok for c in conflicts) else "failed")
        independence = ("independent" if x.id in ok and x.id in alone else
                        "own-edges-only" if x.id in ok else "not-reproduced")
        out.append(ExperimentOutcome(x, b, o, path, status,  # type: ignore[arg-type]
                                     conflicts, why, independence,  # type: ignore[arg-type]
                                     own, without[0] if without[1] is not None
                                     else "unreached"))
    return out


def _replay(g: nx.Graph, x: Experiment, cutoff: int | None,
            budget: int) -> tuple[str | None, str, Path | None, tuple[str, ...]]:
    """(the drug's effect on the target before, what the graph gives after the
    knockout, the path that explains it, the necessary inputs no longer reached)."""
    nets, necessary = nets_of(g), necessary_inputs(g)
    drug = resolve_drug(g, x.drug)
    removed = _refs(g, x.knockout, x)
    targets = _refs(g, [x.target], x)
    full = drug_effects(g, nets, drug, necessary, cutoff=cutoff, budget=budget)
    before = [full[t] for t in targets if t in full]
    b = merge(x.target.key, before) if before else None
    if not removed:
        return (b.effect if b else None, (b.effect if b else None) or "lost",
                b.path if b else None, ())
    after = drug_effects(g, nets, drug, necessary, blocked=set(removed), cutoff=cutoff,
                         budget=budget)
    hit = [after[t] for t in targets if t in after]
    a = merge(x.target.key, hit) if hit else None
    by_itself = clamped(nets, removed, cutoff=cutoff, budget=budget)
    own = [by_itself[t] for t in targets if t in by_itself]
    row = KnockoutRow(x.target.key, b, a, (), merge(x.target.key, own) if own else None) \
        if b is not None else None
    status = row.status if row is not None else None
    observed = ("lost" if a is None and status != "mimicked" else
                "mimicked" if status == "mimicked" else a.effect or "lost")  # type: ignore[union-attr]
    path = a.path if a is not None else b.path if b is not None else None
    blocked = _blocked_by(g, drug, after)
    why = () if a is not None else tuple(sorted({u for t in targets for u in blocked(t)}))
    return b.effect if b else None, observed, path, why
