"""Commands that draw figures."""

from __future__ import annotations

from pathlib import Path

import click

from .common import handle_errors, load, path_option

FORMAT_CHOICES = ("svg", "png", "pdf", "dot")


@click.command()
@click.argument("names", nargs=-1)
@click.option("--format", "-f", "formats", multiple=True, type=click.Choice(FORMAT_CHOICES),
              help="Output format (repeatable). Default: svg and png.")
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("renders"), show_default=True, help="Output folder.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Figures laid out at once. Default: one per CPU core.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0,
              show_default=True, help="Seconds Graphviz may spend on one figure.")
@click.option("--force", is_flag=True, help="Lay out again even when a figure is unchanged.")
@click.option("--exact-layout", "exact", is_flag=True,
              help="Lay out very large figures exactly, however long it takes (default: "
                   "bounded effort above 5,000 nodes, with a warning).")
@click.option("--index/--no-index", default=None,
              help="Write OUT/index.html showing every figure. Default: when no NAMES are given.")
@path_option
@handle_errors
def render(names: tuple[str, ...], formats: tuple[str, ...], out_dir: Path, jobs: int | None,
           timeout: float, force: bool, exact: bool, index: bool | None,
           paths: tuple[Path, ...]) -> None:
    """Draw figures (default: every figure) as SVG and PNG into OUT.

    A NAME is a figure id from a figures catalog, or a pathway id: a pathway is then
    drawn alone. Beside each figure goes its DOT file; a figure whose DOT has not
    changed since the last render is not laid out again.
    """
    from ..drawing import render as R
    from ..drawing.gallery import write_index

    project = load(paths)
    results = R.render_figures(project, names or None, formats=formats or R.DEFAULT_FORMATS,
                               out_dir=out_dir, jobs=jobs, timeout=timeout, force=force,
                               exact=exact,
                               warn=lambda m: click.echo(f"warning: {m}", err=True))
    for r in results:
        exts = ",".join(p.suffix[1:] for p in r.paths)
        click.echo(f"{'drawn' if r.fresh else 'unchanged':9}  {out_dir / r.name}.{{{exts}}}")
    if index if index is not None else not names:
        click.echo(f"{'index':9}  {write_index(project, out_dir)}")


COMMANDS: list[click.Command] = [render]
