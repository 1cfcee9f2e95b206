"""Where the JSON Schema for pathway files lives, and the editor line that points at it.

yaml-language-server (VS Code's YAML extension, and editors built on it) reads a first
line ``# yaml-language-server: $schema=PATH`` and checks the file against that schema
as the user types. ``PATH`` is relative to the file, so the line depends on where the
file is written; every file mechgraph writes (``mechgraph new``, imports) starts with it.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

SCHEMA_FILE = "pathway.schema.json"
MODELINE_PREFIX = "# yaml-language-server: $schema="


def schema_path() -> Path:
    """The shipped schema as a file on disk."""
    return Path(str(resources.files("mechgraph.language").joinpath(SCHEMA_FILE)))


def modeline(target: str | os.PathLike[str]) -> str:
    """The first line for a pathway or catalog file written at ``target`` (no newline).

    The schema is named relative to the file's folder, with forward slashes, so the
    line stays right when the checkout moves; across drives it falls back to the
    absolute path.
    """
    schema = schema_path().resolve()
    folder = Path(target).resolve().parent
    try:
        where = Path(os.path.relpath(schema, folder)).as_posix()
    except ValueError:  # pragma: no cover - another drive on Windows
        where = schema.as_posix()
    return MODELINE_PREFIX + where
