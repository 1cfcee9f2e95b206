"""Query benchmark on generated pathways, apart from the tests.

Writes N pathways of 20-60 nodes (about 50 edges each) over a vocabulary of 5,000
entities drawn with a Zipf skew (so hubs exist) as YAML files in our language, then
measures in one run, each size in a fresh subprocess:

- load: ``load_project`` + ``build_graph``, against a bare ``yaml.load(...,
  Loader=yaml.CSafeLoader)`` of the same files (target: at most 2x), also as the user
  waits for it: each side in a fresh interpreter, listing and reading the files, the
  first full collection after loading and the exit (``measure_load_wait``), CPU time
  beside wall time, and each side's peak memory;
- shared: the shared-node query over every pathway (target: at most 0.1x the load),
  against the naive networkx route on the same graph (per pathway: its edges as a
  DiGraph, one ``single_source_shortest_path`` from its drug, the sign of that path;
  then the nodes reached by two or more pathways). The naive signs are checked against
  ours: a cell (node, pathway) where we find both signs and the naive route reports one
  is a wrong naive answer, counted and printed, so the comparison is of unequal work;
- what the user waits for beyond the calls: the first full collection of the heap after
  loading (``gc.collect()``, plain and after ``gc.freeze()``, which the CLI does), and the
  interpreter's teardown at exit (a child timed from its last line to its end, exiting
  normally and through ``os._exit`` as the CLI does);
- signed paths and a knockout on the merged graph (target: well under a second);
- peak memory of the whole run (ru_maxrss; target: under 400 MB at 1,000 pathways);
- the same three queries again on the frozen graph (a notebook's second question);
- the command ``mechgraph shared 'p*'`` itself (table, JSON and CSV: wall, CPU time and
  peak memory of the child), which explains the path behind every cell it prints.

    python bench/bench_query.py                # 100, 1000 and 5000 pathways
    python bench/bench_query.py --sizes 1000   # one size
    python bench/bench_query.py --rounds 5     # medians of 5 rounds (default 3)
    python bench/bench_query.py --load-only --sizes 1000 5000  # the load comparison alone
    python bench/bench_query.py --profile 1000 # where the load time goes

Each figure is the median of ``--rounds`` rounds (each round fresh subprocesses), since
the machine may be shared; ratios are of medians and serial (one process at a time).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
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
    # shared and the naive route interleaved, 3 times each on the same graph (neither
    # keeps anything between calls on a graph that is not frozen): medians, wall and CPU
    # (the naive route's own timers stop before it frees its DiGraphs; "call" includes that,
    # as ours includes freeing its own nets and searches)
    runs: dict[str, list[float]] = {k: [] for k in ("shared", "shared_cpu", "naive_build",
                                                    "naive_query", "naive_call", "naive_cpu")}
    naive: dict = {}
    # the collector off for both, as each pauses it itself: a collection of the loaded heap
    # that the other's garbage triggers would otherwise land in whichever runs next
    gc.collect()
    gc.disable()
    for _ in range(3):
        rows = naive = None  # the previous answers freed outside the timings
        t, c = time.perf_counter(), time.process_time()
        rows = shared_nodes(g, sources)
        runs["shared"].append(time.perf_counter() - t)
        runs["shared_cpu"].append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        naive, t_naive_build, t_naive_query = naive_shared(g)
        runs["naive_call"].append(time.perf_counter() - t)
        runs["naive_cpu"].append(time.process_time() - c)
        runs["naive_build"].append(t_naive_build)
        runs["naive_query"].append(t_naive_query)
    gc.enable()
    med = {k: statistics.median(v) for k, v in runs.items()}
    t_shared, t_naive_build, t_naive_query = med["shared"], med["naive_build"], med["naive_query"]
    wrong, cells, other = wrong_naive_signs(rows, naive)

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
        "naive": t_naive_build + t_naive_query,
        "shared_cpu": med["shared_cpu"], "naive_cpu": med["naive_cpu"],
        "naive_call": med["naive_call"],
        "naive_query": t_naive_query, "naive_rows": sum(len(v) >= 2 for v in naive.values()),
        "naive_wrong": wrong, "naive_cells": cells, "naive_other": other,
        "peak_mb": _peak_mb(),
    }


def naive_shared(g) -> tuple[dict, float, float]:
    """What a user would write with networkx alone: per pathway, its edges as a DiGraph,
    one ``single_source_shortest_path`` from its drug, the product of the signs along
    each path; then the nodes that two or more pathways reach (by entity).

    Run with the cyclic collector paused, as our queries run, so that neither pays for
    collections of the other's garbage. Returns entity -> {pathway: "increases" |
    "decreases"}, the time to build the pathways' DiGraphs, and the time of the searches
    and intersection.
    """
    import networkx as nx

    enabled = gc.isenabled()
    gc.disable()
    try:
        t = time.perf_counter()
        by_pathway: dict[str, list] = {}
        for u, v, k, s in g.edges(keys=True, data="sign"):
            by_pathway.setdefault(k, []).append((u, v, s))
        graphs = {}
        for pid, edges in by_pathway.items():
            h = graphs[pid] = nx.DiGraph()
            h.add_weighted_edges_from(edges, weight="sign")
        t_build = time.perf_counter() - t

        t = time.perf_counter()
        entity = dict(g.nodes(data="entity"))
        drugs: dict[str, list[str]] = {}
        for entry in g.graph["drugs"].split("|"):
            drug, _, pids = entry.rpartition("=")
            for pid in pids.split(","):
                drugs.setdefault(pid, []).append(drug)
        reached: dict[str, dict[str, str]] = {}
        for pid, h in graphs.items():
            for drug in drugs.get(pid, ()):
                if drug not in h:
                    continue
                for node, path in nx.single_source_shortest_path(h, drug).items():
                    if node == drug:
                        continue
                    sign = 1
                    for a, b in zip(path, path[1:]):
                        sign *= h[a][b]["sign"]
                    if sign:
                        reached.setdefault(entity[node], {})[pid] = \
                            "increases" if sign > 0 else "decreases"
        shared = {e: by for e, by in reached.items() if len(by) >= 2}
        return shared, t_build, time.perf_counter() - t
    finally:
        if enabled:
            gc.enable()


def wrong_naive_signs(rows, naive: dict) -> tuple[int, int]:
    """Cells (node, pathway) the naive route signs where ours are discordant (both signs
    reach it: the shortest path's sign alone is wrong), and all cells compared."""
    wrong = cells = other = 0
    for row in rows:
        by = naive.get(row.key, {})
        for r in row.reach:
            got = by.get(r.source.name)
            if got is None or r.effect is None:
                continue
            cells += 1
            if r.effect == "discordant":
                wrong += 1
            elif r.effect != got:
                other += 1  # e.g. a necessity (=>) the naive route ignores
    return wrong, cells, other


def measure_waits(folder: Path) -> dict:
    """The first full collection after loading, with and without ``gc.freeze()``."""
    from mechgraph.graph import build_graph
    from mechgraph.language.load import load_project

    g = build_graph(load_project(folder))
    t = time.perf_counter()
    gc.collect()
    t_gc = time.perf_counter() - t
    gc.freeze()
    t = time.perf_counter()
    gc.collect()
    t_frozen = time.perf_counter() - t
    gc.unfreeze()
    del g
    return {"gc": t_gc, "gc_frozen": t_frozen}


def measure_exit(folder: Path, fast: bool) -> dict:
    """Load, build and query as a command does, then exit: the parent times the exit."""
    from mechgraph.analysis.query import Source, shared_nodes
    from mechgraph.graph import build_graph
    from mechgraph.language.load import load_project

    project = load_project(folder)
    if fast:
        gc.freeze()  # as the CLI does after loading
    g = build_graph(project)
    if fast:
        gc.freeze()  # and after building the graph
    shared_nodes(g, [Source(p, "pathway") for p in sorted(project.pathways)])
    print(json.dumps({"done_at": time.time()}), flush=True)
    if fast:
        sys.stdout.flush()
        os._exit(0)
    return {}


def measure_load_wait(folder: Path, side: str) -> None:
    """Loading as the user waits for it, in a fresh interpreter (imports done first):
    listing the folder, reading and parsing every file, the first full collection of the
    heap, and (timed by the parent, from the last line printed to the process's end) the
    exit. ``side``:

    - ``yaml``: what a user writes instead: ``yaml.load(..., Loader=yaml.CSafeLoader)``
      of every ``*.yaml`` file, the documents kept in a list; a normal exit;
    - ``cli``: ``load_project`` + ``build_graph`` as the ``mechgraph`` command runs them:
      ``gc.freeze()`` after loading, then ``os._exit`` after flushing;
    - ``library``: the same calls in a plain script: a normal collection and exit.
    """
    if side == "yaml":
        import yaml

        def load():
            return [yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
                    for f in sorted(folder.glob("*.yaml"))]
    else:
        from mechgraph.graph import build_graph
        from mechgraph.language.load import load_project

        def load():
            return build_graph(load_project(folder))
    c, t = time.process_time(), time.perf_counter()
    kept = load()
    c_load, t_load = time.process_time() - c, time.perf_counter() - t
    c, t = time.process_time(), time.perf_counter()
    if side == "cli":
        gc.freeze()
    gc.collect()
    c_gc, t_gc = time.process_time() - c, time.perf_counter() - t
    print(json.dumps({side + "_load": t_load, side + "_load_cpu": c_load, side + "_gc": t_gc,
                      side + "_gc_cpu": c_gc, side + "_peak_mb": _peak_mb(),
                      "done_at": time.time()}), flush=True)
    if side == "cli":
        sys.stdout.flush()
        os._exit(0)
    del kept  # (kept alive until here, as a script keeps what it loaded)


def _child(what: str, folder: Path) -> dict:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--child", what, str(folder)],
                         capture_output=True, text=True)
    wall = time.perf_counter() - t
    ended = time.time()
    if out.returncode:
        raise SystemExit(f"{what} on {folder} failed:\n{out.stderr[-3000:]}")
    r = json.loads(out.stdout.splitlines()[0])
    if what.startswith("wait_"):  # loading as waited for, and the exit after it
        side = what[len("wait_"):]
        r[side + "_exit"] = ended - r.pop("done_at")
        r[side + "_wait"] = r[side + "_load"] + r[side + "_gc"] + r[side + "_exit"]
        return r
    if "done_at" in r:  # exit timing: from the child's last line to its end
        return {what: ended - r["done_at"], what + "_wall": wall}
    return r


def measure_command(folder: Path, fmt: str) -> dict:
    """``mechgraph shared 'p*' -p FOLDER`` as the user runs it (the console script next to
    this interpreter), timed from start to exit: load, query, an explanation behind
    every cell printed, formatting and writing the output (to /dev/null). Its wall time,
    CPU time (user + system, its own) and peak memory (its own ``ru_maxrss``, read with
    ``os.wait4``)."""
    script = Path(sys.executable).with_name("mechgraph")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "mechgraph"]
    t = time.perf_counter()
    proc = subprocess.Popen([*cmd, "shared", "p*", "-p", str(folder), "--format", fmt],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode:
        raise SystemExit(f"mechgraph shared on {folder} failed:\n{err[-3000:]}")
    return {"command_" + fmt: wall, "command_" + fmt + "_cpu": usage.ru_utime + usage.ru_stime,
            "command_" + fmt + "_mb": usage.ru_maxrss / 1024}


def _load_round(folder: Path) -> dict:
    """One interleaved round of the load comparison (each side a fresh interpreter)."""
    r = {**_child("wait_yaml", folder), **_child("wait_cli", folder),
         **_child("wait_library", folder)}
    # ratios within the round (paired): a busy moment slows both sides alike
    r["ratio_load"] = r["cli_load"] / r["yaml_load"]
    r["ratio_cpu"] = r["cli_load_cpu"] / r["yaml_load_cpu"]
    r["ratio_cli"] = r["cli_wait"] / r["yaml_wait"]
    r["ratio_library"] = r["library_wait"] / r["yaml_wait"]
    return r


def _round(folder: Path, load_only: bool = False) -> dict:
    if load_only:
        return _load_round(folder)
    return {**_load_round(folder),
            **_child("yaml", folder), **_child("queries", folder), **_child("waits", folder),
            **_child("exit", folder), **_child("exit_fast", folder),
            **measure_command(folder, "table"), **measure_command(folder, "json"),
            **measure_command(folder, "csv")}


def _median(rounds: list[dict]) -> dict:
    out = {}
    for key, value in rounds[0].items():
        values = [r[key] for r in rounds]
        out[key] = statistics.median(values) if isinstance(value, float) else value
        if isinstance(value, float):
            out[key + "_spread"] = (min(values), max(values))
    return out


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
    ap.add_argument("--rounds", type=int, default=3, help="rounds per size (medians)")
    ap.add_argument("--profile", type=int, metavar="N", help="profile loading N pathways")
    ap.add_argument("--load-only", action="store_true",
                    help="only the load comparison (quick enough for 5,000 pathways)")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        what, folder = args.child
        if what.startswith("wait_"):
            measure_load_wait(Path(folder), what[len("wait_"):])
            return
        if what in ("exit", "exit_fast"):
            measure_exit(Path(folder), fast=what == "exit_fast")
            return
        fn = {"yaml": measure_yaml, "queries": measure_queries, "waits": measure_waits}[what]
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
            rounds = [_round(folder, args.load_only) for _ in range(args.rounds)]
            results.append({**_median(rounds), "generate": gen, "rounds": args.rounds, "n": n})
            print(f"... {n} pathways done", file=sys.stderr)
    report_load(results)
    if not args.load_only:
        print()
        report(results)


def report_load(results: list[dict]) -> None:
    """Loading, mechgraph against a bare YAML parse of the same files, as waited for."""
    head = ("pathways", "yaml s", "cpu", "+gc", "+exit", "= waited", "peak MB",
            "mechgraph s", "cpu", "+gc", "+exit", "= waited", "peak MB",
            "load/yaml", "(cpu)", "waited (cli)", "waited (library)")
    rows = []
    for r in results:
        y, m = r["yaml_wait"], r["cli_wait"]
        rows.append((r["n"],
                     f"{r['yaml_load']:.2f}", f"{r['yaml_load_cpu']:.2f}", f"{r['yaml_gc']:.3f}",
                     f"{r['yaml_exit']:.3f}", f"{y:.2f}", f"{r['yaml_peak_mb']:.0f}",
                     f"{r['cli_load']:.2f}", f"{r['cli_load_cpu']:.2f}", f"{r['cli_gc']:.3f}",
                     f"{r['cli_exit']:.3f}", f"{m:.2f}", f"{r['cli_peak_mb']:.0f}",
                     f"{r['ratio_load']:.2f}x", f"{r['ratio_cpu']:.2f}x",
                     f"{r['ratio_cli']:.2f}x", f"{r['ratio_library']:.2f}x"))
    _table(head, rows)
    print(f"load: load_project + build_graph (mechgraph) or yaml.load(CSafeLoader) of every "
          f"file, listing and reading included; cpu: process time of the same; +gc: the first "
          f"full collection after it (mechgraph: after gc.freeze(), as the command does); "
          f"+exit: from the last line printed to the process's end (mechgraph: os._exit after "
          f"flushing, as the command does; yaml: a script's normal exit); waited (library): "
          f"mechgraph's calls in a plain script (collection and exit not skipped). Medians of "
          f"{results[0]['rounds']} interleaved rounds, each side a fresh interpreter, serial, on "
          f"{os.cpu_count()} cores; ratios are medians of each round's own ratio. Target: "
          f"load/yaml <= 2x at 1,000 and 5,000 pathways (on a busy machine, trust the cpu one).")
    for r in results:
        spread = {k: r[k + "_spread"] for k in ("yaml_load", "cli_load", "ratio_load",
                                                 "ratio_cpu", "ratio_cli")}
        print(f"  {r['n']} pathways, spread (min-max): "
              + ", ".join(f"{k} {a:.2f}-{b:.2f}" for k, (a, b) in spread.items()))


def report(results: list[dict]) -> None:
    head = ("pathways", "edges", "yaml s", "load s", "load/yaml", "shared s", "naive s",
            "shared/naive", "(searches only)", "shared/load", "paths s", "effects s", "knockout s", "(warm)",
            "peak MB")
    rows = []
    for r in results:
        load = r["load_project"] + r["build_graph"]
        rows.append((r["pathways"], r["edges"], f"{r['yaml']:.2f}", f"{load:.2f}",
                     f"{load / r['yaml']:.2f}x", f"{r['shared']:.3f}", f"{r['naive']:.3f}",
                     f"{r['shared'] / r['naive']:.2f}x",
                     f"{r['shared'] / r['naive_query']:.2f}x", f"{r['shared'] / load:.3f}x",
                     f"{r['paths']:.3f}", f"{r['effects']:.3f}", f"{r['knockout']:.3f}",
                     f"{r['warm_paths']:.2f}/{r['warm_effects']:.2f}/{r['warm_knockout']:.2f}",
                     f"{r['peak_mb']:.0f}"))
    _table(head, rows)
    print()
    head = ("pathways", "load_project s", "build_graph s", "1st gc.collect s",
            "after gc.freeze s", "exit s", "os._exit s", "command wall s", "fast wall s",
            "`shared` table s", "json s", "table/fast wall")
    _table(head, [(r["pathways"], f"{r['load_project']:.2f}", f"{r['build_graph']:.2f}",
                   f"{r['gc']:.3f}", f"{r['gc_frozen']:.3f}", f"{r['exit']:.3f}",
                   f"{r['exit_fast']:.3f}", f"{r['exit_wall']:.2f}",
                   f"{r['exit_fast_wall']:.2f}", f"{r['command_table']:.2f}",
                   f"{r['command_json']:.2f}", f"{r['command_table'] / r['exit_fast_wall']:.1f}x")
                  for r in results])
    print()
    head = ("pathways", "format", "command wall s", "cpu s", "peak MB")
    _table(head, [(r["pathways"], fmt, f"{r['command_' + fmt]:.2f}",
                   f"{r['command_' + fmt + '_cpu']:.2f}", f"{r['command_' + fmt + '_mb']:.0f}")
                  for r in results for fmt in ("table", "json", "csv")])
    print()
    for r in results:
        load = r["load_project"] + r["build_graph"]
        print(f"{r['pathways']} pathways: shared/naive {r['shared'] / r['naive']:.2f}x "
              f"(its own timers), {r['shared'] / r['naive_call']:.2f}x (the whole call, "
              f"freeing its DiGraphs), CPU time {r['shared_cpu'] / r['naive_cpu']:.2f}x "
              f"(target <= 1); "
              f"shared/load {r['shared'] / load:.3f}x (target <= 0.1); "
              f"`mechgraph shared 'p*'` table {r['command_table']:.2f} s "
              f"({r['command_table_mb']:.0f} MB), json {r['command_json']:.2f} s "
              f"({r['command_json_mb']:.0f} MB), csv {r['command_csv']:.2f} s "
              f"({r['command_csv_mb']:.0f} MB)")
    print()
    print(f"medians of {results[0]['rounds']} rounds, each in fresh subprocesses, one at a "
          f"time (serial), on {os.cpu_count()} cores")
    print("targets: load/yaml <= 2x; shared/naive <= 1x; shared/load <= 0.1x; paths and "
          "knockout well under 1 s; peak < 400 MB at 1,000 pathways")
    print("paths, effects, knockout: first query on the graph; (warm): paths/effects/knockout"
          " again on the frozen graph, which keeps its flattened adjacency")
    print("naive: per pathway a DiGraph of its edges, single_source_shortest_path from its "
          "drug, the path's sign; (searches only): without building the DiGraphs")
    print("command wall: load + graph + shared over all pathways in a fresh interpreter, "
          "exiting normally; fast: with gc.freeze() after load and os._exit (as the CLI)")
    print("`shared` table / json: the command `mechgraph shared 'p*' -p FOLDER` from start "
          "to exit, the explanation of every cell it prints included (output to /dev/null); "
          "table/fast wall: over the same command's work without explanations or output "
          "(fast wall)")
    for r in results:
        print(f"{r['pathways']} pathways: {r['shared_rows']} shared nodes (naive: "
              f"{r['naive_rows']}); the naive route is wrong in {r['naive_wrong']} of "
              f"{r['naive_cells']} signed cells ({100 * r['naive_wrong'] / max(1, r['naive_cells']):.0f}%: "
              f"a single sign where both reach the node), differs in {r['naive_other']} more; "
              f"drug0 reaches {r['reached']} nodes ({r['truncated']} truncated), "
              f"{r['paths_found']} paths to the hub, knockout of the hub loses {r['lost']}")
        spread = {k: r[k + "_spread"] for k in ("yaml", "load_project", "build_graph",
                                                 "shared", "naive")}
        print("  spread (min-max): " + ", ".join(f"{k} {a:.2f}-{b:.2f}"
                                                for k, (a, b) in spread.items()))
        assert r["naive_wrong"] > 0, "the naive route should be wrong somewhere on this data"


def _table(head: tuple, rows: list[tuple]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    for row in [head, *rows]:
        print("  ".join(str(x).rjust(w) for x, w in zip(row, widths)))


if __name__ == "__main__":
    main()
