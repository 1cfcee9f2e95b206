"""Commands that draw figures."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import click

from .common import FiniteFloat, handle_errors, load, path_option

FORMAT_CHOICES = ("svg", "png", "pdf", "dot")


@click.command()
@click.argument("names", nargs=-1)
@click.option("--format", "-f", "formats", multiple=True, type=click.Choice(FORMAT_CHOICES),
              help="Output format (repeatable). Default: svg and png.")
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("renders"), show_default=True, help="Output folder.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Figures laid out at once. Default: one per CPU core.")
@click.option("--timeout", type=FiniteFloat(min=0, min_open=True, max=86400), default=60.0,
              show_default=True, help="Seconds Graphviz may spend on one figure.")
@click.option("--force", is_flag=True, help="Lay out again even when a figure is unchanged.")
@click.option("--exact-layout", "exact", is_flag=True,
              help="Lay out very large figures exactly, however long it takes (default: "
                   "bounded effort above 5,000 nodes, with a warning).")
@click.option("--index/--no-index", default=None,
              help="Write OUT/index.html showing every figure. Default: when no NAMES are given.")
@click.option("--check", is_flag=True,
              help="Write nothing; list stale renders (missing, changed, orphaned) and exit 1 "
                   "if there are any.")
@click.option("--prune", is_flag=True,
              help="Remove renders in OUT of figures and pathways that no longer exist.")
@click.option("--verbose", "-v", is_flag=True,
              help="Also say how figures were laid out (layout workers or one `dot` each, "
                   "and why).")
@path_option
@handle_errors
def render(names: tuple[str, ...], formats: tuple[str, ...], out_dir: Path, jobs: int | None,
           timeout: float, force: bool, exact: bool, index: bool | None, check: bool,
           prune: bool, verbose: bool,
           paths: tuple[Path, ...]) -> None:
    """Draw figures (default: every figure) as SVG and PNG into OUT.

    A NAME is a figure id from a figures catalog, or a pathway id: a pathway is then
    drawn alone. Beside each figure goes its DOT file; a figure whose DOT has not
    changed since the last render is not laid out again.
    """
    from ..drawing import render as R
    from ..errors import shown_path
    from ..drawing.gallery import write_index

    project = load(paths)
    if check:
        _check(project, names, formats or R.DEFAULT_FORMATS, out_dir)
        return
    if prune:
        from ..drawing.stale import orphans

        for o in orphans(project, out_dir):
            o.path.unlink(missing_ok=True)
            click.echo(f"{'removed':9}  {o.path}")
    results = R.render_figures(project, names or None, formats=formats or R.DEFAULT_FORMATS,
                               out_dir=out_dir, jobs=jobs, timeout=timeout, force=force,
                               exact=exact, warn=lambda m: click.echo(f"warning: {m}", err=True),
                               progress=_progress() if sys.stderr.isatty() else None)
    if verbose:
        click.echo(f"layout: {R.route()}", err=True)
    for r in results:
        exts = ",".join(p.suffix[1:] for p in r.paths)
        click.echo(f"{'drawn' if r.fresh else 'unchanged':9}  "
                   + shown_path(f"{out_dir / r.name}.{{{exts}}}"))
    if index if index is not None else not names:
        click.echo(f"{'index':9}  {shown_path(str(write_index(project, out_dir)))}")


SLOW = 2.0  # seconds: a figure that took longer says how long


def _progress():
    """Print each figure to stderr as it finishes, with the time of slow ones."""
    lock = threading.Lock()
    done = [0]

    def report(name: str, seconds: float, ok: bool) -> None:
        with lock:
            done[0] += 1
            took = f" ({seconds:.1f} s)" if seconds >= SLOW else ""
            click.echo(f"  [{done[0]}] {name}{took}{'' if ok else ' failed'}", err=True)

    return report


def _check(project, names, formats, out_dir: Path) -> None:
    from ..drawing.stale import stale_renders

    stale = stale_renders(project, names or None, formats=formats, out_dir=out_dir)
    for s in stale:
        click.echo(f"{s.reason:9}  {s.path}")
    if stale:
        click.echo(f"{len(stale)} stale render(s) in {out_dir}: run `mechgraph render"
                   f"{' --prune' if any(s.reason == 'orphaned' for s in stale) else ''}`",
                   err=True)
        raise SystemExit(1)
    click.echo(f"renders in {out_dir} are up to date")


COMMANDS: list[click.Command] = [render]
