"""Commands that read pathways: check, list, show."""

from __future__ import annotations

from pathlib import Path

import click

from .common import handle_errors, load, load_native, path_option


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True,
              help="Also require an evidence grade and a seed place on every signalling edge.")
@path_option
@handle_errors
def check(files: tuple[Path, ...], strict: bool, paths: tuple[Path, ...]) -> None:
    """Validate pathway files and folders (default: ./pathways), given as arguments or
    with --path/-p like every command.

    Prints every problem as FILE:LINE: MESSAGE and exits 1 if there is any.
    """
    project = load_native(tuple(files + paths or (Path("pathways"),)), strict=strict)
    for warning in project.warnings:
        click.echo(str(warning), err=True)
    edges = sum(len(p.edges) for p in project.pathways.values())
    click.echo(f"ok: {len(project.pathways)} pathways, {edges} edges, "
               f"{len(project.entities)} entities, {len(project.figures)} figures, "
               f"{len(project.experiments)} experiments"
               + (f", {len(project.warnings)} warnings" if project.warnings else ""))


@click.command("list")
@click.argument("what", type=click.Choice(["pathways", "entities", "figures", "experiments",
                                           "sources"]), default="pathways")
@path_option
@handle_errors
def list_(what: str, paths: tuple[Path, ...]) -> None:
    """List pathways (default), entities, figures, experiments or sources."""
    project = load(paths)
    rows: list[tuple[str, ...]]
    if what == "pathways":
        rows = [(p.id, p.kind.value, str(len(p.edges)), ", ".join(p.drugs), p.title)
                for p in project.pathways.values()]
        header = ("pathway", "kind", "edges", "drugs", "title")
    elif what == "entities":
        rows = [(e.id, e.kind.value, e.label, " ".join(e.xrefs))
                for e in project.entities.values()]
        header = ("entity", "kind", "label", "xrefs")
    elif what == "figures":
        rows = [(f.id, str(f.fills or ""), ", ".join(f.pathways), f.title)
                for f in project.figures.values()]
        header = ("figure", "fills", "pathways", "title")
    elif what == "experiments":
        rows = [(x.id, x.drug, ", ".join(map(str, x.knockout)), str(x.target), x.expect)
                for x in project.experiments.values()]
        header = ("experiment", "drug", "knockout", "target", "expect")
    else:
        rows = [(s.id, s.file or "", " ".join(s.cite), s.title) for s in project.sources.values()]
        header = ("source", "file", "cite", "title")
    from .columns import table

    click.echo(table(header, rows), nl=False)


@click.command()
@click.argument("name")
@path_option
@handle_errors
def show(name: str, paths: tuple[Path, ...]) -> None:
    """Show a pathway's edges with effects and evidence, or an entity, with its tables."""
    from .show import show_text

    click.echo(show_text(load(paths), name), nl=False)


COMMANDS: list[click.Command] = [check, list_, show]
