"""Hostile-input-safe YAML: bytes -> a small tree of located strings, lists and maps.

Files come from students, collaborators and pull requests, so this reads YAML as an
event stream and builds the tree itself, never PyYAML's constructor or composer:

- no object construction and no type resolution: every scalar stays a string, so
  ``NO`` (nitric oxide), ``ON``, ``1e3`` and ``12:30`` are names, never bool or int;
- no tags, anchors or aliases (a few hundred bytes of aliases expand to gigabytes);
- bounded file size and nesting depth: the C composer recurses and segfaults on deep
  brackets, and libyaml slows down quadratically with depth, so we stop early;
- UTF-8 only; duplicate keys are errors, reported with both lines.

This and ``load`` are the only modules that see YAML; only this one imports it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterator, Union

import yaml

from ..errors import Diagnostic, MechgraphError

MAX_BYTES = 1 << 20
MAX_DEPTH = 32
_TOO_DEEP = f"nesting is deeper than {MAX_DEPTH} levels"

try:  # libyaml's event parser is iterative: safe, and ~10x faster than the pure one
    _Loader: type = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.BaseLoader


#: plain scalars that mean "no value"
NULLS = frozenset(("", "~", "null", "Null", "NULL"))


@dataclass(eq=False, slots=True)
class Scalar:
    value: str
    line: int
    plain: bool = True  # unquoted; a plain empty scalar is "no value"

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in NULLS


@dataclass(eq=False, slots=True)
class Seq:
    items: list["Node"]
    line: int


@dataclass(eq=False, slots=True)
class Map:
    items: dict[str, tuple[Scalar, "Node"]]  # key text -> (key scalar, value)
    line: int

    def get(self, key: str) -> "Node | None":
        pair = self.items.get(key)
        return pair[1] if pair else None

    def key_line(self, key: str) -> int:
        return self.items[key][0].line


Node = Union[Scalar, Seq, Map]


def kind_name(node: Node) -> str:
    """How a node reads in an error message: 'text', 'a list', 'a mapping'."""
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    if node.is_null:
        return "empty"
    shown = node.value if len(node.value) <= 60 else node.value[:57] + "..."
    return f"text {shown!r}"


def read_bounded(path: str | os.PathLike[str]) -> bytes:
    """A file's bytes, its size checked before reading: a 512 MiB file costs a stat, not
    512 MiB of memory. The read itself is bounded too (the file may grow, or be a device
    that reports no size)."""
    shown = os.fspath(path)
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        # read(n) makes an n-byte buffer first: ask for the size (and one byte more, to see
        # whether there is more), then for the rest of the limit only if there was more
        data = f.read(size + 1) if size <= MAX_BYTES else b""
        if len(data) > size:
            data += f.read(MAX_BYTES + 1 - len(data))
    if size > MAX_BYTES or len(data) > MAX_BYTES:
        what = f"{size:,} bytes" if size > MAX_BYTES else f"more than {MAX_BYTES:,} bytes"
        raise MechgraphError(f"file is {what}; pathway files may be at most {MAX_BYTES:,} bytes",
                             path=shown, line=None)
    return data


def decode(data: bytes, path: str) -> str:
    """UTF-8 (an optional BOM is dropped) or a MechgraphError naming the line."""
    if len(data) > MAX_BYTES:
        raise MechgraphError(
            f"file is {len(data):,} bytes; pathway files may be at most {MAX_BYTES:,} bytes",
            path=path, line=None)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise MechgraphError(
            f"byte 0x{data[e.start]:02x} is not UTF-8; save the file as UTF-8",
            path=path, line=line) from None
    return text[1:] if text.startswith("\ufeff") else text


def parse(text: str, path: str) -> tuple[Node | None, list[Diagnostic]]:
    """Parse one YAML document. Returns the tree (None when unusable) and problems.

    Recoverable problems (a duplicate key) come back as diagnostics beside a tree;
    fatal ones (syntax, a tag, an anchor, too deep) come back with no tree.
    """
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return None, [Diagnostic(path, None, f"file is larger than {MAX_BYTES:,} bytes")]
    problems: list[Diagnostic] = []
    try:
        loader = _Loader(text)
        try:  # get_event returns None once the stream has ended
            root = _build(iter(loader.get_event, None), path, problems, text)
        finally:
            loader.dispose()
    except _Fatal as f:
        return None, problems + [f.diagnostic]
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(x for x in (e.context, e.problem) if x) or "invalid YAML"
        if "nesting depth" in what:
            # Newer PyYAML scans ahead and stops at its own, larger depth limit before
            # emitting the events we count: any such stop is past ours too.
            return None, problems + [Diagnostic(path, line, _TOO_DEEP)]
        if "flow" in what:
            what += " (inside [...] or {...}, put quotes around a value holding , [ ] { } or ': ')"
        elif "mapping values are not allowed" in what and line is not None:
            what += _colon_hint(text, line)
        return None, problems + [Diagnostic(path, line, f"YAML syntax error: {what}")]
    except yaml.reader.ReaderError as e:  # a character YAML does not allow
        line = text.count("\n", 0, e.position) + 1
        return None, problems + [Diagnostic(
            path, line, f"character U+{e.character:04X} is not allowed in YAML "
                        "(control characters may not appear in a file)")]
    except yaml.YAMLError as e:  # pragma: no cover - every other error carries a mark
        return None, problems + [Diagnostic(path, None, f"YAML error: {e}")]
    except RecursionError:  # pragma: no cover - depth is bounded above
        return None, problems + [Diagnostic(path, None, "nesting too deep")]
    if root is None:
        problems.append(Diagnostic(path, 1, "empty file: expected a mapping with 'pathway:' "
                                            "or a catalog ('entities:', 'figures:', ...)"))
    return root, problems


def _colon_hint(text: str, line: int) -> str:
    """A value holding ': ' reads as a second key: show the line with the value quoted."""
    lines = text.splitlines()
    shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    key, sep, value = shown.partition(": ")
    if shown.startswith("- "):  # a list item: the whole item is the text
        key, sep, value = "-", " ", shown[2:]
    if not sep or not value.strip() or len(shown) > 200 or '"' in value:
        return " (a value holding ': ' must be in quotes)"
    if key == "-":
        return f' (a value holding \': \' must be in quotes: - "{value.strip()}")'
    return f' (a value holding \': \' must be in quotes: {key}: "{value.strip()}")'


def _merged_item(text: str, first: int, last: int) -> int | None:
    """The line of a '- ' that a plain multi-line value swallowed, if any.

    A list item indented deeper than the one above is not a new item: YAML folds it
    into the text above (``- a -> BDNF`` then ``   - TrkB <- BDNF`` is one value,
    'a -> BDNF - TrkB <- BDNF').
    """
    lines = text.splitlines()
    for n in range(first + 1, min(last, len(lines)) + 1):
        if lines[n - 1].lstrip().startswith("- "):
            return n
    return None


class _Fatal(Exception):
    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.diagnostic = Diagnostic(path, line, message)


def _build(events: Iterator[yaml.Event], path: str, problems: list[Diagnostic],
           text: str = "") -> Node | None:
    # An explicit stack instead of recursion: depth is data, not Python frames.
    stack: list[Map | Seq] = []
    pending_key: list[Scalar | None] = []  # per open Map: the key awaiting its value
    root: Node | None = None
    documents = 0

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, Seq):
            parent.items.append(node)
            return
        key = pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar):
                raise _Fatal(path, node.line, f"a mapping key must be text, not {kind_name(node)}")
            pending_key[-1] = node
            return
        pending_key[-1] = None
        if key.value in parent.items:
            first = parent.items[key.value][0].line
            problems.append(Diagnostic(
                path, key.line, f"duplicate key {key.value!r} (first given on line {first})"))
            return
        parent.items[key.value] = (key, node)

    ScalarEvent = yaml.ScalarEvent
    parent: Map | Seq | None = None  # stack[-1], kept at hand for the common case
    for event in events:
        mark = event.start_mark
        line = mark.line + 1 if mark is not None else None
        kind = type(event)
        if kind is ScalarEvent and event.anchor is None and event.tag is None:
            style = event.style
            if not style and event.end_mark.line + 1 > (line or 0):
                merged = _merged_item(text, line or 0, event.end_mark.line + 1)
                if merged is not None:
                    item = text.splitlines()[merged - 1].strip()
                    shown = item if len(item) <= 60 else item[:57] + "..."
                    raise _Fatal(path, merged, (
                        f"{shown!r} is indented deeper than the line above, so YAML reads it as "
                        f"more text of the value on line {line}, not as a new list item; start "
                        "its '- ' in the same column as the '- ' above"))
            # the common case; a plain scalar's style is None (pure PyYAML) or "" (libyaml)
            node = Scalar(event.value, line or 0, not style)
            if type(parent) is Seq:  # attach(node), inlined for a list item
                parent.items.append(node)
            elif parent is None:
                attach(node)
            elif (key := pending_key[-1]) is None:  # a mapping key
                pending_key[-1] = node
            elif key.value in parent.items:  # a duplicate key: attach reports it
                attach(node)
            else:  # a mapping value
                pending_key[-1] = None
                parent.items[key.value] = (key, node)
            continue
        if kind is yaml.AliasEvent:
            raise _Fatal(path, line, f"YAML alias '*{event.anchor}' is not allowed "
                                     "(write the value out instead)")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Fatal(path, line, f"YAML anchor '&{anchor}' is not allowed "
                                     "(write the value out instead)")
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            raise _Fatal(path, line, f"YAML tag {tag!r} is not allowed (tags are never "
                                     "needed: every value is read as text)")
        if isinstance(event, yaml.ScalarEvent):
            attach(Scalar(event.value, line or 0, plain=not event.style))
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(stack) >= MAX_DEPTH:
                raise _Fatal(path, line, _TOO_DEEP)
            node: Map | Seq = (Map({}, line or 0) if isinstance(event, yaml.MappingStartEvent)
                               else Seq([], line or 0))
            attach(node)
            stack.append(node)
            pending_key.append(None)
            parent = node
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
            pending_key.pop()
            parent = stack[-1] if stack else None
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Fatal(path, line, "only one YAML document per file (found a second '---')")
    return root
