"""Names -> graph nodes: entity ids, labels and synonyms, compartments, drugs, pathways.

A node is named by its entity's id, label or synonym (exactly, then ignoring case),
optionally with ``@compartment``; an entity name alone stands for all its compartment
nodes. A name that matches nothing is a :class:`~mechgraph.errors.MechgraphError`
with a did-you-mean. The examples use :func:`mechgraph.analysis.query.example_graph`.
"""

from __future__ import annotations

import difflib
import fnmatch
from dataclasses import dataclass
from typing import Iterable, Literal

import networkx as nx

from ..errors import MechgraphError
from ..graph import ENTITY, LABEL, PATHWAYS, drug_index, project_of, split

__all__ = ["Source", "label", "resolve", "resolve_drug", "resolve_sources", "did_you_mean"]


def label(g: nx.Graph, node: str) -> str:
    """How a node is shown: its label, with ``@compartment`` when it has one.

    >>> from mechgraph.analysis.query import example_graph
    >>> g = example_graph()
    >>> label(g, "NMDAR")
    'NMDAR'
    """
    data = g.nodes[node]
    text = data.get(LABEL, node)
    _, at, comp = node.partition("@")
    return f"{text}@{comp}" if at else text


def _names(g: nx.Graph) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, list[str]]]:
    """name -> entity ids (exact and casefolded), entity id -> its nodes in ``g``."""
    nodes: dict[str, list[str]] = {}
    for n, e in g.nodes(data=ENTITY):
        nodes.setdefault(e or n, []).append(n)
    exact: dict[str, set[str]] = {}
    folded: dict[str, set[str]] = {}

    def add(name: str | None, eid: str) -> None:
        if name:
            exact.setdefault(name, set()).add(eid)
            folded.setdefault(name.casefold(), set()).add(eid)

    project = project_of(g)
    entities = project.entities if project is not None else {}
    for eid in nodes:
        add(eid, eid)
        ent = entities.get(eid)
        if ent is not None:
            add(ent.label, eid)
            for syn in ent.synonyms:
                add(syn, eid)
        else:
            add(g.nodes[nodes[eid][0]].get(LABEL), eid)
    for ns in nodes.values():
        ns.sort()
    return exact, folded, nodes


def _entity(g: nx.Graph, name: str, what: str = "node") -> tuple[str, list[str]]:
    exact, folded, nodes = _names(g)
    eids = exact.get(name) or folded.get(name.casefold()) or set()
    if len(eids) == 1:
        eid = next(iter(eids))
        return eid, nodes[eid]
    if len(eids) > 1:
        raise MechgraphError(f"{what} {name!r} is ambiguous: it names {', '.join(sorted(eids))}")
    known = [*sorted(nodes), *sorted(exact)]  # ids first: they win a tie on case
    raise MechgraphError(f"unknown {what} {name!r}{did_you_mean(name, known)}")


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """Close matches, ignoring case; of names equal but for case the first given wins.

    A name with other numbers (5-HT1A against 5-HT₂A) is another thing, never suggested.
    """
    from ..language.fields import numbers

    digits = numbers(name)
    by_fold: dict[str, str] = {}
    for k in known:
        if numbers(k) == digits:
            by_fold.setdefault(k.casefold(), k)
    close = difflib.get_close_matches(name.casefold(), list(by_fold), n=3, cutoff=0.6)
    return f" (did you mean {' or '.join(repr(by_fold[c]) for c in close)}?)" if close else ""


def resolve(g: nx.Graph, name: str) -> tuple[str, ...]:
    """The nodes a name denotes: an entity id, label or synonym (exact, then ignoring
    case), optionally ``@compartment``; an entity alone matches all its compartment nodes.

    >>> from mechgraph.analysis.query import example_graph
    >>> g = example_graph()
    >>> resolve(g, "nmdar")
    ('NMDAR',)
    """
    base, at, comp = name.rpartition("@") if "@" in name else (name, "", "")
    try:
        eid, nodes = _entity(g, base)
    except MechgraphError:
        if name in g:  # a node key, e.g. a workflow step "pathway:step"
            return (name,)
        raise
    if not at:
        return tuple(nodes)
    for n in nodes:
        c = n.partition("@")[2]
        if c == comp or c.casefold() == comp.casefold():
            return (n,)
    where = sorted(n.partition("@")[2] for n in nodes if "@" in n)
    raise MechgraphError(f"{eid} has no node in compartment {comp!r}"
                         + (f" (it is in: {', '.join(where)})" if where else ""))


def resolve_drug(g: nx.Graph, name: str) -> str:
    """The entity id of a drug (any entity in the graph may act as one).

    >>> from mechgraph.analysis.query import example_graph
    >>> g = example_graph()
    >>> resolve_drug(g, "Ketamine")
    'ketamine'
    """
    return _entity(g, name, "drug")[0]


@dataclass(frozen=True)
class Source:
    """What reaches nodes in a shared-node query: a drug or a pathway."""

    name: str
    kind: Literal["drug", "pathway"]


def resolve_sources(g: nx.Graph, names: Iterable[str]) -> list[Source]:
    """Pathway ids, drug names, or globs over pathway ids (each match its own source).

    >>> from mechgraph.analysis.query import example_graph
    >>> g = example_graph()
    >>> resolve_sources(g, ["ketamine", "k*"])
    [Source(name='ketamine', kind='drug'), Source(name='k', kind='pathway')]
    """
    pathways = _pathway_ids(g)
    out: list[Source] = []
    for name in names:
        if name in pathways:
            found = [Source(name, "pathway")]
        elif any(c in name for c in "*?["):
            found = [Source(p, "pathway") for p in sorted(fnmatch.filter(pathways, name))]
            if not found:
                raise MechgraphError(f"{name!r} matches no pathway{did_you_mean(name, pathways)}")
        else:
            drugs = drug_index(g)
            try:
                found = [Source(resolve_drug(g, name), "drug")]
            except MechgraphError:
                declared = [d for d in drugs if d.casefold() == name.casefold()]
                if declared:  # a pathway names it under drugs:, but no edge of it is there
                    pids = drugs[declared[0]]
                    by = ("pathway " if len(pids) == 1 else "pathways ") + ", ".join(pids)
                    raise MechgraphError(
                        f"drug {declared[0]!r} is declared by {by} but is on none of "
                        "its edges, so it reaches nothing (add an edge from it, e.g. "
                        f"'{declared[0]} -> TARGET')") from None
                raise MechgraphError(f"{name!r} is neither a pathway nor a drug"
                                     f"{did_you_mean(name, [*pathways, *drugs])}") from None
        out += [s for s in found if s not in out]
    return out


def _pathway_ids(g: nx.Graph) -> list[str]:
    ids: set[str] = set()
    for _, pids in g.nodes(data=PATHWAYS):
        ids.update(split(pids) if isinstance(pids, str) else pids or ())
    return sorted(ids)
