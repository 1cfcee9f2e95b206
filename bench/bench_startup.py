"""Cold-start times of the command line against ``python -c pass``, measured in one run.

    .venv/bin/python bench/bench_startup.py [--runs N]

Each command runs N times in a fresh process; the table gives the median wall time
and its ratio to the bare interpreter's.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def median_seconds(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    mechgraph = str(BIN / "mechgraph")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import networkx'": [sys.executable, "-c", "import networkx"],
        "mechgraph --help": [mechgraph, "--help"],
        "mechgraph check pathways": [mechgraph, "check", "pathways"],
        "mechgraph list figures": [mechgraph, "list", "figures"],
    }
    base = None
    print(f"{'command':32} {'median ms':>10} {'x python':>9}   ({runs} runs each)")
    for name, cmd in commands.items():
        t = median_seconds(cmd, runs)
        base = base or t
        print(f"{name:32} {t * 1000:10.1f} {t / base:9.2f}")


if __name__ == "__main__":
    main()
