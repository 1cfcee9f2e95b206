"""Interchange benchmark, apart from the tests.

1. A generated signed SIF of 120,000 edges over 20,000 genes (seeded; hubs from a Zipf
   skew; 30% inhibitions): ``from_sif`` + ``Imported.project`` + ``signaling_graph``,
   against a bare ``csv.reader`` pass over the same file; peak traced memory of the
   import (tracemalloc) and the process's peak RSS; then ``shared``, ``paths``,
   ``effect`` and ``knockout`` on the imported graph, with no figure.
2. Every real file in ../shared/interop: import to YAML text (median of 5).
3. Every export format over the curated pathways (median of 5; SBGN-ML and CX2
   include their Graphviz layout).

    python bench/bench_interop.py               # all three
    python bench/bench_interop.py --edges 20000 # a smaller network
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
INTEROP = REPO.parent / "shared" / "interop"
SEED = 20261130


def generate(path: Path, edges: int, genes: int, seed: int = SEED) -> None:
    rng = random.Random(seed)
    weights = [1.0 / r for r in range(1, genes + 1)]
    names = [f"G{i}" for i in range(genes)]
    seen: set[tuple[str, str]] = set()
    lines = []
    while len(lines) < edges:
        a = rng.choices(names, weights, k=1)[0]
        b = names[rng.randrange(genes)]
        if a == b or (a, b) in seen:
            continue
        seen.add((a, b))
        lines.append(f"{a}\t{'inhibits' if rng.random() < 0.3 else 'activates'}\t{b}\n")
    path.write_text("".join(lines), encoding="utf-8")


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t


def median_time(fn, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        _, t = timed(fn)
        times.append(t)
    return statistics.median(times)


def scale(edges: int, genes: int) -> None:
    import mechgraph as mg
    from mechgraph.formats.tables import from_sif

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.sif"
        generate(path, edges, genes)
        size = path.stat().st_size

        def bare() -> int:
            with open(path, newline="", encoding="utf-8") as f:
                return sum(1 for _ in csv.reader(f, delimiter="\t"))

        bare_t = median_time(bare, 3)
        imp, t_read = timed(from_sif, path)
        project, t_project = timed(imp.project)
        tracemalloc.start()  # a second import, traced: tracemalloc slows what it watches
        from_sif(path).project()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        g, t_graph = timed(mg.signaling_graph, project)
        hub, other = "G0", "G1"
        shared, t_shared = timed(mg.shared_nodes, g, mg.resolve_sources(g, [hub, other]))
        paths, t_paths = timed(mg.signed_paths, g, hub, "G2", limit=10, cutoff=6)
        eff, t_effect = timed(mg.effects, g, hub)
        ko, t_knock = timed(mg.knockout_effects, g, hub, ["G3"])
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        total = t_read + t_project
        print(f"## {edges:,}-edge signed SIF ({size / 1e6:.1f} MB, {genes:,} genes)\n")
        print("| step | seconds | x bare csv |")
        print("|---|---|---|")
        print(f"| bare csv.reader pass | {bare_t:.3f} | 1.0 |")
        print(f"| from_sif (read, sign words, CURIEs) | {t_read:.3f} | {t_read / bare_t:.1f} |")
        print(f"| Imported.project (entities, edges) | {t_project:.3f} | {t_project / bare_t:.1f} |")
        print(f"| import total | {total:.3f} | {total / bare_t:.1f} |")
        print(f"| signaling_graph | {t_graph:.3f} | {t_graph / bare_t:.1f} |")
        print(f"| shared G0 G1 ({len(shared):,} rows) | {t_shared:.3f} | |")
        print(f"| paths G0 -> G2 ({len(paths)} paths, cutoff 6) | {t_paths:.3f} | |")
        print(f"| effect G0 ({len(eff):,} nodes) | {t_effect:.3f} | |")
        print(f"| knockout G3 for G0 ({len(ko.rows):,} rows) | {t_knock:.3f} | |")
        print(f"\npeak traced memory of the import: {peak / 2**20:.0f} MiB; "
              f"process peak RSS: {rss:.0f} MiB\n")


def real_files() -> None:
    import mechgraph as mg

    if not INTEROP.is_dir():
        print(f"({INTEROP} absent: real files skipped)\n")
        return
    print("## Import of the real files (median of 5, to YAML text)\n")
    print("| file | bytes | edges | ms |")
    print("|---|---|---|---|")
    for path in sorted(INTEROP.glob("*/*")):
        if path.suffix not in (".sbgn", ".gpml", ".bel", ".cx2") or path.name.startswith("PD_"):
            continue
        imp = mg.import_file(path)
        t = median_time(lambda: mg.import_file(path).yaml())
        print(f"| {path.name} | {path.stat().st_size:,} | {len(imp.project().pathways[imp.pathway].edges)} "
              f"| {t * 1000:.1f} |")
    print()


def exports() -> None:
    import mechgraph as mg
    from mechgraph.formats.export import EXPORTERS

    g = mg.export_graph(mg.load(REPO / "pathways"))
    print(f"## Export of the curated pathways ({g.number_of_nodes()} nodes, "
          f"{g.number_of_edges()} edges; median of 5)\n")
    print("| format | bytes | ms |")
    print("|---|---|---|")
    for fmt in EXPORTERS:
        text, _ = mg.export(g, fmt)
        t = median_time(lambda: mg.export(g, fmt))
        print(f"| {fmt} | {len(text.encode('utf-8')):,} | {t * 1000:.1f} |")
    print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edges", type=int, default=120_000)
    ap.add_argument("--genes", type=int, default=20_000)
    args = ap.parse_args()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    print(f"Python {sys.version.split()[0]}\n")
    scale(args.edges, args.genes)
    real_files()
    exports()


if __name__ == "__main__":
    main()
