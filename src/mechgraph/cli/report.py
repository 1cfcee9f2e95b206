"""Query results -> documents: the JSON shape of every query's answer.

Each ``*_doc`` function turns what a :mod:`mechgraph.analysis` function returned into a
plain dict whose shape is fixed by ``query-output.schema.json`` (shipped beside this
module); :mod:`.tables` writes a document as a readable table, JSON or CSV.
"""

from __future__ import annotations

import json
from typing import Any, Collection, Iterable, Mapping, Sequence

import networkx as nx

from ..analysis.query import (
    Comparison,
    ExperimentOutcome,
    Influence,
    Knockout,
    Path,
    SharedNode,
    Source,
    label,
    net_effect,
    path_scope,
)
from ..analysis.net import RELATION_NAMES
from ..gcpause import gc_paused
from ..graph import COMPARTMENT, ENTITY, LABEL
from ..model import Figure

SCHEMA_VERSION = 2
FORMATS = ("table", "json", "csv")
SIGN_TEXT = {1: "+", -1: "-", 0: "?"}
SIGN_VALUE = {v: k for k, v in SIGN_TEXT.items()}

Doc = dict[str, Any]


def schema() -> dict[str, Any]:
    """The JSON Schema every document validates against."""
    from importlib.resources import files

    return json.loads(files("mechgraph.cli").joinpath("query-output.schema.json").read_text("utf-8"))


# -- pieces -----------------------------------------------------------------------


def _signs(signs: Iterable[int]) -> list[str]:
    return [SIGN_TEXT[s] for s in sorted(signs, reverse=True)]


def _grade(g: Any) -> str | None:
    return None if g is None else g.value


def node_doc(g: nx.Graph, node: str) -> Doc:
    data = g.nodes[node]
    return {"node": node, "entity": data.get(ENTITY, node),
            "compartment": data.get(COMPARTMENT) or None, "label": label(g, node)}


def path_doc(g: nx.Graph, p: Path, scope: Collection[str] | None = None) -> Doc:
    """``scope``: the pathways that make the path stated (a drug's own and the
    drug-independent ones); None when the path is not a drug's."""
    return _path_doc(p, scope, _Labels(g))


class _Labels(dict):
    """node -> :func:`label`, each looked up once per document."""

    def __init__(self, g: nx.Graph) -> None:
        super().__init__()
        self.g = g

    def __missing__(self, node: str) -> str:
        text = self[node] = label(self.g, node)
        return text


def _path_doc(p: Path, scope: Collection[str] | None, labels: Mapping[str, str]) -> Doc:
    hops = p.hops
    text = [labels[p.start]]
    for h in hops:
        text += [h.effect.value, labels[h.target]]
    return {
        "text": " ".join(text),
        "nodes": list(p.nodes),
        "sign": SIGN_TEXT[p.sign],
        "length": len(hops),
        "weakest_evidence": _grade(p.weakest),
        "relation": p.relation_name,
        "provenance": None if scope is None else "stated" if p.stated(scope) else "inferred",
        "support": p.support,
        "hops": [{"source": h.source, "target": h.target, "effect": h.effect.value,
                  "sign": SIGN_TEXT[h.sign], "pathways": list(h.pathways),
                  "evidence": _grade(h.grade), "relation": RELATION_NAMES[h.relation],
                  "support": h.support} for h in hops],
    }


def path_text(g: nx.Graph, p: Path) -> str:
    """A path as the pathway language writes it, with labels: ``ketamine -| NMDAR -> ...``."""
    parts = [label(g, p.start)]
    for h in p.hops:
        parts += [h.effect.value, label(g, h.target)]
    return " ".join(parts)


def influence_doc(g: nx.Graph, i: Influence) -> Doc:
    scope = i.scope if i.stated is not None else None
    return {**node_doc(g, i.node), "effect": i.effect, "signs": _signs(i.signs),
            "distance": min((len(p) for p in i.paths), default=0), "truncated": i.truncated,
            "relation": i.relation_name, "provenance": i.provenance,
            "paths": [path_doc(g, p, scope) for p in i.paths]}


def _envelope(query: str, **fields: Any) -> Doc:
    return {"query": query, "schema_version": SCHEMA_VERSION, **fields}


# -- documents ----------------------------------------------------------------------


def _influences(g: nx.Graph, result: Mapping[str, Influence]) -> list[Doc]:
    """Nearest first (a cascade reads top to bottom), then by label."""
    docs = [influence_doc(g, i) for i in result.values()]
    return sorted(docs, key=lambda d: (d["distance"], d["label"].casefold(), d["node"]))


def effects_doc(g: nx.Graph, drug: str, effects: Mapping[str, Influence], *,
                knockout: Sequence[str] = (), missing: Sequence[str] = (),
                stated: bool = False) -> Doc:
    """``missing``: nodes asked about that the drug does not reach."""
    return _envelope("effect", stated=stated, drug=drug, knockout=list(knockout),
                     results=_influences(g, effects),
                     unreached=[node_doc(g, n) for n in missing])


def neighbours_doc(g: nx.Graph, direction: str, nodes: Sequence[str],
                   result: Mapping[str, Influence], *, depth: int | None) -> Doc:
    return _envelope(direction, nodes=list(nodes), depth=depth,
                     results=_influences(g, result))


def paths_doc(g: nx.Graph, sources: Sequence[str], targets: Sequence[str],
              paths: Sequence[Path], *, cutoff: int, sign: int | None,
              stated: bool = False) -> Doc:
    scope = path_scope(g, sources)
    return _envelope("paths", stated=stated, sources=list(sources), targets=list(targets),
                     cutoff=cutoff, sign=None if sign is None else SIGN_TEXT[sign],
                     results=[path_doc(g, p, scope) for p in paths])


#: the sources of each shared node whose path the table prints (the rest are counted)
EXPLAINED = 4


def _shared_row(g: nx.Graph, row: SharedNode, by: str, labels: Mapping[str, str],
                explain: int | None = None) -> Doc:
    """``explain``: only the first that many sources get their path (the rest None)."""
    reach = row.reach
    sources = []
    for n, r in enumerate(reach):
        inf = r.influence
        path = inf.path if inf is not None and (explain is None or n < explain) else None
        sources.append({
            "source": r.source.name, "kind": r.source.kind, "effect": r.effect,
            "signs": _signs(inf.signs) if inf else [], "evidence": _grade(r.evidence),
            "relation": r.relation, "provenance": r.provenance,
            "path": _path_doc(path, inf.scope if inf else None, labels)
            if path is not None else None})
    return {
        "key": row.key,
        "label": labels[row.key] if by == "compartment" else
        str(g.nodes[row.nodes[0]].get(LABEL, row.key)),
        "nodes": list(row.nodes),
        "count": len(reach),
        "concordant": row.concordant,
        "evidence": _grade(row.evidence),
        "provenance": row.provenance,
        "sources": sources,
    }


@gc_paused  # the explanations of every cell: many small objects, no cycles
def shared_doc(g: nx.Graph, sources: Sequence[Source], rows: Sequence[SharedNode], *,
               by: str, stated: bool = False, explain: int | None = None) -> Doc:
    """``explain``: explain only the first that many sources of each row (a table
    prints no more: :data:`EXPLAINED`); the other cells' paths are None."""
    labels = _Labels(g)
    return _envelope("shared", stated=stated, by=by,
                     sources=[{"name": s.name, "kind": s.kind} for s in sources],
                     results=[_shared_row(g, r, by, labels, explain) for r in rows])


@gc_paused
def compare_doc(g: nx.Graph, c: Comparison, *, by: str, stated: bool = False) -> Doc:
    labels = _Labels(g)
    return _envelope("compare", stated=stated, a=c.a, b=c.b, by=by,
                     shared=[_shared_row(g, r, by, labels) for r in c.shared],
                     only_a=[_shared_row(g, r, by, labels) for r in c.only_a],
                     only_b=[_shared_row(g, r, by, labels) for r in c.only_b])


def _brief(g: nx.Graph, i: Influence | None, *, turned: bool = False) -> Doc | None:
    """``turned``: the knockout's own influence, whose signs flip (the node is held off)."""
    if i is None:
        return None
    signs = {-s for s in i.signs} if turned else i.signs
    scope = i.scope if i.stated is not None else None
    return {"effect": net_effect(signs), "signs": _signs(signs),
            "path": path_doc(g, i.path, scope) if i.path else None}


_STATUS_ORDER = {"lost": 0, "reversed": 1, "changed": 2, "mimicked": 3, "kept": 4}


def knockout_doc(g: nx.Graph, k: Knockout, *, stated: bool = False) -> Doc:
    """Lost first, then reversed, changed, mimicked, kept; each by label."""
    rows = [{**node_doc(g, r.node), "status": r.status, "before": _brief(g, r.before),
             "after": _brief(g, r.after), "alone": _brief(g, r.alone, turned=True),
             "blocked_by": list(r.blocked_by)} for r in k.rows]
    rows.sort(key=lambda d: (_STATUS_ORDER[d["status"]], d["label"].casefold(), d["node"]))
    return _envelope("knockout", stated=stated, drug=k.drug, removed=list(k.removed),
                     results=rows)


def experiments_doc(g: nx.Graph, outcomes: Sequence[ExperimentOutcome]) -> Doc:
    results = []
    for o in outcomes:
        x = o.experiment
        results.append({
            "id": x.id, "drug": x.drug, "knockout": [str(n) for n in x.knockout],
            "target": str(x.target), "expect": x.expect, "before": o.before,
            "observed": o.observed, "blocked_by": list(o.blocked_by), "status": o.status,
            "conflicts_with": list(o.conflicts),
            "evidence": _grade(x.evidence.grade),
            "seed": str(x.evidence.seed) if x.evidence.seed else None,
            "path": path_doc(g, o.path) if o.path else None,
            "independence": o.independence,
            "own_edges": [{"source": u, "target": v, "pathway": p} for u, v, p in o.own_edges],
            "observed_without": o.observed_without,
        })
    return _envelope("experiments", results=results)


def shared_figure(sources: Sequence[Source], rows: Sequence[SharedNode]) -> Figure:
    """A figure of the shared nodes: the source pathways, or for drugs the pathways whose
    edges carry the explanation paths; nodes drawn by two or more are highlighted."""
    pathways: dict[str, None] = {s.name: None for s in sources if s.kind == "pathway"}
    for row in rows:
        for r in row.reach:
            if r.source.kind == "drug" and r.path is not None:
                for h in r.path.hops:
                    pathways.update(dict.fromkeys(h.pathways))
    names = ", ".join(s.name for s in sources)
    return Figure(id="shared", title=f"Shared by {names}", pathways=tuple(pathways),
                  caption=f"{len(rows)} nodes reached by two or more of: {names}.",
                  highlight_shared=True)
