"""Label and caption wrapping equal textwrap's, whichever path fills the lines."""

from __future__ import annotations

import random
import textwrap

import pytest

from mechgraph.drawing.dot import CAPTION_WRAP, _caption_text
from mechgraph.drawing.quoting import wrap

# fragments that reach every branch: single and double spaces, white space textwrap
# splits on and white space it does not, hyphens, long words, non-printable characters
PIECES = ["a", "bb", "xyz", "-", "--", " ", " ", " ", "  ", "\t", "\n", "\n\n", "\r", "\x0b",
          "\u00a0", "\u2009", "\u200e", "\x00", "é", "₂", "α", "5-HT", ".", "long" * 6, ""]


def _text(rng: random.Random, most: int) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, most)))


@pytest.mark.parametrize("seed", range(2))
def test_wrap_is_textwraps(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(20000):
        text, width = _text(rng, 30), rng.randint(1, 30)
        expected = "\n".join("\n".join(textwrap.wrap(part, width, break_long_words=False,
                                                     break_on_hyphens=False) or [""])
                             for part in text.split("\n"))
        assert wrap(text, width) == expected, (text, width)


@pytest.mark.parametrize("seed", range(2))
def test_caption_lines_are_textwraps(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(10000):
        caption = _text(rng, 120)
        expected = "\n".join(textwrap.fill(p, CAPTION_WRAP, break_long_words=False)
                             for p in (" ".join(q.split()) for q in caption.split("\n\n")) if p)
        assert _caption_text(caption) == expected, caption


def test_wrap_fills_greedily_and_keeps_long_words_whole() -> None:
    assert wrap("one two three four", 9) == "one two\nthree\nfour"
    assert wrap("a verylongwordindeed b", 5) == "a\nverylongwordindeed\nb"
    assert wrap("exactly nine", 7) == "exactly\nnine"
