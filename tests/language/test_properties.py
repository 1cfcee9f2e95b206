"""The loader fails only with MechgraphError: on arbitrary text, and on corrupted valid files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mechgraph.errors import MechgraphError
from mechgraph.language.load import load_text
from mechgraph.model import Project

from ..conftest import REPO, VALID

VALID_TEXTS = {p.name: p.read_text(encoding="utf-8") for p in sorted(VALID.glob("*.yaml"))}
# One file holding a whole small project, so corruptions reach every part of the language.
WHOLE = (VALID_TEXTS["ketamine.yaml"].replace("pathway: ketamine", "pathway: whole")
         .replace("compartments:\n", "compartments:\n  postsynaptic: Postsynaptic neuron\n")
         + VALID_TEXTS["catalog.yaml"].split("compartments:")[0]
         + "sources:" + VALID_TEXTS["catalog.yaml"].split("sources:")[1])
YAML_ALPHABET = st.sampled_from(list(":-|>=~@[]{},&*!#'\"\n \t?%`") + ["\\", "->", "-|", "=>",
                                                                           "\u202e", "\x00", "é"])


def load_or_error(text: str) -> None:
    try:
        result = load_text(text, path="whole.yaml")
    except MechgraphError as e:
        assert e.diagnostics and all(d.message for d in e.diagnostics)
        return
    assert isinstance(result, Project)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    load_or_error(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(YAML_ALPHABET, st.text(max_size=4)), max_size=60).map("".join))
def test_yaml_flavoured_text(text: str) -> None:
    load_or_error(text)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_corrupted_valid_file(data: st.DataObject) -> None:
    text = WHOLE
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 12)))
        insert = data.draw(st.one_of(st.just(""), YAML_ALPHABET, st.text(max_size=6)))
        text = text[:i] + insert + text[j:]
    load_or_error(text)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_shuffled_lines_of_valid_file(data: st.DataObject) -> None:
    lines = WHOLE.splitlines()
    load_or_error("\n".join(data.draw(st.permutations(lines))[: data.draw(st.integers(0, len(lines)))]))


def test_whole_is_valid() -> None:
    assert sorted(load_text(WHOLE, path="whole.yaml").pathways) == ["whole"]


def test_deep_brackets_do_not_crash_the_process(tmp_path: Path) -> None:
    # The C composer recurses per level and segfaults on deep nesting; we never use it.
    for opener, closer in (("[", "]"), ("{a: ", "}")):
        bomb = tmp_path / "bomb.yaml"
        bomb.write_text("notes: " + opener * 100_000 + closer * 100_000 + "\n")
        out = subprocess.run([sys.executable, "-m", "mechgraph", "check", str(bomb)],
                             capture_output=True, text=True, timeout=60, cwd=tmp_path,
                             env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
        assert (out.returncode, out.stdout) == (1, "")
        assert out.stderr == "bomb.yaml:1: nesting is deeper than 32 levels\n"


def test_alias_bomb_is_refused_before_expansion() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20))
    try:
        load_text(bomb, path="bomb.yaml")
    except MechgraphError as e:
        assert str(e) == ("bomb.yaml:1: YAML anchor '&a' is not allowed (write the value out instead)")
    else:
        raise AssertionError("an alias bomb loaded")
