"""The real figures, warm: mechgraph against Graphviz's library in-process, in one run.

    .venv/bin/python bench/bench_worker.py [--path pathways] [--rounds 9] [--format svg] [--fresh]

Measured in this one process, after imports and project load, in interleaved rounds
(so a busy machine slows all of them alike); medians, and each row's ratio to the
in-process library's median:

  mechgraph        render_figures(..., force=True) of every figure (DOT, layout workers,
                   SVG normalising, theming and checks, atomic writes);
  mechgraph, dot   the same with MECHGRAPH_LAYOUT=dot (one `dot` per figure: the path
                   where no worker can run);
  libgvc (ctypes)  the figures' DOT laid out and drawn here, in-process, through the
                   same ctypes binding and id discipline as the worker (gvchild.py):
                   the floor a binding reaches;
  pygraphviz       AGraph(string).draw, when pygraphviz is installed and linked to the
                   system Graphviz (optional; not byte-stable, see the README);
  dot per figure   `dot -Tsvg` run once per figure on the same DOT, sequentially.

CPU seconds (this process, its children and its live layout workers, the latter read
from /proc in clock ticks) are printed beside the wall-clock medians: on a shared
machine they are the steadier number. "first run" times mechgraph in a process whose
workers have not started yet (each round shuts them down first): what a one-shot
`mechgraph render` of every figure pays. The target is mechgraph <= 1.5x
libgvc. Serial figures only: no row but mechgraph's uses more than one core.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mechgraph.drawing import gvworker, render
from mechgraph.drawing import dot as dot_module
from mechgraph.drawing import quoting
from mechgraph.drawing.dot import to_dot
from mechgraph.drawing.gvchild import Library
from mechgraph.language.load import load_project

ROOT = Path(__file__).resolve().parent.parent


def workers_cpu() -> float:
    """CPU seconds of the live layout workers (from /proc; see gvworker.workers_cpu)."""
    return gvworker.workers_cpu()


def own_cpu() -> float:
    a = resource.getrusage(resource.RUSAGE_SELF)
    return a.ru_utime + a.ru_stime


def cpu() -> float:
    """CPU seconds of this process, its ended children and its live layout workers."""
    b = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own_cpu() + b.ru_utime + b.ru_stime + workers_cpu()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--path", default=str(ROOT / "pathways"))
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--format", default="svg", choices=["svg", "png"])
    ap.add_argument("--fresh", action="store_true",
                    help="load the project afresh (untimed) before each mechgraph round, so "
                         "that nothing a loaded project keeps (a convergence's shared-node "
                         "answer) carries over from one round to the next")
    args = ap.parse_args()
    fmt = args.format

    project = load_project(Path(args.path))
    names = sorted(project.figures)
    dots = [to_dot(project, project.figures[n]).encode() for n in names]
    work = Path(tempfile.mkdtemp(prefix="mechgraph-bench-"))
    dot = shutil.which("dot")
    gargs = ["-Gdpi=%d" % render.PNG_DPI] if fmt == "png" else []
    lib = Library(gargs)
    lib.draw(b"digraph { a }", [fmt], engine_chosen=False)

    route = []

    loaded = [project]

    def mechgraph() -> None:
        render.render_figures(loaded[0], out_dir=work / "mg", formats=[fmt], force=True)
        route[:] = [render.route()]

    def mechgraph_dot() -> None:
        os.environ["MECHGRAPH_LAYOUT"] = "dot"
        try:
            render.render_figures(project, out_dir=work / "mgdot", formats=[fmt], force=True)
        finally:
            del os.environ["MECHGRAPH_LAYOUT"]

    def libgvc() -> None:
        for d in dots:
            lib.draw(d, [fmt])

    def per_figure() -> None:
        for d in dots:
            subprocess.run([dot, *gargs, f"-T{fmt}"], input=d, stdout=subprocess.DEVNULL,
                           check=True)

    def first_run() -> None:
        gvworker._shutdown()
        render.render_figures(project, out_dir=work / "mg1", formats=[fmt], force=True)

    runs = {"mechgraph": mechgraph, "mechgraph, first run": first_run,
            "mechgraph, dot": mechgraph_dot, "libgvc (ctypes)": libgvc}
    try:
        import pygraphviz  # noqa: F401

        texts = [d.decode() for d in dots]

        def pgv() -> None:
            for t in texts:
                pygraphviz.AGraph(string=t).draw(format=fmt, prog="dot")

        runs["pygraphviz"] = pgv
    except ImportError:
        pass
    runs["dot per figure"] = per_figure
    for fn in runs.values():  # warm: files, caches, fonts
        fn()
    mechgraph()
    walls: dict[str, list[float]] = {k: [] for k in runs}
    cpus: dict[str, list[float]] = {k: [] for k in runs}
    split: list[tuple[float, float]] = []  # mechgraph: (this process, its workers)
    for _ in range(args.rounds):
        for label, fn in runs.items():
            if args.fresh and label == "mechgraph":
                loaded[0] = load_project(Path(args.path))
                for module in (quoting, dot_module):  # and no text kept by a cache
                    for f in vars(module).values():
                        getattr(f, "cache_clear", lambda: None)()
            c0, t0, s0, w0 = cpu(), time.perf_counter(), own_cpu(), workers_cpu()
            fn()
            walls[label].append(time.perf_counter() - t0)
            cpus[label].append(cpu() - c0)
            if label == "mechgraph":
                split.append((own_cpu() - s0, workers_cpu() - w0))
    base = statistics.median(walls["libgvc (ctypes)"])
    base_cpu = statistics.median(cpus["libgvc (ctypes)"])
    print(f"{len(names)} figures, {fmt}, {os.cpu_count()} cores, medians of {args.rounds} "
          f"interleaved rounds; layout route: {route[0]}"
          + ("; mechgraph renders a project loaded afresh each round" if args.fresh else "")
          + "\n")
    print(f"{'':18} {'wall s':>8} {'x libgvc':>9} {'CPU s':>8} {'x libgvc':>9}")
    for label in runs:
        w, c = statistics.median(walls[label]), statistics.median(cpus[label])
        print(f"{label:18} {w:8.3f} {w / base:9.2f} {c:8.3f} {c / base_cpu:9.2f}")
    main = statistics.median(a for a, _ in split)
    side = statistics.median(b for _, b in split)
    print(f"\nmechgraph's CPU: this process {main:.3f} s, its layout workers {side:.3f} s; "
          f"with a core each, the busier one bounds the wall time: "
          f"{max(main, side) / base_cpu:.2f}x libgvc's CPU time")
    mg_wall = statistics.median(walls["mechgraph"])
    print(f"mechgraph / libgvc: serial (CPU of this process and its workers, summed) "
          f"{(main + side) / base_cpu:.2f}, wall {mg_wall / base:.2f}")
    print("target: mechgraph <= 1.5x libgvc")
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
