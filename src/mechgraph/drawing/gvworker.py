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
        self.hard_cpu = START_CPU + requests * (cpu + 1)
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
                    except OSError:  # it is gone: its status says why
                        raise _Died(None) from None
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


class Layouts:
    """Where one render run's figures are laid out: workers, or dot per figure.

    ``counts`` says how many figures each resolution may get (key: its ``-G``
    arguments, :func:`.graphviz.g_args`); ``jobs`` is how many workers each may have;
    ``dot`` lays out where no worker does (:func:`.graphviz.run_dot`).
    """

    def __init__(self, counts: dict[tuple[str, ...], int], jobs: int, *,
                 dot: Callable[..., dict[str, bytes]] = GV.run_dot) -> None:
        self.counts, self.jobs, self.dot = counts, max(1, jobs), dot
        self.reason = unavailable()
        forced = os.environ.get("MECHGRAPH_LAYOUT", "") == "worker"
        if self.reason is None and not forced and max(counts.values(), default=0) < MIN_REQUESTS:
            self.reason = (f"fewer than {MIN_REQUESTS} figures per resolution: a `dot` each "
                           "starts sooner than a worker")
        self.idle: dict[tuple[str, ...], list[Worker]] = {}
        self.running: dict[tuple[str, ...], int] = {}
        self.lock = threading.Condition()
        self.work: str | None = None
        self.used = False
        _route.update(path="dot", reason=self.reason or "")

    def __enter__(self) -> "Layouts":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        with self.lock:
            workers = [w for ws in self.idle.values() for w in ws]
            self.idle.clear()
        for w in workers:
            w.close()
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)
            self.work = None
        if self.used:
            _route.update(path="worker", reason="libgvc loaded once per resolution, "
                          "in a child process per run")

    def run(self, dot_text: str, formats: Sequence[str], *, name: str,
            timeout: float = GV.TIMEOUT, where: Location | None = None,
            bounded: bool = False) -> dict[str, bytes]:
        """As :func:`.graphviz.run_dot`: each format's bytes, or a MechgraphError."""
        runs = GV.runs_of(formats)
        out: dict[str, bytes] = {}
        for run in runs:
            key = GV.g_args(run, bounded)
            if (self.reason is not None or bounded or not DRAWS.issuperset(run)
                    or (self.counts.get(key, 0) < MIN_REQUESTS
                        and os.environ.get("MECHGRAPH_LAYOUT", "") != "worker")):
                out.update(self.dot(dot_text, run, name=name, timeout=timeout, where=where,
                                      bounded=bounded))
                continue
            got = self._draw(key, dot_text.encode("utf-8"), run, timeout,
                             lambda m: GV.figure_error(name, where, m))
            if got is None:  # no worker could start: dot, as before
                out.update(self.dot(dot_text, run, name=name, timeout=timeout, where=where,
                                      bounded=bounded))
            else:
                out.update(got)
        return out

    def _draw(self, key: tuple[str, ...], dot: bytes, formats: list[str], timeout: float,
              fail: Callable[[str], MechgraphError]) -> dict[str, bytes] | None:
        worker = self._take(key, formats[0], timeout)
        if worker is None:
            return None
        keep = False
        try:
            result = worker.draw(dot, formats, timeout)
            keep = True
        except _NotStarted as e:
            worker.kill()
            if str(e) == SPENT:
                return self._draw(key, dot, formats, timeout, fail)
            with self.lock:
                self.reason = f"Graphviz's library could not be loaded ({e})"
                _route.update(path="dot", reason=self.reason)
            return None
        except _Died as e:
            (why,) = e.args
            code = worker.kill()
            if isinstance(why, TimeoutError):
                raise fail(GV.TIMEOUT_MESSAGE.format(timeout=timeout)) from None
            if not worker.ready and why is None and code == 1:  # before loading Graphviz
                with self.lock:
                    self.reason = ("a layout worker exited at start: "
                                   f"{GV._tail(self._stderr(worker))}")
                    _route.update(path="dot", reason=self.reason)
                return None
            code = why if isinstance(why, int) else code
            raise fail(f"Graphviz failed ({GV._exit_reason(code)}): "
                       f"{GV._tail(self._stderr(worker))}") from None
        finally:
            self._give_back(key, worker, keep)
        self.used = True
        if isinstance(result, int):
            raise fail(f"Graphviz failed ({GV._exit_reason(result)}): "
                       f"{GV._tail(worker.stderr())}")
        for fmt, data in result.items():
            if len(data) > GV.FILE_LIMIT:
                raise fail(f"Graphviz failed ({GV._exit_reason(-25)}): no message")
        return result

    @staticmethod
    def _stderr(worker: Worker) -> bytes:
        try:
            return worker.stderr()
        except (OSError, ValueError):
            return b""

    def _take(self, key: tuple[str, ...], warmup: str, timeout: float) -> Worker | None:
        """An idle worker for ``key``, a new one if fewer than ``jobs`` run, else wait."""
        cpu = int(timeout) + 1
        with self.lock:
            while True:
                if self.reason is not None:
                    return None
                idle = self.idle.setdefault(key, [])
                while idle:
                    w = idle.pop()
                    if w.alive():
                        return w
                    w.kill()
                    w.errors.close()
                    self.running[key] -= 1
                if self.running.get(key, 0) < self.jobs:
                    self.running[key] = self.running.get(key, 0) + 1
                    break
                self.lock.wait()
            if self.work is None:
                self.work = tempfile.mkdtemp(prefix="mechgraph-dot-")
            work = self.work
        try:
            return Worker(key, warmup, work, self.counts.get(key, 1), cpu)
        except OSError as e:
            with self.lock:
                self.running[key] -= 1
                self.reason = f"a layout worker could not start ({e})"
                self.lock.notify_all()
            return None

    def _give_back(self, key: tuple[str, ...], worker: Worker, keep: bool) -> None:
        with self.lock:
            if keep and worker.alive():
                self.idle.setdefault(key, []).append(worker)
            else:
                self.running[key] -= 1
                worker.kill()
                worker.errors.close()
            self.lock.notify_all()

