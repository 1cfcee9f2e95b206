"""Commands that ask questions of the graph."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
