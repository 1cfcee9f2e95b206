"""Running Graphviz's ``dot``: one process per figure and resolution.

``dot`` runs with a timeout and resource limits (CPU, address space, file size, no
core), in an empty temporary folder, with a minimal environment, reading the DOT we
wrote from stdin. The layout workers (:mod:`.gvworker`, :mod:`.gvproc`) start the
only other subprocess, with the same limits, folder and environment (from here).
"""

from __future__ import annotations

import fcntl
import functools
import math
import os
import re
import resource
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import MechgraphError
from ..model import Location

TIMEOUT = 60.0  # seconds of wall time per Graphviz run
PNG_DPI = 192  # twice the screen default: sharp on high-density displays and in slides
MEMORY_LIMIT = 2 << 30  # address space of one dot process
FILE_LIMIT = 256 << 20  # largest file one dot process may write
INSTALL_HINT = ("install it with `sudo apt-get install graphviz fonts-dejavu-core` (Debian, "
                "Ubuntu) or `brew install graphviz` (macOS), then run `make` again")


# How long dot takes on a pathway-like figure (a cascade with a quarter more cross links;
# bench/bench_layout.py), by node count: (nodes, exact seconds, bounded seconds). Measured
# with Graphviz 2.43 on one core; the estimates interpolate these on a log-log scale.
LAYOUT_SECONDS = ((1_000, 0.3, 0.1), (3_000, 1.5, 0.55), (5_000, 3.5, 1.45),
                  (10_000, 83.0, 6.6))
INTERACTIVE_SECONDS = 5.0  # an exact layout expected to take longer is announced
BOUNDED_NODES = 5_000  # above this many nodes, dot's effort is bounded unless asked not to
# Crossing minimisation and network simplex are what grow faster than the graph: fewer
# crossing passes (mclimit), and simplex iterations at most half the node count.
BOUNDED_ARGS = ("-Gmclimit=0.01", "-Gnslimit=0.5", "-Gnslimit1=0.5", "-Gsearchsize=10")
# Lines that start (after white space) a node or an edge statement, counted in one pass:
# matches led by a newline (a literal: searched for quickly), plus one at the very start,
# whose group is "[" for a node and empty for an edge; the same counts as the patterns
# "^\s*n\d+ \[" and "^\s*n\d+ -> n\d+ \[" under re.M. (A node's match and an edge's
# cannot overlap: after the same "n\d+ " one needs "[", the other "->".)
_STATEMENT = re.compile(r"\n\s*n\d+ (?:(\[)|-> n\d+ \[)")
_FIRST_STATEMENT = re.compile(r"[^\S\n]*n\d+ (?:(\[)|-> n\d+ \[)")


@dataclass(frozen=True)
class LayoutPlan:
    """How a figure's DOT will be laid out, decided from its size alone."""

    nodes: int
    edges: int
    bounded: bool  # dot's effort is bounded (BOUNDED_ARGS)
    seconds: float  # about how long the exact layout takes
    bounded_seconds: float  # about how long the bounded one takes

    def warning(self, name: str, timeout: float) -> str | None:
        """What to say before a long wait, or None when the layout is quick."""
        size = f"figure {name!r} has {self.nodes:,} nodes and {self.edges:,} edges"
        if self.bounded:
            return (f"{size}: an exact layout could take about {_about(self.seconds)}, so "
                    f"it is laid out with bounded effort (about {_about(self.bounded_seconds)}"
                    "); --exact-layout waits for the exact one")
        if self.seconds > INTERACTIVE_SECONDS:
            over = (f", longer than the {timeout:g} s timeout (--timeout)"
                    if self.seconds > timeout else "")
            return f"{size}: its layout may take about {_about(self.seconds)}{over}"
        return None


def plan_layout(dot_text: str, *, exact: bool = False) -> LayoutPlan:
    """Count the figure's nodes and edges and decide whether dot's effort is bounded."""
    found = _STATEMENT.findall(dot_text)
    first = _FIRST_STATEMENT.match(dot_text)
    if first:
        found.append(first.group(1) or "")
    nodes = found.count("[")
    edges = len(found) - nodes
    return LayoutPlan(nodes, edges, not exact and nodes > BOUNDED_NODES,
                      _estimate(nodes, 1), _estimate(nodes, 2))


def _estimate(nodes: int, column: int) -> float:
    """Seconds by log-log interpolation in LAYOUT_SECONDS (extrapolated at either end)."""
    table = [(math.log(row[0]), math.log(row[column])) for row in LAYOUT_SECONDS]
    x = math.log(max(nodes, 1))
    (x0, y0), (x1, y1) = next(((a, b) for a, b in zip(table, table[1:]) if x <= b[0]),
                              (table[-2], table[-1]))
    return math.exp(y0 + (y1 - y0) * (x - x0) / (x1 - x0))


def _about(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    return f"{round(seconds / 60)} min"


def find_dot() -> str:
    """The path of Graphviz's ``dot``, or a MechgraphError that says how to install it."""
    found = shutil.which("dot")
    if found is None:
        raise MechgraphError(f"Graphviz is not installed (no `dot` on PATH); {INSTALL_HINT}")
    return found


def graphviz_version() -> tuple[int, ...]:
    """The installed Graphviz's version, e.g. ``(2, 43, 0)``.

    The ``graphviz`` package knows every form ``dot -V`` has printed; the renders in
    ``renders/`` are byte-stable only for one version, so tests and benchmarks say which.
    """
    import graphviz

    find_dot()
    return graphviz.version()

def _limit_values(cpu_seconds: int) -> list[tuple[int, tuple[int, int]]]:
    g = globals()
    return [(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1)),
            (resource.RLIMIT_AS, (g["MEMORY_LIMIT"], g["MEMORY_LIMIT"])),
            (resource.RLIMIT_FSIZE, (g["FILE_LIMIT"], g["FILE_LIMIT"])),
            (resource.RLIMIT_CORE, (0, 0))]


def _limits(cpu_seconds: int) -> None:  # the fallback: in the child between fork and exec
    for which, values in _limit_values(cpu_seconds):
        resource.setrlimit(which, values)


@functools.cache
def _chdir_env() -> str | None:
    """GNU ``env`` with ``-C`` (change folder, then exec), or None where there is none.

    Through it, dot starts by posix_spawn in its empty folder (Python's posix_spawn path
    takes no ``cwd`` and no ``preexec_fn``); its limits are set from outside with
    prlimit(2) before it is given any input. Fork and exec with ``preexec_fn`` cost a
    fifth more per figure.
    """
    exe = shutil.which("env")
    if exe is None or not hasattr(resource, "prlimit") or not hasattr(os, "posix_spawn"):
        return None
    try:
        done = subprocess.run([exe, "-C", "/", "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return exe if done.returncode == 0 else None


def _start(args: list[str], work: str, cpu: int) -> subprocess.Popen:
    """dot running in ``work`` under the resource limits, waiting for its stdin (its
    stdout, unused: every format goes to a file, is discarded)."""
    pipes = dict(stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                 env=_environment())
    env = _chdir_env()
    if env is None:
        return subprocess.Popen(args, cwd=work, preexec_fn=lambda: _limits(cpu),
                                close_fds=True, **pipes)
    # close_fds=False lets Python use posix_spawn; our own descriptors are not inheritable
    proc = subprocess.Popen([env, "-C", work, *args], close_fds=False, **pipes)
    try:
        for which, values in _limit_values(cpu):
            resource.prlimit(proc.pid, which, values)
    except ProcessLookupError:  # already gone (it failed to start): its status tells
        pass
    except OSError:
        proc.kill()
        proc.communicate()
        raise
    return proc


def _environment() -> dict[str, str]:
    """What dot may see: enough to find fonts, nothing that changes how it reads files."""
    keep = ("PATH", "HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_DIRS",
            "FONTCONFIG_FILE", "FONTCONFIG_PATH")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", SOURCE_DATE_EPOCH="0")
    return env


TIMEOUT_MESSAGE = ("Graphviz took longer than {timeout:g} s and was stopped "
                   "(draw fewer pathways in one figure, or split it)")


def figure_error(name: str, where: Location | None, message: str) -> MechgraphError:
    """An error about figure ``name``, at its declaration when known."""
    return MechgraphError(f"figure {name!r}: {message}", path=where.path if where else None,
                          line=where.line if where else None)


def runs_of(formats: Sequence[str]) -> list[list[str]]:
    """The formats grouped by Graphviz run: vector formats (and json: the layout itself,
    positions and sizes, read by exporters that place glyphs) share one; PNG gets its
    own at PNG_DPI (the dpi attribute would also scale the SVG)."""
    runs = [[f for f in formats if f in ("svg", "pdf", "json")], [f for f in formats if f == "png"]]
    return [run for run in runs if run]


def g_args(run: Sequence[str], bounded: bool) -> tuple[str, ...]:
    """The ``-G`` arguments of one run: the PNG's dpi, and the bounds of a large figure."""
    return (("-Gdpi=%d" % PNG_DPI,) if list(run) == ["png"] else ()) + (
        BOUNDED_ARGS if bounded else ())


def run_dot(dot_text: str, formats: Sequence[str], *, name: str, timeout: float = TIMEOUT,
            where: Location | None = None, bounded: bool = False) -> dict[str, bytes]:
    """Lay out ``dot_text`` once per resolution and return each format's bytes.

    One ``dot`` process per run (see :func:`runs_of`). ``bounded`` limits dot's effort
    (BOUNDED_ARGS), for figures too large to lay out exactly in reasonable time (see
    :func:`plan_layout`). Errors name the figure and, when known, where it is declared.
    """
    def fail(message: str) -> MechgraphError:
        return figure_error(name, where, message)

    exe = find_dot()
    out: dict[str, bytes] = {}
    cpu = int(timeout) + 1
    with tempfile.TemporaryDirectory(prefix="mechgraph-dot-") as work:
        for run in runs_of(formats):
            args = [exe, *g_args(run, bounded)]
            for fmt in run:
                args += [f"-T{fmt}", f"-o{fmt}.out"]
            try:
                proc = _start(args, work, cpu)
            except OSError as e:
                raise fail(f"could not run Graphviz ({e}); {INSTALL_HINT}") from e
            try:
                stderr = _exchange(proc, dot_text.encode("utf-8"), timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                raise fail(TIMEOUT_MESSAGE.format(timeout=timeout)) from None
            finally:
                for pipe in (proc.stdin, proc.stderr):
                    pipe.close()
            if proc.returncode != 0:
                raise fail(f"Graphviz failed ({_exit_reason(proc.returncode)}): "
                           f"{_tail(stderr)}")
            for fmt in run:
                try:
                    out[fmt] = Path(work, f"{fmt}.out").read_bytes()
                except FileNotFoundError:  # dot read no graph: it writes nothing, exit 0
                    raise fail("Graphviz drew nothing: the DOT text holds no graph") from None
    return out


PIPE_BYTES = 1 << 20  # Linux's default ceiling for an unprivileged pipe


def _exchange(proc: subprocess.Popen, data: bytes, timeout: float) -> bytes:
    """What ``proc.communicate(data, timeout)`` does for a process whose stdout is not a
    pipe: write ``data`` to its stdin, then close it, while reading its stderr; wait for
    it to exit. Returns the stderr; raises subprocess.TimeoutExpired when ``timeout``
    seconds pass first (the caller stops it). The input goes in pieces as large as the
    pipe takes (communicate writes 4 KiB per poll: about a thousand polls and writes for
    a large figure's DOT)."""
    if not hasattr(select, "poll"):  # not on this system: communicate's way
        return proc.communicate(data, timeout=timeout)[1]
    deadline = time.monotonic() + timeout
    into, errors = proc.stdin.fileno(), proc.stderr.fileno()
    said: list[bytes] = []
    view = memoryview(data)
    poller = select.poll()
    waiting = {errors}
    poller.register(errors, select.POLLIN)
    if view:
        try:  # room for the whole DOT, or as much of it as Linux allows (no-op elsewhere)
            fcntl.fcntl(into, fcntl.F_SETPIPE_SZ, min(len(view), PIPE_BYTES))
        except (AttributeError, OSError):
            pass
        os.set_blocking(into, False)
        poller.register(into, select.POLLOUT)
        waiting.add(into)
    else:
        proc.stdin.close()
    while waiting:
        left = deadline - time.monotonic()
        if left <= 0:
            raise subprocess.TimeoutExpired(proc.args, timeout)
        for fd, _ in poller.poll(math.ceil(left * 1000)):
            if fd == into:
                try:
                    view = view[os.write(into, view):]
                except BlockingIOError:
                    continue
                except OSError:  # dot stopped reading (it failed): its stderr says why
                    view = view[:0]
                if not view:
                    poller.unregister(into)
                    waiting.discard(into)
                    proc.stdin.close()
            else:
                chunk = os.read(errors, 1 << 16)
                if chunk:
                    said.append(chunk)
                else:
                    poller.unregister(errors)
                    waiting.discard(errors)
    proc.wait(timeout=max(0.0, deadline - time.monotonic()))
    return b"".join(said)


def _exit_reason(code: int) -> str:
    if code == -24:
        return "stopped by the CPU time limit"
    if code == -25:
        return f"stopped by the {FILE_LIMIT >> 20} MiB file size limit"
    if code < 0:
        return f"killed by signal {-code}"
    return f"exit status {code}"


def _tail(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    return " ".join(text.split())[-400:] or "no message"
