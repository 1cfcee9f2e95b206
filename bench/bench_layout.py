"""Layout cost against what a user would write instead, measured in one run.

    .venv/bin/python bench/bench_layout.py [--sizes 100 1000 3000] [--rounds 7] [--huge]
                                           [--no-real]

On the 12 real figures (pathways/) and on generated pathway-like figures of each size
(bench/synthetic.py: a drug, a branching cascade, a quarter more cross links, a few
compartments), every contender runs once per round, interleaved with the others and one
at a time (serial), so a busy machine slows all of them alike; medians are reported.
Every contender makes SVG only:

- mechgraph: ``render_figures(..., formats=["svg"], jobs=1, force=True)`` from the loaded
  project: DOT, layout, SVG normalising and checking, atomic writes (on the real figures
  also with its default of one Graphviz job per core, for information);
- dot, mechgraph's DOT: ``dot -Tsvg`` as a subprocess on the same DOT text;
- dot, flat DOT: the same nodes, edges and labels and nothing else;
- libgvc in-process: the same DOT laid out by the system's Graphviz library inside this
  process: pygraphviz (``AGraph(string=...).draw``) when it is installed, built against
  the system Graphviz (``make bench-layout`` installs the ``bench`` extra that way),
  otherwise ``agmemread``/``gvLayout``/``gvRenderData`` through ctypes;
- nx -> pydot: the same graph as a networkx DiGraph with labels, ``to_pydot().create_svg()``;
- graphviz package: ``graphviz.Digraph`` with the same nodes, edges and labels, ``pipe``.

Two times per contender: wall clock, and CPU time (this process's plus its children's:
``RUSAGE_CHILDREN`` for those that exited, such as each ``dot``, and /proc for those still
running, such as a layout worker kept between runs, to the clock tick; what Graphviz itself
spent, whatever else the machine runs). On a machine shared with other work, trust the
CPU ratios; the wall ratios show what a user waits for. The target ratios are printed
under each table, then where the difference between mechgraph's DOT and the flat one
lies: reading, laying out and writing SVG, each timed inside libgvc. ``--huge`` also
times one default render of a 10,000-node figure (the large-figure guard's bounded layout).
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import os
import resource
import shutil
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
except ImportError:  # the optional `bench` extra is not installed: ctypes instead
    pygraphviz = None

MG, MG_DOT, FLAT, GVC = ("mechgraph end to end", "dot, mechgraph's DOT", "dot, flat DOT",
                         "libgvc in-process, mechgraph's DOT")
PYDOT, PACKAGE, MG_JOBS = "nx -> pydot -> svg", "graphviz package", "mechgraph, default jobs"


class _Libgvc:
    """The system Graphviz library called directly: parse, lay out, render to memory."""

    def __init__(self) -> None:
        gvc = ctypes.CDLL(ctypes.util.find_library("gvc") or "libgvc.so.6")
        cgraph = ctypes.CDLL(ctypes.util.find_library("cgraph") or "libcgraph.so.6")
        gvc.gvContext.restype = ctypes.c_void_p
        cgraph.agmemread.restype = ctypes.c_void_p
        cgraph.agmemread.argtypes = [ctypes.c_char_p]
        gvc.gvLayout.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p]
        gvc.gvRenderData.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p,
                                     ctypes.POINTER(ctypes.c_void_p),
                                     ctypes.POINTER(ctypes.c_uint)]
        gvc.gvFreeRenderData.argtypes = [ctypes.c_void_p]
        gvc.gvFreeLayout.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        cgraph.agclose.argtypes = [ctypes.c_void_p]
        self.gvc, self.cgraph = gvc, cgraph
        self.context = gvc.gvContext()

    def phases(self, text: str) -> tuple[float, float, float]:
        """CPU seconds this process spends reading, laying out and rendering (SVG) a DOT."""
        data = text.encode("utf-8")
        t0 = time.process_time()
        g = self.cgraph.agmemread(data)
        t1 = time.process_time()
        self.gvc.gvLayout(self.context, g, b"dot")
        t2 = time.process_time()
        out, size = ctypes.c_void_p(), ctypes.c_uint()
        self.gvc.gvRenderData(self.context, g, b"svg", ctypes.byref(out), ctypes.byref(size))
        t3 = time.process_time()
        self.gvc.gvFreeRenderData(out)
        self.gvc.gvFreeLayout(self.context, g)
        self.cgraph.agclose(g)
        return t1 - t0, t2 - t1, t3 - t2

    def svg(self, text: str) -> bytes:
        g = self.cgraph.agmemread(text.encode("utf-8"))
        if not g:
            raise RuntimeError("libgvc could not read the DOT")
        try:
            if self.gvc.gvLayout(self.context, g, b"dot"):
                raise RuntimeError("libgvc could not lay the graph out")
            data, size = ctypes.c_void_p(), ctypes.c_uint()
            self.gvc.gvRenderData(self.context, g, b"svg", ctypes.byref(data), ctypes.byref(size))
            out = ctypes.string_at(data, size.value)
            self.gvc.gvFreeRenderData(data)
            self.gvc.gvFreeLayout(self.context, g)
            return out
        finally:
            self.cgraph.agclose(g)


def in_process() -> tuple[str, object]:
    """(what lays out in-process, a function DOT text -> SVG bytes)."""
    if pygraphviz is not None:
        return (f"pygraphviz {pygraphviz.__version__}",
                lambda t: pygraphviz.AGraph(string=t).draw(format="svg", prog="dot"))
    lib = _Libgvc()
    return "ctypes (pygraphviz not installed)", lib.svg


def labelled_graph(project, figure) -> nx.DiGraph:
    g = G.build_graph(project, figure_pathways(project, figure))
    ids = {key: f"n{i}" for i, key in enumerate(sorted(g.nodes))}
    out = nx.DiGraph()
    for k, d in g.nodes(data=True):
        out.add_node(ids[k], label=wrap(d[G.LABEL], NODE_WRAP))
    out.add_edges_from((ids[u], ids[v]) for u, v in g.edges())
    return out


def contenders(project, names: list[str], work: Path, gvc, *, with_jobs: bool = False
               ) -> dict[str, object]:
    """{label: function of no arguments} laying out every named figure once."""
    import graphviz
    import pydot  # noqa: F401 (nx_pydot needs it)

    figures = [project.figures[n] for n in names]
    mg = [to_dot(project, f) for f in figures]
    flat = [flat_dot(project, f) for f in figures]
    graphs = [labelled_graph(project, f) for f in figures]
    dot = shutil.which("dot")

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
        MG: lambda: render.render_figures(project, names, formats=["svg"], out_dir=work,
                                          force=True, jobs=1),
        MG_DOT: lambda: run_dot(mg),
        FLAT: lambda: run_dot(flat),
        GVC: lambda: [gvc(t) for t in mg],
        PYDOT: lambda: [nx.nx_pydot.to_pydot(g).create_svg() for g in graphs],
        PACKAGE: package,
    }
    if with_jobs:
        out[MG_JOBS] = lambda: render.render_figures(project, names, formats=["svg"],
                                                     out_dir=work / "jobs", force=True)
    return out


def _live_descendants_cpu() -> float:
    """CPU seconds of this process's descendants that are still running (a layout worker
    kept for the next run), theirs and their finished children's: RUSAGE_CHILDREN counts
    a child only once it has exited and been waited for. Linux (/proc); 0 elsewhere."""
    parent: dict[int, int] = {}
    spent: dict[int, int] = {}
    try:
        entries = [e.name for e in os.scandir("/proc") if e.name.isdigit()]
    except OSError:
        return 0.0
    for name in entries:
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                text = fh.read()
        except OSError:
            continue
        fields = text[text.rindex(b")") + 2:].split()
        parent[int(name)] = int(fields[1])
        spent[int(name)] = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        if (ran := _run_ticks(name)) is not None:  # its own time to the nanosecond
            spent[int(name)] += ran - int(fields[11]) - int(fields[12])
    children: dict[int, list[int]] = {}
    for pid, ppid in parent.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0, list(children.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        total += spent.get(pid, 0)
        todo += children.get(pid, [])
    return total / os.sysconf("SC_CLK_TCK")


def _run_ticks(pid: str) -> float | None:
    """The time process ``pid``'s threads ran on a CPU (scheduler statistics, in
    nanoseconds), in clock ticks; None where the kernel keeps no such statistics. A
    worker's share of the real figures is a few ticks: counting whole ticks blurs it."""
    try:
        total = 0
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/schedstat", "rb") as fh:
                total += int(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return total / 1e9 * os.sysconf("SC_CLK_TCK")


def _cpu_start() -> float:
    live = _live_descendants_cpu()  # before the clock starts: its own cost is left out
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return live + me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _cpu_stop() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime + _live_descendants_cpu()


def measure(label: str, runs: dict[str, object], rounds: int) -> dict[str, tuple[float, float]]:
    """{contender: (median wall seconds, median CPU seconds)}, printed with the ratios."""
    wall: dict[str, list[float]] = {k: [] for k in runs}
    cpu: dict[str, list[float]] = {k: [] for k in runs}
    for fn in runs.values():  # warm: imports, caches, the page cache
        fn()
    for _ in range(rounds):
        for k, fn in runs.items():
            c = _cpu_start()
            t = time.perf_counter()
            fn()
            wall[k].append(time.perf_counter() - t)
            cpu[k].append(_cpu_stop() - c)
    med = {k: (statistics.median(wall[k]), statistics.median(cpu[k])) for k in runs}
    fw, fc = med[FLAT]
    print(f"\n{label} (medians of {rounds} interleaved serial rounds; load average "
          f"{os.getloadavg()[0]:.1f})")
    print(f"  {'contender':36} {'wall s':>8} {'x flat':>7} {'CPU s':>8} {'x flat':>7} "
          f"{'wall spread':>13}")
    for k, (w, c) in med.items():
        spread = f"{min(wall[k]):.3f}-{max(wall[k]):.3f}"
        print(f"  {k:36} {w:8.3f} {w / fw:7.2f} {c:8.3f} {c / fc:7.2f} {spread:>13}")

    def ratio(a: str, b: str) -> str:  # serial: the CPU of every process on both sides
        return (f"serial (CPU, all processes) {med[a][1] / med[b][1]:.2f}, "
                f"wall {med[a][0] / med[b][0]:.2f}")

    print(f"  mechgraph's DOT / flat DOT (target <= 1.15): {ratio(MG_DOT, FLAT)}")
    print(f"  mechgraph end to end / nx -> pydot (target <= 1): {ratio(MG, PYDOT)}")
    print(f"  mechgraph end to end / in-process libgvc: {ratio(MG, GVC)}")
    return med


def phases(label: str, mg: list[str], flat: list[str], rounds: int) -> None:
    """Where the difference lies: reading the DOT, laying it out, writing the SVG, each
    timed inside libgvc (one warm context, CPU time, medians of interleaved rounds)."""
    lib = _Libgvc()
    times: dict[str, list[tuple[float, float, float]]] = {"mg": [], "flat": []}
    for _ in range(rounds + 1):
        for key, texts in (("mg", mg), ("flat", flat)):
            parts = [lib.phases(t) for t in texts]
            times[key].append(tuple(sum(p[i] for p in parts) for i in range(3)))
    med = {k: [statistics.median(r[i] for r in v[1:]) for i in range(3)]
           for k, v in times.items()}
    print(f"  {label}: in-process phases, CPU ms, mechgraph's DOT / flat DOT: " + ", ".join(
        f"{name} {1000 * a:.1f} / {1000 * b:.1f} ({a / b:.2f})" for name, a, b in
        zip(("read", "layout", "render SVG"), med["mg"], med["flat"])))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 3000])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--huge", action="store_true")
    ap.add_argument("--no-real", action="store_true", help="leave out the real figures")
    args = ap.parse_args()
    version = subprocess.run([shutil.which("dot") or "dot", "-V"], capture_output=True,
                             text=True).stderr.strip()
    how, gvc = in_process()
    print(f"{version}; {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable), "
          f"load average {os.getloadavg()[0]:.1f}; in-process libgvc through {how}")
    with tempfile.TemporaryDirectory(prefix="mechgraph-bench-") as tmp:
        work = Path(tmp)
        if not args.no_real:
            real = load_project(ROOT / "pathways")
            names = sorted(real.figures)
            measure(f"{len(real.figures)} real figures, SVG", contenders(
                real, names, work / "real", gvc, with_jobs=True), args.rounds)
            figures = [real.figures[n] for n in names]
            phases("real figures", [to_dot(real, f) for f in figures],
                   [flat_dot(real, f) for f in figures], args.rounds)
        for n in args.sizes:
            project = load_project(write_pathway(work / f"gen{n}", n))
            measure(f"generated pathway of {n:,} nodes", contenders(
                project, ["big"], work / f"out{n}", gvc), args.rounds)
            big = project.figures["big"]
            phases(f"{n:,} nodes", [to_dot(project, big)], [flat_dot(project, big)],
                   args.rounds)
        if args.huge:
            project = load_project(write_pathway(work / "gen10000", 10_000))
            t = time.perf_counter()
            render.render_figures(project, ["big"], formats=["svg"], out_dir=work / "huge")
            print(f"\n10,000 nodes, default render: {time.perf_counter() - t:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
