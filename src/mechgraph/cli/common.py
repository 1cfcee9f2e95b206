"""What every command shares: where pathways come from, and how errors end."""

from __future__ import annotations

import functools
import gc
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import click

if TYPE_CHECKING:
    from ..model import Project

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_PATH = "pathways"


def path_option(f: F) -> F:
    """``--path/-p``: files or folders of pathways (repeatable; default ./pathways)."""
    return click.option(
        "--path", "-p", "paths", multiple=True, type=click.Path(path_type=Path),
        help="Pathway file or folder (repeatable). Default: ./pathways.",
    )(f)


#: files --path reads through an importer instead of as pathway YAML
FOREIGN_SUFFIXES = (".sif", ".tsv", ".csv", ".gpml", ".sbgn", ".bel", ".cx2")


def load(paths: tuple[Path, ...] | list[Path]) -> "Project":
    """Load a project and print its warnings to stderr. A SIF, table, GPML, SBGN-ML, BEL or
    CX2 file among the paths is imported in memory and joins the rest as one pathway."""
    foreign = [p for p in paths if p.suffix.lower() in FOREIGN_SUFFIXES and p.is_file()]
    native = [p for p in paths if p not in foreign]
    if foreign:
        from ..formats.registry import import_file
        from ..language.load import load_project
        from ..model import Project

        project = load_project(*native) if native else Project({}, {})
        for path in foreign:
            project = import_file(path).project(project)
    else:
        project = load_native(tuple(paths or [Path(DEFAULT_PATH)]))
    for warning in project.warnings:
        click.echo(str(warning), err=True)
    settle()
    return project


def load_native(paths: tuple[Path, ...], strict: bool = False) -> "Project":
    """``load_project(*paths, strict=strict)``; in the program, a project loaded before
    without error from the same bytes is read back instead (:mod:`.projectcache`)."""

    def loader() -> "Project":
        from ..language.load import load_project

        return load_project(*paths, strict=strict)

    if not REMEMBER:
        return loader()
    from . import projectcache

    return projectcache.load(paths, strict, loader)


#: set by the command's entry point (``mechgraph`` run as a program), never by a library
#: call or a test runner: objects loaded once live until the process ends
SETTLE = False
#: set there too: projects loaded without error are kept and read back (.projectcache)
REMEMBER = False


def settle() -> None:
    """In a command run as a program: move what is alive now (the loaded project, a
    built graph) out of the cyclic collector's reach (``gc.freeze``), so the collections
    the rest of the command triggers do not walk it again and again. It all lives until
    the process exits anyway."""
    if SETTLE:
        gc.freeze()


def handle_errors(f: F) -> F:
    """Turn a MechgraphError into its diagnostics on stderr and exit 1, never a traceback."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..errors import MechgraphError

        try:
            return f(*args, **kwargs)
        except MechgraphError as e:
            for d in e.diagnostics:
                click.echo(str(d), err=True)
            sys.exit(1)
        except BrokenPipeError:  # `mechgraph list | head`
            sys.exit(0)

    return wrapper  # type: ignore[return-value]


class FiniteFloat(click.FloatRange):
    """A float range that also refuses nan, inf and values like 1e999 that overflow to inf
    (every comparison with nan is false, so a plain range lets it through)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = click.FLOAT.convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return super().convert(number, param, ctx)
