"""The fast routes of ``shared`` answer exactly what the straightforward ones answer.

Random projects (loops, both signs, unknown signs, necessities, conversions,
associations, summary edges, hypothesis to clinical grades, several seed places,
compartments, pathways with no drug, one drug or two, a drug-independent pathway) are
asked ``shared`` over every pathway, over drugs and over both, with and without a
cutoff and a tiny budget. The reference answers run with:

- every pathway source through ``drug_reach`` on the pathway's nets (no one-pass
  route, :mod:`mechgraph.analysis.sweep`), its edges found by a scan of every edge of
  the graph (not looked up from the project's model);
- every explanation from ``ranked_paths`` with the iterative search (no memo, every
  candidate a Path, sorted), not ``ranked_first``;
- an influence's paths from its witnesses as built paths (the lengths read without
  building them are not used);
- the whole document, every cell explained, laid out as the table, JSON and CSV.

Both documents are compared whole (signs, effects, evidence, provenance, relation,
truncation, every path with its hops), then the three text formats.
"""

from __future__ import annotations

import json
import random

import pytest

from mechgraph.analysis import memo as memo_module
from mechgraph.analysis import reach, shared, sweep
from mechgraph.analysis.net import Influence
from mechgraph.analysis.query import resolve_sources, shared_nodes, signaling_graph
from mechgraph.cli.report import EXPLAINED, shared_doc
from mechgraph.cli.tables import format_doc
from mechgraph.language.load import load_project

ARROWS = ("->", "->", "-|", "-|", "~>", "=>", ">>")
GRADES = ("clinical", "preclinical", "in-vitro", "review", "hypothesis")


def write_project(folder, seed: int) -> None:
    rng = random.Random(seed)
    nodes = [f"n{i}" for i in range(rng.randint(6, 10))]
    drugs = ["d0", "d1", "d2"]
    (folder / "catalog.yaml").write_text(
        "sources:\n  gen: {title: Generated source}\n"
        "compartments:\n  c1: Compartment one\n  c2: Compartment two\n"
        "entities:\n" + "".join(f"  {d}: drug\n" for d in drugs)
        + "".join(f"  {n}: {{kind: protein, label: Node {n}}}\n" for n in nodes))
    plain = rng.random() < 0.5  # half the projects: mechanistic steps only (one pass)
    for p in range(rng.randint(4, 7)):
        names = nodes + [rng.choice(nodes) + "@" + rng.choice(("c1", "c2"))
                         for _ in range(rng.randint(0, 2))]
        mine = rng.sample(drugs, rng.choice((0, 1, 1, 1, 1, 1, 1, 2)))
        if p < len(drugs) and drugs[p] not in mine:  # every drug in some pathway
            mine = [drugs[p], *mine[:1]]
        heads = mine or [rng.choice(drugs)]  # a pathway with no drug may still name one
        pairs: set[tuple[str, str]] = set()
        lines = [f"pathway: p{p}", f"title: Pathway {p}"]
        if mine:
            lines.append(f"drugs: [{', '.join(mine)}]")
        if rng.random() < 0.15:
            lines.append("drug_independent: true")
        lines += ["defaults: {evidence: preclinical, seed: gen:1}", "edges:"]
        order = heads + rng.sample(names, len(names))
        for j in range(1, len(order)):  # a tree from the drugs, then cross links (loops)
            pairs.add((order[rng.randrange(min(j, len(heads)) if j <= len(heads) else j)],
                       order[j]))
        pairs.update((h, rng.choice(nodes)) for h in heads)  # each drug acts on something
        while len(pairs) < len(order) * 1.5:
            u, v = rng.sample(order, 2)
            pairs.add((u, v))
        for u, v in sorted(sorted(pairs), key=lambda uv: rng.random()):  # no hash order
            if u == v or v in drugs:
                continue
            kind = rng.uniform(0.18 if plain or rng.random() < 0.5 else 0, 1)
            arrow = rng.choice(ARROWS)
            if kind < 0.08:
                lines.append(f"  - {u} -- {v}")
            elif kind < 0.18:
                arrow = rng.choice(("->", "-|"))
                lines.append(f"  - {{edge: {u} {arrow} {v}, relation: summary, "
                             f"evidence: {rng.choice(GRADES)}}}")
            elif kind < 0.45:
                lines.append(f"  - {{edge: {u} {arrow} {v}, evidence: {rng.choice(GRADES)}, "
                             f"seed: gen:{rng.randint(1, 4)}}}")
            else:
                lines.append(f"  - {u} {arrow} {v}")
        (folder / f"p{p}.yaml").write_text("\n".join(lines) + "\n")


def _reference_pathway_reach(g, pid, edges, incident, drugs, entity_nodes, necessary, *,
                             cutoff, budget, succ=None, relations=None):
    signed, chain = {}, {}
    if drugs:
        signed, chain = shared._drug_reaches(g, pid, edges, incident, drugs, entity_nodes,
                                             necessary, cutoff=cutoff, budget=budget)
    incident.update(chain)
    return incident, signed


class _ScannedEdges:
    """A pathway's edges as a scan of every edge of the graph finds them (by their
    pathway key), not looked up from the project's model."""

    def __init__(self, g):
        self.found = {}
        for edge in reach.edge_tuples(g):
            self.found.setdefault(edge[2], []).append(edge)

    def read(self, pid):
        edges = self.found.get(pid, [])
        incident = {}
        for u, v, _, _, _, rank, *_ in edges:
            for n in (u, v):
                incident[n] = min(rank, incident.get(n, rank))
        return edges, incident, None, None


def _reference_first(tiers, full, sources, targets, *, sign, cutoff, limit, budget, scope,
                     allowed, memo):
    found = reach.ranked_paths(tiers, full, sources, targets, sign=sign, cutoff=cutoff,
                               limit=limit, budget=budget, scope=scope, allowed=allowed)
    return found[0] if found else None


def _reference_paths(self):
    """Influence.paths as it reads with every witness built (no lengths read apart)."""
    if self._paths is None:
        search, node = self._search, self.node
        paths = {p.sign: p for p in (search.witness((node, s)) for s in self.signs)}
        if self._lead is not None:
            paths.update({p.sign: p for p in self._lead.paths if p.sign in paths})
        if self._explain is not None:
            for sign, p in list(paths.items()):
                better = self._explain(node, sign, len(p))
                if better is not None:
                    paths[sign] = better
        self._paths = self.order(paths.values())
        self._search = self._lead = self._explain = None
    return self._paths


def answers(folder, names, **kw) -> tuple[dict, dict[str, str], dict]:
    g = signaling_graph(load_project(folder))
    sources = resolve_sources(g, names)
    rows = shared_nodes(g, sources, **kw)
    doc = shared_doc(g, sources, rows, by=kw.get("by", "entity"))
    texts = {fmt: format_doc(doc, fmt) for fmt in ("json", "csv")}
    brief = shared_doc(g, sources, shared_nodes(g, sources, **kw), by=kw.get("by", "entity"),
                       explain=EXPLAINED)
    texts["table"] = format_doc(brief, "table")
    return doc, texts, format_doc(doc, "table")


CASES = [(["p*"], {}), (["p*"], {"by": "compartment"}), (["p*"], {"cutoff": 2}),
         (["p*"], {"budget": 3}), (["p*"], {"minimum": 1}), (["d0", "d1", "d2"], {}),
         (["d0", "p*"], {"stated": True}), (["d0", "d1", "p0", "p1"], {"budget": 3})]


@pytest.mark.parametrize("seed", range(25))
def test_fast_routes_answer_as_the_reference(tmp_path, monkeypatch, seed):
    write_project(tmp_path, seed)
    fast = [answers(tmp_path, names, **kw) for names, kw in CASES]
    with monkeypatch.context() as m:
        m.setattr(shared, "_pathway_reach", _reference_pathway_reach)
        m.setattr(shared, "_PathwayEdges", _ScannedEdges)
        m.setattr(reach, "ranked_first", _reference_first)
        m.setattr(sweep, "ranked_first", _reference_first)
        m.setattr(Influence, "paths", property(_reference_paths))
        slow = [answers(tmp_path, names, **kw) for names, kw in CASES]
    for (names, kw), (doc, texts, whole), (ref, ref_texts, _) in zip(CASES, fast, slow):
        assert json.dumps(doc) == json.dumps(ref), (names, kw)
        assert texts == ref_texts, (names, kw)
        # the table explains only the sources it prints: the same text as from every cell
        assert texts["table"] == whole


def test_the_random_projects_tempt_every_rule(tmp_path):
    """The generated data holds what the rules are about: discordant and unknown
    answers, necessities, summaries, associations, truncation under a tiny budget,
    rows explained by summary edges, inferred rows, several drugs in one pathway."""
    seen = {"discordant": 0, "unknown": 0, "summary": 0, "inferred": 0, "truncated": 0,
            "fast": 0, "reference": 0}
    calls = {"fast": 0, "reference": 0}
    real_fast, real_ref = sweep.pathway_reach, shared._drug_reaches

    def count_fast(*a, **k):
        calls["fast"] += 1
        out = real_fast(*a, **k)
        seen["truncated"] += sum(i.truncated for i in out[0].values())
        return out

    def count_ref(*a, **k):
        calls["reference"] += 1
        return real_ref(*a, **k)

    mp = pytest.MonkeyPatch()
    mp.setattr(shared, "pathway_reach", count_fast)
    mp.setattr(shared, "_drug_reaches", count_ref)
    try:
        for seed in range(25):
            folder = tmp_path / str(seed)
            folder.mkdir()
            write_project(folder, seed)
            for names, kw in CASES:
                doc, _, _ = answers(folder, names, **kw)
                for row in doc["results"]:
                    for s in row["sources"]:
                        seen["discordant"] += s["effect"] == "discordant"
                        seen["unknown"] += s["effect"] == "unknown"
                        seen["summary"] += s["relation"] == "summary"
                        seen["inferred"] += s["provenance"] == "inferred"
    finally:
        mp.undo()
    seen.update(calls)
    assert all(n > 0 for n in seen.values()), seen


def test_pathway_edges_read_as_a_scan_of_the_graph_reads_them(tmp_path):
    """PathwayEdges.read (edges looked up from the model) gives each pathway's edges as a
    scan of the graph does, also where the graph holds an edge without some attributes
    or with an Effect member as its effect, or misses an edge."""
    from mechgraph.graph import EFFECT, GRADE, RELATION, SEED, build_graph
    from mechgraph.model import Effect

    write_project(tmp_path, 3)
    g = build_graph(load_project(tmp_path))
    edges = list(g.edges(keys=True, data=True))
    for key in (GRADE, RELATION, SEED):
        del edges[0][3][key]
    positive = next(d for *_, d in edges[1:] if d[EFFECT] == "->")
    positive[EFFECT] = Effect.POSITIVE  # a member, not its text
    edges[2][3][GRADE] = ""  # as the graph reads no evidence
    u, v, k, _ = edges[-1]
    g.remove_edge(u, v, k)  # in the model, not in the graph
    scanned, read = _ScannedEdges(g), sweep.PathwayEdges(g)
    pids = sorted({k for _, _, k in g.edges(keys=True)} | {k})
    assert len(pids) > 3
    for pid in pids:
        edges, incident, succ, relations = read.read(pid)
        ref, ref_incident, _, _ = scanned.read(pid)
        assert sorted(edges) == sorted(ref) and incident == ref_incident, pid
        ors = 0
        for e in ref:
            ors |= e[6]
        assert relations == ors, pid
        want: dict = {}
        for a, b, _, _, s, r, *_ in ref:
            want.setdefault(a, []).append((b, s, r))
        assert succ == {a: sorted(x) for a, x in want.items()}, pid


def test_pathway_edge_tuples_are_made_when_first_read(tmp_path):
    """PathwayEdges.read leaves a pathway's edge tuples unmade until they are read (the
    one-pass route reads only the successor lists); read, they are the model's edges in
    its order (the graph's edges of the pathway); and a one-pathway net's predecessors, built from its successor lists,
    are those its edge tuples give."""
    from mechgraph.analysis.net import Net, _pathway_adjacency
    from mechgraph.graph import build_graph

    write_project(tmp_path, 5)
    g = build_graph(load_project(tmp_path))
    read = sweep.PathwayEdges(g)
    pids = sorted({k for _, _, k in g.edges(keys=True)})
    assert len(pids) > 3
    for pid in pids:
        edges, _, succ, _ = read.read(pid)
        assert edges._made is None, pid
        net = Net(succ, None, None, edges=edges)
        pred = net.pred
        assert edges._made is None, pid  # the predecessors came from the successors
        made = list(edges)
        assert made == read.tuples(read.pathways[pid], pid) and len(edges) == len(made)
        assert [edges[i] for i in range(len(made))] == made, pid
        assert sorted(made) == sorted(_ScannedEdges(g).read(pid)[0]), pid
        assert pred == _pathway_adjacency(made, 1, 0), pid
