"""Knockouts and the experiments replayed as knockouts.

A knockout is a view of the graph without some nodes (:func:`knockout`), so every
query runs on a knocked-out graph. :func:`knockout_effects` compares a drug's effects
before and after one, node by node: a node with necessary inputs (``=>``) declared by a
pathway of the drug is reached only while all of them are. :func:`run_experiments`
replays the project's reported experiments that way: each is reproduced, contested or
failed.

The examples use :func:`mechgraph.analysis.query.example_graph`: ketamine disinhibits glutamate
release.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Collection, Iterable, Literal

import networkx as nx

from ..errors import MechgraphError
from ..gcpause import gc_paused
from ..graph import ENTITY, project_of
from ..model import Experiment, NodeRef
from .names import resolve_drug
from .net import Influence, Path
from .reach import drug_effects, merge, necessary_inputs, net_of, scoped
from .search import BUDGET

__all__ = ["KnockoutRow", "Knockout", "ExperimentOutcome", "knockout", "knockout_effects",
           "run_experiments"]


def knockout(g: nx.Graph, nodes: Iterable[str]) -> nx.Graph:
    """A read-only view of ``g`` without ``nodes`` (removed or blocked).

    >>> from mechgraph.analysis.query import example_graph
    >>> g = example_graph()
    >>> sorted(knockout(g, ["GABA"]))
    ['NMDAR', 'firing', 'glutamate', 'ketamine']
    """
    return nx.restricted_view(g, list(nodes), [])


@dataclass(frozen=True)
class KnockoutRow:
    node: str
    before: Influence
    after: Influence | None
    #: when lost: its necessary inputs (for this drug) the drug no longer reaches;
    #: empty when every path to it was cut instead
    blocked_by: tuple[str, ...] = ()

    @property
    def status(self) -> Literal["lost", "changed", "kept"]:
        if self.after is None:
            return "lost"
        return "changed" if self.after.effect != self.before.effect else "kept"


@dataclass(frozen=True)
class Knockout:
    """What a drug still reaches once ``removed`` are gone, node by node."""

    drug: str
    removed: tuple[str, ...]
    rows: tuple[KnockoutRow, ...]

    def having(self, status: str) -> tuple[KnockoutRow, ...]:
        return tuple(r for r in self.rows if r.status == status)


@gc_paused
def knockout_effects(g: nx.Graph, drug: str, nodes: Iterable[str], *,
                     cutoff: int | None = None, budget: int = BUDGET) -> Knockout:
    """A drug's effects before and after knocking out ``nodes`` (node keys).

    >>> from mechgraph.analysis.query import example_graph
    >>> g = example_graph()
    >>> k = knockout_effects(g, "ketamine", ["GABA"])
    >>> [(r.node, r.status) for r in k.rows]
    [('NMDAR', 'kept'), ('firing', 'lost'), ('glutamate', 'lost')]
    """
    removed = tuple(sorted(set(nodes)))
    for n in removed:
        if n not in g:
            raise MechgraphError(f"cannot knock out {n!r}: not a node of the graph")
    drug = resolve_drug(g, drug)
    # one net for both: the knockout as blocked nodes is the same as effects() on
    # knockout(g, removed), without building the view's net again
    net, necessary = net_of(g), necessary_inputs(g)
    before = dict(sorted(drug_effects(g, net, drug, necessary, cutoff=cutoff,
                                      budget=budget).items()))
    after = drug_effects(g, net, drug, necessary, blocked=set(removed), cutoff=cutoff,
                         budget=budget)
    blocked = _blocked_by(g, drug, after)
    rows = tuple(KnockoutRow(n, i, after.get(n), () if n in after else blocked(n))
                 for n, i in before.items() if n not in removed)
    return Knockout(drug, removed, rows)


def _blocked_by(g: nx.Graph, drug: str,
                reached: Collection[str]) -> Callable[[str], tuple[str, ...]]:
    """node -> its necessary inputs, scoped to ``drug``, that are not in ``reached``."""
    needs = scoped(g, drug, necessary_inputs(g))
    starts = {n for n, e in g.nodes(data=ENTITY) if e == drug}

    def blocked(node: str) -> tuple[str, ...]:
        return tuple(sorted(u for u in needs.get(node, ())
                            if u not in reached and u not in starts))
    return blocked


@dataclass(frozen=True)
class ExperimentOutcome:
    """One reported experiment replayed on the graph."""

    experiment: Experiment
    before: str | None  # the drug's net effect on the target without the knockout
    observed: str  # "lost" or the net effect after the knockout
    path: Path | None  # a surviving path, or (when lost) the path the knockout cut
    status: Literal["reproduced", "contested", "failed"]
    conflicts: tuple[str, ...]  # ids of the experiments it conflicts with
    blocked_by: tuple[str, ...] = ()  # when lost: necessary inputs no longer reached

    @property
    def reproduced(self) -> bool:
        return self.status == "reproduced"


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
    raw = []
    net, necessary = net_of(g), necessary_inputs(g)
    for x in sorted(experiments, key=lambda x: x.id):
        drug = resolve_drug(g, x.drug)
        removed = _refs(g, x.knockout, x)
        targets = _refs(g, [x.target], x)
        full = drug_effects(g, net, drug, necessary, cutoff=cutoff, budget=budget)
        before = [full[t] for t in targets if t in full]
        after = drug_effects(g, net, drug, necessary, blocked=set(removed), cutoff=cutoff,
                             budget=budget)
        b = merge(x.target.key, before) if before else None
        hit = [after[t] for t in targets if t in after]
        a = merge(x.target.key, hit) if hit else None
        observed = a.effect if a is not None else "lost"
        path = a.path if a is not None else b.path if b is not None else None
        blocked = _blocked_by(g, drug, after)
        why = () if a is not None else tuple(sorted({u for t in targets for u in blocked(t)}))
        raw.append((x, b.effect if b else None, observed or "lost", path, why))
    ok = {x.id for x, b, o, *_ in raw if _matches(x.expect, o, b, knockout=bool(x.knockout))}
    against: dict[str, set[str]] = {}
    for x, *_ in raw:
        for c in x.conflicts_with:  # a conflict binds both ways, whichever side wrote it
            against.setdefault(x.id, set()).add(c)
            against.setdefault(c, set()).add(x.id)
    out = []
    for x, b, o, path, why in raw:
        conflicts = tuple(sorted(against.get(x.id, ())))
        status = ("reproduced" if x.id in ok else
                  "contested" if any(c in ok for c in conflicts) else "failed")
        out.append(ExperimentOutcome(x, b, o, path, status,  # type: ignore[arg-type]
                                     conflicts, why))
    return out
