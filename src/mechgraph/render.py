"""DOT -> files. The only module that runs Graphviz.

``dot`` runs as a subprocess with a timeout and resource limits, in an empty
temporary folder, reading the DOT we wrote from stdin. SVG output is normalised
(no version comment, no synthetic ids in ``<title>``) and checked (no scripts,
event attributes, foreign objects, or links other than https resolvers) before it
is written. Every file is written atomically; a figure whose DOT is unchanged since
its last render (its ``.dot`` stamp beside the outputs) is not laid out again.
"""

from __future__ import annotations

import difflib
import html
import os
import re
import resource
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from . import dot as D
from .errors import MechgraphError
from .model import Figure, Location, Project

FORMATS = ("svg", "png", "pdf", "dot")
DEFAULT_FORMATS = ("svg", "png")
DEFAULT_OUT = Path("renders")
TIMEOUT = 60.0  # seconds of wall time per Graphviz run
PNG_DPI = 192  # twice the screen default: sharp on high-density displays and in slides
MEMORY_LIMIT = 2 << 30  # address space of one dot process
FILE_LIMIT = 256 << 20  # largest file one dot process may write
INSTALL_HINT = ("install it with `sudo apt-get install graphviz fonts-dejavu-core` (Debian, "
                "Ubuntu) or `brew install graphviz` (macOS), then run `make` again")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


@dataclass(frozen=True)
class Rendered:
    """What one figure's render produced: its files, and whether it was laid out anew."""

    name: str
    paths: tuple[Path, ...]
    fresh: bool


def verify_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """The requested formats, deduplicated in FORMATS order; unknown ones are an error."""
    asked = [f.lower() for f in formats]
    for f in asked:
        if f not in FORMATS:
            raise MechgraphError(f"unknown format {f!r} (expected one of: {', '.join(FORMATS)})")
    return tuple(f for f in FORMATS if f in asked) or DEFAULT_FORMATS


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


def select_figures(project: Project, names: Sequence[str] | None = None) -> list[Figure]:
    """Figures by id, or pathways drawn alone; no names means every figure of the project."""
    if not names:
        return [project.figures[f] for f in sorted(project.figures)]
    out = []
    for name in dict.fromkeys(names):
        if name in project.figures:
            out.append(project.figures[name])
        elif name in project.pathways:
            out.append(D.pathway_figure(project, name))
        else:
            known = sorted(set(project.figures) | set(project.pathways))
            close = difflib.get_close_matches(name, known, n=3)
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise MechgraphError(f"no figure or pathway named {name!r}{hint}")
    return out


def output_path(out_dir: Path, name: str, fmt: str) -> Path:
    """``out_dir/name.fmt``, refusing any name that could leave ``out_dir``."""
    if not _NAME.fullmatch(name):
        raise MechgraphError(f"figure id {name!r} cannot be used as a file name "
                             "(letters, digits, '.', '_' and '-' only)")
    path = out_dir / f"{name}.{fmt}"
    if path.resolve().parent != out_dir.resolve():
        raise MechgraphError(f"figure id {name!r} would be written outside {out_dir}")
    return path


# ---------------------------------------------------------------------------- Graphviz

def _limits(cpu_seconds: int) -> None:  # runs in the child between fork and exec
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _environment() -> dict[str, str]:
    """What dot may see: enough to find fonts, nothing that changes how it reads files."""
    keep = ("PATH", "HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_DIRS",
            "FONTCONFIG_FILE", "FONTCONFIG_PATH")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", SOURCE_DATE_EPOCH="0")
    return env


def run_dot(dot_text: str, formats: Sequence[str], *, name: str, timeout: float = TIMEOUT,
            where: Location | None = None) -> dict[str, bytes]:
    """Lay out ``dot_text`` once per resolution and return each format's bytes.

    Vector formats share one run; PNG gets its own at PNG_DPI (the dpi attribute would
    also scale the SVG). Errors name the figure and, when known, where it is declared.
    """
    def fail(message: str) -> MechgraphError:
        return MechgraphError(f"figure {name!r}: {message}", path=where.path if where else None,
                              line=where.line if where else None)

    exe = find_dot()
    runs = [[f for f in formats if f in ("svg", "pdf")], [f for f in formats if f == "png"]]
    out: dict[str, bytes] = {}
    cpu = int(timeout) + 1
    with tempfile.TemporaryDirectory(prefix="mechgraph-dot-") as work:
        for run in filter(None, runs):
            args = [exe] + (["-Gdpi=%d" % PNG_DPI] if run == ["png"] else [])
            for fmt in run:
                args += [f"-T{fmt}", f"-o{fmt}.out"]
            try:
                done = subprocess.run(
                    args, input=dot_text.encode("utf-8"), cwd=work, env=_environment(),
                    capture_output=True, timeout=timeout, preexec_fn=lambda: _limits(cpu),
                    close_fds=True)
            except subprocess.TimeoutExpired:
                raise fail(f"Graphviz took longer than {timeout:g} s and was stopped "
                           "(draw fewer pathways in one figure, or split it)") from None
            except OSError as e:
                raise fail(f"could not run Graphviz ({e}); {INSTALL_HINT}") from e
            if done.returncode != 0:
                raise fail(f"Graphviz failed ({_exit_reason(done.returncode)}): "
                           f"{_tail(done.stderr)}")
            for fmt in run:
                out[fmt] = Path(work, f"{fmt}.out").read_bytes()
    return out


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


# ---------------------------------------------------------------------------- SVG

_SVG_NS = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_SVG_TAGS = frozenset({"svg", "g", "title", "desc", "a", "path", "polygon", "polyline",
                       "ellipse", "circle", "rect", "line", "text", "defs", "linearGradient",
                       "radialGradient", "stop"})
_ALLOWED_LINK = re.compile(r"https://(%s)/[A-Za-z0-9._~:/()%%-]*"
                           % "|".join(re.escape(h) for h in D.ALLOWED_HOSTS))
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _xml_text(text: str) -> str:
    return html.escape(_XML_BAD.sub("", text), quote=True)


def normalise_svg(svg: bytes, *, title: str, desc: str | None) -> bytes:
    """Graphviz's SVG made stable and embeddable.

    Drops the version and title comments, the DOCTYPE, and the ``<title>`` elements
    that only repeat synthetic ids; gives the root a ``<title>``/``<desc>`` and an
    accessible role.
    """
    text = svg.decode("utf-8")
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)
    text = re.sub(r"<!--.*?-->\s*", "", text, flags=re.S)
    text = re.sub(r"<title>[^<]*</title>\s*", "", text)
    head = (f'<title id="mg-title">{_xml_text(title)}</title>\n'
            + (f'<desc id="mg-desc">{_xml_text(desc)}</desc>\n' if desc else ""))
    labelled = "mg-title mg-desc" if desc else "mg-title"
    text, n = re.subn(r"<svg\b([^>]*)>\s*",
                      lambda m: f'<svg{m.group(1)} role="img" aria-labelledby="{labelled}">\n'
                      + head, text, count=1)
    if n != 1:
        raise MechgraphError(f"figure {title!r}: Graphviz wrote no <svg> element")
    return text.encode("utf-8")


def check_svg(svg: bytes, *, name: str) -> None:
    """Refuse SVG that could run code or send a reader anywhere but a citation resolver."""
    text = svg.decode("utf-8")
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.I):
        raise MechgraphError(f"figure {name!r}: SVG declares a DOCTYPE or entity")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise MechgraphError(f"figure {name!r}: Graphviz wrote malformed SVG ({e})") from e
    for el in root.iter():
        tag = el.tag.removeprefix(_SVG_NS)
        if tag not in _SVG_TAGS:
            raise MechgraphError(f"figure {name!r}: SVG holds a <{tag}> element")
        for attr, value in el.attrib.items():
            local = attr.rpartition("}")[2].lower()
            if local.startswith("on"):
                raise MechgraphError(f"figure {name!r}: SVG holds an event attribute {local!r}")
            if local == "href" and not _ALLOWED_LINK.fullmatch(value):
                raise MechgraphError(f"figure {name!r}: SVG links to {value!r}; only https "
                                     f"links to {', '.join(D.ALLOWED_HOSTS)} are allowed")
            if local == "style" or "javascript:" in value.lower():
                raise MechgraphError(f"figure {name!r}: SVG holds a {local!r} attribute")


def _fix_pdf(pdf: bytes) -> bytes:
    """cairo stamps the creation time; a fixed one of the same length keeps offsets valid."""
    return re.sub(rb"/CreationDate \(D:\d{14}[^)]*\)",
                  lambda m: b"/CreationDate (D:19700101000000Z" + b" " * (len(m.group(0)) - 33)
                  + b")", pdf)


def to_files(figure: Figure, dot_text: str, formats: Sequence[str], *,
             timeout: float = TIMEOUT) -> dict[str, bytes]:
    """Every requested format's final bytes (checked and normalised), nothing written."""
    drawn = [f for f in formats if f != "dot"]
    raw = (run_dot(dot_text, drawn, name=figure.id, timeout=timeout, where=figure.location)
           if drawn else {})
    return _finalise(figure, dot_text, raw, formats)


def _finalise(figure: Figure, dot_text: str, raw: dict[str, bytes],
              formats: Sequence[str]) -> dict[str, bytes]:
    out = {}
    for fmt in formats:
        if fmt == "dot":
            out[fmt] = dot_text.encode("utf-8")
        elif fmt == "svg":
            svg = normalise_svg(raw["svg"], title=figure.title, desc=figure.caption)
            check_svg(svg, name=figure.id)
            out[fmt] = svg
        elif fmt == "pdf":
            out[fmt] = _fix_pdf(raw["pdf"])
        else:
            out[fmt] = raw[fmt]
    return out


# ---------------------------------------------------------------------------- files

def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: all or nothing."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise MechgraphError(f"cannot write {path}: {e.strerror or e}") from e
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise MechgraphError(f"cannot write {path}: {e.strerror or e}") from e


@dataclass
class _Job:
    """One figure to draw: its DOT, the bytes Graphviz made so far, its first error."""

    figure: Figure
    dot_text: str
    raw: dict[str, bytes] = field(default_factory=dict)
    error: MechgraphError | None = None

    def layout(self, formats: Sequence[str], timeout: float) -> None:
        if self.error is None:
            try:
                self.raw.update(run_dot(self.dot_text, formats, name=self.figure.id,
                                        timeout=timeout, where=self.figure.location))
            except MechgraphError as e:
                self.error = e

    def cost(self) -> float:
        """How big the PNG will be: the SVG's area once known, else the DOT's length."""
        m = re.search(rb'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', self.raw.get("svg", b""))
        return float(m.group(1)) * float(m.group(2)) if m else 100.0 * len(self.dot_text)

    def write(self, formats: Sequence[str], out_dir: Path, previous: bool) -> None:
        if self.error is not None:
            return
        fig = self.figure
        stamp = output_path(out_dir, fig.id, "dot")
        try:
            for fmt, content in _finalise(fig, self.dot_text, self.raw, formats).items():
                if fmt != "dot":
                    write_atomic(output_path(out_dir, fig.id, fmt), content)
            write_atomic(stamp, self.dot_text.encode("utf-8"))  # last: vouches for the rest
        except MechgraphError as e:
            self.error = e
            if previous:  # the old stamp no longer describes what is on disk
                try:
                    stamp.unlink(missing_ok=True)
                except OSError:
                    pass


def render_figures(project: Project, names: Sequence[str] | None = None, *,
                   formats: Iterable[str] = DEFAULT_FORMATS, out_dir: Path | str = DEFAULT_OUT,
                   jobs: int | None = None, timeout: float = TIMEOUT,
                   force: bool = False) -> list[Rendered]:
    """Render figures (default: all) into ``out_dir``, in parallel, skipping unchanged ones.

    Beside each figure's outputs goes its ``.dot`` file: the stamp that says which DOT
    the outputs were drawn from; a figure whose stamp equals its DOT, with every output
    present, is not laid out again. Every figure is attempted; failures are reported
    together in one MechgraphError after the others are written.

    Graphviz runs in two waves over ``jobs`` threads (default: one per core): the
    vector formats (quick), then PNGs largest first, so that one big figure does not
    finish alone at the end.
    """
    formats = verify_formats(formats)
    out_dir = Path(out_dir)
    figures = select_figures(project, names)
    for f in figures:  # refuse bad names before any work
        output_path(out_dir, f.id, "dot")
    if not out_dir.is_dir():
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise MechgraphError(f"cannot create output folder {out_dir}: {e.strerror or e}") from e
    results: list[Rendered] = []
    todo: list[tuple[_Job, bool]] = []
    for fig in figures:
        dot_text = D.to_dot(project, fig)
        paths = tuple(dict.fromkeys(output_path(out_dir, fig.id, f) for f in formats + ("dot",)))
        try:
            same = (out_dir / f"{fig.id}.dot").read_bytes() == dot_text.encode("utf-8")
        except OSError:
            same = False
        fresh = force or not same or not all(p.exists() for p in paths)
        results.append(Rendered(fig.id, paths, fresh))
        if fresh:
            todo.append((_Job(fig, dot_text), not same))
    vector = [f for f in formats if f in ("svg", "pdf")]
    if todo and (vector or "png" in formats):
        find_dot()  # one clear error up front rather than one per figure
    work = [job for job, _ in todo]
    previous = {id(job): had for job, had in todo}

    def step(job: _Job, run: list[str], last: bool) -> None:
        if run:
            job.layout(run, timeout)
        if last:  # write as soon as a figure is complete, while others are laid out
            job.write(formats, out_dir, previous[id(job)])

    png = ["png"] if "png" in formats else []
    with ThreadPoolExecutor(max_workers=max(1, min(jobs or os.cpu_count() or 1,
                                                   len(work) or 1))) as pool:
        list(pool.map(lambda j: step(j, vector, not png), work))
        if png:
            list(pool.map(lambda j: step(j, png, True), sorted(work, key=lambda j: -j.cost())))
    problems = [d for job in work if job.error for d in job.error.diagnostics]
    if problems:
        raise MechgraphError(diagnostics=problems)
    return results


# ---------------------------------------------------------------------------- notebooks

@dataclass
class FigureView:
    """A figure for Jupyter: shows itself as SVG; ``.dot`` holds the DOT text."""

    figure: Figure
    dot: str
    timeout: float = TIMEOUT
    _svg: str | None = field(default=None, repr=False)

    def svg(self) -> str:
        if self._svg is None:
            self._svg = to_files(self.figure, self.dot, ["svg"], timeout=self.timeout)["svg"] \
                .decode("utf-8")
        return self._svg

    def _repr_svg_(self) -> str:
        return self.svg()


def view(project: Project, name: str) -> FigureView:
    """A figure or pathway by name, ready to display in a notebook."""
    (figure,) = select_figures(project, [name])
    return FigureView(figure, D.to_dot(project, figure))


# ---------------------------------------------------------------------------- index page

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mechgraph figures</title>
<style>
body {{ font-family: "DejaVu Sans", sans-serif; max-width: 72rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; line-height: 1.45; }}
figure {{ margin: 0 0 3rem; border-top: 1px solid #ddd; padding-top: 1rem; }}
figure img {{ display: block; max-width: 100%; height: auto; margin: 0 auto 0.8rem; }}
figcaption {{ max-width: 50rem; }}
.meta {{ color: #666; font-size: 0.9em; }}
</style>
</head>
<body>
<h1>Figures</h1>
{figures}
</body>
</html>
"""


def index_html(project: Project, out_dir: Path | str = DEFAULT_OUT) -> str:
    """A static page showing every figure rendered in ``out_dir`` with its caption."""
    out_dir = Path(out_dir)
    blocks = []
    for fig in project.figures.values():
        image = next((f"{fig.id}.{ext}" for ext in ("svg", "png")
                      if _NAME.fullmatch(fig.id) and (out_dir / f"{fig.id}.{ext}").exists()), None)
        if image is None:
            continue
        meta = [f"id <code>{_xml_text(fig.id)}</code>"]
        if fig.fills:
            src = project.sources.get(fig.fills.source)
            of = f" ({_xml_text(src.title)})" if src and src.title else ""
            meta.append(f"fills the missing figure at {_xml_text(str(fig.fills))}{of}")
        meta.append("pathways: " + ", ".join(_xml_text(p) for p in fig.pathways))
        blocks.append(
            f'<figure id="{fig.id}">\n<img src="{image}" alt="{_xml_text(fig.title)}">\n'
            f"<figcaption><strong>{_xml_text(fig.title)}.</strong> "
            f"{_xml_text(' '.join((fig.caption or '').split()))}\n"
            f'<div class="meta">{"; ".join(meta)}</div></figcaption>\n</figure>')
    return _PAGE.format(figures="\n".join(blocks))


def write_index(project: Project, out_dir: Path | str = DEFAULT_OUT) -> Path:
    """Write ``out_dir/index.html`` (see :func:`index_html`) and return its path."""
    path = Path(out_dir) / "index.html"
    write_atomic(path, index_html(project, out_dir).encode("utf-8"))
    return path
