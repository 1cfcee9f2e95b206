"""Figures -> files: choose figures, lay them out, check, and write atomically.

A figure whose DOT is unchanged since its last render (its ``.dot`` stamp beside the
outputs) is not laid out again. Graphviz itself runs in :mod:`.graphviz` (one ``dot``
per figure) or :mod:`.gvworker` (layout workers); SVG checks live in :mod:`.svg`.
"""

from __future__ import annotations

import collections
import math
import itertools
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, ClassVar, Iterable, Iterator, Sequence

from ..errors import MechgraphError
from ..gcpause import gc_paused
from ..model import Figure, Project
from . import dot as D
from .graphviz import (  # noqa: F401 (re-exported)
    FILE_LIMIT,
    INSTALL_HINT,
    MEMORY_LIMIT,
    PNG_DPI,
    TIMEOUT,
    LayoutPlan,
    find_dot,
    graphviz_version,
    plan_layout,
    run_dot,
)
from . import graphviz as GV
from .svg import check_svg, fix_pdf, normalise_svg, normalise_text  # noqa: F401 (re-exported)
from .theme import current, svg_prefix, theme_svg, theme_text  # noqa: F401

if TYPE_CHECKING:
    from .gvworker import Pending

FORMATS = ("svg", "png", "pdf", "dot")
DEFAULT_FORMATS = ("svg", "png")
DEFAULT_OUT = Path("renders")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


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
            import difflib

            known = sorted(set(project.figures) | set(project.pathways))
            close = difflib.get_close_matches(name, known, n=3)
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise MechgraphError(f"no figure or pathway named {name!r}{hint}")
    return out


def output_path(out_dir: Path, name: str, fmt: str) -> Path:
    """``out_dir/name.fmt``, refusing any name that could leave ``out_dir``."""
    if not NAME.fullmatch(name):
        raise MechgraphError(f"figure id {name!r} cannot be used as a file name "
                             "(letters, digits, '.', '_' and '-' only)")
    path = out_dir / f"{name}.{fmt}"
    # a NAME has no '/' and is never '.' or '..': only a symbolic link could lead out
    if path.is_symlink() and path.resolve().parent != out_dir.resolve():
        raise MechgraphError(f"figure id {name!r} would be written outside {out_dir}")
    return path



def route() -> str:
    """How the last render run laid its figures out, and why (see :mod:`.gvworker`)."""
    from .gvworker import route as last

    return last()


def _stderr(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr, flush=True)


def to_files(figure: Figure, dot_text: str, formats: Sequence[str], *,
             timeout: float = TIMEOUT, exact: bool = False,
             warn: Callable[[str], None] = _stderr) -> dict[str, bytes]:
    """Every requested format's final bytes (checked and normalised), nothing written.

    A figure too large for an exact layout in reasonable time is laid out with bounded
    effort unless ``exact``; ``warn`` hears about any long wait before it starts.
    """
    drawn = [f for f in formats if f != "dot"]
    plan = plan_layout(dot_text, exact=exact)
    if drawn and (message := plan.warning(figure.id, timeout)):
        warn(message)
    raw = (run_dot(dot_text, drawn, name=figure.id, timeout=timeout, where=figure.location,
                   bounded=plan.bounded) if drawn else {})
    return _finalise(figure, dot_text, raw, formats)


def _finalise(figure: Figure, dot_text: str, raw: dict[str, bytes],
              formats: Sequence[str], *, themed: bool = False) -> dict[str, bytes]:
    """Each format's final bytes; the SVG normalised and themed (unless ``themed``: a
    layout worker did that already) and, in any case, checked here."""
    out = {}
    for fmt in formats:
        if fmt == "dot":
            out[fmt] = dot_text.encode("utf-8")
        elif fmt == "svg":
            svg = raw["svg"]
            if not themed:
                svg = theme_text(normalise_text(svg.decode("utf-8"), title=figure.title,
                                                desc=figure.caption),
                                 prefix=svg_prefix(figure.id)).encode("utf-8")
            check_svg(svg, name=figure.id, where=figure.location)
            out[fmt] = svg
        elif fmt == "pdf":
            out[fmt] = fix_pdf(raw["pdf"])
        else:
            out[fmt] = raw[fmt]
    return out


# ---------------------------------------------------------------------------- files

def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: all or nothing."""
    write_all_atomic([(path, data)])


def write_all_atomic(files: Sequence[tuple[Path, bytes]]) -> None:
    """Stage every file in a temporary file beside it, then rename them in order.

    A failure while staging removes the temporary files and changes nothing. (A rename
    failing half-way would leave newer outputs under an older ``.dot`` stamp, which only
    makes the next render lay the figure out again.)
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            try:
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            except OSError as e:
                raise MechgraphError(f"cannot write {path}: {e.strerror or e}") from e
            staged.append((tmp, path))
            try:
                try:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view):]
                    os.fchmod(fd, 0o644)
                finally:
                    os.close(fd)
            except OSError as e:
                raise MechgraphError(f"cannot write {path}: {e.strerror or e}") from e
        while staged:
            tmp, path = staged[0]
            try:
                os.replace(tmp, path)
            except OSError as e:
                raise MechgraphError(f"cannot write {path}: {e.strerror or e}") from e
            staged.pop(0)
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def _unchanged(out_dir: Path, name: str, encoded: bytes, formats: Sequence[str],
               paths: Sequence[Path]) -> bool:
    """Whether a figure's outputs were drawn from this DOT (its stamp) and all exist."""
    stamp = out_dir / f"{name}.dot"
    try:  # the size first: a stamp that cannot match is never read
        same = stamp.stat().st_size == len(encoded) and stamp.read_bytes() == encoded
    except OSError:
        same = False
    same = same and ("svg" not in formats or current(output_path(out_dir, name, "svg")))
    return same and all(p.exists() for p in paths)


@dataclass
class _Job:
    """One figure to draw: its DOT, the bytes Graphviz made so far, its first error."""

    figure: Figure
    dot_text: str
    plan: LayoutPlan
    raw: dict[str, bytes] = field(default_factory=dict)
    error: MechgraphError | None = None
    pending: Pending | None = None
    started: float = 0.0
    paths: dict[str, Path] = field(default_factory=dict)  # by format, "dot" too (checked)
    themed: bool = False  # its SVG came back normalised and themed by a worker

    def collect(self) -> None:
        """Wait for the layout (if any) and keep its bytes, or its error."""
        if self.pending is not None:
            try:
                self.raw.update(self.pending.result())
                self.themed = self.pending.themed
            except MechgraphError as e:
                self.error = e

    def write(self, formats: Sequence[str], out_dir: Path) -> None:
        """Every output, or none: all are checked and staged beside their targets before
        the first rename, so a refusal (Graphviz, the SVG check, a full disk) leaves every
        previous file, the ``.dot`` stamp included, byte for byte as it was."""
        if self.error is not None:
            return
        fig = self.figure
        try:
            files = [(self.paths[fmt], content) for fmt, content
                     in _finalise(fig, self.dot_text, self.raw, formats,
                                  themed=self.themed).items() if fmt != "dot"]
            # the stamp goes last: it vouches for the rest
            write_all_atomic(files + [(self.paths["dot"], self.dot_text.encode("utf-8"))])
        except MechgraphError as e:
            self.error = e


@gc_paused  # many small objects, no cycles worth collecting
def render_figures(project: Project, names: Sequence[str] | None = None, *,
                   formats: Iterable[str] = DEFAULT_FORMATS, out_dir: Path | str = DEFAULT_OUT,
                   jobs: int | None = None, timeout: float = TIMEOUT,
                   force: bool = False, exact: bool = False,
                   warn: Callable[[str], None] = _stderr,
                   progress: Callable[[str, float, bool], None] | None = None) -> list[Rendered]:
    """Render figures (default: all) into ``out_dir``, in parallel, skipping unchanged ones.

    Beside each figure's outputs goes its ``.dot`` file: the stamp that says which DOT
    the outputs were drawn from; a figure whose stamp equals its DOT, with every output
    present, is not laid out again. Every figure is attempted; failures are reported
    together in one MechgraphError after the others are written.

    Each figure is laid out while the next figures' DOT is made: with three figures or
    more, by layout workers that keep Graphviz loaded (one per resolution, more while
    figures wait, up to ``jobs``; see :mod:`.gvworker`; :func:`route` says which path
    the last run took and why), else by one ``dot`` per figure and resolution, ``jobs``
    at once (default: one per core). Outputs are checked and written in figure order.

    ``progress(name, seconds, ok)`` is called as each laid-out figure is written, with
    the seconds since its layout was asked for.

    A figure too large for an exact layout in reasonable time (see
    :func:`~mechgraph.drawing.graphviz.plan_layout`) is laid out with bounded effort
    unless ``exact``; ``warn`` hears, before such a figure's layout starts, that it will
    take long and about how long.
    """
    formats = verify_formats(formats)
    if not (isinstance(timeout, (int, float)) and math.isfinite(timeout) and 0 < timeout <= 86400):
        raise MechgraphError(f"timeout {timeout!r} must be a number of seconds, more than 0 "
                             "and at most 86400")
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
    drawn = [f for f in formats if f != "dot"]
    work: list[_Job] = []
    waiting: collections.deque[_Job] = collections.deque()

    def finish(job: _Job) -> None:  # in this thread, in figure order
        job.collect()
        job.write(formats, out_dir)
        if progress is not None:
            progress(job.figure.id, time.monotonic() - job.started, job.error is None)

    jobs = max(1, min(jobs or os.cpu_count() or 1, len(figures)))
    # each figure is laid out (by a worker, or a `dot` in a thread) while the next ones'
    # DOT is made here; finished ones are checked and written here, between figures
    expected = len(figures) if drawn else 0
    from .gvworker import Layouts  # here: a single figure's cold start does not need it

    with Layouts({GV.g_args(run, False): expected for run in GV.runs_of(drawn)},
                 jobs, threads=jobs,
                 dot=lambda *a, **k: run_dot(*a, **k)) as layouts:
        for fig in figures:
            dot_text = D.to_dot(project, fig)
            by_format = {f: output_path(out_dir, fig.id, f) for f in formats + ("dot",)}
            paths = tuple(dict.fromkeys(by_format.values()))
            encoded = dot_text.encode("utf-8")
            fresh = force or not _unchanged(out_dir, fig.id, encoded, formats, paths)
            plan = plan_layout(dot_text, exact=exact)
            if exact and plan_layout(dot_text).bounded:
                fresh = True  # its outputs may be a bounded layout's: lay it out exactly now
            results.append(Rendered(fig.id, paths, fresh))
            if not fresh:
                continue
            job = _Job(fig, dot_text, plan, started=time.monotonic(), paths=by_format)
            if drawn:
                if message := plan.warning(fig.id, timeout):
                    warn(message)
                if not work:
                    find_dot()  # one clear error up front rather than one per figure
                job.pending = layouts.submit(dot_text, drawn, name=fig.id, timeout=timeout,
                                             where=fig.location, bounded=plan.bounded,
                                             finish=(fig.title, fig.caption, svg_prefix(fig.id)))
            work.append(job)
            waiting.append(job)
            while waiting and (waiting[0].pending is None or waiting[0].pending.done()):
                finish(waiting.popleft())
        while waiting:
            finish(waiting.popleft())
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

    def _repr_html_(self) -> str:
        """Inline SVG, its ids prefixed afresh on each display: copies never clash."""
        from .theme import embed, svg_prefix

        n = next(FigureView._shown)
        return embed(self.svg(), self.figure.id, prefix=f"{svg_prefix(self.figure.id)}-v{n}")

    _shown: ClassVar[Iterator[int]] = itertools.count(1)


def view(project: Project, name: str) -> FigureView:
    """A figure or pathway by name, ready to display in a notebook."""
    (figure,) = select_figures(project, [name])
    return FigureView(figure, D.to_dot(project, figure))
