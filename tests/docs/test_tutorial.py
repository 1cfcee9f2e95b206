"""The tutorial's commands give the output it shows, on the pathway it includes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mechgraph.cli import main

from ..conftest import REPO

TUTORIAL = REPO / "docs" / "tutorial.md"
# a command in a sh block, then the text block right after it
SHOWN = re.compile(r"```sh\n\.venv/bin/mechgraph (effect [^\n]*)\n```\n\n```text\n(.*?)```", re.S)


def test_the_tutorial_shows_what_its_queries_print(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shown = SHOWN.findall(TUTORIAL.read_text(encoding="utf-8"))
    assert [c for c, _ in shown] == ["effect caffeine -p mypathways"]
    (tmp_path / "mypathways").mkdir()
    shutil.copy(REPO / "docs" / "tutorial" / "caffeine-alertness.yaml", tmp_path / "mypathways")
    monkeypatch.chdir(tmp_path)
    for command, text in shown:
        result = CliRunner().invoke(main, command.split())
        assert result.exit_code == 0, result.output
        assert result.stdout == text, command
