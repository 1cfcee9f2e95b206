"""Many figures, one Graphviz start-up: layout workers for render runs.

A ``dot`` process per figure spends most of a small figure's time starting (loading
plugins and fonts). For a run of several figures, :class:`Layouts` instead starts one
worker per set of ``-G`` arguments (the vector formats; PNGs only when
``MECHGRAPH_LAYOUT=worker``, since rasterising costs far more than starting ``dot``, and
``dot`` runs in threads use every core): a child process running :mod:`.gvchild`, which keeps Graphviz's library (libgvc, through
ctypes) loaded and lays out graph after graph, each byte for byte as a fresh ``dot``
would (see that module for why and how).

Every safety property of the ``dot`` path is kept: the worker starts by posix_spawn
(through ``env -C`` into an empty temporary folder, no ``preexec_fn``) with the same
minimal environment; its limits (address space, file size, no core, and CPU time) are
set with prlimit(2) before it is given any input; before each figure its soft CPU limit
is what it has used plus that figure's allowance (under the hard limit set from
outside); a figure that takes longer than the timeout gets the worker killed and fails
with the usual message, and the figures queued behind it go to a fresh worker; a
worker that dies fails its figure with its exit reason and Graphviz's messages.
Outputs go back to :mod:`.render`, which checks them before anything is written.

Each worker has a thread of ours that writes requests and reads replies, so the next
figure is already queued in the worker's pipe while the last one's SVG is checked
here: the worker never waits for Python. Idle workers are kept for the next run of
the same process (a notebook, a docs build) and end when it exits.

Where no worker can run (not Linux, no GNU ``env -C`` or prlimit, libgvc not loadable,
or ``MECHGRAPH_LAYOUT=dot`` in the environment) and for a figure alone, figures are laid
out by ``dot`` as before; :func:`route` says which path the last run took and why.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import threading
from typing import TYPE_CHECKING, Callable, Sequence

from ..errors import MechgraphError
from ..model import Location
from . import graphviz as GV
from .gvproc import Worker, _Again, _Died, _NotStarted, _Ticket

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

DRAWS = frozenset({"svg", "pdf", "png"})  # what a worker draws; json stays with dot
# fewer figures than this: one `dot` each is sooner (a worker starts in ~30 ms, one
# `dot` run of a small figure takes ~14 ms)
MIN_REQUESTS = 3

_route = {"path": "dot", "reason": "no figures laid out yet"}


def route() -> str:
    """One line: which path the last render run laid figures out by, and why."""
    return f"{_route['path']}: {_route['reason']}"


def unavailable() -> str | None:
    """Why no worker can run here, or None when one can (libgvc is tried at start)."""
    if os.environ.get("MECHGRAPH_LAYOUT", "") == "dot":
        return "MECHGRAPH_LAYOUT=dot is set"
    if not sys.platform.startswith("linux"):
        return f"layout workers need Linux (prlimit, /proc); this is {sys.platform}"
    if GV._chdir_env() is None:
        return "no GNU `env -C` or prlimit(2) to start a worker without preexec_fn"
    return None


# Workers, kept for the next run of this process (a notebook, a docs build, a
# benchmark), by -G arguments and limits; each exits when this process closes its pipe.
_POOL: dict[tuple, list[Worker]] = {}
_POOL_LOCK = threading.Lock()
_WORK: list[str] = []  # the empty folder workers run in
# why no worker can start in this process (under these limits), once known
_BROKEN: dict[tuple[int, int], str] = {}


def workers_cpu() -> float:
    """CPU seconds spent so far by this process's live layout workers (read from /proc:
    a worker kept between runs never reaches ``RUSAGE_CHILDREN``); for benchmarks.

    In nanoseconds where the kernel keeps scheduler statistics (each thread's time on a
    CPU, /proc/PID/task/*/schedstat), else in clock ticks (10 ms: coarser than one
    worker's share of a run of small figures)."""
    from .gvproc import _cpu_seconds

    with _POOL_LOCK:
        workers = [w for ws in _POOL.values() for w in ws]
    total = 0.0
    for w in workers:
        try:
            total += _run_seconds(w.proc.pid)
        except OSError:
            try:
                total += _cpu_seconds(w.proc.pid)
            except OSError:  # it has just ended
                pass
    return total


def _run_seconds(pid: int) -> float:
    """Seconds the threads of process ``pid`` have run on a CPU (scheduler statistics)."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/schedstat", "rb") as fh:
            total += int(fh.read().split()[0])
    return total / 1e9


def _shutdown() -> None:
    with _POOL_LOCK:
        workers = [w for ws in _POOL.values() for w in ws]
        _POOL.clear()
    for w in workers:
        w.close()
    for folder in _WORK:
        shutil.rmtree(folder, ignore_errors=True)
    _WORK.clear()


atexit.register(_shutdown)


class Layouts:
    """Where one render run's figures are laid out: workers, or dot per figure.

    ``counts`` says how many figures each resolution may get (key: its ``-G``
    arguments, :func:`.graphviz.g_args`); a resolution with fewer than MIN_REQUESTS
    goes to ``dot`` (:func:`.graphviz.run_dot`), as do large (bounded) figures and PNGs.
    ``jobs`` is how many workers one resolution may have, ``threads`` how many ``dot``
    processes may run at once (default: ``jobs``).
    """

    def __init__(self, counts: dict[tuple[str, ...], int], jobs: int, *,
                 dot: Callable[..., dict[str, bytes]] = GV.run_dot,
                 threads: int | None = None) -> None:
        self.counts, self.jobs, self.dot = counts, max(1, jobs), dot
        self.threads = max(1, threads or jobs)
        self.reason = unavailable() or _BROKEN.get((GV.MEMORY_LIMIT, GV.FILE_LIMIT))
        self.used = False
        self.pool: ThreadPoolExecutor | None = None
        _route.update(path="dot", reason=self.reason or "no figure was laid out")

    def __enter__(self) -> "Layouts":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Wait for the dot runs; workers wait for the next run (see _shutdown)."""
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None

    def _wanted(self, key: tuple[str, ...]) -> bool:
        if os.environ.get("MECHGRAPH_LAYOUT", "") == "worker":
            return True
        if any(a.startswith("-Gdpi=") for a in key):
            # a PNG's rasterising outweighs dot's start-up many times over, and `dot`
            # runs in threads use every core where one worker would take them in turn
            return False
        return self.counts.get(key, 0) >= MIN_REQUESTS

    def run(self, dot_text: str, formats: Sequence[str], *, name: str,
            timeout: float = GV.TIMEOUT, where: Location | None = None,
            bounded: bool = False) -> dict[str, bytes]:
        """As :func:`.graphviz.run_dot`: each format's bytes, or a MechgraphError."""
        return self.submit(dot_text, formats, name=name, timeout=timeout, where=where,
                           bounded=bounded).result()

    def submit(self, dot_text: str, formats: Sequence[str], *, name: str,
               timeout: float = GV.TIMEOUT, where: Location | None = None,
               bounded: bool = False,
               finish: tuple[str, str | None, str] | None = None) -> "Pending":
        """Start laying ``dot_text`` out; its Pending says when it is done, and how.

        ``finish`` (title, caption, id prefix): a worker may also normalise and theme
        the SVG (:mod:`.svgtext`); Pending.themed then says so.
        """
        parts = []
        for run in GV.runs_of(formats):
            key = GV.g_args(run, bounded)
            args = (dot_text, run, name, timeout, where, bounded, finish)
            worker = None
            if (self.reason is None and not bounded and DRAWS.issuperset(run)
                    and self._wanted(key)):
                worker = self._worker(key, run[0], timeout)
            if worker is not None:
                parts.append((args, worker.submit(dot_text.encode("utf-8"), run, timeout,
                                                  finish)))
                continue
            if not self.used or self.reason:  # no worker here, or none could start
                _route.update(path="dot", reason=self.reason or (
                    "a large figure, or fewer than %d figures of one resolution: a `dot` "
                    "each starts sooner than a worker" % MIN_REQUESTS))
            if self.threads == 1 or max(self.counts.values(), default=0) <= 1:
                # one figure (or one `dot` at a time): run it here, no thread to start
                parts.append((args, _Done(self.dot, dot_text, run, name=name,
                                          timeout=timeout, where=where, bounded=bounded)))
                continue
            if self.pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self.pool = ThreadPoolExecutor(max_workers=self.threads)
            parts.append((args, self.pool.submit(self.dot, dot_text, run, name=name,
                                                 timeout=timeout, where=where,
                                                 bounded=bounded)))
        return Pending(self, parts)

    def _answer(self, args: tuple, ticket: _Ticket) -> tuple[dict[str, bytes], bool]:
        """A worker's answer to one figure as run_dot's (bytes, or a MechgraphError),
        and whether its SVG is already normalised and themed."""
        dot_text, run, name, timeout, where, bounded, finish = args

        def fail(message: str) -> MechgraphError:
            return GV.figure_error(name, where, message)

        for _ in range(3):  # again only when another figure's end took the worker with it
            ticket.done.wait()
            error = ticket.error
            if isinstance(error, _Again):
                worker = self._worker(GV.g_args(run, bounded), run[0], timeout)
                if worker is None:
                    break
                ticket = worker.submit(dot_text.encode("utf-8"), run, timeout, finish)
                continue
            if isinstance(error, _NotStarted):
                self._broken(f"a layout worker could not start ({error})")
                break
            if isinstance(error, _Died):
                why, said = error.args
                if isinstance(why, TimeoutError):
                    raise fail(GV.TIMEOUT_MESSAGE.format(timeout=timeout))
                raise fail(f"Graphviz failed ({GV._exit_reason(why)}): {GV._tail(said)}")
            if not self.used:
                self.used = True
                _route.update(path="worker", reason="libgvc loaded once per resolution in a "
                              "child process, kept while this process runs")
            result = ticket.result
            if isinstance(result, tuple):
                code, said = result
                raise fail(f"Graphviz failed ({GV._exit_reason(code)}): {GV._tail(said)}")
            if any(len(data) > GV.FILE_LIMIT for data in result.values()):
                raise fail(f"Graphviz failed ({GV._exit_reason(-25)}): no message")
            return result, ticket.themed
        return self.dot(dot_text, run, name=name, timeout=timeout, where=where,
                        bounded=bounded), False

    def _broken(self, reason: str) -> None:
        self.reason = reason
        with _POOL_LOCK:
            _BROKEN.setdefault((GV.MEMORY_LIMIT, GV.FILE_LIMIT), reason)
        _route.update(path="dot", reason=reason)

    def _worker(self, key: tuple[str, ...], warmup: str, timeout: float) -> Worker | None:
        """The least busy live worker for ``key``; a new one if none runs, or if even
        that one is slow to get through its queue and fewer than ``jobs`` run."""
        if self.reason is not None:
            return None
        cpu = int(timeout) + 1
        with _POOL_LOCK:
            workers = _POOL.setdefault(_pool_key(key), [])
            for w in [w for w in workers if w.dead or (w.running() and not w.alive_enough(cpu))]:
                workers.remove(w)  # answered already, or its CPU budget is nearly spent
                threading.Thread(target=w.close, daemon=True).start()
            usable = [w for w in workers if w.running()]  # an exited one: its thread answers
            best = min(usable, key=Worker.load, default=None)
            if best is not None and (not best.slow() or len(workers) >= self.jobs):
                return best
            if not _WORK:
                _WORK.append(tempfile.mkdtemp(prefix="mechgraph-dot-"))
            try:
                w = Worker(key, warmup, _WORK[0], cpu)
            except OSError as e:
                reason = f"a layout worker could not start ({e})"
            else:
                workers.append(w)
                return w
        self._broken(reason)
        return None


class _Done:
    """A ``dot`` run made at once, answering as a finished future would."""

    def __init__(self, call: Callable[..., dict[str, bytes]], *args, **kwargs) -> None:
        self.value: dict[str, bytes] | None = None
        self.error: MechgraphError | None = None
        try:
            self.value = call(*args, **kwargs)
        except MechgraphError as e:
            self.error = e

    def done(self) -> bool:
        return True

    def result(self) -> dict[str, bytes]:
        if self.error is not None:
            raise self.error
        assert self.value is not None
        return self.value


class Pending:
    """One figure's layout under way: by workers, ``dot`` runs, or both (one per run)."""

    def __init__(self, layouts: Layouts, parts: list) -> None:
        self.layouts, self.parts = layouts, parts
        self.themed = False  # the SVG came back normalised and themed (see submit)

    def done(self) -> bool:
        return all(p.done.is_set() if isinstance(p, _Ticket) else p.done() for _, p in self.parts)

    def result(self) -> dict[str, bytes]:
        """Each format's bytes, or the first MechgraphError (as run_dot's)."""
        out: dict[str, bytes] = {}
        for args, part in self.parts:
            if isinstance(part, _Ticket):
                got, themed = self.layouts._answer(args, part)
                self.themed = self.themed or themed
                out.update(got)
            else:
                out.update(part.result())
        return out


def _pool_key(key: tuple[str, ...]) -> tuple:
    """Workers are shared by runs with the same -G arguments and the same limits."""
    return key, GV.MEMORY_LIMIT, GV.FILE_LIMIT
