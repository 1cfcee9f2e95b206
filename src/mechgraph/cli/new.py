"""``mechgraph new``: start a pathway from a commented, valid file."""

from __future__ import annotations

from pathlib import Path

import click

from .common import DEFAULT_PATH, handle_errors


def _pathway_id(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from ..language.fields import ID_PATTERN

    if not ID_PATTERN.fullmatch(value) or len(value) > 64:
        raise click.BadParameter(
            f"{value!r} is not a valid id: use ASCII letters, digits, '-', '_' and '.', "
            "starting with a letter or digit (at most 64); it becomes the file name")
    return value


@click.command()
@click.argument("pathway", callback=_pathway_id)
@click.option("--path", "-p", "folder", type=click.Path(path_type=Path, file_okay=False),
              default=Path(DEFAULT_PATH), show_default=True,
              help="Folder to write into (created if missing).")
@handle_errors
def new(pathway: str, folder: Path) -> None:
    """Write PATHWAY.yaml, a commented pathway that passes `check`, and a catalog stub
    (entities.yaml) when the folder has no catalog yet. Never overwrites a file."""
    from ..errors import shown_path
    from ..language.scaffold import new_pathway

    for written in new_pathway(folder, pathway):
        click.echo(f"wrote {shown_path(str(written))}")


COMMANDS: list[click.Command] = [new]
