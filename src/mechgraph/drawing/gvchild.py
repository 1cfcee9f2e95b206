"""The layout worker's own program: Graphviz's library in a child process.

Run as ``python -I -S gvchild.py FORMAT [-Gname=value ...]`` by :mod:`.gvworker`, never
imported by mechgraph itself (standard library only: it starts without site-packages).
It loads Debian's libgvc/libcgraph through ctypes, lays out one small graph in FORMAT
(plugins and fonts loaded once), says it is ready, then lays out every graph it is
sent, each as a fresh ``dot -GARGS -TFORMAT...`` would:

- ``-G`` attributes are declared, as dot does, on cgraph's prototype graph and marked
  fixed before any graph is read (so the file's own root attributes do not override
  them); a worker serves one set of them for its whole life;
- object ids come from our own discipline instead of cgraph's default one, which uses
  the address of a name's interned string as the id of a named object and keeps
  subgraphs (clusters) in id order: in a process with a history those addresses, and
  so the cluster order and the layout, would depend on what ran before. Named objects
  get increasing ids in order of first use, above every anonymous id (from 3 per graph,
  as in a fresh dot where the prototype graph took 1), so anonymous subgraphs come
  first and named ones in creation order, as in a fresh dot. Only the map (and open,
  close) call back into Python: names are refused there, so that cgraph keeps them in
  its own internal map and finds them without us (agnameof, lookups), and every id is
  odd, so that cgraph's own free and alloc functions serve (see Library).

Messages, framed as a 4-byte little-endian length and a body, over the pipes it was
given (stdin for requests; the stdout it was started with for replies, after which its
fds 1 and 2 both go to the stderr file the parent reads):

- request: ``<IIII`` (length of formats, of DOT, CPU seconds allowed, length of the
  finishing fields), b"svg pdf", DOT bytes, and the finishing fields (``<III`` lengths,
  then the figure's title, caption and id prefix; none: leave the SVG raw). Before
  reading the DOT's graph the worker sets its soft CPU limit to what it has used plus
  that allowance (a process may always move its own soft limit up to the hard one,
  which its parent set);
- replies: b"R" ready, b"F" + reason (could not start: it then exits), b"K" (raw) or
  b"T" (SVG finished: normalised and themed by :mod:`.svgtext`, as mechgraph itself
  would) and for each format ``<I`` length + bytes, or b"E" + ``<i`` exit status (as
  dot's would be) + Graphviz's messages (also in the stderr file meanwhile).
"""

import _locale
import _signal
import ctypes as C
import os
import resource
import struct
import sys

IDT = C.c_uint64
OPEN = C.CFUNCTYPE(C.c_void_p, C.c_void_p, C.c_void_p)
MAP = C.CFUNCTYPE(C.c_long, C.c_void_p, C.c_int, C.c_char_p, C.POINTER(IDT), C.c_int)
ALLOC = C.CFUNCTYPE(C.c_long, C.c_void_p, C.c_int, IDT)
FREE = C.CFUNCTYPE(None, C.c_void_p, C.c_int, IDT)
PRINT = C.CFUNCTYPE(C.c_void_p, C.c_void_p, C.c_int, IDT)
CLOSE = C.CFUNCTYPE(None, C.c_void_p)
REGISTER = C.CFUNCTYPE(None, C.c_void_p, C.c_int, C.c_void_p)
READ = C.CFUNCTYPE(C.c_int, C.c_void_p, C.POINTER(C.c_char), C.c_int)
PUT = C.CFUNCTYPE(C.c_int, C.c_void_p, C.c_char_p)
FLUSH = C.CFUNCTYPE(C.c_int, C.c_void_p)
# Laid out before the first request: loads the layout and text plugins and the fonts,
# HTML-label and cluster code paths our figures use.
WARMUP = ('digraph w { graph [charset="UTF-8" fontname="DejaVu Sans" newrank=true '
          'labelloc=t]; node [fontname="DejaVu Sans" fontsize=12]; '
          'edge [fontname="DejaVu Sans" fontsize=10]; label=<<TABLE BORDER="0"><TR><TD>'
          '<FONT POINT-SIZE="16"><B>Ag 5-HT\u2082A</B></FONT></TD></TR><TR><TD><I>x</I>'
          '<BR/>y</TD></TR></TABLE>>; subgraph cluster_a { label="a"; style="rounded,filled"; '
          'a [shape=box style=filled label="Ca\u00b2\u207a"] } b [shape=hexagon tooltip="t"]; '
          'a -> b [label="+" arrowhead=tee URL="https://doi.org/x"]; }').encode()
SVGTEXT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "svgtext.py")
NAMED = (1 << 48) + 1  # above any anonymous id a graph could use; odd
AGRAPH, AGNODE = 0, 1


class IdDisc(C.Structure):
    _fields_ = [("open", OPEN), ("map", MAP), ("alloc", ALLOC), ("free", FREE),
                ("print", PRINT), ("close", CLOSE), ("idregister", REGISTER)]


class IoDisc(C.Structure):
    _fields_ = [("afread", READ), ("putstr", PUT), ("flush", FLUSH)]


class Disc(C.Structure):
    _fields_ = [("mem", C.c_void_p), ("id", C.POINTER(IdDisc)), ("io", C.POINTER(IoDisc))]


class Sym(C.Structure):  # cgraph's Agsym_t
    _fields_ = [("right", C.c_void_p), ("left", C.c_void_p), ("name", C.c_char_p),
                ("defval", C.c_char_p), ("id", C.c_int), ("kind", C.c_ubyte),
                ("fixed", C.c_ubyte), ("print", C.c_ubyte)]


class Ids:
    """One root graph's ids: names in order of first use, anonymous objects counted."""

    def __init__(self, graph):
        self.graph, self.ids, self.pending = graph, {}, None
        self.known = set()  # (object type, name): in cgraph's own map already
        self.named, self.anonymous = NAMED, 3


class Library:
    def __init__(self, gargs):
        self.cg = cg = C.CDLL("libcgraph.so.6")
        self.gvc_lib = gv = C.CDLL("libgvc.so.6")
        cg.agstrdup.restype = C.c_void_p
        cg.agstrdup.argtypes = [C.c_void_p, C.c_char_p]
        cg.agread.restype = C.c_void_p
        cg.agread.argtypes = [C.c_void_p, C.POINTER(Disc)]
        cg.agclose.argtypes = [C.c_void_p]
        cg.agattr.restype = C.POINTER(Sym)
        cg.agattr.argtypes = [C.c_void_p, C.c_int, C.c_char_p, C.c_char_p]
        cg.agsetfile.argtypes = [C.c_char_p]
        gv.gvContext.restype = C.c_void_p
        gv.gvLayout.argtypes = [C.c_void_p, C.c_void_p, C.c_char_p]
        gv.gvLayoutJobs.argtypes = [C.c_void_p, C.c_void_p]
        gv.gvRenderData.argtypes = [C.c_void_p, C.c_void_p, C.c_char_p,
                                    C.POINTER(C.c_void_p), C.POINTER(C.c_uint)]
        gv.gvFreeLayout.argtypes = [C.c_void_p, C.c_void_p]
        gv.gvFreeRenderData.argtypes = [C.c_void_p]
        self.states, self.data, self.pos = {}, b"", 0
        # cgraph's own alloc (refuses every requested id, as ours did), free (frees the
        # string of an even id: ours are all odd, so nothing) and register (nothing), in
        # C: no call back into Python per object; print none: names are in cgraph's map
        default_id = IdDisc.in_dll(cg, "AgIdDisc")
        self.iddisc = IdDisc(OPEN(self._open), MAP(self._map), default_id.alloc,
                             default_id.free, PRINT(), CLOSE(self._close),
                             default_id.idregister)
        default_io = IoDisc.in_dll(cg, "AgIoDisc")
        self.iodisc = IoDisc(READ(self._read), default_io.putstr, default_io.flush)
        self.disc = Disc(C.addressof(C.c_char.in_dll(cg, "AgMemDisc")), C.pointer(self.iddisc),
                         C.pointer(self.iodisc))
        self.gvc = gv.gvContext()  # declares the node label default, as dot does
        for arg in gargs:  # dot's -G: a prototype default, fixed
            name, _, value = arg[2:].partition("=")
            self.cg.agattr(None, AGRAPH, name.encode(), (value if _ else "true").encode()) \
                .contents.fixed = 1

    # cgraph's id discipline (see the module's docstring)
    def _open(self, graph, disc):
        key = len(self.states) + 1
        while key in self.states:
            key += 1
        self.states[key] = Ids(graph)
        return key

    def _map(self, key, objtype, name, idp, create):
        ids = self.states[key]
        if name is None:
            if ids.pending is not None:  # the id of the name refused just before
                name, ids.pending = ids.pending, None
                found = ids.ids.get(name)
                if found is None:
                    found = ids.ids[name] = ids.named
                    ids.named += 2
                idp[0] = found
                return 1
            idp[0] = ids.anonymous
            ids.anonymous += 2
            return 1
        # A name is refused, so that cgraph looks it up in (or, creating, asks for an
        # anonymous id and then keeps it in) its own internal map: agnameof then finds
        # every name there, without calling back into Python.
        # A name cgraph's map holds already (one met again with create set, e.g. a
        # cluster reopened under another parent) is found there and no anonymous id is
        # asked for: nothing may stay pending for the next anonymous object.
        ids.pending = None
        if create:
            known = (2 if objtype == 3 else objtype, name)  # in-edges share the edges' map
            if known not in ids.known:
                ids.known.add(known)
                ids.pending = name
        return 0

    def _close(self, key):
        self.states.pop(key, None)

    def _read(self, chan, out, size):
        chunk = self.data[self.pos:self.pos + size]
        self.pos += len(chunk)
        C.memmove(out, chunk, len(chunk))
        return len(chunk)

    def draw(self, dot: bytes, formats, engine_chosen=True):
        """[(format, bytes)] or an exit status, as dot's would be, for one graph."""
        cg, gv = self.cg, self.gvc_lib
        self.data, self.pos = dot, 0
        cg.agsetfile(b"<stdin>")
        graph = cg.agread(None, C.byref(self.disc))
        self.data = b""
        if not graph:
            return 1
        laid_out = False
        try:
            if (gv.gvLayoutJobs(self.gvc, graph) if engine_chosen
                    else gv.gvLayout(self.gvc, graph, b"dot")) != 0:
                return 1
            laid_out = True
            out = []
            for fmt in formats:
                data, size = C.c_void_p(), C.c_uint()
                rc = gv.gvRenderData(self.gvc, graph, fmt.encode(), C.byref(data), C.byref(size))
                if data.value:
                    out.append((fmt, C.string_at(data, size.value)))
                    gv.gvFreeRenderData(data)
                if rc != 0:
                    return 1
            return out
        finally:
            if laid_out:
                gv.gvFreeLayout(self.gvc, graph)
            cg.agclose(graph)


def send(fd: int, body: bytes) -> None:
    view = memoryview(struct.pack("<I", len(body)) + body)
    while view:
        view = view[os.write(fd, view):]


def read_exactly(fd: int, size: int) -> bytes:
    parts, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


TEXT = {}  # svgtext.py's functions, loaded at start


def finish(svg: bytes, post: bytes) -> bytes | None:
    """The SVG normalised and themed as mechgraph would (title, desc, prefix in
    ``post``), or None to leave that to mechgraph itself (it checks either way)."""
    sizes = struct.unpack_from("<III", post)
    fields, at = [], 12
    for size in sizes:
        fields.append(post[at:at + size].decode("utf-8"))
        at += size
    title, desc, prefix = fields
    try:
        text = TEXT["normalise_text"](svg.decode("utf-8"), title=title, desc=desc or None)
        return TEXT["theme_text"](text, prefix=prefix).encode("utf-8")
    except (ValueError, KeyError):
        return None


def main(argv) -> int:
    for sig in (_signal.SIGXFSZ, _signal.SIGPIPE, _signal.SIGINT):
        _signal.signal(sig, _signal.SIG_DFL)  # as for dot: stopped by the file-size limit
    _locale.setlocale(_locale.LC_ALL, "C")  # a C program starts in the C locale
    reply = os.dup(1)
    os.dup2(2, 1)  # Graphviz's own writes to stdout join its messages
    warmup_format, gargs = argv[0], argv[1:]
    try:
        if os.path.isfile(SVGTEXT):
            with open(SVGTEXT, encoding="utf-8") as fh:
                exec(compile(fh.read(), SVGTEXT, "exec"), TEXT)
        lib = Library(gargs)
        lib.cg.agreseterrors()
        done = lib.draw(WARMUP, [warmup_format], engine_chosen=False)
        if not isinstance(done, list) or lib.cg.agreseterrors():
            raise OSError("Graphviz could not lay out a one-node graph")
    except (OSError, AttributeError, ValueError) as e:
        send(reply, b"F" + str(e).encode("utf-8", "replace"))
        return 1
    send(reply, b"R")
    while True:
        try:
            head = read_exactly(0, 16)
        except EOFError:
            return 0
        nformats, ndot, cpu, npost = struct.unpack("<IIII", head)
        formats = read_exactly(0, nformats).decode().split()
        dot = read_exactly(0, ndot)
        post = read_exactly(0, npost)
        os.ftruncate(2, 0)
        os.lseek(2, 0, os.SEEK_SET)
        used = os.times()
        hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
        soft = int(used.user + used.system) + 1 + cpu
        resource.setrlimit(resource.RLIMIT_CPU, (soft if hard < 0 else min(soft, hard), hard))
        result = lib.draw(dot, formats)
        errors = lib.cg.agreseterrors()
        if isinstance(result, list) and not errors:
            kind = b"K"
            if post and result[0][0] == "svg":
                finished = finish(result[0][1], post)
                if finished is not None:
                    kind, result[0] = b"T", ("svg", finished)
            send(reply, kind + b"".join(struct.pack("<I", len(d)) + d for _, d in result))
        else:
            said = os.pread(2, 1 << 16, 0)
            send(reply, b"E" + struct.pack("<i", result if isinstance(result, int) else 1) + said)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
