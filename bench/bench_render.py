"""How fast figures render, against bare Graphviz, measured in one run.

    .venv/bin/python bench/bench_render.py [--path pathways] [--rounds 3]

The baseline is bare ``dot`` run sequentially on the figures' DOT files, making
exactly the outputs ``mechgraph render`` makes by default: one SVG run and one PNG
run at the same dpi per figure. Every measurement is taken ``--rounds`` times,
interleaved with the others (so a busy machine slows all of them alike), and the
fastest of each is reported. Ratios are to the baseline's fastest round.

  (a) library: render.render_figures(..., force=True); its Python share is the CPU
      time of this process (all threads) over the CPU time of Graphviz (its layout
      workers, read from /proc, or its dot children);
  (b) cold command: `mechgraph render --force` in a fresh process, with its start-up
      (`mechgraph --version`) and everything but Graphviz (`--format dot`) shown apart;
  (c) no change: rendering again when nothing changed, from Python and as a command.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mechgraph.drawing import gvworker, render
from mechgraph.drawing.dot import to_dot
from mechgraph.language.load import load_project

ROOT = Path(__file__).resolve().parent.parent
MECHGRAPH = str(Path(sys.executable).parent / "mechgraph")


def cpu(who: int) -> float:
    r = resource.getrusage(who)
    own = r.ru_utime + r.ru_stime
    if who == resource.RUSAGE_CHILDREN:  # and the layout workers still running
        own += gvworker.workers_cpu()
    return own


def timed(fn) -> tuple[float, float, float]:
    """(wall seconds, own CPU seconds, children's CPU seconds) of one call."""
    s0, c0, t0 = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN), time.perf_counter()
    fn()
    t1 = time.perf_counter()
    return t1 - t0, cpu(resource.RUSAGE_SELF) - s0, cpu(resource.RUSAGE_CHILDREN) - c0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--path", default=str(ROOT / "pathways"))
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    project = load_project(Path(args.path))
    names = list(project.figures)
    work = Path(tempfile.mkdtemp(prefix="mechgraph-bench-"))
    dot = shutil.which("dot")
    if dot is None:
        print("Graphviz `dot` is not installed", file=sys.stderr)
        return 1
    (work / "dot").mkdir()
    for n in names:
        (work / "dot" / f"{n}.dot").write_text(to_dot(project, project.figures[n]), "utf-8")

    def bare() -> None:
        out = work / "bare"
        out.mkdir(exist_ok=True)
        for n in names:
            src = str(work / "dot" / f"{n}.dot")
            subprocess.run([dot, "-Tsvg", f"-o{out / n}.svg", src], check=True)
            subprocess.run([dot, f"-Gdpi={render.PNG_DPI}", "-Tpng", f"-o{out / n}.png", src],
                           check=True)

    def library() -> None:
        render.render_figures(project, out_dir=work / "lib", force=True)

    def library_again() -> None:
        assert not any(r.fresh for r in render.render_figures(project, out_dir=work / "lib"))

    def command(*extra: str, out: str = "cli") -> None:
        subprocess.run([MECHGRAPH, "render", "-p", args.path, "--out", str(work / out),
                        "--no-index", *extra], check=True, stdout=subprocess.DEVNULL)

    runs = {
        "bare dot, sequential": bare,
        "(a) library, all figures": library,
        "(b) command, cold": lambda: command("--force"),
        "    start-up (--version)": lambda: subprocess.run([MECHGRAPH, "--version"], check=True,
                                                           stdout=subprocess.DEVNULL),
        "    all but Graphviz (-f dot)": lambda: command("--force", "-f", "dot", out="dotonly"),
        "(c) no change, library": library_again,
        "(c) no change, command": lambda: command(),
    }
    best: dict[str, tuple[float, float, float]] = {}
    for _ in range(args.rounds):
        for label, fn in runs.items():
            t = timed(fn)
            if label not in best or t[0] < best[label][0]:
                best[label] = t
    base = best["bare dot, sequential"][0]
    _, lib_self, lib_children = best["(a) library, all figures"]
    targets = {"(a) library, all figures": "<= 0.6", "(c) no change, library": "<= 0.1",
               "(c) no change, command": "<= 0.1"}

    print("Graphviz " + ".".join(map(str, render.graphviz_version())))
    print(f"{len(names)} figures, svg + png at {render.PNG_DPI} dpi, {os.cpu_count()} cores, "
          f"best of {args.rounds} interleaved rounds\n")
    print(f"{'measurement':32} {'seconds':>8} {'x bare dot':>10} {'target':>8}")
    for label, (wall, _, _) in best.items():
        print(f"{label:32} {wall:8.3f} {wall / base:10.3f} {targets.get(label, ''):>8}")
    share = lib_self / lib_children if lib_children else float("nan")
    print(f"\n(a) Python's own CPU / dot's CPU: {lib_self:.3f} s / {lib_children:.3f} s "
          f"= {share:.1%} (target < 5%)")
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
