"""Many figures, one Graphviz start-up: layout workers for one render run.

A ``dot`` process per figure spends most of a small figure's time starting (loading
plugins and fonts). For a run of several figures, :class:`Layouts` instead starts one
worker per set of ``-G`` arguments (the vector formats, and the PNGs at their dpi): a
child process running :mod:`.gvchild`, which keeps Graphviz's library (libgvc, through
ctypes) loaded and lays out graph after graph, each byte for byte as a fresh ``dot``
would (see that module for why and how).

Every safety property of the ``dot`` path is kept: the worker starts by posix_spawn
(through ``env -C`` into an empty temporary folder, no ``preexec_fn``) with the same
minimal environment; its limits (address space, file size, no core, and CPU time) are
set with prlimit(2) before it is given any input, the CPU limit raised before each
figure to what the worker has used plus that figure's allowance; a figure that takes
longer than the timeout gets the worker killed and fails with the usual message, and
the next figure gets a fresh worker; a worker that dies fails its figure with its exit
reason and Graphviz's messages. Outputs go back to :mod:`.render`, which checks them
before anything is written.

Where no worker can run (not Linux, no GNU ``env -C`` or prlimit, libgvc not loadable,
or ``MECHGRAPH_LAYOUT=dot`` in the environment) and for a figure alone, figures are laid
out by ``dot`` as before; :func:`route` says which path the last run took and why.
"""

from __future__ import annotations

import atexit
import math
import os
import resource
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, Sequence

from ..errors import MechgraphError
from ..model import Location
from . import graphviz as GV

CHILD = Path(__file__).with_name("gvchild.py")
DRAWS = frozenset({"svg", "pdf", "png"})  # what a worker draws; json stays with dot
MIN_REQUESTS = 2  # a worker for fewer figures than this costs more than it saves
START_CPU = 30  # CPU seconds a worker may spend besides its figures' allowances

SPENT = "CPU budget spent"
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


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used, from /proc."""
    with open(f"/proc/{pid}/stat", "rb") as fh:
        fields = fh.read().rpartition(b")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _Died(Exception):
    """The worker ended (or was stopped) in the middle of a figure."""


class _NotStarted(Exception):
    """The worker could not load Graphviz's library: lay out with dot instead."""


class Worker:
    """One child process running :mod:`.gvchild` with one set of ``-G`` arguments."""

    def __init__(self, gargs: Sequence[str], warmup: str, work: str, requests: int,
                 cpu: int) -> None:
        env = GV._chdir_env()
        self.errors = tempfile.TemporaryFile(prefix="mechgraph-gv-")
        self.hard_cpu = START_CPU + max(requests, 64) * (cpu + 1)
        self.proc = subprocess.Popen(
            [env, "-C", work, sys.executable, "-I", "-S", str(CHILD), warmup, *gargs],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
            close_fds=False, env=GV._environment())  # posix_spawn: see GV._chdir_env
        try:
            for which, values in GV._limit_values(cpu):
                if which == resource.RLIMIT_CPU:
                    values = (cpu + START_CPU, self.hard_cpu)
                resource.prlimit(self.proc.pid, which, values)
        except ProcessLookupError:
            pass  # already gone: the first exchange says why
        except OSError:
            self.kill()
            raise
        self.ready = False
        self.cpu = cpu
        self.input, self.output = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        os.set_blocking(self.input, False)
        os.set_blocking(self.output, False)
        self.pending = bytearray()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> int:
        """Stop the worker (if it still runs) and return its exit status."""
        if self.proc.poll() is None:
            self.proc.kill()
        code = self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        return code

    def close(self) -> None:
        """End the worker: its input closes, so it exits; killed if it lingers."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            pass
        self.kill()
        self.errors.close()

    def stderr(self) -> bytes:
        return os.pread(self.errors.fileno(), 1 << 16, 0)

    def draw(self, dot: bytes, formats: Sequence[str], timeout: float) -> dict[str, bytes] | int:
        """Each format's bytes, or dot's exit status when Graphviz reported an error.

        Raises _Died (the worker is gone or was stopped: TimeoutError inside for the
        timeout) or _NotStarted.
        """
        try:
            used = math.ceil(_cpu_seconds(self.proc.pid))
            if used + self.cpu > self.hard_cpu:
                raise _NotStarted(SPENT)  # a fresh worker takes over
            resource.prlimit(self.proc.pid, resource.RLIMIT_CPU,
                             (used + self.cpu, self.hard_cpu))
        except OSError:  # gone already: its status says why
            raise _Died(None) from None
        names = " ".join(formats).encode()
        request = struct.pack("<II", len(names), len(dot)) + names + dot
        deadline = time.monotonic() + timeout
        cap = len(formats) * (GV.FILE_LIMIT + 4) + 1
        while True:
            body = self._exchange(request, deadline, cap)
            request = b""
            kind = body[:1]
            if kind == b"R":
                self.ready = True
                continue
            if kind == b"F":
                raise _NotStarted(body[1:].decode("utf-8", "replace"))
            if kind == b"E":
                return struct.unpack("<i", body[1:5])[0]
            out, at = {}, 1
            for fmt in formats:
                (size,) = struct.unpack_from("<I", body, at)
                out[fmt] = bytes(body[at + 4:at + 4 + size])
                at += 4 + size
            return out

    def _exchange(self, request: bytes, deadline: float, cap: int) -> bytes:
        """Send what is left of ``request`` and return the next reply's body."""
        view = memoryview(request)
        poller = select.poll()
        poller.register(self.output, select.POLLIN)
        if view:
            poller.register(self.input, select.POLLOUT)
        while True:
            if len(self.pending) >= 4:
                (size,) = struct.unpack_from("<I", self.pending)
                if size > cap:
                    raise _Died(-25)  # more than the file-size limit allows
                if len(self.pending) >= 4 + size and not view:
                    body = bytes(self.pending[4:4 + size])
                    del self.pending[:4 + size]
                    return body
            left = deadline - time.monotonic()
            if left <= 0:
                raise _Died(TimeoutError())
            for fd, event in poller.poll(left * 1000):
                if fd == self.input:
                    try:
                        view = view[os.write(self.input, view):]
                    except BlockingIOError:
                        continue
                    except OSError:  # it is gone: what it said before, or its status, tells
                        view = view[:0]
                    if not view:
                        poller.unregister(self.input)
                else:
                    try:
                        chunk = os.read(self.output, 1 << 20)
                    except BlockingIOError:
                        continue
                    if not chunk:
                        raise _Died(None)
                    self.pending += chunk


# Idle workers, kept for the next run of this process (a notebook, a docs build, a
# benchmark), by -G arguments and limits; each exits when this process closes its pipe.
_IDLE: dict[tuple, list[Worker]] = {}
_IDLE_LOCK = threading.Lock()
_WORK: list[str] = []  # the empty folder workers run in
_BROKEN: list[str] = []  # why no worker can start in this process, once known


def _shutdown() -> None:
    with _IDLE_LOCK:
        workers = [w for ws in _IDLE.values() for w in ws]
        _IDLE.clear()
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
    goes to ``dot`` (:func:`.graphviz.run_dot`) unless a worker for it is already idle.
    ``jobs`` is how many workers of one resolution this run may keep busy at once.
    """

    def __init__(self, counts: dict[tuple[str, ...], int], jobs: int, *,
                 dot: Callable[..., dict[str, bytes]] = GV.run_dot) -> None:
        self.counts, self.jobs, self.dot = counts, max(1, jobs), dot
        self.reason = unavailable() or (_BROKEN[0] if _BROKEN else None)
        self.running: dict[tuple[str, ...], int] = {}
        self.lock = threading.Condition()
        self.used = False
        _route.update(path="dot", reason=self.reason or "no figure needed a worker")

    def __enter__(self) -> "Layouts":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to stop: idle workers wait for the next run (see _shutdown)."""

    def _wanted(self, key: tuple[str, ...]) -> bool:
        if os.environ.get("MECHGRAPH_LAYOUT", "") == "worker":
            return True
        if self.counts.get(key, 0) >= MIN_REQUESTS:
            return True
        with _IDLE_LOCK:
            return bool(_IDLE.get(_pool_key(key)))

    def run(self, dot_text: str, formats: Sequence[str], *, name: str,
            timeout: float = GV.TIMEOUT, where: Location | None = None,
            bounded: bool = False) -> dict[str, bytes]:
        """As :func:`.graphviz.run_dot`: each format's bytes, or a MechgraphError."""
        out: dict[str, bytes] = {}
        for run in GV.runs_of(formats):
            key = GV.g_args(run, bounded)
            got = None
            if (self.reason is None and not bounded and DRAWS.issuperset(run)
                    and self._wanted(key)):
                got = self._draw(key, dot_text.encode("utf-8"), run, timeout,
                                 lambda m: GV.figure_error(name, where, m))
            if got is None:  # no worker here (or none could start): dot, as before
                if not self.used or self.reason:
                    _route.update(path="dot", reason=self.reason or (
                        "a large figure, or fewer than %d figures of one resolution: a `dot` "
                        "each starts sooner than a worker" % MIN_REQUESTS))
                got = self.dot(dot_text, run, name=name, timeout=timeout, where=where,
                               bounded=bounded)
            out.update(got)
        return out

    def _draw(self, key: tuple[str, ...], dot: bytes, formats: list[str], timeout: float,
              fail: Callable[[str], MechgraphError]) -> dict[str, bytes] | None:
        for _ in range(2):  # a second time only when the first worker's CPU budget is spent
            worker = self._take(key, formats[0], timeout)
            if worker is None:
                return None
            keep, messages = False, b""
            try:
                result = worker.draw(dot, formats, timeout)
                if isinstance(result, int):
                    messages = worker.stderr()  # before another figure can use it
                keep = True
            except _NotStarted as e:
                if str(e) == SPENT:
                    continue
                self._broken(f"Graphviz's library could not be loaded ({e})")
                return None
            except _Died as e:
                (why,) = e.args
                code = worker.kill()
                if isinstance(why, TimeoutError):
                    raise fail(GV.TIMEOUT_MESSAGE.format(timeout=timeout)) from None
                if not worker.ready and why is None and code > 0:  # before loading Graphviz
                    self._broken(f"a layout worker exited at start: "
                                 f"{GV._tail(self._stderr(worker))}")
                    return None
                code = why if isinstance(why, int) else code
                raise fail(f"Graphviz failed ({GV._exit_reason(code)}): "
                           f"{GV._tail(self._stderr(worker))}") from None
            finally:
                self._give_back(key, worker, keep)
            if not self.used:
                self.used = True
                _route.update(path="worker", reason="libgvc loaded once per resolution in a "
                              "child process, kept while this process runs")
            if isinstance(result, int):
                raise fail(f"Graphviz failed ({GV._exit_reason(result)}): {GV._tail(messages)}")
            if any(len(data) > GV.FILE_LIMIT for data in result.values()):
                raise fail(f"Graphviz failed ({GV._exit_reason(-25)}): no message")
            return result
        return None

    def _broken(self, reason: str) -> None:
        with self.lock:
            self.reason = reason
            if not _BROKEN:
                _BROKEN.append(reason)
            _route.update(path="dot", reason=reason)

    @staticmethod
    def _stderr(worker: Worker) -> bytes:
        try:
            return worker.stderr()
        except (OSError, ValueError):
            return b""

    def _take(self, key: tuple[str, ...], warmup: str, timeout: float) -> Worker | None:
        """An idle worker for ``key``, or a new one; at most ``jobs`` busy in this run."""
        with self.lock:
            while self.running.get(key, 0) >= self.jobs:
                self.lock.wait()
            if self.reason is not None:
                return None
            self.running[key] = self.running.get(key, 0) + 1
        pool = _pool_key(key)
        with _IDLE_LOCK:
            idle = _IDLE.setdefault(pool, [])
            while idle:
                w = idle.pop()
                if w.alive():
                    return w
                w.kill()
                w.errors.close()
            if not _WORK:
                _WORK.append(tempfile.mkdtemp(prefix="mechgraph-dot-"))
            work = _WORK[0]
        try:
            return Worker(key, warmup, work, self.counts.get(key, 1), int(timeout) + 1)
        except OSError as e:
            self._broken(f"a layout worker could not start ({e})")
            self._release(key)
            return None

    def _release(self, key: tuple[str, ...]) -> None:
        with self.lock:
            self.running[key] -= 1
            self.lock.notify_all()

    def _give_back(self, key: tuple[str, ...], worker: Worker, keep: bool) -> None:
        if keep and worker.alive():
            with _IDLE_LOCK:
                _IDLE.setdefault(_pool_key(key), []).append(worker)
        else:
            worker.kill()
            worker.errors.close()
        self._release(key)


def _pool_key(key: tuple[str, ...]) -> tuple:
    """Workers are shared by runs with the same -G arguments and the same limits."""
    return key, GV.MEMORY_LIMIT, GV.FILE_LIMIT
