"""Fast paths equal the general code they stand for: label and caption wrapping
(textwrap), links from CURIEs (the resolver with urllib's quoting)."""

from __future__ import annotations

import random
import textwrap

import pytest

from mechgraph.drawing.dot import CAPTION_WRAP
from mechgraph.drawing.quoting import curie_url, fill_paragraphs, wrap
from mechgraph.language.curie import PREFIXES, check_curie
from mechgraph.language.curie import curie_url as resolver

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
        assert fill_paragraphs(caption, CAPTION_WRAP) == expected, caption


def test_wrap_fills_greedily_and_keeps_long_words_whole() -> None:
    assert wrap("one two three four", 9) == "one two\nthree\nfour"
    assert wrap("a verylongwordindeed b", 5) == "a\nverylongwordindeed\nb"
    assert wrap("exactly nine", 7) == "exactly\nnine"


def test_curie_links_are_the_resolvers() -> None:
    rng = random.Random(4)
    chars = list("abcXYZ019_.-~/()%:#?&+=[];<>'\"") + ["é", "\u2009", " "]
    valid = quoted = 0
    for _ in range(40000):  # each prefix's example with a few characters put in
        example = rng.choice(list(PREFIXES.values())).example
        at = rng.randint(example.index(":") + 1, len(example))
        curie = example[:at] + "".join(rng.choice(chars) for _ in range(rng.randint(0, 3))) \
            + example[at:]
        curie = curie.upper() if rng.random() < 0.2 else curie
        checked, _ = check_curie(curie)
        expected = resolver(checked) if checked else None
        assert curie_url(curie) == expected, curie
        valid += expected is not None
        quoted += expected is not None and "%" in expected
    assert valid > 5000 and quoted > 100  # both paths were taken


@pytest.mark.parametrize("context", ["label", "html", "tooltip"])
def test_escape_skips_only_what_changes_nothing(context: str) -> None:
    """Text printable but for its line breaks skips the clean-up steps: the same result as
    running them (PIECES hold \\r, \\r\\n, tabs, dropped and other non-printable text)."""
    from mechgraph.drawing import quoting as Q

    def general(text: str) -> str:  # the clean-up always run, then the same passes
        text = Q._DROP.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
        for char, entity in Q._PASSES[context]:
            text = text.replace(char, entity)
        return text

    rng = random.Random(13)
    skipped = 0
    for _ in range(20000):
        text = _text(rng, 12) + rng.choice(["", "\n", "\r\n", "\n\u2028", "a\nb<\\"])
        skipped += not text.isprintable() and text.replace("\n", "").isprintable()
        assert Q.escape(text, context) == general(text), text
    assert skipped > 500
