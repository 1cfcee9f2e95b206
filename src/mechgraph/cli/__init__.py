"""The ``mechgraph`` command: a thin skin over the library.

Only click is imported here; each command imports the library parts it needs when it
runs, so ``mechgraph --help`` stays fast.
"""

from __future__ import annotations

import click

from . import core, interop, new, query, render


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="mechgraph")
def main() -> None:
    """Mechanism pathway graphs: signed, cited YAML edge lists -> networkx -> Graphviz.

    Pathways are read from ./pathways unless --path says otherwise.
    """


for _module in (core, new, render, query, interop):
    for _command in _module.COMMANDS:
        main.add_command(_command)
