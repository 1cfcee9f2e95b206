"""A layout worker: the child process running :mod:`.gvchild`, and the thread of ours
that talks to it (see :mod:`.gvworker` for how render runs use them).

The child starts by posix_spawn through ``env -C`` into an empty folder, with the
minimal environment of the ``dot`` path; its address-space, file-size, core and CPU
limits are set with prlimit(2) before it is given any input (the hard CPU limit bounds
all its figures; before each figure it moves its own soft limit to what it has used
plus that figure's allowance). Requests are written as they come and replies read by
one thread per worker, which also kills the child when the figure it works on passes
its timeout; every figure it was given is then answered (that one failed, the others
to be sent again to a fresh worker).
"""

from __future__ import annotations

import fcntl
import math
import os
import resource
import select
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Sequence

from . import graphviz as GV

CHILD = Path(__file__).with_name("gvchild.py")
START_CPU = 30  # CPU seconds a worker may spend besides its figures' allowances
START_SECONDS = 0.05  # about what a worker takes to start and load Graphviz
IDLE_TICK = 0.25  # seconds: how late a figure's deadline may be noticed at worst
PIPE_BYTES = 1 << 20  # Linux's default ceiling for an unprivileged pipe


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

    __slots__ = ("request", "formats", "timeout", "done", "result", "error", "started",
                 "themed")

    def __init__(self, request: bytes, formats: Sequence[str], timeout: float) -> None:
        self.request, self.formats, self.timeout = request, list(formats), timeout
        self.done = threading.Event()
        self.result: dict[str, bytes] | tuple[int, bytes] | None = None
        self.error: Exception | None = None
        self.started: float | None = None
        self.themed = False

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
        self.ready = self.dead = self.closed = False
        self.used, self.checked = 0.0, -2.0  # CPU seconds, as of time.monotonic()
        self.input, self.output = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        os.set_blocking(self.input, False)
        os.set_blocking(self.output, False)
        for fd in (self.input, self.output):  # room for many figures each way (Linux)
            try:
                fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
            except (AttributeError, OSError):
                pass
        self.wake_read, self.wake_write = os.pipe()
        os.set_blocking(self.wake_read, False)
        os.set_blocking(self.wake_write, False)
        self.lock = threading.Lock()
        self.queued: list[_Ticket] = []  # not yet written
        self.backlog = False  # this thread still has bytes to write
        self.sent: list[_Ticket] = []  # written (or being written), oldest first
        self.thread = threading.Thread(target=self._serve, name="mechgraph-gv", daemon=True)
        self.thread.start()

    def load(self) -> int:
        """Figures this worker has been given and not yet answered."""
        return len(self.queued) + len(self.sent)

    def slow(self) -> bool:
        """Whether another worker would help: figures wait behind one that has taken
        longer than a worker takes to start (small SVGs never do; big PNGs do)."""
        with self.lock:
            head = self.sent[0] if self.sent else None
            waiting = len(self.sent) + len(self.queued)
        return (waiting >= 2 and head is not None and head.started is not None
                and time.monotonic() - head.started > START_SECONDS)

    def running(self) -> bool:
        return not self.dead and self.proc.poll() is None

    def alive_enough(self, cpu: int) -> bool:
        """Running, and able to spend ``cpu`` more seconds under its hard CPU limit."""
        if not self.running():
            return False
        now = time.monotonic()
        if now < self.checked + 1:  # it cannot have used more than a second since
            return self.used + (now - self.checked) + cpu + 1 <= self.hard_cpu
        try:
            self.used, self.checked = _cpu_seconds(self.proc.pid), now
        except OSError:
            return False
        return math.ceil(self.used) + cpu + 1 <= self.hard_cpu

    def submit(self, dot: bytes, formats: Sequence[str], timeout: float,
               finish: tuple[str, str | None, str] | None = None) -> _Ticket:
        """Send one figure; its ticket is answered by this worker's thread.

        Written here when nothing is waiting to be written (the pipe holds about a
        megabyte), so that the worker's thread need not wake; else left to it.
        ``finish`` (title, caption, id prefix) asks the worker to normalise and theme
        the SVG too (see :mod:`.svgtext`); the ticket's ``themed`` says if it did.
        """
        names = " ".join(formats).encode()
        cpu = self.cpu_allowance or int(timeout) + 1
        post = b""
        if finish is not None and formats and formats[0] == "svg":
            fields = [f.encode("utf-8") for f in (finish[0], finish[1] or "", finish[2])]
            post = struct.pack("<III", *map(len, fields)) + b"".join(fields)
        ticket = _Ticket(struct.pack("<IIII", len(names), len(dot), cpu, len(post)) + names
                         + dot + post, formats, timeout)
        with self.lock:
            if self.dead:
                ticket.finish(error=_Again())
                return ticket
            if not self.queued and not self.backlog:
                idle = not self.sent
                try:
                    written = os.write(self.input, ticket.request)
                except BlockingIOError:
                    written = 0
                except OSError:  # gone: its thread finds out why
                    written = len(ticket.request)
                self.sent.append(ticket)
                if idle:
                    ticket.started = time.monotonic()
                if written == len(ticket.request):
                    return ticket
                self.sent.pop()
                ticket.request = ticket.request[written:]
            self.queued.append(ticket)
            self._wake()
        return ticket

    def _wake(self) -> None:  # with self.lock held: close() cannot have closed the pipe
        try:
            os.write(self.wake_write, b"x")
        except BlockingIOError:  # full of wake-ups already
            pass

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
        """End the worker: its input closes, so it exits; killed if it lingers. Figures
        still given to it are answered: to be sent to another worker."""
        with self.lock:
            if self.closed:
                return
            self.dead = self.closed = True
            self._wake()
        self.thread.join(timeout=5)
        with self.lock:
            tickets, self.queued, self.sent = self.sent + self.queued, [], []
            for fd in (self.wake_read, self.wake_write):
                os.close(fd)
        for ticket in tickets:
            if not ticket.done.is_set():
                ticket.finish(error=_Again())
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
                if self.queued:  # all at once: the worker never waits for this thread
                    out = memoryview(bytes(out) + b"".join(t.request for t in self.queued))
                    self.sent += self.queued
                    self.queued = []
                self.backlog = bool(out)
                head = self.sent[0] if self.sent else None
            if out and not writing:
                poller.register(self.input, select.POLLOUT)
                writing = True
            if head is not None and head.started is None:
                head.started = time.monotonic()
            wait = IDLE_TICK  # a figure written by submit() to an idle worker is seen by then
            if head is not None:
                wait = max(0.0, head.started + head.timeout - time.monotonic())
                if wait == 0.0:
                    return self._end(TimeoutError())
            for fd, _ in poller.poll(math.ceil(wait * 1000)):
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
                        with self.lock:
                            self.backlog = bool(self.queued)
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
        now = time.monotonic()
        with self.lock:
            ticket = self.sent.pop(0)
            if self.sent:
                self.sent[0].started = now
        if ticket.started is not None and now > ticket.started + ticket.timeout:
            ticket.finish(error=_Died(TimeoutError(), b""))  # in time or not at all
            return False
        if kind == b"E":
            ticket.finish(result=(struct.unpack_from("<i", body, 1)[0], body[5:]))
            return False
        ticket.themed = kind == b"T"
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
