"""The README's commands, run as written from the checkout (paths under /tmp moved into
a temporary folder): every one works, prints what the README shows where it shows
output, and none writes into the repository."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from mechgraph.cli import main

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```(sh|console)\n(.*?)^```", re.S | re.M)
SYNOPSIS = re.compile(r"\[|\||\b[A-Z]{3,}\b")  # `check [--strict] [PATH ...]`, `show PATHWAY|ENTITY`


def commands() -> list[str]:
    out = []
    for kind, body in BLOCK.findall(README):
        for line in body.splitlines():
            line = line.removeprefix("$ ") if kind == "console" else line
            line = line.split("  #")[0].strip()
            if line.startswith("mechgraph ") and not SYNOPSIS.search(line):
                out.append(line)
    return out


COMMANDS = commands()
FAILS_ON_PURPOSE = {"mechgraph effect ketamine glutamat": 1}


def tree() -> dict[str, int]:
    skip = {".git", ".venv", ".venv-latest", ".pytest_cache", ".hypothesis", "__pycache__"}
    return {str(p): p.stat().st_mtime_ns for p in REPO.rglob("*")
            if not skip & set(p.relative_to(REPO).parts) and ".egg-info" not in str(p)}


def test_the_readme_shows_the_commands_we_run() -> None:
    assert len(COMMANDS) >= 7
    assert {c.split()[1] for c in COMMANDS} >= {"check", "new", "render", "shared", "effect"}


def test_every_readme_command_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    before = tree()
    for command in COMMANDS:
        args = [a.replace("/tmp/", f"{tmp_path}/") for a in shlex.split(command)[1:]]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == FAILS_ON_PURPOSE.get(command, 0), (command, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), command
    assert tree() == before, "a README command wrote into the repository"


def test_the_documented_outputs_match() -> None:
    result = CliRunner().invoke(main, ["effect", "ketamine", "glutamat", "-p", str(REPO / "pathways")])
    shown = re.search(r"\$ mechgraph effect ketamine glutamat\n(.*?)\n", README).group(1)
    assert result.stderr.strip() == shown
