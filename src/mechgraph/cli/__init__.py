"""The ``mechgraph`` command: a thin skin over the library.

Only click is imported here; a command's module is imported when that command runs (or
when ``--help`` lists every command), and each command imports the library parts it needs
when it runs, so a command pays only for its own imports.
"""

from __future__ import annotations

import atexit
import importlib
import os
import sys
from typing import Any

import click

from . import common

#: command name -> the module of this package that defines it (in its ``COMMANDS``)
COMMAND_MODULES = {
    "check": "core", "list": "core", "show": "core",
    "new": "new",
    "render": "render",
    "shared": "query", "compare": "query", "effect": "query", "paths": "query",
    "upstream": "query", "downstream": "query", "knockout": "query", "experiments": "query",
    "import": "interop", "export": "interop", "crosscheck": "interop",
}


class _Program(click.Group):
    """The command group, run as a program: once the command has finished and its
    output is flushed, the process ends without tearing the interpreter down (freeing
    every object of a large project one by one takes longer than the command's own
    work). Exit handlers still run. Only this entry point does so; ``main.main(...)``
    (what click's test runner calls) and the library never exit this way. Only here, too,
    is a project loaded without error kept and read back while its files are unchanged
    (:mod:`.projectcache`)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        common.SETTLE = common.REMEMBER = True
        try:
            self.main(*args, **kwargs)
            code: Any = 0
        except SystemExit as e:
            code = e.code
        if code is None:
            code = 0
        elif not isinstance(code, int):  # sys.exit("message"): printed, status 1
            print(code, file=sys.stderr)
            code = 1
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (BrokenPipeError, OSError, ValueError):
                pass  # a reader that went away (`mechgraph list | head`)
        atexit._run_exitfuncs()
        os._exit(code)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMAND_MODULES))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMAND_MODULES:
            module = importlib.import_module(f"{__name__}.{COMMAND_MODULES[name]}")
            for command in module.COMMANDS:
                self.add_command(command)
        return self.commands.get(name)


@click.group(cls=_Program, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="mechgraph")
def main() -> None:
    """Mechanism pathway graphs: signed, cited YAML edge lists -> networkx -> Graphviz.

    Pathways are read from ./pathways unless --path says otherwise.
    """
