"""User text into DOT: the one escaping function, and the only way links are made.

Graphviz reads a quoted string three times: the DOT lexer (``\\"``), its own escape
sequences (``\\N`` is the node name, ``\\n`` a line break), and, after decoding
entities, once more for backslashes; tooltips go through that last step twice. Every
character that any of these passes would interpret is written as an entity, so what
a curator typed is what a reader sees, in SVG, PNG and PDF alike.
"""

from __future__ import annotations

import re
import textwrap
from typing import Literal

from ..language.curie import PREFIXES, check_curie
from ..language.curie import curie_url as _resolver

Context = Literal["label", "html", "tooltip"]
# Bidirectional overrides and other invisible formatting could make a label read
# differently from what it says; control characters have no place in a figure.
_DROP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_COMMON = {"&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;",
           "{": "&#123;", "|": "&#124;", "}": "&#125;"}  # braces, bar: record-label syntax
_TABLES = {  # Graphviz removes one level of backslashes per pass: labels one, tooltips two
    "label": str.maketrans({**_COMMON, "\\": "&#92;&#92;", "\n": "\\n"}),
    # "]" as the first character of HTML text trips Graphviz 2.43's HTML lexer
    "html": str.maketrans({**_COMMON, "\\": "&#92;&#92;", "\n": "<BR/>", "]": "&#93;"}),
    "tooltip": str.maketrans({**_COMMON, "\\": "&#92;&#92;&#92;&#92;", "\n": "\\n"}),
}

# each table's characters but the newline, which alone needs only its own pass
_SPECIAL = {context: re.compile("[%s]" % re.escape("".join(chr(c) for c in table if c != 10)))
            for context, table in _TABLES.items()}
_NEWLINE = {context: table[10] for context, table in _TABLES.items()}
# The same tables as str.replace passes (one fast scan each, where translate looks every
# character up): "&" first, a backslash and then the newline last, so that no pass
# meets a character an earlier one wrote that a later one would change: the result is
# translate's.
_PASSES = {context: sorted(((chr(c), r) for c, r in table.items()),
                           key=lambda p: (p[0] != "&", p[0] == "\n", p[0] == "\\"))
           for context, table in _TABLES.items()}


def escape(text: str, context: Context = "label") -> str:
    """The one way user text enters DOT: the inside of a quoted (or HTML) string.

    Characters that mean something to the DOT lexer, to Graphviz's escape sequences
    (``\\N``, ``\\G``, ``\\n``) or to HTML-like labels become numeric or named entities,
    which Graphviz decodes after parsing. Backslashes need two entities in labels and
    four in tooltips because Graphviz removes one level of backslashes per pass
    (labels one pass, tooltips two). Newlines become line breaks; tabs, spaces;
    control and bidirectional-formatting characters are dropped.

    >>> escape('a "b" \\\\N <c> & d')
    'a &quot;b&quot; &#92;&#92;N &lt;c&gt; &amp; d'
    """
    # printable text holds no \r, \t, \n, nor anything _DROP drops; nor does text that is
    # printable but for its line breaks (a tooltip's), which those steps leave as they are
    if not text.isprintable() and not ("\n" in text and text.replace("\n", "").isprintable()):
        text = _DROP.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    # only text that holds one of the table's characters needs the passes; text whose only
    # such character is the newline needs only the newline's
    if _SPECIAL[context].search(text):
        for char, entity in _PASSES[context]:
            if char in text:
                text = text.replace(char, entity)
    elif "\n" in text:
        text = text.replace("\n", _NEWLINE[context])
    return text


def quote(text: str, context: Context = "label") -> str:
    inner = escape(text, context)
    return f'"{inner}"' if len(inner) <= _STEP else f'"{fold_quoted(inner)}"'


# Graphviz's lexer refuses a quoted or HTML string longer than 16,384 bytes on one line
# ("longer than 16384?"); we keep every physical line of a string under half that.
LINE_BYTES = 8000
_STEP = LINE_BYTES // 4  # characters a line of a quoted string holds: at most 4 bytes each


def fold_quoted(inner: str) -> str:
    """The inside of a "..." string cut into lines joined by backslash-newline, which the
    DOT lexer removes: the string is unchanged, no line is over LINE_BYTES."""
    step = _STEP
    if len(inner) <= step:
        return inner
    parts, start = [], 0
    while start < len(inner):
        end = min(start + step, len(inner))
        while end < len(inner) and end - 1 > start and inner[end - 1] == "\\":
            end -= 1  # never cut between a backslash and what it escapes
        parts.append(inner[start:end])
        start = end
    return "\\\n".join(parts)


def fold_html(label: str) -> str:
    """An HTML-like label ``<...>`` cut into lines after spaces. Graphviz drops a newline
    inside an HTML string (and reads it as a space inside a tag), so a newline that follows
    a space changes nothing; the language keeps words short enough to fit one line."""
    if len(label.encode("utf-8")) <= LINE_BYTES:
        return label
    lines: list[str] = []
    current: list[str] = []
    size = 0
    for word in label.split(" "):
        n = len(word.encode("utf-8")) + 1
        if current and size + n > LINE_BYTES:
            lines.append(" ".join(current) + " ")
            current, size = [], 0
        current.append(word)
        size += n
    lines.append(" ".join(current))
    return "\n".join(lines)


ALLOWED_HOSTS = ("doi.org", "identifiers.org", "pubmed.ncbi.nlm.nih.gov")


def curie_url(curie: str) -> str | None:
    """The https resolver address of a well-formed CURIE, or None.

    >>> curie_url("doi:10.7759/cureus.83244")
    'https://doi.org/10.7759/cureus.83244'
    >>> curie_url("HGNC:1033"), curie_url("javascript:alert(1)")
    ('https://identifiers.org/hgnc:1033', None)
    """
    checked, _ = check_curie(curie)
    if not checked:
        return None
    prefix, local = checked.split(":", 1)
    if _URL_SAFE.fullmatch(local):  # what quote() would leave as it is: the usual id
        return PREFIXES[prefix].url.format(prefix=prefix, id=local)
    return _resolver(checked)


# characters urllib's quote() never changes (its always-safe set, and our "/.-_()")
_URL_SAFE = re.compile(r"[A-Za-z0-9_.~/()-]*")


def wrap(text: str, width: int) -> str:
    """Break a long label at spaces (never inside a word) into lines of about ``width``."""
    if len(text) <= width and "\n" not in text and text.strip() == text and "  " not in text \
            and text.isprintable() and text:
        return text  # textwrap would return it unchanged: most labels are short
    return "\n".join(_wrap_line(part, width) for part in text.split("\n"))


def _wrap_line(text: str, width: int) -> str:
    """``textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)``'s
    lines, joined (or ``""``). Words that single spaces separate (no other white space,
    none at either end) are filled here, greedily, as textwrap does: a word goes on the
    line if the line, a space and the word fit in ``width``, and a word longer than the
    width has a line of its own; any other text goes to textwrap."""
    if not (text and text.isprintable() and "  " not in text and text[0] != " "
            and text[-1] != " "):
        return "\n".join(textwrap.wrap(text, width, break_long_words=False,
                                       break_on_hyphens=False))
    lines = []
    line = None
    for word in text.split(" "):
        if line is None:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return "\n".join(lines)


def fill_paragraphs(text: str, width: int) -> str:
    """``text``'s paragraphs (split at blank lines), white space made single, each filled
    in lines of ``width`` as ``textwrap.fill(p, width, break_long_words=False)`` does."""
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    # without a hyphen, textwrap's chunks are the words: filled as _wrap_line fills them
    return "\n".join(_wrap_line(p, width) if "-" not in p
                     else textwrap.fill(p, width, break_long_words=False)
                     for p in paragraphs if p)
