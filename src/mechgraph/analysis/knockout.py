"""Knockouts and the experiments replayed as knockouts.

A knockout is a view of the graph without some nodes (:func:`knockout`), so every
query runs on a knocked-out graph. :func:`knockout_effects` *clamps* the nodes instead:
they are held off. It compares, node by node, the drug's effect before, the drug's
effect once its routes through the clamped nodes are gone, and what holding them off
does by itself (the knockout's own signed effect): a node is *lost*, *mimicked* (the
knockout alone moves it the way the drug does), *reversed*, *changed* or *kept*. A
node with necessary inputs (``=>``) declared by a pathway of the drug is reached only
while all of them are. :func:`run_experiments` replays the project's reported
experiments that way: each is reproduced, contested or failed, and also replayed
without the edges that only its own seed place supports.

The examples use :func:`mechgraph.analysis.query.example_graph`: ketamine disinhibits glutamate
release.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Collection, Iterable, Literal

import networkx as nx

from ..errors import MechgraphError
from ..gcpause import gc_paused
from ..graph import ENTITY
from .names import resolve_drug
from .net import Influence, net_effect
from .reach import Necessity, Nets, drug_effects, necessary_inputs, nets_of, scoped
from .search import BUDGET, influences

__all__ = ["KnockoutRow", "Knockout", "knockout", "knockout_effects", "clamped"]


def knockout(g: nx.Graph, nodes: Iterable[str]) -> nx.Graph:
    """A read-only view of ``g`` without ``nodes`` (removed or blocked).

    >>> from mechgraph.analysis.query import example_graph
    >>> g = example_graph()
    >>> sorted(knockout(g, ["GABA"]))
    ['NMDAR', 'firing', 'glutamate', 'ketamine']
    """
    return nx.restricted_view(g, list(nodes), [])


_OPPOSITE = {"increases": "decreases", "decreases": "increases"}
Status = Literal["lost", "mimicked", "reversed", "changed", "kept"]


@dataclass(frozen=True)
class KnockoutRow:
    node: str
    before: Influence
    after: Influence | None  # the drug's effect once its routes through the knockout are gone
    #: when lost: its necessary inputs (for this drug) the drug no longer reaches;
    #: empty when every path to it was cut instead
    blocked_by: tuple[str, ...] = ()
    #: what holding the knocked-out nodes off does to the node by itself (its paths run
    #: from a knocked-out node; the signs are those of the knockout, not of the node)
    alone: Influence | None = None

    @property
    def alone_effect(self) -> str | None:
        """The knockout's own signed effect on the node: the node is held off, so what it
        increases falls and what it decreases rises."""
        return None if self.alone is None else net_effect(-s for s in self.alone.signs)

    @property
    def status(self) -> Status:
        """*mimicked*: the knockout alone moves the node the way the drug does (the drug's
        route through it is gone, and so is the need); *kept*: the drug still moves it
        the same way; *lost*: the drug no longer reaches it; *reversed*: the drug now
        moves it the other way; *changed*: another change (discordant or unknown)."""
        before = self.before.effect
        if before in _OPPOSITE and self.alone_effect == before:
            return "mimicked"
        if self.after is None:
            return "lost"
        after = self.after.effect
        if after == before:
            return "kept"
        return "reversed" if _OPPOSITE.get(before) == after else "changed"


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
                     cutoff: int | None = None, budget: int = BUDGET,
                     stated: bool = False) -> Knockout:
    """A drug's effects before and after clamping ``nodes`` (node keys) off.

    In the example ketamine inhibits NMDAR, which drives GABA, which inhibits firing:
    holding GABA off raises firing and glutamate by itself, as ketamine does.

    >>> from mechgraph.analysis.query import example_graph
    >>> g = example_graph()
    >>> k = knockout_effects(g, "ketamine", ["GABA"])
    >>> [(r.node, r.status, r.alone_effect) for r in k.rows]
    [('NMDAR', 'kept', None), ('firing', 'mimicked', 'increases'), ('glutamate', 'mimicked', 'increases')]
    >>> [(r.node, r.status) for r in knockout_effects(g, "ketamine", ["firing"]).rows]
    [('GABA', 'kept'), ('NMDAR', 'kept'), ('glutamate', 'lost')]
    """
    removed = tuple(sorted(set(nodes)))
    for n in removed:
        if n not in g:
            raise MechgraphError(f"cannot knock out {n!r}: not a node of the graph")
    drug = resolve_drug(g, drug)
    # one net for both: the knockout as blocked nodes is the same as effects() on
    # knockout(g, removed), without building the view's net again
    net, necessary = nets_of(g), necessary_inputs(g)
    before = dict(sorted(drug_effects(g, net, drug, necessary, cutoff=cutoff,
                                      budget=budget, stated_only=stated).items()))
    after = drug_effects(g, net, drug, necessary, blocked=set(removed), cutoff=cutoff,
                         budget=budget, stated_only=stated)
    alone = clamped(net, removed, cutoff=cutoff, budget=min(budget, CLAMP_BUDGET))
    blocked = _blocked_by(g, drug, after, necessary)
    rows = tuple(KnockoutRow(n, i, after.get(n), () if n in after else blocked(n),
                             alone.get(n))
                 for n, i in before.items() if n not in removed)
    return Knockout(drug, removed, rows)


#: the work the knockout's own effect may cost: it only decides mimicked or not, so it
#: keeps the signs a shortest walk carries without looping, and confirms no other
#: (0: no confirming search)
CLAMP_BUDGET = 0


def clamped(nets: Nets, removed: Collection[str], *, cutoff: int | None,
            budget: int) -> dict[str, Influence]:
    """What the knocked-out nodes reach by themselves, along mechanistic steps first and
    summary edges only where none does (the signs are those of the nodes, not yet
    turned for holding them off)."""
    out = dict(influences(nets.mech, removed, cutoff=cutoff, budget=budget))
    if nets.summaries:
        for v, inf in influences(nets.full, removed, cutoff=cutoff, budget=budget).items():
            out.setdefault(v, inf)
    return out


def _blocked_by(g: nx.Graph, drug: str, reached: Collection[str],
                necessary: Necessity | None = None) -> Callable[[str], tuple[str, ...]]:
    """node -> its necessary inputs, scoped to ``drug``, that are not in ``reached``."""
    needs = scoped(g, drug, necessary_inputs(g) if necessary is None else necessary)
    starts = {n for n, e in g.nodes(data=ENTITY) if e == drug}

    def blocked(node: str) -> tuple[str, ...]:
        return tuple(sorted(u for u in needs.get(node, ())
                            if u not in reached and u not in starts))
    return blocked
