"""run_dot's exchange with ``dot`` (graphviz._exchange): large inputs written in pieces as
large as the pipe takes, stderr read meanwhile, failures and timeouts as before."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from mechgraph.drawing import graphviz as GV
from mechgraph.errors import MechgraphError


def fresh_dot(text: str, fmt: str = "svg") -> bytes:
    return subprocess.run([shutil.which("dot"), f"-T{fmt}"], input=text.encode(),
                          capture_output=True, check=True).stdout


def filler(size: int) -> str:
    """About ``size`` bytes of DOT comments (dot takes at most 16 KiB in one)."""
    return "\n".join(["// " + "x" * 97] * (size // 100))


def big_dot(nodes: int, padding: int = 0) -> str:
    """A chain of ``nodes`` nodes; ``padding`` bytes of comment make the text larger than
    any pipe without making the layout slower."""
    lines = ["digraph G {"] + [filler(padding)] * bool(padding)
    lines += [f'  n{i} [label="node {i}"];' for i in range(nodes)]
    lines += [f"  n{i} -> n{i + 1};" for i in range(nodes - 1)]
    return "\n".join(lines + ["}"]) + "\n"


@pytest.mark.parametrize("padding", [0, 5 << 20])  # 5 MiB: five pipes' worth and more
def test_large_input_gives_what_a_fresh_dot_gives(padding):
    text = big_dot(30, padding)
    assert GV.run_dot(text, ["svg"], name="big")["svg"] == fresh_dot(text)


def test_a_failure_that_stops_reading_early():
    # dot gives up at the syntax error at the top, long before reading 5 MiB
    bad = "digraph G { n0 -> ; }\n" + filler(5 << 20) + "\n"
    with pytest.raises(MechgraphError) as e:
        GV.run_dot(bad, ["svg"], name="bad")
    message = str(e.value)
    assert message.startswith("error: figure 'bad': Graphviz failed (exit status 1): ")
    assert "syntax error in line 1" in message


def test_much_on_stderr_while_input_is_still_written():
    # a warning per node (an unknown shape), hundreds of kilobytes of them, while the
    # input is larger than the pipe: neither side may wait for the other
    lines = ["digraph G {"] + [f'  n{i} [shape=nosuchshape{i}];' for i in range(6000)]
    text = "\n".join(lines + [filler(2 << 20), "}"]) + "\n"
    assert GV.run_dot(text, ["svg"], name="noisy")["svg"] == fresh_dot(text)


def test_timeout_stops_dot_with_input_still_unwritten():
    with pytest.raises(MechgraphError) as e:
        GV.run_dot(big_dot(2000, 5 << 20), ["svg"], name="slow", timeout=0.05)
    assert "figure 'slow': Graphviz took longer than 0.05 s and was stopped" in str(e.value)


@pytest.mark.parametrize("text", ["", "// a comment and no graph\n"])
def test_a_dot_text_without_a_graph_is_an_error_not_a_missing_file(text):
    # dot reads no graph, writes no output and exits 0
    with pytest.raises(MechgraphError) as e:
        GV.run_dot(text, ["svg", "pdf"], name="empty")
    assert str(e.value) == ("error: figure 'empty': Graphviz drew nothing: "
                            "the DOT text holds no graph")
