"""Query benchmark on generated pathways, apart from the tests.

Writes N pathways of 20-60 nodes (about 50 edges each) over a vocabulary of 5,000
entities drawn with a Zipf skew (so hubs exist) as YAML files in our language, then
measures in one run, each size in a fresh subprocess:

- load: ``load_project`` + ``build_graph``, against a bare ``yaml.load(...,
  Loader=yaml.CSafeLoader)`` of the same files (target: at most 3x);
- shared: the shared-node query over every pathway (target: at most 0.1x the load);
- signed paths and a knockout on the merged graph (target: well under a second);
- peak memory of the whole run (ru_maxrss; target: under 400 MB at 1,000 pathways);
- the same three queries again on the frozen graph (a notebook's second question).

    python bench/bench_query.py                # 100, 1000 and 5000 pathways
    python bench/bench_query.py --sizes 1000   # one size
    python bench/bench_query.py --profile 1000 # where the load time goes
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VOCABULARY = 5_000
DRUGS = 50
COMPARTMENTS = ("c1", "c2", "c3")
SEED = 20260521


# -- data ---------------------------------------------------------------------------------


def _zipf_weights(n: int, s: float = 1.0) -> list[float]:
    return [1.0 / (rank ** s) for rank in range(1, n + 1)]


def generate(folder: Path, pathways: int, seed: int = SEED) -> int:
    """Write a catalog and ``pathways`` pathway files; returns the number of edges."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"e{i}" for i in range(VOCABULARY)]
    drugs = [f"drug{i}" for i in range(DRUGS)]
    kinds = ("protein", "receptor", "kinase", "process", "transmitter", "complex", "outcome")
    lines = ["sources:", "  gen: {title: Generated source document}", "compartments:"]
    lines += [f"  {c}: Compartment {c}" for c in COMPARTMENTS]
    lines.append("entities:")
    lines += [f"  {d}: drug" for d in drugs]
    lines += [f"  {n}: {{kind: {kinds[i % len(kinds)]}, label: Entity {i}, synonyms: [E-{i}]}}"
              for i, n in enumerate(names)]
    (folder / "entities.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    weights = _zipf_weights(VOCABULARY)
    drug_weights = _zipf_weights(DRUGS)
    arrows = ("->", "-|", "~>", "=>", ">>")
    arrow_weights = (0.65, 0.25, 0.04, 0.03, 0.03)
    total = 0
    for i in range(pathways):
        size = rng.randint(20, 60)
        nodes: list[str] = []
        seen: set[str] = set()
        while len(nodes) < size - 1:
            for name in rng.choices(names, weights, k=size):
                if name not in seen and len(nodes) < size - 1:
                    seen.add(name)
                    nodes.append(name)
        # a few nodes placed in a compartment
        nodes = [n + f"@{rng.choice(COMPARTMENTS)}" if rng.random() < 0.05 else n for n in nodes]
        drug = rng.choices(drugs, drug_weights)[0]
        order = [drug] + nodes
        wanted = round(size * 1.25)
        edges: dict[tuple[str, str], str] = {}
        for j in range(1, len(order)):  # a tree from the drug reaches everything
            edges[(order[rng.randrange(j)], order[j])] = rng.choices(arrows, arrow_weights)[0]
        while len(edges) < wanted:  # plus cross links, some backwards: cycles
            u, v = rng.sample(order[1:], 2)
            edges.setdefault((u, v), rng.choices(arrows, arrow_weights)[0])
        out = [f"pathway: p{i:05d}", f"title: Generated pathway {i}", f"drugs: [{drug}]",
               "defaults: {evidence: preclinical, seed: gen:1}", "edges:"]
        for n, ((u, v), arrow) in enumerate(edges.items()):
            if n % 10 == 0:  # every tenth edge in the long form, with its own evidence
                out += [f"  - edge: {u} {arrow} {v}", "    evidence: clinical",
                        f"    cite: [doi:10.1000/gen.{i}.{n}]",
                        "    note: A generated edge with its own evidence."]
            else:
                out.append(f"  - {u} {arrow} {v}")
        (folder / f"p{i:05d}.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
        total += len(edges)
    return total


# -- measuring ----------------------------------------------------------------------------


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure_yaml(folder: Path) -> dict:
    import yaml

    files = sorted(folder.glob("*.yaml"))
    t = time.perf_counter()
    for f in files:
        yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return {"yaml": time.perf_counter() - t, "yaml_peak_mb": _peak_mb()}


def measure_queries(folder: Path) -> dict:
    from mechgraph.analysis.query import (
        Source,
        effects,
        knockout_effects,
        resolve,
        shared_nodes,
        signed_paths,
    )
    from mechgraph.graph import build_graph
    from mechgraph.language.load import load_project

    t = time.perf_counter()
    project = load_project(folder)
    t_load = time.perf_counter() - t
    t = time.perf_counter()
    g = build_graph(project)
    t_graph = time.perf_counter() - t

    sources = [Source(p, "pathway") for p in sorted(project.pathways)]
    t = time.perf_counter()
    rows = shared_nodes(g, sources)
    t_shared = time.perf_counter() - t

    hub = "e0"  # the most frequent entity
    hubs = resolve(g, hub)
    t = time.perf_counter()
    paths = signed_paths(g, ["drug0"], hubs, limit=20)
    t_paths = time.perf_counter() - t
    t = time.perf_counter()
    fx = effects(g, "drug0")
    t_effects = time.perf_counter() - t
    t = time.perf_counter()
    ko = knockout_effects(g, "drug0", hubs)
    t_knockout = time.perf_counter() - t

    # warm: a frozen graph keeps its flattened adjacency between queries (a notebook)
    import networkx as nx

    nx.freeze(g)
    effects(g, "drug0")
    warm = {}
    for name, fn in (("paths", lambda: signed_paths(g, ["drug0"], hubs, limit=20)),
                     ("effects", lambda: effects(g, "drug0")),
                     ("knockout", lambda: knockout_effects(g, "drug0", hubs))):
        t = time.perf_counter()
        fn()
        warm[name] = time.perf_counter() - t
    return {
        "pathways": len(project.pathways),
        "edges": sum(len(p.edges) for p in project.pathways.values()),
        "nodes": g.number_of_nodes(), "graph_edges": g.number_of_edges(),
        "load_project": t_load, "build_graph": t_graph, "shared": t_shared,
        "shared_rows": len(rows), "paths": t_paths, "paths_found": len(paths),
        "effects": t_effects, "reached": len(fx),
        "truncated": sum(i.truncated for i in fx.values()),
        "knockout": t_knockout, "lost": len(ko.having("lost")),
        "warm_paths": warm["paths"], "warm_effects": warm["effects"],
        "warm_knockout": warm["knockout"],
        "peak_mb": _peak_mb(),
    }


def _child(what: str, folder: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", what, str(folder)],
                         capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{what} on {folder} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout)


def profile(folder: Path) -> None:
    import cProfile
    import pstats

    from mechgraph.graph import build_graph
    from mechgraph.language.load import load_project

    pr = cProfile.Profile()
    pr.enable()
    build_graph(load_project(folder))
    pr.disable()
    pstats.Stats(pr).sort_stats("cumulative").print_stats(30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    ap.add_argument("--profile", type=int, metavar="N", help="profile loading N pathways")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        what, folder = args.child
        fn = measure_yaml if what == "yaml" else measure_queries
        print(json.dumps(fn(Path(folder))))
        return
    with tempfile.TemporaryDirectory(prefix="mechgraph-bench-") as tmp:
        if args.profile:
            folder = Path(tmp) / str(args.profile)
            generate(folder, args.profile)
            profile(folder)
            return
        results = []
        for n in args.sizes:
            folder = Path(tmp) / str(n)
            t = time.perf_counter()
            generate(folder, n)
            gen = time.perf_counter() - t
            r = {**_child("yaml", folder), **_child("queries", folder), "generate": gen}
            results.append(r)
            print(f"... {n} pathways done", file=sys.stderr)
    report(results)


def report(results: list[dict]) -> None:
    head = ("pathways", "edges", "nodes", "yaml s", "load s", "load/yaml", "shared s",
            "shared/load", "paths s", "effects s", "knockout s", "(warm)", "peak MB")
    rows = []
    for r in results:
        load = r["load_project"] + r["build_graph"]
        rows.append((r["pathways"], r["edges"], r["nodes"], f"{r['yaml']:.2f}", f"{load:.2f}",
                     f"{load / r['yaml']:.2f}x", f"{r['shared']:.2f}",
                     f"{r['shared'] / load:.3f}x", f"{r['paths']:.3f}", f"{r['effects']:.3f}",
                     f"{r['knockout']:.3f}",
                     f"{r['warm_paths']:.2f}/{r['warm_effects']:.2f}/{r['warm_knockout']:.2f}",
                     f"{r['peak_mb']:.0f}"))
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    for row in [head, *rows]:
        print("  ".join(str(x).rjust(w) for x, w in zip(row, widths)))
    print()
    print("targets: load/yaml <= 3x; shared/load <= 0.1x; paths and knockout well under 1 s;"
          " peak < 400 MB at 1,000 pathways")
    print("paths, effects, knockout: first query on the graph; (warm): paths/effects/knockout"
          " again on the frozen graph, which keeps its flattened adjacency")
    for r in results:
        print(f"{r['pathways']} pathways: load_project {r['load_project']:.2f} s + build_graph "
              f"{r['build_graph']:.2f} s; {r['shared_rows']} shared nodes; drug0 reaches "
              f"{r['reached']} nodes ({r['truncated']} with a truncated sign search), "
              f"{r['paths_found']} paths to the hub, knockout of the hub loses {r['lost']}")
    if len(results) > 1:
        a, b = results[0], results[-1]
        k = b["pathways"] / a["pathways"]
        growth = {key: (b[key] / a[key] if a[key] else float("nan"))
                  for key in ("load_project", "shared", "paths", "effects", "knockout")}
        print(f"growth from {a['pathways']} to {b['pathways']} pathways ({k:.0f}x): " +
              ", ".join(f"{key} {v:.1f}x" for key, v in growth.items()))


if __name__ == "__main__":
    main()
