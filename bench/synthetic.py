"""Generated pathway-like figures for the layout benchmark.

One pathway of N nodes, written in our language: a drug at the top, a branching tree
that reaches every node (2-3 children a node, so about log N deep, as a cascade
fans out), a quarter more cross links between nearby levels (mostly forward, a few back:
loops), a few nodes in compartments, labels of real length. Deterministic per (N, seed).
"""

from __future__ import annotations

import random
from pathlib import Path

KINDS = ("protein", "receptor", "kinase", "process", "transmitter", "complex", "outcome")
WORDS = ("kinase", "receptor", "signalling", "synaptic", "release", "plasticity", "channel",
         "activity", "factor", "binding", "expression", "inhibition", "neuronal", "cortical")
COMPARTMENTS = ("c1", "c2", "c3")


def write_pathway(folder: Path, nodes: int, seed: int = 20260531) -> Path:
    """A project folder holding one pathway of ``nodes`` nodes and a figure ``big``."""
    rng = random.Random(seed * 7919 + nodes)
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"e{i}" for i in range(nodes - 1)]
    lines = ["sources:", "  gen: {title: Generated source document}", "compartments:"]
    lines += [f"  {c}: Compartment {c}" for c in COMPARTMENTS]
    lines += ["entities:", "  drug0: drug"]
    for i, n in enumerate(names):
        label = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))).capitalize()
        lines.append(f"  {n}: {{kind: {KINDS[i % len(KINDS)]}, label: {label} {i}}}")
    (folder / "entities.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    placed = [n + f"@{rng.choice(COMPARTMENTS)}" if rng.random() < 0.03 else n for n in names]
    order = ["drug0"] + placed
    edges: dict[tuple[str, str], str] = {}
    arrows, weights = ("->", "-|", "~>"), (0.7, 0.25, 0.05)
    for j in range(1, len(order)):  # a tree: node j hangs under an earlier node
        parent = (j - 1) // rng.choice((2, 2, 3))
        edges[(order[parent], order[j])] = rng.choices(arrows, weights)[0]
    while len(edges) < round(len(order) * 1.25):
        u = rng.randrange(1, len(order))
        v = u + rng.randint(1, 40) if rng.random() < 0.95 else u - rng.randint(1, 40)
        if 0 < v < len(order) and v != u:
            edges.setdefault((order[u], order[v]), rng.choices(arrows, weights)[0])
    out = ["pathway: big", f"title: Generated pathway of {nodes} nodes", "drugs: [drug0]",
           "defaults: {evidence: preclinical, seed: gen:1}", "edges:"]
    out += [f"  - {u} {a} {v}" for (u, v), a in edges.items()]
    (folder / "big.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    (folder / "figures.yaml").write_text(
        "figures:\n  big:\n    title: Generated pathway\n    pathways: [big]\n"
        "    direction: TB\n", encoding="utf-8")
    return folder


def flat_dot(project, figure) -> str:
    """The same nodes, edges and labels as mechgraph's DOT, and nothing else: what a
    user writing DOT by hand (or networkx -> pydot) would lay out."""
    from mechgraph import graph as G
    from mechgraph.drawing.dot import figure_pathways
    from mechgraph.drawing.quoting import quote, wrap
    from mechgraph.drawing.style import NODE_WRAP

    g = G.build_graph(project, figure_pathways(project, figure))
    ids = {key: f"n{i}" for i, key in enumerate(sorted(g.nodes))}
    out = ["digraph flat {"]
    out += [f"  {ids[k]} [label={quote(wrap(d[G.LABEL], NODE_WRAP))}];"
            for k, d in g.nodes(data=True)]
    out += [f"  {ids[u]} -> {ids[v]};" for u, v in dict.fromkeys((u, v) for u, v in g.edges())]
    out.append("}")
    return "\n".join(out) + "\n"
