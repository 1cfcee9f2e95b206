"""Many figures, one Graphviz start-up: layout workers for render runs.

A ``dot`` process per figure spends most of a small figure's time starting (loading
plugins and fonts). For a run of several figures, :class:`Layouts` instead starts one
worker per set of ``-G`` arguments (the vector formats, and the PNGs at their dpi): a
child process running :mod:`.gvchild`, which keeps Graphviz's library (libgvc, through
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
    """The worker ended (or was stopped) in the middle of this figure: (exit status or
    TimeoutError, Graphviz's messages)."""


class _Again(Exception):
    """The worker ended while this figure waited behind another: try a fresh one."""


class _NotStarted(Exception):
    """The worker could not load Graphviz's library: lay out with dot instead."""


class _Ticket:
    """One figure sent to a worker, and what came back."""

    __slots__ = ("request", "formats", "timeout", "done", "result", "error", "started")

    def __init__(self, request: bytes, formats: Sequence[str], timeout: float) -> None:
        self.request, self.formats, self.timeout = request, list(formats), timeout
        self.done = threading.Event()
        self.result: dict[str, bytes] | tuple[int, bytes] | None = None
        self.error: Exception | None = None
        self.started: float | None = None

    def finish(self, result=None, error: Exception | None = None) -> None:
        self.result, self.error = result, error
        self.done.set()


class Worker:
    """One child process running :mod:`.gvchild` with one set of ``-G`` arguments, and
    the thread of ours that talks to it."""

    cpu_allowance: int | None = None  # seconds per figure; None: the figure's timeout + 1

    def __init__(self, gargs: Sequence[str], warmup: str, work: str, cpu: int) -> None:
        env = GV._chdir_env()
        self.errors = tempfile.TemporaryFile(prefix="mechgraph-gv-")
        self.hard_cpu = START_CPU + 64 * (cpu + 1)
        self.proc = subprocess.Popen(
            [env, "-C", work, sys.executable, "-I", "-S", str(CHILD), warmup, *gargs],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
            close_fds=False, env=GV._environment())  # posix_spawn: see GV._chdir_env
        try:
            for which, values in GV._limit_values(cpu):
                if which == resource.RLIMIT_CPU:
                    values = (START_CPU, self.hard_cpu)
                resource.prlimit(self.proc.pid, which, values)
        except ProcessLookupError:
            pass  # already gone: the first exchange says why
        except OSError:
            self.kill()
            self.errors.close()
            raise
        self.ready = self.dead = False
        self.input, self.output = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        os.set_blocking(self.input, False)
        os.set_blocking(self.output, False)
        self.wake_read, self.wake_write = os.pipe()
        os.set_blocking(self.wake_read, False)
        self.lock = threading.Lock()
        self.queued: list[_Ticket] = []  # not yet written
        self.sent: list[_Ticket] = []  # written (or being written), oldest first
        self.thread = threading.Thread(target=self._serve, name="mechgraph-gv", daemon=True)
        self.thread.start()

    def load(self) -> int:
        """Figures this worker has been given and not yet answered."""
        return len(self.queued) + len(self.sent)

    def alive_enough(self, cpu: int) -> bool:
        """Running, and able to spend ``cpu`` more seconds under its hard CPU limit."""
        if self.dead or self.proc.poll() is not None:
            return False
        try:
            return math.ceil(_cpu_seconds(self.proc.pid)) + cpu + 1 <= self.hard_cpu
        except OSError:
            return False

    def submit(self, dot: bytes, formats: Sequence[str], timeout: float) -> _Ticket:
        names = " ".join(formats).encode()
        cpu = self.cpu_allowance or int(timeout) + 1
        ticket = _Ticket(struct.pack("<III", len(names), len(dot), cpu) + names + dot,
                         formats, timeout)
        with self.lock:
            if self.dead:
                ticket.finish(error=_Again())
                return ticket
            self.queued.append(ticket)
        os.write(self.wake_write, b"x")
        return ticket

    def stderr(self) -> bytes:
        try:
            return os.pread(self.errors.fileno(), 1 << 16, 0)
        except (OSError, ValueError):
            return b""

    def kill(self) -> int:
        """Stop the child (if it still runs) and return its exit status."""
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
        with self.lock:
            self.dead = True
        os.write(self.wake_write, b"x")
        self.thread.join(timeout=5)
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
        for fd in (self.wake_read, self.wake_write):
            os.close(fd)

    def _serve(self) -> None:
        """Write requests as they come, read replies, enforce each figure's deadline."""
        out, pending = memoryview(b""), bytearray()
        poller = select.poll()
        poller.register(self.output, select.POLLIN)
        poller.register(self.wake_read, select.POLLIN)
        writing = False
        while True:
            with self.lock:
                if self.dead:
                    return
                if not out and self.queued:
                    ticket = self.queued.pop(0)
                    self.sent.append(ticket)
                    out = memoryview(ticket.request)
                head = self.sent[0] if self.sent else None
            if out and not writing:
                poller.register(self.input, select.POLLOUT)
                writing = True
            if head is not None and head.started is None:
                head.started = time.monotonic()
            wait = None
            if head is not None:
                wait = max(0.0, head.started + head.timeout - time.monotonic())
                if wait == 0.0:
                    return self._end(TimeoutError())
            for fd, _ in poller.poll(None if wait is None else math.ceil(wait * 1000)):
                if fd == self.wake_read:
                    try:
                        os.read(self.wake_read, 4096)
                    except BlockingIOError:
                        pass
                elif fd == self.input:
                    try:
                        out = out[os.write(self.input, out):]
                    except BlockingIOError:
                        pass
                    except OSError:  # gone: what it said before, or its status, tells
                        out = out[:0]
                    if not out:
                        poller.unregister(self.input)
                        writing = False
                else:
                    try:
                        chunk = os.read(self.output, 1 << 20)
                    except BlockingIOError:
                        continue
                    if not chunk:
                        return self._end(None)
                    pending += chunk
                    while len(pending) >= 4:
                        (size,) = struct.unpack_from("<I", pending)
                        cap = (len(self.sent[0].formats) if self.sent else 1) * (
                            GV.FILE_LIMIT + 4) + (1 << 16) + 5
                        if size > cap:
                            return self._end(-25)  # more than the file-size limit allows
                        if len(pending) < 4 + size:
                            break
                        body = bytes(pending[4:4 + size])
                        del pending[:4 + size]
                        if self._reply(body):
                            return

    def _reply(self, body: bytes) -> bool:
        """Hand one reply to its figure; True when the worker is finished with."""
        kind = body[:1]
        if kind == b"R":
            self.ready = True
            return False
        if kind == b"F":
            self._end(_NotStarted(body[1:].decode("utf-8", "replace")))
            return True
        with self.lock:
            ticket = self.sent.pop(0)
            if self.sent:
                self.sent[0].started = time.monotonic()
        if kind == b"E":
            ticket.finish(result=(struct.unpack_from("<i", body, 1)[0], body[5:]))
            return False
        out, at = {}, 1
        for fmt in ticket.formats:
            (size,) = struct.unpack_from("<I", body, at)
            out[fmt] = body[at + 4:at + 4 + size]
            at += 4 + size
        ticket.finish(result=out)
        return False

    def _end(self, why) -> None:
        """The child is gone, or must go: answer every figure it was given."""
        with self.lock:
            self.dead = True
            tickets, self.queued, self.sent = self.sent + self.queued, [], []
        code = self.kill()
        said = self.stderr()
        for i, ticket in enumerate(tickets):
            if isinstance(why, _NotStarted):
                ticket.finish(error=why)
            elif i == 0 and ticket.started is not None and (self.ready or why is not None):
                ticket.finish(error=_Died(why if why is not None else code, said))
            elif not self.ready and why is None and code > 0:  # before loading Graphviz
                ticket.finish(error=_NotStarted(f"exited at start: {GV._tail(said)}"))
            else:
                ticket.finish(error=_Again())


# Workers, kept for the next run of this process (a notebook, a docs build, a
# benchmark), by -G arguments and limits; each exits when this process closes its pipe.
_POOL: dict[tuple, list[Worker]] = {}
_POOL_LOCK = threading.Lock()
_WORK: list[str] = []  # the empty folder workers run in
_BROKEN: list[str] = []  # why no worker can start in this process, once known


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
    goes to ``dot`` (:func:`.graphviz.run_dot`) unless a worker for it already runs.
    ``jobs`` is how many workers one resolution may have.
    """

    def __init__(self, counts: dict[tuple[str, ...], int], jobs: int, *,
                 dot: Callable[..., dict[str, bytes]] = GV.run_dot) -> None:
        self.counts, self.jobs, self.dot = counts, max(1, jobs), dot
        self.reason = unavailable() or (_BROKEN[0] if _BROKEN else None)
        self.used = False
        _route.update(path="dot", reason=self.reason or "no figure was laid out")

    def __enter__(self) -> "Layouts":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to stop: workers wait for the next run (see _shutdown)."""

    def _wanted(self, key: tuple[str, ...]) -> bool:
        if os.environ.get("MECHGRAPH_LAYOUT", "") == "worker":
            return True
        if self.counts.get(key, 0) >= MIN_REQUESTS:
            return True
        with _POOL_LOCK:
            return bool(_POOL.get(_pool_key(key)))

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
        for _ in range(3):  # again only when another figure's end took the worker with it
            worker = self._worker(key, formats[0], timeout)
            if worker is None:
                return None
            ticket = worker.submit(dot, formats, timeout)
            ticket.done.wait()
            error = ticket.error
            if isinstance(error, _Again):
                continue
            if isinstance(error, _NotStarted):
                self._broken(f"a layout worker could not start ({error})")
                return None
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
            return result
        return None

    def _broken(self, reason: str) -> None:
        self.reason = reason
        with _POOL_LOCK:
            if not _BROKEN:
                _BROKEN.append(reason)
        _route.update(path="dot", reason=reason)

    def _worker(self, key: tuple[str, ...], warmup: str, timeout: float) -> Worker | None:
        """The least busy live worker for ``key``; a new one if all are busy and fewer
        than ``jobs`` run, or none runs."""
        if self.reason is not None:
            return None
        cpu = int(timeout) + 1
        with _POOL_LOCK:
            workers = _POOL.setdefault(_pool_key(key), [])
            for w in [w for w in workers if w.dead or not w.alive_enough(cpu)]:
                workers.remove(w)
                threading.Thread(target=w.close, daemon=True).start()
            best = min(workers, key=Worker.load, default=None)
            if best is not None and (best.load() == 0 or len(workers) >= self.jobs):
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


def _pool_key(key: tuple[str, ...]) -> tuple:
    """Workers are shared by runs with the same -G arguments and the same limits."""
    return key, GV.MEMORY_LIMIT, GV.FILE_LIMIT
