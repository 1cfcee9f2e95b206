"""Cold-start cost of the command line, measured in one run with interleaved rounds.

    .venv/bin/python bench/bench_startup.py [--rounds N] [--figures A,B]

Part 1, one figure drawn cold: for a small and a large real figure, each round runs (in
turn, in fresh processes) a bare ``dot -Tsvg`` on the figure's DOT (renders/NAME.dot), and
``mechgraph render NAME --force -f svg`` into a scratch folder; then, as the default
``render`` draws both, ``dot -Tsvg`` + ``dot -Gdpi=192 -Tpng`` (the PNG mechgraph asks
for) against ``mechgraph render NAME --force`` (svg and png). The table gives medians
over the rounds of the wall time and of the CPU time (user + system of the child and its
children, from ``getrusage``), the difference mechgraph - dot, and the ratio.

The program keeps a project it loaded without error and reads it back while the files are
unchanged (mechgraph.cli.projectcache): each mechgraph row is timed both ways, with the
project kept from the previous run, and after an edit (memory emptied before each run).

Part 2, commands with nothing to draw: ``python -c pass``, ``import networkx``, ``mechgraph
--help``, ``check``, ``render`` of an unchanged figure (stale check only), medians and
their ratio to the bare interpreter.

Wall times depend on what else runs on the machine; CPU times much less so. Python's
byte code for mechgraph is compiled once before timing (a user's first run writes it);
``PYTHONDONTWRITEBYTECODE`` in the environment would otherwise make every run recompile
every module.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SMALL, LARGE = "psilocybin-cascade", "ketamine-theories-overview"
PNG_DPI = 192  # what mechgraph asks of Graphviz for PNG (drawing.graphviz.PNG_DPI)


#: where the program keeps loaded projects during the benchmark (set in main)
CACHE = Path()


def forget() -> None:
    """Empty the program's memory of loaded projects: the next command loads the YAML, as
    the first command after an edit does."""
    shutil.rmtree(CACHE / "mechgraph", ignore_errors=True)


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``cmd`` (which must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False, env={**os.environ, "XDG_CACHE_HOME": str(CACHE)})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def interleaved(commands: dict[str, list[list[str]]],
                rounds: int) -> dict[str, tuple[float, float]]:
    """Median (wall, cpu) of each named command list (run back to back), in rounds that
    take every command once, so a busy moment hits all of them alike. A name ending in
    "(after an edit)" runs with the program's memory of projects emptied first."""
    walls: dict[str, list[float]] = {k: [] for k in commands}
    cpus: dict[str, list[float]] = {k: [] for k in commands}
    for name, cmds in commands.items():  # one warm-up round: the OS's file cache
        for cmd in cmds:
            run(cmd)
    for _ in range(rounds):
        for name, cmds in commands.items():
            if "after an edit" in name:
                forget()
            w = c = 0.0
            for cmd in cmds:
                dw, dc = run(cmd)
                w, c = w + dw, c + dc
            walls[name].append(w)
            cpus[name].append(c)
    return {k: (statistics.median(walls[k]), statistics.median(cpus[k])) for k in commands}


def figure_table(figures: list[str], rounds: int, scratch: Path) -> None:
    dot = shutil.which("dot")
    if dot is None:
        sys.exit("Graphviz's dot is not installed")
    mechgraph = str(BIN / "mechgraph")
    print(f"One figure, cold: medians of {rounds} interleaved rounds (wall ms / CPU ms).\n"
          "'kept': the project was loaded before and is read back; 'after an edit': the\n"
          "program's memory is emptied first, so it loads (and keeps) the YAML")
    print(f"{'figure':27} {'formats':8} {'mechgraph':13} {'bare dot':>15} {'mechgraph':>15} "
          f"{'difference':>15} {'ratio':>11}")
    for name in figures:
        src = REPO / "renders" / f"{name}.dot"
        for formats in (["svg"], ["svg", "png"]):
            bare = [[dot, *(["-Gdpi=%d" % PNG_DPI] if f == "png" else []), f"-T{f}", str(src),
                     "-o", str(scratch / f"bare.{f}")] for f in formats]
            ours = [[mechgraph, "render", name, "--force", "-o", str(scratch / "out")]
                    + [a for f in formats for a in ("-f", f)]]
            m = interleaved({"dot": bare, "kept": ours, "kept (after an edit)": ours}, rounds)
            dw, dc = m["dot"]
            for variant in ("kept", "kept (after an edit)"):
                mw, mc = m[variant]
                label = "after an edit" if variant != "kept" else "kept"
                print(f"{name:27} {'+'.join(formats):8} {label:13} "
                      f"{dw * 1e3:7.1f} /{dc * 1e3:6.1f} "
                      f"{mw * 1e3:7.1f} /{mc * 1e3:6.1f} {(mw - dw) * 1e3:+7.1f} /"
                      f"{(mc - dc) * 1e3:+6.1f} {mw / dw:5.2f} /{mc / dc:5.2f}")


def command_table(figure: str, rounds: int, scratch: Path) -> None:
    mechgraph = str(BIN / "mechgraph")
    out = scratch / "stale"
    run([mechgraph, "render", figure, "-o", str(out)])
    commands = {
        "python -c pass": [[sys.executable, "-c", "pass"]],
        "python -c 'import networkx'": [[sys.executable, "-c", "import networkx"]],
        "mechgraph --help": [[mechgraph, "--help"]],
        "mechgraph check pathways": [[mechgraph, "check", "pathways"]],
        "mechgraph list figures": [[mechgraph, "list", "figures"]],
        f"mechgraph render {figure} (unchanged)": [[mechgraph, "render", figure, "-o", str(out)]],
        "mechgraph check pathways (after an edit)": [[mechgraph, "check", "pathways"]],
        f"mechgraph render {figure} (unchanged, after an edit)":
            [[mechgraph, "render", figure, "-o", str(out)]],
    }
    m = interleaved(commands, rounds)
    base_w, base_c = m["python -c pass"]
    print(f"\nCommands with nothing to draw: medians of {rounds} interleaved rounds")
    print(f"{'command':60} {'wall ms':>8} {'CPU ms':>8} {'x python (wall)':>16}")
    for name, (w, c) in m.items():
        print(f"{name:60} {w * 1e3:8.1f} {c * 1e3:8.1f} {w / base_w:16.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--figures", default=f"{SMALL},{LARGE}",
                        help="comma-separated figure ids (default: a small and a large one)")
    args = parser.parse_args()
    compileall.compile_dir(REPO / "src" / "mechgraph", quiet=1)
    print(f"{os.cpu_count()} CPU cores; other jobs may be running "
          f"(load average {os.getloadavg()[0]:.2f})\n")
    global CACHE
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        CACHE = scratch / "cache"
        figure_table(args.figures.split(","), args.rounds, scratch)
        command_table(args.figures.split(",")[0], args.rounds, scratch)


if __name__ == "__main__":
    main()
