"""Layout cost against what a user would write instead, measured in one run.

    .venv/bin/python bench/bench_layout.py [--sizes 100 1000 3000] [--rounds 5] [--huge]

On the 12 real figures (pathways/) and on generated pathway-like figures of each size
(bench/synthetic.py: a drug, a branching cascade, a quarter more cross links, a few
compartments), every contender runs once per round, interleaved with the others, so a
busy machine slows all of them alike; medians are reported (this machine's 2 cores give
about one core of throughput to two busy jobs, so other work running beside it shows as
spread, not as a bias). Every contender makes SVG only:

- mechgraph: ``render_figures(..., formats=["svg"], force=True)`` from the loaded
  project: DOT, layout, SVG normalising and checking, atomic writes;
- dot, mechgraph's DOT: ``dot -Tsvg`` as a subprocess on the same DOT text;
- dot, flat DOT: the same nodes, edges and labels and nothing else;
- libgvc in-process: pygraphviz (built against the system Graphviz) on mechgraph's DOT;
- nx -> pydot: the same graph as a networkx DiGraph with labels, ``to_pydot().create_svg()``;
- graphviz package: ``graphviz.Digraph`` with the same nodes, edges and labels, ``pipe``.

``--huge`` also times one default render of a 10,000-node figure (the large-figure
guard's bounded layout) and reports what it printed.

The in-process row needs pygraphviz built against the system Graphviz (``apt-get install
libgraphviz-dev`` and a compiler, then ``pip install --no-binary pygraphviz pygraphviz``;
its wheel bundles another Graphviz); without it the row is left out. mechgraph itself
does not use it: Graphviz orders a graph's clusters by where their names sit in memory,
so in a long-lived process (libgvc kept loaded, a forked copy of one, or one ``dot``
reading many graphs) 8 to 11 of the 12 figures come out ordered or laid out differently
from a fresh ``dot``, and renders must stay byte-identical.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from mechgraph import graph as G
from mechgraph.drawing import render
from mechgraph.drawing.dot import figure_pathways, to_dot
from mechgraph.drawing.quoting import wrap
from mechgraph.drawing.style import NODE_WRAP
from mechgraph.language.load import load_project

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import flat_dot, write_pathway  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

try:
    import pygraphviz
except ImportError:  # the optional `fast` extra is not installed
    pygraphviz = None


def labelled_graph(project, figure) -> nx.DiGraph:
    g = G.build_graph(project, figure_pathways(project, figure))
    ids = {key: f"n{i}" for i, key in enumerate(sorted(g.nodes))}
    out = nx.DiGraph()
    for k, d in g.nodes(data=True):
        out.add_node(ids[k], label=wrap(d[G.LABEL], NODE_WRAP))
    out.add_edges_from((ids[u], ids[v]) for u, v in g.edges())
    return out


def contenders(project, names: list[str], work: Path) -> dict[str, object]:
    """{label: function of no arguments} laying out every named figure once."""
    import graphviz
    import pydot  # noqa: F401 (nx_pydot needs it)

    figures = [project.figures[n] for n in names]
    mg = [to_dot(project, f) for f in figures]
    flat = [flat_dot(project, f) for f in figures]
    graphs = [labelled_graph(project, f) for f in figures]
    dot = render.find_dot()

    def run_dot(texts):
        for t in texts:
            subprocess.run([dot, "-Tsvg"], input=t.encode(), stdout=subprocess.DEVNULL,
                           check=True)

    def package():
        for g in graphs:
            d = graphviz.Digraph()
            for n, data in g.nodes(data=True):
                d.node(n, label=data["label"])
            for u, v in g.edges():
                d.edge(u, v)
            d.pipe(format="svg")

    out = {
        "mechgraph end to end": lambda: render.render_figures(
            project, names, formats=["svg"], out_dir=work, force=True),
        "dot, mechgraph's DOT": lambda: run_dot(mg),
        "dot, flat DOT": lambda: run_dot(flat),
        "nx -> pydot -> svg": lambda: [nx.nx_pydot.to_pydot(g).create_svg() for g in graphs],
        "graphviz package": package,
    }
    if pygraphviz is not None:
        out["libgvc in-process (pygraphviz)"] = lambda: [
            pygraphviz.AGraph(string=t).draw(format="svg", prog="dot") for t in mg]
    return out


def measure(label: str, runs: dict[str, object], rounds: int) -> dict[str, float]:
    times: dict[str, list[float]] = {k: [] for k in runs}
    for _ in range(rounds):
        for k, fn in runs.items():
            t = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - t)
    med = {k: statistics.median(v) for k, v in times.items()}
    flat, mgdot = med["dot, flat DOT"], med["dot, mechgraph's DOT"]
    print(f"\n{label} (median of {rounds} interleaved rounds)")
    print(f"  {'contender':34} {'seconds':>9} {'x flat dot':>10} {'spread':>14}")
    for k, v in med.items():
        spread = f"{min(times[k]):.3f}-{max(times[k]):.3f}"
        print(f"  {k:34} {v:9.3f} {v / flat:10.2f} {spread:>14}")
    print(f"  mechgraph's DOT / flat DOT (target <= 1.15): {mgdot / flat:.2f}")
    print(f"  mechgraph end to end / nx -> pydot: {med['mechgraph end to end'] / med['nx -> pydot -> svg']:.2f}")
    if "libgvc in-process (pygraphviz)" in med:
        print(f"  mechgraph end to end / in-process libgvc (target <= 1.5 on the real figures): "
              f"{med['mechgraph end to end'] / med['libgvc in-process (pygraphviz)']:.2f}")
    return med


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 3000])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--huge", action="store_true")
    args = ap.parse_args()
    print("Graphviz " + ".".join(map(str, render.graphviz_version()))
          + f", {os.cpu_count()} cores, pygraphviz "
          + (pygraphviz.__version__ if pygraphviz else "not installed"))
    with tempfile.TemporaryDirectory(prefix="mechgraph-bench-") as tmp:
        work = Path(tmp)
        real = load_project(ROOT / "pathways")
        measure(f"{len(real.figures)} real figures, SVG", contenders(
            real, sorted(real.figures), work / "real"), args.rounds)
        for n in args.sizes:
            project = load_project(write_pathway(work / f"gen{n}", n))
            measure(f"generated pathway of {n} nodes", contenders(
                project, ["big"], work / f"out{n}"), args.rounds)
        if args.huge:
            project = load_project(write_pathway(work / "gen10000", 10_000))
            t = time.perf_counter()
            render.render_figures(project, ["big"], formats=["svg"], out_dir=work / "huge")
            print(f"\n10,000 nodes, default render: {time.perf_counter() - t:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
